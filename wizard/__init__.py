from . import sale_order_hold
