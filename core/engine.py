# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status engine: plain facts in, a status code and a reason out.

The models gather the facts of an order from its stock moves, procurements,
pickings and invoices, and call these functions. Nothing here reads the
database, so the whole truth table is tested without Odoo.
"""

from typing import NamedTuple

from .catalog import (
    STATUS_CODES,
    UPSTREAM_CANCEL,
    UPSTREAM_CONFIRMED,
    UPSTREAM_DONE,
    UPSTREAM_DRAFT,
    UPSTREAM_NONE,
    UPSTREAM_PROGRESS,
    UPSTREAM_PURCHASE,
)
from .flows import slowest_type


class LineFacts(NamedTuple):
    """What happened to one order line's goods.

    ``qty_shipped`` counts goods that reached or left for a customer location,
    net of returns (Odoo's delivered quantity: kits are counted through their
    components). ``qty_returned`` is what came back. ``goods_ready`` is true
    when an open move of the delivery chain holds goods (reserved, or picked
    by hand; once a pick or pack is done, the next step holds them) that may
    leave: part of the goods counts only when the picking may ship part
    (Odoo's shipping policy "as soon as possible", not "all at once").
    ``open_delivery`` is true while a move of the delivery chain (a pick or
    pack inside the warehouse, the delivery, or the vendor's drop-ship) is
    still planned: for the remainder, or for a replacement once everything
    shipped. A line without one (its delivery cancelled, or the remainder
    declined) has nothing planned.
    """

    kind: str = "stock"
    qty_ordered: float = 0.0
    qty_shipped: float = 0.0
    qty_returned: float = 0.0
    upstream: str = UPSTREAM_NONE
    upstream_kind: str = ""
    goods_ready: bool = False
    open_delivery: bool = False
    rounding: float = 0.01


class OrderFacts(NamedTuple):
    """What happened to an order: its state, hold and lines.

    ``state`` is the sale.order state (draft, sent, sale, cancel).
    ``shipments_delivered`` is true when every shipment that left has been
    confirmed delivered (by the carrier's transit time, a user or a 3PL).
    """

    state: str
    lines: tuple = ()
    on_hold: bool = False
    shipments_delivered: bool = True


class Result(NamedTuple):
    status: str | bool
    reason: str


def _positive(qty, rounding):
    return qty > rounding / 2.0


def line_remaining(line):
    return max(line.qty_ordered - line.qty_shipped, 0.0)


# Upstream states of a drop-ship purchase after which the vendor's shipment
# exists (Odoo creates it when the purchase is confirmed).
_VENDOR_SHIPS = (UPSTREAM_CONFIRMED, UPSTREAM_PROGRESS, UPSTREAM_DONE)

# Pre-shipment status of a line, by (kind, upstream kind, upstream state).
# The first row that matches wins; "*" matches anything; the last row is the
# explicit default. Goods ready for the delivery move a line to preparing
# whatever its upstream says, and a line with no delivery planned (cancelled,
# or the vendor's drop-ship shipment cancelled) goes back to checking or
# arranging (both tested before this table). A drop-ship line before its
# purchase is confirmed has no delivery yet: the table decides.
PRE_SHIPMENT_RULES = (
    ("dropship", "*", UPSTREAM_NONE, "received", "awaiting_procurement"),
    ("dropship", "*", UPSTREAM_DRAFT, "arranging", "dropship_rfq"),
    ("dropship", "*", UPSTREAM_CANCEL, "arranging", "procurement_cancelled"),
    ("dropship", "*", "*", "dropship_arranging", "dropship_confirmed"),
    ("build", "*", UPSTREAM_NONE, "received", "awaiting_procurement"),
    ("build", UPSTREAM_PURCHASE, UPSTREAM_DRAFT, "checking", "rfq_draft"),
    ("build", "*", UPSTREAM_DRAFT, "checking", "mo_draft"),
    ("build", "*", UPSTREAM_CANCEL, "checking", "procurement_cancelled"),
    ("build", "*", UPSTREAM_DONE, "preparing", "procured"),
    ("build", UPSTREAM_PURCHASE, "*", "arranging", "purchase_confirmed"),
    ("build", "*", UPSTREAM_CONFIRMED, "manufacturing", "in_production"),
    ("build", "*", UPSTREAM_PROGRESS, "manufacturing", "in_production"),
    ("*", "*", "*", "received", "waiting_stock"),
)


def _match(pattern, value):
    return pattern == "*" or pattern == value


def classify_pre_shipment(line):
    """Status of a line whose goods have not left yet."""
    if _positive(line.qty_returned, line.rounding) and not _positive(
        line.qty_shipped, line.rounding
    ):
        if not line.goods_ready:
            return Result("received", "returned")
    if line.goods_ready and line.kind != "dropship":
        return Result("preparing", "goods_ready")
    if not line.open_delivery:
        if line.kind != "dropship":
            # the delivery was cancelled while the order stands: nothing is
            # planned any more, someone decides (ship again, or cancel)
            return Result("checking", "procurement_cancelled")
        if line.upstream in _VENDOR_SHIPS:
            # the purchase stands but the vendor's shipment was cancelled:
            # nothing is on its way, purchasing arranges again
            return Result("arranging", "procurement_cancelled")
    for kind, up_kind, up_state, status, reason in PRE_SHIPMENT_RULES:
        if (
            _match(kind, line.kind)
            and _match(up_kind, line.upstream_kind)
            and _match(up_state, line.upstream)
        ):
            return Result(status, reason)
    raise AssertionError("PRE_SHIPMENT_RULES has no default row")  # pragma: no cover


def _planned(line):
    """Something is planned for the line's goods: a delivery, or a drop-ship
    whose vendor shipment comes with the purchase (Odoo creates it when the
    request for quotation is confirmed; a line whose purchase is not there
    yet waits for its procurement)."""
    return line.open_delivery or (
        line.kind == "dropship" and line.upstream in (UPSTREAM_NONE, UPSTREAM_DRAFT)
    )


def _came_back(line):
    """What the line still misses is goods the customer sent back: all of it
    had shipped (a return, not a declined remainder)."""
    return _positive(line.qty_returned, line.rounding) and not _positive(
        line_remaining(line) - line.qty_returned, line.rounding
    )


def classify_line(line):
    """Status of one order line."""
    if not _positive(line_remaining(line), line.rounding):
        if line.open_delivery:
            # all shipped and more goods planned: a replacement (Odoo's
            # return for exchange) on its way, the goods not back yet
            return Result("partially_shipped", "partially_shipped")
        return Result("shipped", "shipped")
    if _positive(line.qty_shipped, line.rounding):
        if line.open_delivery:
            return Result("partially_shipped", "partially_shipped")
        if _came_back(line):
            # part of what shipped came back and nothing replaces it yet:
            # someone decides (a replacement, or a credit note)
            return Result("partially_shipped", "returned")
        return Result("partially_shipped", "backorder_cancelled")
    return classify_pre_shipment(line)


# The order's status is its slowest line's; this rank says which is slowest.
_PROGRESS_RANK = {code: rank for rank, code in enumerate(STATUS_CODES)}


def summarize_lines(results):
    """Order status from the statuses of its lines."""
    statuses = {r.status for r in results}
    if statuses <= {"shipped"}:
        return Result("shipped", "shipped")
    if "partially_shipped" in statuses or "shipped" in statuses:
        # what is not shipped: returned goods, a declined remainder, or
        # something still on its way
        unshipped = {r.reason for r in results if r.status != "shipped"}
        if unshipped == {"returned"}:
            return Result("partially_shipped", "returned")
        if "backorder_cancelled" in unshipped and unshipped <= {
            "backorder_cancelled",
            "returned",
        }:
            return Result("partially_shipped", "backorder_cancelled")
        return Result("partially_shipped", "partially_shipped")
    return min(results, key=lambda r: _PROGRESS_RANK[r.status])


def classify_order(facts):
    """The status code and reason of an order, from its facts.

    A hold stops an open order; an order whose goods are all delivered is done
    whatever its hold says (nothing is left to stop).
    """
    if facts.state == "cancel":
        return Result("cancelled", "cancelled")
    if facts.state != "sale":
        return Result(False, "quotation")
    lines = [
        line
        for line in facts.lines
        if _positive(line.qty_ordered, line.rounding)
        or _positive(line.qty_shipped, line.rounding)
    ]
    if not lines:
        result = Result("done", "nothing_to_ship")
    else:
        result = summarize_lines([classify_line(line) for line in lines])
        if result.status == "shipped" and facts.shipments_delivered:
            result = Result("done", "delivered")
        elif result.status == "partially_shipped":
            planned = any(_planned(line) for line in lines)
            if planned and result.reason == "returned":
                # what came back is being replaced (a return for exchange)
                result = Result("partially_shipped", "partially_shipped")
            elif not planned and result.reason != "returned":
                # nothing planned for what remains: the backorder was declined
                result = Result("partially_shipped", "backorder_cancelled")
    if facts.on_hold and result.status != "done":
        return Result("on_hold", "on_hold")
    return result


def classify_line_type(
    *, dropship=False, manufactured=False, bought_on_order=False, make_to_order=False
):
    """Fulfillment type of one line, from what procures it."""
    if dropship:
        return "dropship"
    if manufactured or bought_on_order or make_to_order:
        return "build"
    return "stock"


def classify_order_type(line_types, override=False):
    """Fulfillment type of an order: the user's choice, else its slowest line."""
    if override:
        return override
    return slowest_type(line_types)


def is_split(shipment_count, backorder_count=0):
    """Split delivery: more than one customer shipment, or a backorder."""
    return shipment_count > 1 or backorder_count > 0


def classify_shipment(
    *, state, customer_bound, is_return, delivered=False, chain_step=False
):
    """The shipment's own status (stock.picking), or False when it is none.

    ``customer_bound``: the picking brings goods to a customer location
    (delivery or drop-ship). ``chain_step``: an internal preparation step
    (pick, pack) of a customer order.
    """
    if not (customer_bound or is_return or chain_step):
        return False
    if state == "cancel":
        return "cancelled"
    if is_return:
        return "returned"
    if customer_bound and state == "done":
        return "delivered" if delivered else "shipped"
    return "preparing"


def classify_billing(
    *, state, invoiceable, invoiced_any, fully_invoiced, paid, nothing_to_bill=False
):
    """The billing status beside the fulfillment status.

    ``invoiceable``: something is, or will be, invoiced on this order;
    ``invoiced_any``: at least one posted customer invoice; ``fully_invoiced``:
    every line is invoiced for its ordered quantity; ``paid``: every posted
    invoice is paid.
    """
    if state != "sale" or nothing_to_bill or not invoiceable:
        return "nothing"
    if not invoiced_any:
        return "to_invoice"
    if not fully_invoiced:
        return "partially_invoiced"
    return "paid" if paid else "invoiced"


def compute_deadline_hours(entered_hours, budget_hours):
    """Deadline of a status, in the same unit as ``entered_hours``.

    A budget of 0 means the status has no time limit (returns None).
    """
    if not budget_hours or budget_hours <= 0:
        return None
    return entered_hours + budget_hours


def is_late(now, deadline, status):
    """An open order past its status deadline."""
    if not deadline or not status or status in ("done", "cancelled"):
        return False
    return now > deadline


def is_delayed(expected, promised):
    """The expected date slipped past what the customer was told."""
    if not expected or not promised:
        return False
    return expected > promised


# The statuses whose expected date comes from an upstream document (the
# manufacturing order, the purchase or the drop-ship purchase): the others
# need no upstream date (expected_date ignores them).
UPSTREAM_DATE_STATUSES = frozenset({"manufacturing", "arranging", "dropship_arranging"})


def expected_date(
    status,
    *,
    next_shipment=None,
    production=(),
    purchase=(),
    dropship=(),
    arrivals=(),
    delivered=None,
    commitment=None,
    handling=None,
):
    """The next date the customer can expect, by status.

    Preparing (and received, checking, partially shipped): the scheduled date
    of the next shipment. Arranging and manufacturing: when the purchase or
    manufacturing order delivers, plus the handling time before shipping.
    Drop-ship: the date the vendor delivers. Shipped: the expected arrival.
    Done: the delivery date. On hold or cancelled: no date.
    """
    if not status or status in ("on_hold", "cancelled"):
        return None
    if status == "done":
        return delivered
    if status == "shipped":
        return max(arrivals) if arrivals else None
    if status == "manufacturing" and production:
        return max(production) + handling if handling else max(production)
    if status == "arranging" and purchase:
        return max(purchase) + handling if handling else max(purchase)
    if status in ("arranging", "dropship_arranging") and dropship:
        return max(dropship)
    return next_shipment or commitment
