# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query counts of the hot paths, pinned: a regression fails the suite.

The counts depend on which modules give the status engine more facts to
read (manufacturing, purchase, drop-ship), so each is pinned for the two
configurations the suite runs in: the addon alone (sale_stock), and with
mrp, purchase_stock and stock_dropshipping. In a database with other modules
as well (stock_delivery, stock_picking_batch, ...: they add queries of their
own to the same paths) the counts are unknown and the tests skip, naming the
modules. bench/run measures time.
"""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import warmup

from ..models import sale_order_line
from .common import FulfillmentCommon

OPTIONAL_MODULES = ("mrp", "purchase_stock", "stock_dropshipping")
# {installed optional modules: {hot path: query count}}. Where orders of one
# batch end up with different changed columns (an expected date that moves for
# some only), the ORM writes them in two UPDATE statements instead of one:
# counts of batches allow for that one query.
SPLIT_UPDATE = 1
QUERY_COUNTS = {
    (): {
        "status_update": 2,
        "status_change": 9,
        "picking_validation": 57,
        "portal_order_page": 35,
        "portal_order_list": 14,
    },
    OPTIONAL_MODULES: {
        "status_update": 2,
        "status_change": 9,
        "picking_validation": 63,
        "portal_order_page": 37,
        "portal_order_list": 14,
    },
}


def expected_count(env, path):
    """The pinned count of ``path`` for the modules installed, or None."""
    modules = env["ir.module.module"].search(
        [("name", "in", OPTIONAL_MODULES), ("state", "=", "installed")]
    )
    installed = tuple(
        name for name in OPTIONAL_MODULES if name in modules.mapped("name")
    )
    return QUERY_COUNTS.get(installed, {}).get(path)


def unpinned_modules(env):
    """The installed modules that installing the addon and the optional
    modules installed would not have brought: neither their dependencies nor
    the modules Odoo installs automatically with them (as
    ``ir.module.module.button_install`` decides)."""
    modules = env["ir.module.module"].sudo().search([])
    installed = {module.name for module in modules if module.state == "installed"}
    depends = {module.name: module.dependencies_id.mapped("name") for module in modules}
    countries = env["res.company"].sudo().search([]).country_id
    # {auto-installed module: the dependencies that must all be there}
    auto = {
        module.name: {
            dep.name for dep in module.dependencies_id if dep.auto_install_required
        }
        for module in modules
        if module.auto_install
        and (not module.country_ids or module.country_ids & countries)
    }
    todo = ["sale_fulfillment_status", *(set(OPTIONAL_MODULES) & installed)]
    brought = set()
    while todo:
        name = todo.pop()
        if name not in brought:
            brought.add(name)
            todo += depends[name]
        if not todo:
            todo = [
                module
                for module, required in auto.items()
                if module not in brought and required and required <= brought
            ]
    return installed - brought


class QueryCountCase:
    def _expected(self, path):
        count = expected_count(self.env, path)
        if count is None:
            self.skipTest("query counts are pinned for the two suite configurations")
        extra = unpinned_modules(self.env)
        if extra:
            self.skipTest(
                "query counts are pinned for the two suite configurations; "
                "this database also has %s" % ", ".join(sorted(extra))
            )
        return count


@tagged("post_install", "-at_install")
class TestQueryCount(QueryCountCase, FulfillmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 10_000)
        cls._add_stock(cls.product_2, 10_000)

    def _orders(self, count):
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id}),
                        Command.create(
                            {"product_id": self.product_2.id, "product_uom_qty": 2}
                        ),
                    ],
                }
                for _index in range(count)
            ]
        )
        orders.action_confirm()
        self.env.flush_all()
        return orders

    def _recompute_queries(self, orders):
        """Queries of the status update of ``orders``, from a cold cache."""
        self.env.invalidate_all()
        self.env.add_to_compute(
            self.env["sale.order"]._fields["fulfillment_status"], orders
        )
        count = self.cr.sql_log_count
        self.env.flush_all()
        return self.cr.sql_log_count - count

    @warmup
    def test_status_update_queries_when_batch_recomputed(self):
        """The status update of a batch of orders makes a fixed number of queries."""
        orders = self._orders(5)
        self.env.invalidate_all()
        self.env.add_to_compute(
            self.env["sale.order"]._fields["fulfillment_status"], orders
        )
        # flush=False: the status update is the flush itself. A large
        # batch's facts query is not JIT-compiled (it would cost more than it
        # runs once its estimate crosses jit_above_cost): 5 orders count as
        # large here, in the same query.
        self.cr.execute("SET LOCAL jit = on")
        with (
            patch.object(sale_order_line, "JIT_FREE_BATCH", 4),
            self.assertQueryCount(self._expected("status_update"), flush=False),
        ):
            self.env.flush_all()
        self.assertEqual(set(orders.mapped("fulfillment_status")), {"preparing"})
        self.cr.execute("SHOW jit")
        self.assertEqual(self.cr.fetchone()[0], "off")

    def test_status_update_queries_when_batch_grows(self):
        """Four times more orders: the status update makes no more queries."""
        self._recompute_queries(self._orders(2))  # warm the caches
        small = self._recompute_queries(self._orders(3))
        big = self._recompute_queries(self._orders(12))
        self.assertLessEqual(big, small + SPLIT_UPDATE)

    def test_status_change_queries_when_batch_grows(self):
        """Holding 4x more orders (history, events) makes no more queries."""
        self._hold(self._orders(2))  # warm the caches

        def hold_queries(orders):
            self.env.invalidate_all()
            count = self.cr.sql_log_count
            self._hold(orders)
            self.env.flush_all()
            return self.cr.sql_log_count - count

        small = self._orders(3)
        big = self._orders(12)
        self.assertLessEqual(hold_queries(big), hold_queries(small) + SPLIT_UPDATE)
        self.assertEqual(set(big.mapped("fulfillment_status")), {"on_hold"})

    @warmup
    def test_status_change_queries_when_orders_held(self):
        """Holding a batch of orders (status, history, events) has a fixed cost."""
        orders = self._orders(5)
        self.env.invalidate_all()
        # The user holding them is read once a request (the session's user):
        # read here, so that the count does not depend on whether a cache
        # of Odoo's that reads it happens to be warm after the tests before.
        self.assertTrue(self.fulfillment_user.partner_id)
        with self.assertQueryCount(self._expected("status_change")):
            self._hold(orders)
        self.assertEqual(set(orders.mapped("fulfillment_status")), {"on_hold"})

    def test_delay_scan_queries_when_batch_grows(self):
        """Four times more late orders in a batch: the alerts make no more queries."""
        late_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_late"
        )

        def late_orders(count):
            orders = self._orders(count)
            orders.write({"fulfillment_deadline": fields.Datetime.now() - timedelta(1)})
            self.env.flush_all()
            return orders

        writes = []
        execute = Cursor.execute

        def logged_execute(cursor, query, params=None, log_exceptions=True):
            code = " ".join(str(getattr(query, "code", query)).split()).lower()
            if code.startswith(("insert", "update")):
                table = code.split()[2 if code.startswith("insert") else 1]
                if table.strip('"') in ("sale_order", "mail_activity"):
                    writes.append(" ".join(code.split()[:3]).replace('"', ""))
            return execute(cursor, query, params, log_exceptions)

        def alert_queries(orders):
            self.env.invalidate_all()
            writes.clear()
            count = self.cr.sql_log_count
            with patch.object(Cursor, "execute", logged_execute):
                orders._fulfillment_alert()
                self.env.flush_all()
            return self.cr.sql_log_count - count

        alert_queries(late_orders(2))  # warm the caches
        small, big = late_orders(3), late_orders(12)
        small_count = alert_queries(small)
        self.assertEqual(alert_queries(big), small_count)
        # The rows are written once each: the late flag with the deadline
        # alerted (an ORM write of the flag, then the copy, updated every
        # order twice), and the activities with their document's name (else
        # mail.activity computes it after the insert and updates each one;
        # following the orders is Odoo's, as for any activity).
        self.assertEqual(
            sorted(writes),
            ["insert into mail_activity", "update sale_order set"],
        )
        alerts = big.activity_ids.filtered(lambda a: a.activity_type_id == late_type)
        self.assertEqual(len(alerts), 12)
        self.assertTrue(all(big.mapped("fulfillment_is_late")))
        self.assertEqual(
            {alert.res_id: alert.res_name for alert in alerts},
            {order.id: order.display_name for order in big},
        )

    @warmup
    def test_picking_validation_queries_when_shipment_validated(self):
        """Validating a ready shipment as it is (Odoo marks it picked),
        status update and history included."""
        order = self._orders(1)
        picking = order.picking_ids
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(self._expected("picking_validation")):
            picking.button_validate()
        self.assertEqual(order.fulfillment_status, "shipped")


@tagged("post_install", "-at_install")
class TestPortalQueryCount(QueryCountCase, HttpCase, FulfillmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 100)
        cls.portal_user = new_test_user(
            cls.env,
            login="sfs_portal_count",
            password="sfs_portal_count",  # noqa: S106 - test user
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    @warmup
    def test_portal_order_page_queries_when_order_shipped(self):
        """The portal order page of a shipped order makes a fixed number of queries."""
        order = self._create_order([(self.product, 2)])
        self._validate(order.picking_ids)
        url = f"/my/orders/{order.id}"
        self.authenticate("sfs_portal_count", "sfs_portal_count")
        for _warm in range(2):
            self.assertEqual(self.url_open(url).status_code, 200)
        with self.assertQueryCount(self._expected("portal_order_page")):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)

    @warmup
    def test_portal_order_list_queries_when_orders_shipped(self):
        """The portal order list of a customer with shipped and held orders
        makes a pinned number of queries."""
        orders = self.env["sale.order"]
        for _index in range(3):
            order = self._create_order([(self.product, 2)])
            self._validate(order.picking_ids)
            orders |= order
        self._hold(self._create_order([(self.product, 1)]))
        self.authenticate("sfs_portal_count", "sfs_portal_count")
        for _warm in range(2):
            self.assertEqual(self.url_open("/my/orders").status_code, 200)
        with self.assertQueryCount(self._expected("portal_order_list")):
            response = self.url_open("/my/orders")
        self.assertEqual(response.status_code, 200)
        for order in orders:
            self.assertIn(order.name, response.text)
