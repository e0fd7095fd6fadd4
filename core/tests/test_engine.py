# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status engine's truth table: plain facts in, status and reason out."""

import unittest
from datetime import date, timedelta

from core.catalog import (
    STATUSES,
    UPSTREAM_CANCEL,
    UPSTREAM_CONFIRMED,
    UPSTREAM_DONE,
    UPSTREAM_DRAFT,
    UPSTREAM_NONE,
    UPSTREAM_PRODUCTION,
    UPSTREAM_PROGRESS,
    UPSTREAM_PURCHASE,
    UPSTREAM_STATES,
)
from core.engine import (
    PRE_SHIPMENT_RULES,
    UPSTREAM_DATE_STATUSES,
    LineFacts,
    OrderFacts,
    Result,
    classify_billing,
    classify_line,
    classify_line_type,
    classify_order,
    classify_order_type,
    classify_pre_shipment,
    classify_shipment,
    compute_deadline_hours,
    expected_date,
    is_delayed,
    is_late,
    is_split,
    line_remaining,
    summarize_lines,
)


def _line(**values):
    """A line of 10 units, nothing shipped yet, its delivery planned for what
    remains, unless told otherwise."""
    values.setdefault("qty_ordered", 10.0)
    remaining = values["qty_ordered"] - values.get("qty_shipped", 0.0)
    values.setdefault("open_delivery", remaining > values.get("rounding", 0.01) / 2)
    return LineFacts(**values)


def _order(*lines, **values):
    """A confirmed sale order with the given lines."""
    return OrderFacts("sale", tuple(lines), **values)


# One line per PRE_SHIPMENT_RULES row (by index), whose first matching row is
# that row: the "*" of the row is filled with a value no earlier row catches.
_ROW_FACTS = {
    0: _line(kind="dropship", upstream_kind="", upstream=UPSTREAM_NONE),
    1: _line(kind="dropship", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_DRAFT),
    2: _line(
        kind="dropship", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_CANCEL
    ),
    3: _line(
        kind="dropship",
        upstream_kind=UPSTREAM_PURCHASE,
        upstream=UPSTREAM_CONFIRMED,
        open_delivery=True,
    ),
    4: _line(kind="build", upstream_kind="", upstream=UPSTREAM_NONE),
    5: _line(kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_DRAFT),
    6: _line(kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream=UPSTREAM_DRAFT),
    7: _line(kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream=UPSTREAM_CANCEL),
    8: _line(kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream=UPSTREAM_DONE),
    9: _line(
        kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_CONFIRMED
    ),
    10: _line(
        kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream=UPSTREAM_CONFIRMED
    ),
    11: _line(
        kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream=UPSTREAM_PROGRESS
    ),
    12: _line(kind="stock"),
}
_LEFT_OUT_ROWS = set()


