from . import report_definition_document
