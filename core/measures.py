# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Measures of the standard: on-time shipping against the first date told.

The reporting views aggregate what these functions decide per order. Dates
are plain ``date``/``datetime`` values; nothing here reads the database.
"""

# Statuses in which everything has left for the customer.
SHIPPED_STATUSES = ("shipped", "done")

# Whether an order shipped by the first date the customer was told.
ON_TIME_STATES = [
    ("on_time", "On Time"),
    ("late", "Late"),
]


def fully_shipped_date(status, shipment_dates):
    """When the last shipment left, once the whole order has shipped.

    :param status: the order's fulfillment status code
    :param shipment_dates: dates the order's shipments to the customer left
    :return: the latest date, or None while something remains to ship
    """
    if status not in SHIPPED_STATUSES:
        return None
    return max((d for d in shipment_dates if d), default=None)


def classify_on_time(shipped, first_promised):
    """``on_time`` when shipped on or before the first date told, else ``late``.

    :param shipped: the day the order was fully shipped (None: not yet)
    :param first_promised: the first day told to the customer (None: never)
    :return: a code of ON_TIME_STATES, or None when either day is missing
    """
    if not shipped or not first_promised:
        return None
    return "on_time" if shipped <= first_promised else "late"


def track_promised_date(first, current, new):
    """The first date told and whether a new value moves the date told.

    The first date is kept once known; for orders that had a date before the
    first date was recorded, the current one is taken as the first. Clearing
    the date is not a move; setting it again to another date is.

    :return: (first date told, moved: bool)
    """
    first = first or current
    if not new:
        return first, False
    if not first:
        return new, False
    return first, new != (current or first)