class TestPreShipmentRules(unittest.TestCase):
    """classify_pre_shipment: the rule table and what is tested before it."""

    def test_every_row_is_covered_when_table_changes(self):
        """Each row of PRE_SHIPMENT_RULES has its case here (a new row must too)."""
        self.assertEqual(
            set(_ROW_FACTS) | _LEFT_OUT_ROWS, set(range(len(PRE_SHIPMENT_RULES)))
        )

    def test_row_result_when_its_facts_match(self):
        """Each row gives its own status and reason for facts it matches first."""
        for index, facts in sorted(_ROW_FACTS.items()):
            _kind, _up_kind, _up_state, status, reason = PRE_SHIPMENT_RULES[index]
            with self.subTest(row=index, facts=facts):
                self.assertEqual(classify_pre_shipment(facts), Result(status, reason))

    def test_last_row_is_default_when_read(self):
        """The last row matches anything, so every line gets a status."""
        self.assertEqual(PRE_SHIPMENT_RULES[-1][:3], ("*", "*", "*"))

    def test_received_waiting_stock_when_stock_line_has_any_upstream(self):
        """A stock line ignores upstream documents and waits for stock."""
        for upstream in UPSTREAM_STATES:
            with self.subTest(upstream=upstream):
                facts = _line(upstream=upstream, upstream_kind=UPSTREAM_PURCHASE)
                self.assertEqual(
                    classify_pre_shipment(facts), Result("received", "waiting_stock")
                )

    def test_checking_rfq_draft_when_build_purchase_is_draft(self):
        """A build line bought on order waits for its draft RFQ."""
        facts = _line(
            kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_DRAFT
        )
        self.assertEqual(classify_pre_shipment(facts), Result("checking", "rfq_draft"))

    def test_checking_mo_draft_when_build_draft_has_no_upstream_kind(self):
        """A draft upstream that is not a purchase reads as a draft MO."""
        facts = _line(kind="build", upstream_kind="", upstream=UPSTREAM_DRAFT)
        self.assertEqual(classify_pre_shipment(facts), Result("checking", "mo_draft"))

    def test_checking_cancelled_when_build_purchase_is_cancelled(self):
        """A cancelled purchase sends a build line back to checking."""
        facts = _line(
            kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_CANCEL
        )
        self.assertEqual(
            classify_pre_shipment(facts), Result("checking", "procurement_cancelled")
        )

    def test_preparing_procured_when_build_purchase_is_done(self):
        """Received purchased goods move a build line to preparing."""
        facts = _line(
            kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_DONE
        )
        self.assertEqual(classify_pre_shipment(facts), Result("preparing", "procured"))

    def test_arranging_when_build_purchase_is_in_progress(self):
        """A build line's purchase in progress keeps it arranging."""
        facts = _line(
            kind="build", upstream_kind=UPSTREAM_PURCHASE, upstream=UPSTREAM_PROGRESS
        )
        self.assertEqual(
            classify_pre_shipment(facts), Result("arranging", "purchase_confirmed")
        )

    def test_received_waiting_stock_when_build_upstream_state_unknown(self):
        """A build line with an upstream state outside the table falls to default."""
        facts = _line(kind="build", upstream_kind=UPSTREAM_PRODUCTION, upstream="odd")
        self.assertEqual(
            classify_pre_shipment(facts), Result("received", "waiting_stock")
        )

    def test_dropship_confirmed_when_dropship_upstream_done_or_in_progress(self):
        """A confirmed (or further) drop-ship purchase means the vendor arranges."""
        for upstream in (UPSTREAM_CONFIRMED, UPSTREAM_PROGRESS, UPSTREAM_DONE):
            with self.subTest(upstream=upstream):
                facts = _line(
                    kind="dropship",
                    upstream_kind=UPSTREAM_PURCHASE,
                    upstream=upstream,
                    open_delivery=True,
                )
                self.assertEqual(
                    classify_pre_shipment(facts),
                    Result("dropship_arranging", "dropship_confirmed"),
                )

    def test_status_when_nothing_planned(self):
        """A line with nothing planned and nothing shipped: a stock or build
        line whose delivery was cancelled is checking, whatever its upstream
        says; a drop-ship line whose confirmed purchase lost its vendor
        shipment goes back to arranging; before its purchase is confirmed, a
        drop-ship line has no vendor shipment yet and the table's rows
        decide."""
        cancelled = Result("checking", "procurement_cancelled")
        rearrange = Result("arranging", "procurement_cancelled")
        cases = [
            (kind, up, False, cancelled)
            for kind in ("stock", "build")
            for up in UPSTREAM_STATES
        ]
        cases += [
            ("dropship", up, ready, rearrange)
            for up in (UPSTREAM_CONFIRMED, UPSTREAM_PROGRESS, UPSTREAM_DONE)
            for ready in (False, True)
        ]
        cases += [
            (
                "dropship",
                UPSTREAM_NONE,
                False,
                Result("received", "awaiting_procurement"),
            ),
            ("dropship", UPSTREAM_DRAFT, False, Result("arranging", "dropship_rfq")),
            ("dropship", UPSTREAM_CANCEL, False, rearrange),
        ]
        for kind, upstream, ready, expected in cases:
            with self.subTest(kind=kind, upstream=upstream, goods_ready=ready):
                facts = _line(
                    kind=kind,
                    upstream=upstream,
                    upstream_kind=UPSTREAM_PURCHASE,
                    goods_ready=ready,
                    open_delivery=False,
                )
                self.assertEqual(classify_pre_shipment(facts), expected)

    def test_preparing_when_goods_ready_whatever_upstream(self):
        """Goods ready for delivery put stock and build lines in preparing."""
        for kind in ("stock", "build"):
            for upstream in UPSTREAM_STATES:
                with self.subTest(kind=kind, upstream=upstream):
                    facts = _line(
                        kind=kind,
                        upstream=upstream,
                        upstream_kind=UPSTREAM_PURCHASE,
                        goods_ready=True,
                    )
                    self.assertEqual(
                        classify_pre_shipment(facts), Result("preparing", "goods_ready")
                    )

    def test_dropship_ignores_goods_ready_when_goods_ready(self):
        """A drop-ship line never goes to preparing: its table row decides."""
        facts = _line(
            kind="dropship",
            upstream_kind=UPSTREAM_PURCHASE,
            upstream=UPSTREAM_CONFIRMED,
            goods_ready=True,
            open_delivery=True,
        )
        self.assertEqual(
            classify_pre_shipment(facts),
            Result("dropship_arranging", "dropship_confirmed"),
        )

    def test_received_returned_when_everything_came_back(self):
        """A line whose shipped goods all came back is received, reason returned."""
        for kind, upstream in (
            ("stock", UPSTREAM_NONE),
            ("build", UPSTREAM_DONE),
            ("dropship", UPSTREAM_DONE),
        ):
            with self.subTest(kind=kind):
                facts = _line(
                    kind=kind,
                    upstream=upstream,
                    upstream_kind=UPSTREAM_PURCHASE,
                    qty_returned=10.0,
                )
                self.assertEqual(
                    classify_pre_shipment(facts), Result("received", "returned")
                )

    def test_preparing_when_returned_goods_are_ready_again(self):
        """After a full return, goods reserved again put the line in preparing."""
        facts = _line(qty_returned=10.0, goods_ready=True)
        self.assertEqual(
            classify_pre_shipment(facts), Result("preparing", "goods_ready")
        )


