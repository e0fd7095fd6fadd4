from . import report_definition_document
from . import sale_fulfillment_status_time_report
from . import sale_fulfillment_ontime_report
