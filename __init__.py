from . import controllers
from . import models
from . import report
from . import wizard


def post_init_hook(env):
    """Orders confirmed before the install got their status while the status
    catalog was not loaded yet: give them the catalog's records now."""
    env["sale.order"]._fulfillment_adopt_existing_orders()
