from . import test_catalog
from . import test_stock_flow
from . import test_build_and_dropship
from . import test_history
from . import test_notification
from . import test_delay_scan
from . import test_portal
from . import test_exception
