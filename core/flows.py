# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fulfillment flows and the transitions they allow.

The defaults below are what the addon ships as data; at run time the models
pass the transitions configured in the database, as plain ``Transition``
tuples, to the same functions.
"""

from collections import deque
from typing import NamedTuple

from .catalog import FINAL_STATUSES, FULFILLMENT_SLOWNESS

HOLD = "on_hold"
CANCELLED = "cancelled"


class Transition(NamedTuple):
    flow: str
    from_status: str
    to_status: str
    trigger: str
    role: str


# The statuses of each flow, in the order an order goes through them.
# partially_shipped sits in every flow: split delivery goes on top of any.
FLOW_STEPS = {
    "stock": ("received", "preparing", "partially_shipped", "shipped", "done"),
    "build": (
        "received",
        "checking",
        "arranging",
        "manufacturing",
        "preparing",
        "partially_shipped",
        "shipped",
        "done",
    ),
    "dropship": (
        "received",
        "arranging",
        "dropship_arranging",
        "partially_shipped",
        "shipped",
        "done",
    ),
}
# The steps a status bar shows when the order is not split.
MAIN_STEPS = {
    flow: tuple(step for step in steps if step != "partially_shipped")
    for flow, steps in FLOW_STEPS.items()
}

_T = Transition
_SHIPPING = (
    # split delivery and its end, common to every flow
    ("partially_shipped", "shipped", "shipment_validated", "customer_service"),
    ("shipped", "done", "delivery_confirmed", "sales"),
    # returns bring an order back
    ("shipped", "partially_shipped", "returned", "customer_service"),
    ("done", "partially_shipped", "returned", "customer_service"),
    ("shipped", "received", "returned", "sales"),
    ("partially_shipped", "received", "returned", "sales"),
    ("done", "received", "returned", "sales"),
)
DEFAULT_TRANSITIONS = tuple(
    [
        _T("stock", "received", "preparing", "goods_ready", "warehouse"),
        _T("stock", "preparing", "received", "reservation_released", "warehouse"),
        _T("stock", "preparing", "shipped", "shipment_validated", "customer_service"),
        _T("stock", "preparing", "partially_shipped", "partial_shipment", "warehouse"),
        _T("build", "received", "checking", "procurement_requested", "purchasing"),
        _T("build", "received", "manufacturing", "production_confirmed", "production"),
        _T("build", "received", "preparing", "goods_ready", "warehouse"),
        _T("build", "checking", "arranging", "purchase_confirmed", "purchasing"),
        _T("build", "checking", "manufacturing", "production_confirmed", "production"),
        _T("build", "arranging", "preparing", "goods_ready", "warehouse"),
        _T("build", "manufacturing", "preparing", "goods_ready", "warehouse"),
        _T("build", "arranging", "checking", "procurement_cancelled", "purchasing"),
        _T("build", "manufacturing", "checking", "procurement_cancelled", "production"),
        _T("build", "preparing", "received", "reservation_released", "warehouse"),
        _T("build", "preparing", "shipped", "shipment_validated", "customer_service"),
        _T("build", "preparing", "partially_shipped", "partial_shipment", "warehouse"),
        _T("dropship", "received", "arranging", "dropship_requested", "purchasing"),
        _T(
            "dropship",
            "arranging",
            "dropship_arranging",
            "purchase_confirmed",
            "purchasing",
        ),
        _T(
            "dropship",
            "dropship_arranging",
            "arranging",
            "procurement_cancelled",
            "purchasing",
        ),
        _T(
            "dropship",
            "dropship_arranging",
            "shipped",
            "shipment_validated",
            "customer_service",
        ),
        _T(
            "dropship",
            "dropship_arranging",
            "partially_shipped",
            "partial_shipment",
            "purchasing",
        ),
    ]
    + [_T(flow, *row) for flow in FLOW_STEPS for row in _SHIPPING]
)


class TransitionError(ValueError):
    """A status change the flow does not allow."""

    def __init__(self, flow, from_status, to_status):
        super().__init__(f"{flow}: {from_status} -> {to_status}")
        self.flow = flow
        self.from_status = from_status
        self.to_status = to_status


def slowest_type(types, default="stock"):
    """The fulfillment type an order mixing ``types`` follows."""
    present = set(types)
    for code in reversed(FULFILLMENT_SLOWNESS):
        if code in present:
            return code
    return default


def is_open(status):
    return bool(status) and status not in FINAL_STATUSES


def is_allowed(transitions, flow, from_status, to_status):
    """Whether the flow allows an explicit move from one status to another.

    Hold, release and cancellation are allowed on top of every flow: an open
    status can be put on hold, a hold is released to whatever the facts give,
    and anything not final can be cancelled.
    """
    if from_status == to_status:
        return True
    if not from_status:
        return True
    if to_status == CANCELLED:
        return from_status not in FINAL_STATUSES
    if to_status == HOLD:
        return is_open(from_status)
    if from_status == HOLD:
        return to_status in FLOW_STEPS.get(flow, ()) or to_status in FINAL_STATUSES
    return any(
        t.flow == flow and t.from_status == from_status and t.to_status == to_status
        for t in transitions
    )


def find_path(transitions, flow, from_status, to_status):
    """The shortest chain of configured transitions between two statuses.

    Facts in Odoo can move an order over several steps at once (a
    manufacturing order is confirmed as soon as it is created, for example),
    so a change is accepted when the flow allows it step by step. Returns the
    list of transitions, or None when the flow has no such path.
    """
    if from_status == to_status:
        return []
    edges = {}
    for t in transitions:
        if t.flow == flow:
            edges.setdefault(t.from_status, []).append(t)
    seen = {from_status}
    queue = deque([(from_status, [])])
    while queue:
        status, path = queue.popleft()
        for t in edges.get(status, ()):
            if t.to_status in seen:
                continue
            if t.to_status == to_status:
                return path + [t]
            seen.add(t.to_status)
            queue.append((t.to_status, path + [t]))
    return None


def resolve_trigger(transitions, flow, from_status, to_status, returns=True):
    """The trigger that explains a change, or ``facts_changed``.

    ``facts_changed`` flags a change the flow does not describe: the facts in
    Odoo still win (goods that left did leave), but the change is marked so
    that someone looks at it.

    ``returns`` says whether goods came back or are coming back from the
    customer (a return of the order, done or planned). A shipped order that
    reopens with no return is not a return: more was ordered after it shipped
    (``order_changed``), although the flow's transition is the return's.
    """
    if not from_status:
        return "confirmed"
    if to_status == CANCELLED:
        return "cancelled"
    if to_status == HOLD:
        return "hold"
    if from_status == HOLD:
        return "released"
    path = find_path(transitions, flow, from_status, to_status)
    if path:
        trigger = path[-1].trigger
        if trigger == "returned" and not returns:
            return "order_changed"
        return trigger
    return "facts_changed"


def check_transition(transitions, flow, from_status, to_status):
    """Raise TransitionError when a requested change is not allowed."""
    if not is_allowed(transitions, flow, from_status, to_status):
        raise TransitionError(flow, from_status, to_status)
    return True


def flow_steps(flow, current=None, split=False):
    """The steps to show for an order of ``flow`` sitting in ``current``."""
    steps = list(FLOW_STEPS[flow] if split else MAIN_STEPS[flow])
    if current == "partially_shipped" and current not in steps:
        steps = list(FLOW_STEPS[flow])
    if current and current not in steps:
        steps.append(current)
    return tuple(steps)
