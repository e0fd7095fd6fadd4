# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import FulfillmentCommon

JAN = datetime(2026, 1, 15, 12, 0)
FEB = datetime(2026, 2, 10, 12, 0)
TIME_REPORT = "sale.fulfillment.status.time.report"
AGGREGATES = ["hours_avg:avg", "hours_median:median", "hours_p90:p90", "__count"]


@tagged("post_install", "-at_install")
class TestTimeInStatus(FulfillmentCommon):
    """Average, median and 90th percentile of the time spent in each status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = new_test_user(cls.env, login="resp_a", name="Responsible A")
        cls.user_b = new_test_user(cls.env, login="resp_b", name="Responsible B")
        cls.orders = cls.env["sale.order"].create(
            [{"partner_id": cls.customer.id} for _i in range(7)]
        )
        # (status, flow, month left, responsible, hours spent)
        stays = [
            ("preparing", "stock", JAN, cls.user_a, 2.0),
            ("preparing", "stock", JAN, cls.user_b, 4.0),
            ("preparing", "stock", FEB, cls.user_a, 10.0),
            ("preparing", "build", FEB, cls.user_b, 30.0),
            ("received", "stock", JAN, cls.user_a, 1.0),
            ("received", "stock", FEB, cls.user_b, 3.0),
            ("received", "build", FEB, cls.user_b, 8.0),
        ]
        history = cls.env["sale.fulfillment.history"]
        history.create(
            [
                {
                    "order_id": order.id,
                    "flow": flow,
                    "to_status": status,
                    "date": left - timedelta(hours=hours),
                    "left_date": left,
                    "duration_hours": hours,
                    "responsible_id": user.id,
                }
                for order, (status, flow, left, user, hours) in zip(
                    cls.orders, stays, strict=True
                )
            ]
        )
        # a stay still going on has no duration yet: not measured
        history.create(
            {
                "order_id": cls.orders[0].id,
                "flow": "stock",
                "to_status": "shipped",
                "date": FEB,
                "responsible_id": cls.user_a.id,
            }
        )
        cls.env.flush_all()

    def _measures(self, groupby):
        """{group: (avg, median, p90, count)} of the known stays."""
        rows = self.env[TIME_REPORT]._read_group(
            [("order_id", "in", self.orders.ids)], groupby, AGGREGATES
        )
        result = {}
        for *key, avg, median, p90, count in rows:
            key = key[0] if len(key) == 1 else tuple(key)
            result[key] = (round(avg, 4), round(median, 4), round(p90, 4), count)
        return result

    def test_percentiles_per_status_when_history_known(self):
        """Per status: preparing 2, 4, 10, 30 h; received 1, 3, 8 h."""
        self.assertEqual(
            self._measures(["status"]),
            {
                # avg 46/4; median (4+10)/2; p90 at rank 2.7: 10 + 0.7 * 20
                "preparing": (11.5, 7.0, 24.0, 4),
                # avg 12/3; median 3; p90 at rank 1.8: 3 + 0.8 * 5
                "received": (4.0, 3.0, 7.0, 3),
            },
        )

    def test_percentiles_per_flow_when_history_known(self):
        """Per flow: stock 1, 2, 3, 4, 10 h; build 8, 30 h."""
        self.assertEqual(
            self._measures(["flow"]),
            {
                # p90 at rank 3.6: 4 + 0.6 * 6
                "stock": (4.0, 3.0, 7.6, 5),
                # p90 at rank 0.9: 8 + 0.9 * 22
                "build": (19.0, 19.0, 27.8, 2),
            },
        )

    def test_percentiles_per_month_when_history_known(self):
        """Per month the stay ended: January 1, 2, 4 h; February 3, 8, 10, 30 h."""
        measures = self._measures(["left_date:month"])
        by_month = {
            month.strftime("%Y-%m"): values for month, values in measures.items()
        }
        self.assertEqual(
            by_month,
            {
                "2026-01": (2.3333, 2.0, 3.6, 3),  # p90: 2 + 0.8 * 2
                "2026-02": (12.75, 9.0, 24.0, 4),  # p90: 10 + 0.7 * 20
            },
        )

    def test_percentiles_per_responsible_when_history_known(self):
        """Per responsible: A 1, 2, 10 h; B 3, 4, 8, 30 h."""
        self.assertEqual(
            self._measures(["responsible_id"]),
            {
                self.user_a: (4.3333, 2.0, 8.4, 3),  # p90: 2 + 0.8 * 8
                self.user_b: (11.25, 6.0, 23.4, 4),  # p90: 8 + 0.7 * 22
            },
        )

    def test_percentiles_per_cell_when_grouped_twice(self):
        """Grouped by flow and status, each cell has its own percentiles."""
        measures = self._measures(["flow", "status"])
        self.assertEqual(measures[("stock", "preparing")], (5.3333, 4.0, 8.8, 3))
        self.assertEqual(measures[("build", "received")], (8.0, 8.0, 8.0, 1))

    def test_pivot_reads_percentiles_when_opened(self):
        """The pivot's request (formatted_read_group) gets the same figures."""
        model = self.env[TIME_REPORT]
        self.assertEqual(
            model.fields_get(["hours_median", "hours_p90"], ["aggregator"]),
            {
                "hours_median": {"aggregator": "median"},
                "hours_p90": {"aggregator": "p90"},
            },
        )
        groups = model.formatted_read_group(
            [("order_id", "in", self.orders.ids)],
            ["status"],
            ["hours_median:median", "hours_p90:p90"],
        )
        by_status = {
            g["status"]: (g["hours_median:median"], g["hours_p90:p90"]) for g in groups
        }
        self.assertAlmostEqual(by_status["preparing"][0], 7.0)
        self.assertAlmostEqual(by_status["preparing"][1], 24.0)
        self.assertAlmostEqual(by_status["received"][0], 3.0)
        self.assertAlmostEqual(by_status["received"][1], 7.0)

    def test_measured_when_order_moves_on(self):
        """A real stay, from confirmation to shipment, is measured in hours."""
        start = fields.Datetime.now()
        self._add_stock(self.product, 10)
        with freeze_time(start):
            order = self._create_order([(self.product, 2)])
            self.env.flush_all()
        with freeze_time(start + timedelta(hours=5)):
            self._validate(order.picking_ids)
            self.env.flush_all()
        rows = self.env[TIME_REPORT].search([("order_id", "=", order.id)])
        self.assertEqual(rows.mapped("status"), ["preparing"])
        self.assertAlmostEqual(rows.hours_avg, 5.0, places=2)


