# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..core.catalog import STATUS_CODES
from ..core.flows import DEFAULT_TRANSITIONS
from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestCatalog(FulfillmentCommon):
    """The shipped catalog: statuses, flows and transitions as data."""

    def test_catalog_has_every_status_when_installed(self):
        """Every status code of the engine ships as a configurable record."""
        statuses = self.env["sale.fulfillment.status"].search([])
        self.assertEqual(set(statuses.mapped("code")), set(STATUS_CODES))
        for status in statuses:
            self.assertTrue(status.customer_label, status.code)
            self.assertTrue(status.description, status.code)

    def test_transitions_match_engine_when_installed(self):
        """The shipped transitions are the engine's default table."""
        rows = self.env["sale.fulfillment.flow"]._transition_rows()
        self.assertEqual(set(rows), set(DEFAULT_TRANSITIONS))

    def test_status_delete_refused_when_orders_use_it(self):
        """A status used by orders cannot be deleted."""
        self._create_order([(self.product, 1)])
        with self.assertRaises(UserError):
            self.env.ref("sale_fulfillment_status.status_received").unlink()

    def test_transition_refused_when_status_outside_flow(self):
        """A transition must stay within its flow's statuses."""
        with self.assertRaises(ValidationError):
            self.env["sale.fulfillment.transition"].create(
                {
                    "flow_id": self.env.ref("sale_fulfillment_status.flow_stock").id,
                    "from_status_id": self.env.ref(
                        "sale_fulfillment_status.status_received"
                    ).id,
                    "to_status_id": self.env.ref(
                        "sale_fulfillment_status.status_manufacturing"
                    ).id,
                    "trigger": "production_confirmed",
                    "role": "production",
                }
            )

    def test_relabel_kept_when_customer_label_edited(self):
        """Admins relabel statuses; orders show the new customer label."""
        status = self.env.ref("sale_fulfillment_status.status_received")
        status.customer_label = "Order Registered"
        order = self._create_order([(self.product, 1)])
        self.assertEqual(order.fulfillment_customer_label, "Order Registered")

    def test_flow_lists_its_statuses_when_read(self):
        """Each flow lists its statuses in order."""
        flow = self.env.ref("sale_fulfillment_status.flow_dropship")
        self.assertEqual(
            flow.status_ids.mapped("code"),
            [
                "received",
                "arranging",
                "dropship_arranging",
                "partially_shipped",
                "shipped",
                "done",
            ],
        )
