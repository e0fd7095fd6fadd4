# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase, FulfillmentCommon):
    """A business customer follows a split, delayed order in the browser."""

    def test_customer_accepts_new_date_when_split_order_delayed(self):
        """Portal tour: list, tracker, remaining, tracking link, accept the date."""
        self.env.company.fulfillment_tracking_url = "https://track.example/{ref}"
        buyer = self.env["res.partner"].create(
            {"name": "Buyer Tanaka", "parent_id": self.customer.id, "email": "t@x.jp"}
        )
        new_test_user(
            self.env,
            login="tour_buyer",
            groups="base.group_portal",
            partner_id=buyer.id,
        )
        self._add_stock(self.product, 4)
        now = fields.Datetime.now().replace(microsecond=0)
        order = self._create_order(
            [(self.product, 10)], commitment_date=now + timedelta(days=3)
        )
        self._validate(order.picking_ids, {self.product: 4})
        shipped = order.picking_ids.filtered(lambda p: p.state == "done")
        shipped.fulfillment_tracking_ref = "JP-TRACK-4711"
        self._outgoing(order).scheduled_date = now + timedelta(days=8)
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self.assertTrue(order.fulfillment_is_delayed)
        order._fulfillment_alert()
        exception = order.fulfillment_exception_ids
        self.assertEqual(exception.new_date, now + timedelta(days=8))

        self.start_tour(
            "/my/orders", "sale_fulfillment_status_portal", login="tour_buyer"
        )

        self.assertRecordValues(
            exception,
            [
                {
                    "customer_decision": "accept_date",
                    "customer_message": "Fine, please ship the rest then.",
                    "state": "decided",
                }
            ],
        )
        self.assertEqual(order.fulfillment_promised_date, now + timedelta(days=8))
