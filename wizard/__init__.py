from . import sale_order_hold
from . import sale_fulfillment_exception_resolve
from . import sale_order_log_inquiry