class TestClassifyLine(unittest.TestCase):
    """classify_line: shipped, partially shipped, or before shipment."""

    def test_shipped_when_everything_shipped(self):
        """A line shipped for its whole quantity is shipped."""
        facts = _line(qty_shipped=10.0)
        self.assertEqual(classify_line(facts), Result("shipped", "shipped"))

    def test_shipped_when_over_delivered(self):
        """Shipping more than ordered still counts as shipped."""
        facts = _line(qty_shipped=12.0)
        self.assertEqual(classify_line(facts), Result("shipped", "shipped"))

    def test_shipped_when_remainder_below_half_rounding(self):
        """A remainder below half the rounding counts as nothing left."""
        facts = _line(qty_shipped=9.996, rounding=0.01)
        self.assertEqual(classify_line(facts), Result("shipped", "shipped"))

    def test_shipped_when_remainder_exactly_half_rounding(self):
        """A remainder of exactly half the rounding still counts as nothing left."""
        facts = _line(qty_shipped=9.5, rounding=1.0)
        self.assertEqual(classify_line(facts), Result("shipped", "shipped"))

    def test_partially_shipped_when_replacement_planned_after_full_shipment(self):
        """Everything shipped and a delivery still planned (a return for
        exchange, the goods not back yet): the replacement is on its way."""
        facts = _line(qty_shipped=10.0, open_delivery=True)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_partially_shipped_when_remainder_above_half_rounding(self):
        """A remainder just above half the rounding is still to ship."""
        facts = _line(qty_shipped=9.25, rounding=1.0, open_delivery=True)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_partially_shipped_when_remainder_has_open_delivery(self):
        """Part shipped with a backorder planned: partially shipped."""
        facts = _line(qty_shipped=4.0, open_delivery=True)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_backorder_cancelled_when_remainder_has_no_open_delivery(self):
        """Part shipped and the backorder declined: remainder not scheduled."""
        facts = _line(qty_shipped=4.0, open_delivery=False)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "backorder_cancelled")
        )

    def test_returned_when_part_came_back_and_nothing_replaces_it(self):
        """Everything shipped, part came back, no replacement planned: the
        missing goods are the returned ones, not a declined remainder."""
        facts = _line(qty_shipped=6.0, qty_returned=4.0, open_delivery=False)
        self.assertEqual(classify_line(facts), Result("partially_shipped", "returned"))

    def test_backorder_cancelled_when_return_beside_declined_remainder(self):
        """5 of 10 shipped (the rest declined), then 2 came back: more is
        missing than came back, the remainder is not scheduled."""
        facts = _line(qty_shipped=3.0, qty_returned=2.0, open_delivery=False)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "backorder_cancelled")
        )

    def test_partially_shipped_when_part_returned(self):
        """A partial return (net shipped below ordered) is partially shipped."""
        facts = _line(qty_shipped=6.0, qty_returned=4.0, open_delivery=True)
        self.assertEqual(
            classify_line(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_pre_shipment_when_shipped_below_half_rounding(self):
        """A shipped quantity below half the rounding counts as nothing shipped."""
        facts = _line(qty_shipped=0.004, rounding=0.01, open_delivery=True)
        self.assertEqual(classify_line(facts), Result("received", "waiting_stock"))

    def test_pre_shipment_result_when_nothing_shipped(self):
        """Nothing shipped: the line's status comes from classify_pre_shipment."""
        for facts in _ROW_FACTS.values():
            with self.subTest(facts=facts):
                self.assertEqual(classify_line(facts), classify_pre_shipment(facts))

    def test_remaining_never_negative_when_over_delivered(self):
        """line_remaining is zero, not negative, after over-delivery."""
        self.assertEqual(line_remaining(_line(qty_shipped=15.0)), 0.0)

    def test_remaining_is_difference_when_part_shipped(self):
        """line_remaining is ordered minus shipped."""
        self.assertEqual(line_remaining(_line(qty_shipped=4.0)), 6.0)


class TestSummarizeLines(unittest.TestCase):
    """summarize_lines: an order's status from its lines' results."""

    SHIPPED = Result("shipped", "shipped")
    PARTIAL = Result("partially_shipped", "partially_shipped")
    BACKORDER = Result("partially_shipped", "backorder_cancelled")
    WAITING = Result("received", "waiting_stock")
    PREPARING = Result("preparing", "goods_ready")

    def test_shipped_when_every_line_shipped(self):
        """Every line shipped: the order is shipped."""
        self.assertEqual(summarize_lines([self.SHIPPED] * 3), self.SHIPPED)

    def test_partially_shipped_when_shipped_beside_unshipped(self):
        """A shipped line beside a line still waiting: partially shipped."""
        for other in (self.WAITING, self.PREPARING):
            with self.subTest(other=other):
                self.assertEqual(
                    summarize_lines([self.SHIPPED, other]).status, "partially_shipped"
                )

    def test_partially_shipped_when_line_partially_shipped(self):
        """A line part shipped with its remainder open: partially shipped."""
        self.assertEqual(summarize_lines([self.PARTIAL]), self.PARTIAL)

    def test_backorder_cancelled_when_only_declined_remainders_left(self):
        """Shipped lines plus declined remainders: backorder_cancelled."""
        self.assertEqual(
            summarize_lines([self.SHIPPED, self.BACKORDER, self.BACKORDER]),
            self.BACKORDER,
        )

    def test_partially_shipped_when_declined_remainder_beside_open_one(self):
        """One declined and one open remainder: the open one is scheduled."""
        self.assertEqual(summarize_lines([self.BACKORDER, self.PARTIAL]), self.PARTIAL)

    def test_partially_shipped_when_declined_remainder_beside_waiting_line(self):
        """A declined remainder beside a line still waiting: partially shipped."""
        self.assertEqual(
            summarize_lines([self.BACKORDER, self.WAITING]).status, "partially_shipped"
        )

    def test_returned_when_only_returned_goods_missing(self):
        """Shipped lines beside lines whose goods came back, in part or in
        full: partially shipped, reason returned."""
        for returned in (
            Result("partially_shipped", "returned"),
            Result("received", "returned"),
        ):
            with self.subTest(returned=returned):
                self.assertEqual(
                    summarize_lines([self.SHIPPED, returned]),
                    Result("partially_shipped", "returned"),
                )

    def test_backorder_cancelled_when_returned_beside_declined(self):
        """Goods returned on one line, a declined remainder on another:
        something was never scheduled, backorder_cancelled."""
        returned = Result("partially_shipped", "returned")
        self.assertEqual(summarize_lines([returned, self.BACKORDER]), self.BACKORDER)

    def test_partially_shipped_when_returned_beside_open_remainder(self):
        """Goods returned on one line, the remainder of another on its way."""
        returned = Result("partially_shipped", "returned")
        self.assertEqual(summarize_lines([returned, self.PARTIAL]), self.PARTIAL)

    def test_slowest_line_when_nothing_shipped(self):
        """Before shipment, the order follows its least advanced line."""
        cases = (
            (
                [self.PREPARING, Result("manufacturing", "in_production")],
                "manufacturing",
            ),
            ([Result("checking", "rfq_draft"), self.PREPARING], "checking"),
            ([Result("arranging", "purchase_confirmed"), self.PREPARING], "arranging"),
            (
                [self.PREPARING, Result("dropship_arranging", "dropship_confirmed")],
                "dropship_arranging",
            ),
            (
                [self.PREPARING, Result("checking", "mo_draft"), self.WAITING],
                "received",
            ),
        )
        for results, expected in cases:
            with self.subTest(results=results):
                self.assertEqual(summarize_lines(results).status, expected)

    def test_same_status_when_lines_reordered(self):
        """The order of the lines does not change the order's status."""
        results = [self.PREPARING, Result("manufacturing", "in_production")]
        self.assertEqual(
            summarize_lines(results).status,
            summarize_lines(list(reversed(results))).status,
        )


class TestClassifyOrder(unittest.TestCase):
    """classify_order: the order's status and reason from its facts."""

    def test_quotation_when_not_confirmed(self):
        """A draft or sent quotation has no fulfillment status yet."""
        for state in ("draft", "sent"):
            with self.subTest(state=state):
                facts = OrderFacts(state, (_line(qty_shipped=10.0),), on_hold=True)
                self.assertEqual(classify_order(facts), Result(False, "quotation"))

    def test_cancelled_when_order_cancelled(self):
        """A cancelled order is cancelled, whatever its lines or hold say."""
        facts = OrderFacts("cancel", (_line(qty_shipped=4.0),), on_hold=True)
        self.assertEqual(classify_order(facts), Result("cancelled", "cancelled"))

    def test_on_hold_when_open_order_on_hold(self):
        """A hold beats every open status."""
        open_lines = (
            _line(),
            _line(goods_ready=True),
            _line(kind="build", upstream=UPSTREAM_CONFIRMED),
            _line(qty_shipped=4.0, open_delivery=True),
            _line(qty_shipped=4.0),
            _line(qty_returned=10.0),
        )
        for line in open_lines:
            with self.subTest(line=line):
                facts = _order(line, on_hold=True)
                self.assertEqual(classify_order(facts), Result("on_hold", "on_hold"))

    def test_on_hold_when_shipped_not_delivered_order_on_hold(self):
        """An order shipped but not confirmed delivered can still be held."""
        facts = _order(_line(qty_shipped=10.0), on_hold=True, shipments_delivered=False)
        self.assertEqual(classify_order(facts), Result("on_hold", "on_hold"))

    def test_done_nothing_to_ship_when_no_lines(self):
        """An order with no goods to ship (services only) is done."""
        self.assertEqual(classify_order(_order()), Result("done", "nothing_to_ship"))

    def test_done_nothing_to_ship_when_lines_have_no_quantity(self):
        """Lines with nothing ordered nor shipped (within rounding) are ignored."""
        facts = _order(
            _line(qty_ordered=0.0), _line(qty_ordered=0.004, qty_shipped=0.004)
        )
        self.assertEqual(classify_order(facts), Result("done", "nothing_to_ship"))

    def test_zero_quantity_line_ignored_when_beside_real_line(self):
        """A zero-quantity line does not hold back a shipped, delivered order."""
        facts = _order(_line(qty_shipped=10.0), _line(qty_ordered=0.0))
        self.assertEqual(classify_order(facts), Result("done", "delivered"))

    def test_line_counted_when_shipped_without_being_ordered(self):
        """Goods shipped on a line with nothing ordered still count as shipped."""
        facts = _order(
            _line(qty_ordered=0.0, qty_shipped=1.0), shipments_delivered=False
        )
        self.assertEqual(classify_order(facts), Result("shipped", "shipped"))

    def test_done_delivered_when_all_shipped_and_delivered(self):
        """Every line shipped and every shipment delivered: done."""
        facts = _order(_line(qty_shipped=10.0), _line(qty_ordered=2, qty_shipped=2))
        self.assertEqual(classify_order(facts), Result("done", "delivered"))

    def test_shipped_when_all_shipped_not_delivered(self):
        """Every line shipped but delivery not confirmed: shipped."""
        facts = _order(_line(qty_shipped=10.0), shipments_delivered=False)
        self.assertEqual(classify_order(facts), Result("shipped", "shipped"))

    def test_partially_shipped_when_split_with_open_remainder(self):
        """Part shipped with a backorder planned: partially shipped."""
        facts = _order(_line(qty_shipped=4.0, open_delivery=True))
        self.assertEqual(
            classify_order(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_backorder_cancelled_when_split_remainder_declined(self):
        """Part shipped and the backorder declined: backorder_cancelled."""
        facts = _order(
            _line(qty_shipped=10.0), _line(qty_shipped=4.0, open_delivery=False)
        )
        self.assertEqual(
            classify_order(facts), Result("partially_shipped", "backorder_cancelled")
        )

    def test_partially_shipped_when_not_delivered_and_split(self):
        """A split order with its remainder planned is partially shipped."""
        for delivered in (True, False):
            with self.subTest(delivered=delivered):
                facts = _order(
                    _line(qty_shipped=10.0),
                    _line(open_delivery=True),
                    shipments_delivered=delivered,
                )
                self.assertEqual(
                    classify_order(facts),
                    Result("partially_shipped", "partially_shipped"),
                )

    def test_received_returned_when_fully_returned(self):
        """Every shipped unit came back: received, reason returned."""
        facts = _order(_line(qty_returned=10.0), _line(qty_ordered=3, qty_returned=3))
        self.assertEqual(classify_order(facts), Result("received", "returned"))

    def test_partially_shipped_when_partially_returned(self):
        """Part of the goods came back: partially shipped."""
        facts = _order(_line(qty_shipped=7.0, qty_returned=3.0))
        self.assertEqual(classify_order(facts).status, "partially_shipped")

    def test_returned_when_part_came_back_without_replacement(self):
        """Part of the goods came back and nothing is planned: partially
        shipped for the returned goods, not a declined backorder; a hold
        still stops it."""
        line = _line(qty_shipped=7.0, qty_returned=3.0, open_delivery=False)
        self.assertEqual(
            classify_order(_order(line)), Result("partially_shipped", "returned")
        )
        self.assertEqual(
            classify_order(_order(line, on_hold=True)), Result("on_hold", "on_hold")
        )

    def test_partially_shipped_when_returned_line_being_replaced(self):
        """A line fully returned with its replacement planned (return for
        exchange) beside a shipped line: the replacement is on its way."""
        facts = _order(
            _line(qty_shipped=10.0), _line(qty_returned=10.0, open_delivery=True)
        )
        self.assertEqual(
            classify_order(facts), Result("partially_shipped", "partially_shipped")
        )
        facts = _order(
            _line(qty_shipped=10.0), _line(qty_returned=10.0, open_delivery=False)
        )
        self.assertEqual(classify_order(facts), Result("partially_shipped", "returned"))

    def test_partially_shipped_when_one_line_fully_returned(self):
        """One line shipped, another fully returned: partially shipped."""
        facts = _order(_line(qty_shipped=10.0), _line(qty_returned=10.0))
        self.assertEqual(classify_order(facts).status, "partially_shipped")

    def test_slowest_line_when_stock_and_build_mixed(self):
        """A stock line ready beside a build line in production: manufacturing."""
        facts = _order(
            _line(goods_ready=True),
            _line(
                kind="build",
                upstream_kind=UPSTREAM_PRODUCTION,
                upstream=UPSTREAM_PROGRESS,
            ),
        )
        self.assertEqual(
            classify_order(facts), Result("manufacturing", "in_production")
        )

    def test_received_when_stock_waiting_beside_build_in_production(self):
        """A stock line waiting for stock is slower than a build line in production."""
        facts = _order(
            _line(kind="build", upstream=UPSTREAM_CONFIRMED),
            _line(),
        )
        self.assertEqual(classify_order(facts), Result("received", "waiting_stock"))

    def test_preparing_when_goods_ready(self):
        """Goods ready on every line: preparing."""
        facts = _order(_line(goods_ready=True), _line(kind="build", goods_ready=True))
        self.assertEqual(classify_order(facts), Result("preparing", "goods_ready"))

    def test_dropship_arranging_when_dropship_goods_ready(self):
        """A drop-ship order with goods 'ready' stays with the vendor."""
        facts = _order(
            _line(
                kind="dropship",
                upstream_kind=UPSTREAM_PURCHASE,
                upstream=UPSTREAM_CONFIRMED,
                goods_ready=True,
                open_delivery=True,
            )
        )
        self.assertEqual(
            classify_order(facts), Result("dropship_arranging", "dropship_confirmed")
        )

    def test_done_when_remainder_below_half_rounding(self):
        """A remainder below half the line's rounding counts as nothing left."""
        facts = _order(_line(qty_shipped=9.996, rounding=0.01))
        self.assertEqual(classify_order(facts), Result("done", "delivered"))

    def test_partially_shipped_when_remainder_is_one_rounding(self):
        """A remainder of one full rounding unit is still to ship."""
        facts = _order(_line(qty_shipped=9.0, rounding=1.0, open_delivery=True))
        self.assertEqual(classify_order(facts).status, "partially_shipped")

    def test_done_when_over_delivered(self):
        """Shipping more than ordered, delivered: done."""
        facts = _order(_line(qty_shipped=11.0))
        self.assertEqual(classify_order(facts), Result("done", "delivered"))


class TestFulfillmentType(unittest.TestCase):
    """classify_line_type, classify_order_type and is_split."""

    def test_dropship_when_line_dropshipped(self):
        """Drop-ship wins over any other procurement flag."""
        self.assertEqual(
            classify_line_type(
                dropship=True,
                manufactured=True,
                bought_on_order=True,
                make_to_order=True,
            ),
            "dropship",
        )

    def test_build_when_line_made_or_bought_on_order(self):
        """Manufactured, bought on order or make-to-order lines are build."""
        for flag in ("manufactured", "bought_on_order", "make_to_order"):
            with self.subTest(flag=flag):
                self.assertEqual(classify_line_type(**{flag: True}), "build")

    def test_stock_when_no_flag(self):
        """A line with no procurement flag is served from stock."""
        self.assertEqual(classify_line_type(), "stock")

    def test_override_wins_when_user_chose_type(self):
        """The user's choice beats the lines' types."""
        self.assertEqual(classify_order_type(["build"], override="stock"), "stock")

    def test_slowest_type_when_no_override(self):
        """Without a choice, the order follows its slowest line."""
        cases = (
            (["stock", "build"], "build"),
            (["stock", "dropship"], "dropship"),
            (["dropship", "build", "stock"], "build"),
            (["stock"], "stock"),
        )
        for types, expected in cases:
            with self.subTest(types=types):
                self.assertEqual(classify_order_type(types), expected)

    def test_stock_when_order_has_no_line_type(self):
        """An order with no typed line defaults to stock."""
        self.assertEqual(classify_order_type([]), "stock")

    def test_not_split_when_one_shipment(self):
        """One customer shipment and no backorder is not split."""
        self.assertFalse(is_split(1))
        self.assertFalse(is_split(0, 0))

    def test_split_when_several_shipments(self):
        """More than one customer shipment is a split delivery."""
        self.assertTrue(is_split(2))

    def test_split_when_backorder(self):
        """A backorder makes a split delivery, even with one shipment."""
        self.assertTrue(is_split(1, backorder_count=1))


class TestClassifyShipment(unittest.TestCase):
    """classify_shipment: a picking's own status."""

    OPEN_STATES = ("draft", "waiting", "confirmed", "assigned")

    def test_false_when_picking_unrelated(self):
        """A picking neither customer-bound, return nor chain step has none."""
        for state in self.OPEN_STATES + ("done", "cancel"):
            for delivered in (True, False):
                with self.subTest(state=state, delivered=delivered):
                    self.assertIs(
                        classify_shipment(
                            state=state,
                            customer_bound=False,
                            is_return=False,
                            delivered=delivered,
                        ),
                        False,
                    )

    def test_cancelled_when_picking_cancelled(self):
        """A cancelled delivery, return or chain step is cancelled."""
        for flags in (
            {"customer_bound": True, "is_return": False},
            {"customer_bound": False, "is_return": True},
            {"customer_bound": True, "is_return": True},
            {"customer_bound": False, "is_return": False, "chain_step": True},
        ):
            with self.subTest(**flags):
                self.assertEqual(
                    classify_shipment(state="cancel", delivered=True, **flags),
                    "cancelled",
                )

    def test_returned_when_return_done(self):
        """A validated return is returned, whether it targets a customer or not."""
        for customer_bound in (True, False):
            with self.subTest(customer_bound=customer_bound):
                self.assertEqual(
                    classify_shipment(
                        state="done",
                        customer_bound=customer_bound,
                        is_return=True,
                        delivered=True,
                    ),
                    "returned",
                )

    def test_delivered_when_customer_bound_done_and_delivered(self):
        """A validated delivery confirmed delivered is delivered."""
        self.assertEqual(
            classify_shipment(
                state="done", customer_bound=True, is_return=False, delivered=True
            ),
            "delivered",
        )

    def test_shipped_when_customer_bound_done_not_delivered(self):
        """A validated delivery not confirmed delivered is shipped."""
        self.assertEqual(
            classify_shipment(state="done", customer_bound=True, is_return=False),
            "shipped",
        )

    def test_preparing_when_customer_bound_open(self):
        """An open delivery is preparing, even if flagged delivered."""
        for state in self.OPEN_STATES:
            for delivered in (True, False):
                with self.subTest(state=state, delivered=delivered):
                    self.assertEqual(
                        classify_shipment(
                            state=state,
                            customer_bound=True,
                            is_return=False,
                            delivered=delivered,
                        ),
                        "preparing",
                    )

    def test_preparing_when_chain_step_open_or_done(self):
        """A pick or pack step is preparing until cancelled, even once done."""
        for state in self.OPEN_STATES + ("done",):
            with self.subTest(state=state):
                self.assertEqual(
                    classify_shipment(
                        state=state,
                        customer_bound=False,
                        is_return=False,
                        chain_step=True,
                        delivered=True,
                    ),
                    "preparing",
                )


class TestClassifyBilling(unittest.TestCase):
    """classify_billing: the billing status beside the fulfillment status."""

    def _billing(self, **values):
        facts = {
            "state": "sale",
            "invoiceable": True,
            "invoiced_any": False,
            "fully_invoiced": False,
            "paid": False,
        }
        facts.update(values)
        return classify_billing(**facts)

    def test_nothing_when_order_not_confirmed(self):
        """Quotations and cancelled orders have nothing to invoice."""
        for state in ("draft", "sent", "cancel"):
            with self.subTest(state=state):
                self.assertEqual(
                    self._billing(
                        state=state, invoiced_any=True, fully_invoiced=True, paid=True
                    ),
                    "nothing",
                )

    def test_nothing_when_nothing_to_bill(self):
        """An order flagged nothing to bill shows nothing, whatever was invoiced."""
        self.assertEqual(
            self._billing(
                nothing_to_bill=True, invoiced_any=True, fully_invoiced=True, paid=True
            ),
            "nothing",
        )

    def test_nothing_when_not_invoiceable(self):
        """An order with nothing invoiceable shows nothing."""
        self.assertEqual(self._billing(invoiceable=False), "nothing")

    def test_to_invoice_when_nothing_invoiced(self):
        """Invoiceable and no posted invoice: to invoice."""
        self.assertEqual(self._billing(), "to_invoice")

    def test_partially_invoiced_when_some_invoiced(self):
        """A posted invoice that does not cover everything: partially invoiced."""
        self.assertEqual(self._billing(invoiced_any=True), "partially_invoiced")

    def test_partially_invoiced_when_part_invoiced_and_paid(self):
        """Paying a partial invoice does not make the order paid."""
        self.assertEqual(
            self._billing(invoiced_any=True, paid=True), "partially_invoiced"
        )

    def test_invoiced_when_fully_invoiced_not_paid(self):
        """Everything invoiced but unpaid: invoiced."""
        self.assertEqual(
            self._billing(invoiced_any=True, fully_invoiced=True), "invoiced"
        )

    def test_paid_when_fully_invoiced_and_paid(self):
        """Everything invoiced and paid: paid."""
        self.assertEqual(
            self._billing(invoiced_any=True, fully_invoiced=True, paid=True), "paid"
        )


class TestDeadlines(unittest.TestCase):
    """compute_deadline_hours, is_late and is_delayed."""

    def test_deadline_is_entry_plus_budget_when_budget_set(self):
        """The deadline is the entry time plus the status budget."""
        self.assertEqual(compute_deadline_hours(100.0, 24.0), 124.0)

    def test_deadline_counts_from_zero_when_entered_at_zero(self):
        """An entry time of 0 is a real time, not a missing one."""
        self.assertEqual(compute_deadline_hours(0.0, 8.0), 8.0)

    def test_no_deadline_when_budget_zero_none_or_negative(self):
        """A budget of 0, None or below 0 means no time limit."""
        for budget in (0, 0.0, None, -5.0):
            with self.subTest(budget=budget):
                self.assertIsNone(compute_deadline_hours(100.0, budget))

    def test_late_when_open_order_past_deadline(self):
        """An open order past its deadline is late."""
        for status in ("received", "preparing", "partially_shipped", "on_hold"):
            with self.subTest(status=status):
                self.assertTrue(is_late(125.0, 124.0, status))

    def test_not_late_when_exactly_at_deadline(self):
        """Reaching the deadline is not yet late."""
        self.assertFalse(is_late(124.0, 124.0, "received"))

    def test_not_late_when_before_deadline(self):
        """Before the deadline the order is not late."""
        self.assertFalse(is_late(100.0, 124.0, "received"))

    def test_not_late_when_status_final(self):
        """A done or cancelled order is never late."""
        for status in ("done", "cancelled"):
            with self.subTest(status=status):
                self.assertFalse(is_late(500.0, 124.0, status))

    def test_not_late_when_no_deadline_or_status(self):
        """Without a deadline or a status there is nothing to be late for."""
        self.assertFalse(is_late(500.0, None, "received"))
        self.assertFalse(is_late(500.0, 124.0, False))
        self.assertFalse(is_late(500.0, 124.0, ""))

    def test_delayed_when_expected_after_promised(self):
        """An expected date after the promised one is a delay."""
        self.assertTrue(is_delayed(date(2026, 3, 5), date(2026, 3, 4)))

    def test_not_delayed_when_expected_on_or_before_promised(self):
        """On time or early is no delay."""
        self.assertFalse(is_delayed(date(2026, 3, 4), date(2026, 3, 4)))
        self.assertFalse(is_delayed(date(2026, 3, 1), date(2026, 3, 4)))

    def test_not_delayed_when_a_date_is_missing(self):
        """Without both dates there is no delay."""
        self.assertFalse(is_delayed(None, date(2026, 3, 4)))
        self.assertFalse(is_delayed(date(2026, 3, 5), False))


if __name__ == "__main__":
    unittest.main()


class TestEngineCorrections(unittest.TestCase):
    """Cases found while reviewing the engine."""

    def test_received_when_dropship_line_has_no_purchase_yet(self):
        """A drop-ship line with no purchase order yet waits for procurement."""
        result = classify_line(_line(kind="dropship"))
        self.assertEqual(result, Result("received", "awaiting_procurement"))

    def test_done_when_delivered_order_still_flagged_on_hold(self):
        """Nothing is left to stop once everything is delivered."""
        facts = _order(_line(qty_shipped=10.0), on_hold=True)
        self.assertEqual(classify_order(facts), Result("done", "delivered"))

    def test_on_hold_when_shipped_not_delivered_and_held(self):
        """An order shipped but not yet delivered can still be held."""
        facts = _order(_line(qty_shipped=10.0), on_hold=True, shipments_delivered=False)
        self.assertEqual(classify_order(facts).status, "on_hold")

    def test_backorder_cancelled_when_unshipped_line_has_no_delivery(self):
        """A whole line left without a delivery is a declined remainder."""
        facts = _order(_line(qty_shipped=10.0), _line(open_delivery=False))
        self.assertEqual(
            classify_order(facts), Result("partially_shipped", "backorder_cancelled")
        )

    def test_partially_shipped_when_dropship_line_awaits_its_purchase(self):
        """Stock shipped beside a drop-ship line whose purchase is a request
        for quotation, or not there yet: the vendor's shipment comes with the
        confirmed purchase, nothing was declined. Once the purchase stands
        and its shipment was cancelled, nothing is planned any more."""
        shipped = _line(qty_shipped=10.0)
        for upstream, expected in (
            (UPSTREAM_NONE, Result("partially_shipped", "partially_shipped")),
            (UPSTREAM_DRAFT, Result("partially_shipped", "partially_shipped")),
            (UPSTREAM_CONFIRMED, Result("partially_shipped", "backorder_cancelled")),
        ):
            dropship = _line(
                kind="dropship",
                upstream_kind=UPSTREAM_PURCHASE,
                upstream=upstream,
                open_delivery=False,
            )
            with self.subTest(upstream=upstream):
                self.assertEqual(classify_order(_order(shipped, dropship)), expected)

    def test_partially_shipped_when_exchange_beside_declined_remainder(self):
        """A replacement planned on a shipped line keeps the order scheduled,
        even beside a declined remainder; alone, the order is not done."""
        exchange = _line(qty_shipped=10.0, open_delivery=True)
        declined = _line(qty_shipped=4.0, open_delivery=False)
        for lines in ((exchange,), (exchange, declined)):
            with self.subTest(lines=len(lines)):
                self.assertEqual(
                    classify_order(_order(*lines)),
                    Result("partially_shipped", "partially_shipped"),
                )

    def test_partially_shipped_when_unshipped_line_still_planned(self):
        """A line still planned for delivery keeps the split open."""
        facts = _order(_line(qty_shipped=10.0), _line(open_delivery=True))
        self.assertEqual(
            classify_order(facts), Result("partially_shipped", "partially_shipped")
        )

    def test_not_returned_when_return_below_rounding(self):
        """A returned quantity below half the rounding is no return."""
        result = classify_line(_line(qty_returned=0.001, rounding=0.01))
        self.assertEqual(result, Result("received", "waiting_stock"))


class TestExpectedDate(unittest.TestCase):
    """The next date the customer can expect, and which statuses read the
    upstream documents' dates (the others skip that query)."""

    def setUp(self):
        super().setUp()
        self.upstream = {
            "production": [date(2026, 12, 10)],
            "purchase": [date(2026, 12, 11)],
            "dropship": [date(2026, 12, 12)],
        }
        self.own = {
            "next_shipment": date(2026, 12, 1),
            "arrivals": [date(2026, 12, 3)],
            "delivered": date(2026, 12, 4),
            "commitment": date(2026, 12, 5),
        }

    def test_upstream_dates_only_change_upstream_statuses(self):
        for code, _label in STATUSES:
            with self.subTest(status=code):
                without = expected_date(code, **self.own)
                with_upstream = expected_date(code, **self.own, **self.upstream)
                if code in UPSTREAM_DATE_STATUSES:
                    self.assertNotEqual(with_upstream, without)
                else:
                    self.assertEqual(with_upstream, without)

    def test_manufacturing_is_finish_date_plus_handling(self):
        self.assertEqual(
            expected_date("manufacturing", **self.upstream, handling=timedelta(days=2)),
            date(2026, 12, 12),
        )

    def test_dropship_arranging_is_vendor_date(self):
        self.assertEqual(
            expected_date("dropship_arranging", **self.upstream, **self.own),
            date(2026, 12, 12),
        )

    def test_no_date_when_held_or_cancelled(self):
        for code in ("on_hold", "cancelled"):
            self.assertIsNone(expected_date(code, **self.own, **self.upstream))