@tagged("post_install", "-at_install")
class TestOnTimeShipping(FulfillmentCommon):
    """Orders shipped by the first date told, and how often that date moved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 100)
        cls.start = datetime(2026, 3, 2, 9, 0)

    def _ship(self, order, days):
        with freeze_time(self.start + timedelta(days=days)):
            self._validate(self._outgoing(order))
            self.env.flush_all()
        self.assertEqual(order.fulfillment_status, "shipped")

    def _order(self, commitment_days, qty=1):
        """An order whose first date told is its commitment date.

        The date told is set when the expected date is computed, at the end
        of the confirmation (flush), as in a committed transaction.
        """
        with freeze_time(self.start):
            order = self._create_order(
                [(self.product, qty)],
                commitment_date=self.start + timedelta(days=commitment_days),
            )
            self.env.flush_all()
        return order

    def test_first_date_kept_when_date_told_moves(self):
        """Moving the date told keeps the first one and counts each move."""
        order = self._order(3)
        first = self.start + timedelta(days=3)
        self.assertEqual(order.fulfillment_promised_date, first)
        self.assertEqual(order.fulfillment_first_promised_date, first)
        self.assertEqual(order.fulfillment_promised_date_changes, 0)
        order.fulfillment_promised_date = first + timedelta(days=2)
        order.fulfillment_promised_date = first + timedelta(days=2)  # same: no move
        order.fulfillment_promised_date = first + timedelta(days=4)
        self.assertEqual(order.fulfillment_first_promised_date, first)
        self.assertEqual(order.fulfillment_promised_date_changes, 2)

    def test_move_counted_when_customer_accepts_new_date(self):
        """A new date the customer accepts on an exception is a move."""
        order = self._order(3)
        exception = self.env["sale.fulfillment.exception"].create(
            {
                "order_id": order.id,
                "type": "date_change",
                "description": "Vendor late",
                "new_date": self.start + timedelta(days=9),
            }
        )
        exception._resolve("new_date_accepted")
        self.assertEqual(
            order.fulfillment_promised_date, self.start + timedelta(days=9)
        )
        self.assertEqual(
            order.fulfillment_first_promised_date, self.start + timedelta(days=3)
        )
        self.assertEqual(order.fulfillment_promised_date_changes, 1)

    def test_on_time_rate_when_orders_shipped(self):
        """Three shipped orders, one on time: 33 % on time, one date moved twice."""
        on_time = self._order(5)
        late = self._order(2)
        moved = self._order(3)
        moved.fulfillment_promised_date = self.start + timedelta(days=5)
        moved.fulfillment_promised_date = self.start + timedelta(days=7)
        open_order = self._order(1)
        self._ship(on_time, 3)
        self._ship(late, 4)
        self._ship(moved, 6)  # by the last date told, not by the first
        self.assertEqual(
            (on_time | late | moved | open_order).mapped("fulfillment_on_time"),
            ["on_time", "late", "late", False],
        )
        self.assertEqual(
            moved.fulfillment_shipped_date.date(), (self.start + timedelta(6)).date()
        )
        self.env.flush_all()
        report = self.env["sale.fulfillment.ontime.report"]
        orders = on_time | late | moved | open_order
        [(count, rate, moved_rate, moves, days)] = report._read_group(
            [("order_id", "in", orders.ids)],
            [],
            [
                "__count",
                "on_time_rate:avg",
                "moved_rate:avg",
                "date_moves:sum",
                "days_after_first_date:avg",
            ],
        )
        self.assertEqual(count, 3)  # the open order is not measured yet
        self.assertAlmostEqual(rate, 100 / 3, places=4)
        self.assertAlmostEqual(moved_rate, 100 / 3, places=4)
        self.assertEqual(moves, 2)
        self.assertAlmostEqual(days, (-2 + 2 + 3) / 3, places=4)

    def test_first_full_shipment_kept_when_exchanged_later(self):
        """An order shipped on time stays on time when the customer later
        sends part back for a replacement: the replacement is neither a new
        shipped date nor a delay of the date told."""
        order = self._order(3, qty=2)
        self._ship(order, 2)
        shipped_on = order.fulfillment_shipped_date
        self.assertEqual(order.fulfillment_on_time, "on_time")
        delivery = order.picking_ids
        with freeze_time(self.start + timedelta(days=10)):
            return_picking = self._return(
                delivery, {self.product: 1}, exchange=True, validate=False
            )
            replacement = order.picking_ids - delivery - return_picking
            replacement.scheduled_date = self.start + timedelta(days=12)
            self._validate(return_picking)
            self.env.flush_all()
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self.assertEqual(
            order.fulfillment_expected_date, self.start + timedelta(days=12)
        )
        self.assertFalse(order.fulfillment_is_delayed)
        self.assertEqual(order.fulfillment_shipped_date, shipped_on)
        with freeze_time(self.start + timedelta(days=12)):
            self._validate(replacement)
            self.env.flush_all()
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_shipped_date": shipped_on,
                    "fulfillment_on_time": "on_time",
                }
            ],
        )

    def test_not_measured_when_only_part_shipped(self):
        """A partly shipped order has no shipped date yet."""
        order = self._order(5, qty=4)
        with freeze_time(self.start + timedelta(days=1)):
            self._validate(self._outgoing(order), {self.product: 1})
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self.assertFalse(order.fulfillment_shipped_date)
        self.assertFalse(order.fulfillment_on_time)


@tagged("post_install", "-at_install")
class TestFirstDateBackfill(FulfillmentCommon):
    """Orders dated before the first date was recorded get it from tracking."""

    @classmethod
    def default_env_context(cls):
        # tracking on: the backfill reads the tracked changes of the date told
        return {}

    def _tracked_order(self, dates):
        """An order told each date of ``dates`` in turn, one transaction each."""
        start = datetime(2026, 3, 2, 9, 0)
        order = self._create_order(
            [(self.product, 1)], commitment_date=start + timedelta(days=dates[0])
        )
        self.env.flush_all()
        self.cr.flush()
        for days in dates[1:]:
            order.fulfillment_promised_date = start + timedelta(days=days)
            self.env.flush_all()
            self.cr.flush()  # precommit: one tracking value per change
        return order, start

    def _forget_first_date(self, orders):
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET fulfillment_first_promised_date = NULL, "
                "fulfillment_promised_date_changes = 0, fulfillment_on_time = NULL "
                "WHERE id IN %s",
                tuple(orders.ids),
            )
        )
        orders.invalidate_recordset()

    def test_first_date_from_tracking_when_date_moved_before_upgrade(self):
        """The first date told is the oldest tracked one; each change a move."""
        moved, start = self._tracked_order([3, 5, 8])
        steady, _start = self._tracked_order([4])
        undated = self._create_order([(self.product, 1)], confirm=False)
        self.assertEqual(moved.fulfillment_promised_date_changes, 2)
        self._forget_first_date(moved | steady | undated)
        filled = self.env["sale.order"]._fulfillment_init_first_promised_date()
        self.assertEqual(filled, moved | steady)
        self.assertRecordValues(
            moved | steady | undated,
            [
                {
                    "fulfillment_first_promised_date": start + timedelta(days=3),
                    "fulfillment_promised_date_changes": 2,
                },
                {
                    "fulfillment_first_promised_date": start + timedelta(days=4),
                    "fulfillment_promised_date_changes": 0,
                },
                {
                    "fulfillment_first_promised_date": False,
                    "fulfillment_promised_date_changes": 0,
                },
            ],
        )
        # orders filled once are left alone
        self.assertFalse(self.env["sale.order"]._fulfillment_init_first_promised_date())

    def test_on_time_measured_when_backfilled_order_shipped(self):
        """The verdict is measured again, against the backfilled first date."""
        self._add_stock(self.product, 5)
        order, start = self._tracked_order([3, 9])
        with freeze_time(start + timedelta(days=5)):
            self._validate(self._outgoing(order))
            self.env.flush_all()
        self._forget_first_date(order)
        self.assertFalse(order.fulfillment_on_time)
        self.env["sale.order"]._fulfillment_init_first_promised_date()
        self.assertEqual(order.fulfillment_first_promised_date, start + timedelta(3))
        # shipped on day 5: by the last date told (day 9), after the first (day 3)
        self.assertEqual(order.fulfillment_on_time, "late")


@tagged("post_install", "-at_install")
class TestLateAndExceptionCounts(FulfillmentCommon):
    """Late orders per status now, and exceptions per type per month."""

    def test_late_orders_per_status_when_budget_ran_out(self):
        """The report counts open orders per status, late ones apart."""
        self.env.ref("sale_fulfillment_status.status_received").time_budget_hours = 4
        start = fields.Datetime.now()
        with freeze_time(start):
            late = self._create_order([(self.product, 1)])
            self.env.flush_all()
        with freeze_time(start + timedelta(hours=3)):
            fresh = self._create_order([(self.product, 1)])
            self._add_stock(self.product_2, 5)
            preparing = self._create_order([(self.product_2, 1)])
            self.env.flush_all()
        orders = late | fresh | preparing
        with freeze_time(start + timedelta(hours=5)):
            orders._fulfillment_alert()
        action = self.env.ref(
            "sale_fulfillment_status.sale_order_action_fulfillment_late"
        )
        domain = safe_eval(action.domain) + [("id", "in", orders.ids)]
        rows = self.env["sale.order"]._read_group(
            domain, ["fulfillment_status", "fulfillment_is_late"], ["__count"]
        )
        self.assertEqual(
            {(status, is_late): count for status, is_late, count in rows},
            {("received", True): 1, ("received", False): 1, ("preparing", False): 1},
        )
        self._validate(preparing.picking_ids)
        self.assertEqual(preparing.fulfillment_status, "shipped")
        self.assertEqual(self.env["sale.order"].search_count(domain), 3)
        self._add_stock(self.product, 5)
        done = self._create_order([(self.product, 1)])
        self._validate(done.picking_ids)
        done.picking_ids.action_fulfillment_confirm_delivery()
        self.assertEqual(done.fulfillment_status, "done")
        self.assertFalse(
            self.env["sale.order"].search_count(
                safe_eval(action.domain) + [("id", "=", done.id)]
            )
        )

    def test_exceptions_per_type_per_month_when_reported(self):
        """The exception report counts exceptions per type and month."""
        order = self._create_order([(self.product, 1)])
        exceptions = self.env["sale.fulfillment.exception"]
        for when, kind in ((JAN, "stockout"), (JAN, "other"), (FEB, "stockout")):
            exception = exceptions.create(
                {"order_id": order.id, "type": kind, "description": "x"}
            )
            # create_date is the transaction's time: date the report's rows
            self.env.cr.execute(
                SQL(
                    "UPDATE sale_fulfillment_exception SET create_date = %s "
                    "WHERE id = %s",
                    when,
                    exception.id,
                )
            )
            exceptions |= exception
        exceptions.invalidate_recordset(["create_date"])
        rows = exceptions._read_group(
            [("id", "in", exceptions.ids)], ["type", "create_date:month"], ["__count"]
        )
        self.assertEqual(
            {(kind, month.strftime("%Y-%m")): count for kind, month, count in rows},
            {
                ("stockout", "2026-01"): 1,
                ("other", "2026-01"): 1,
                ("stockout", "2026-02"): 1,
            },
        )
