# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestHistoryAndLateness(FulfillmentCommon):
    """History rows, durations, chatter subtype and the late flag."""

    @classmethod
    def default_env_context(cls):
        # tracking on: status changes must reach the chatter
        return {}

    def test_chatter_message_when_status_changes(self):
        """Each status change is posted after the commit, as a tracking
        message with the addon's own subtype, by the user who made it."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 2)])
        self.assertEqual(order.fulfillment_status, "preparing")
        self.env.flush_all()
        self.cr.flush()
        self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.env.flush_all()
        self.cr.flush()
        subtype = self.env.ref("sale_fulfillment_status.mt_fulfillment_status")
        self.assertFalse(order.message_ids.filtered(lambda m: m.subtype_id == subtype))
        self.assertEqual(
            order.fulfillment_history_ids.mapped("chatter_pending"), [True] * 2
        )
        self.env["sale.fulfillment.history"]._cron_notify_status_changes()
        messages = order.message_ids.filtered(lambda m: m.subtype_id == subtype)
        self.assertEqual(len(messages), 2)
        shipped = messages.sorted("id")[-1]
        self.assertEqual(shipped.author_id, self.env.user.partner_id)
        tracked = shipped.tracking_value_ids
        self.assertEqual(tracked.field_id.name, "fulfillment_status")
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char), ("Preparing", "Shipped")
        )
        self.assertFalse(order.fulfillment_history_ids.filtered("chatter_pending"))

    def test_duration_recorded_when_order_leaves_status(self):
        """Leaving a status closes its history row with the hours spent in it;
        the new row is complete, and the order's cached history shows both."""
        start = fields.Datetime.now()
        self._add_stock(self.product, 10)
        with freeze_time(start):
            order = self._create_order([(self.product, 2)])
            self.assertEqual(order.fulfillment_status, "preparing")
        # read before the change: what the change wrote must replace it
        preparing = order.fulfillment_history_ids
        self.assertEqual(preparing.mapped("to_status"), ["preparing"])
        self.assertFalse(preparing.left_date)
        with freeze_time(start + timedelta(hours=5)):
            self._validate(order.picking_ids)
            self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(preparing.left_date, start + timedelta(hours=5))
        self.assertAlmostEqual(preparing.duration_hours, 5.0, places=2)
        shipped = order.fulfillment_history_ids - preparing
        self.assertEqual(shipped.to_status, "shipped")
        self.assertFalse(shipped.left_date)
        self.assertEqual(shipped.from_status, "preparing")
        self.assertEqual(shipped.user_id, self.env.user)
        self.assertEqual(shipped.create_uid, self.env.user)
        self.assertEqual(
            (shipped.order_id, shipped.company_id, shipped.partner_id),
            (order, order.company_id, order.partner_id),
        )
        self.assertEqual(shipped.responsible_id, order.fulfillment_user_id)

    def _late_activities(self, order):
        late_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_late"
        )
        return order.activity_ids.filtered(lambda a: a.activity_type_id == late_type)

    def test_late_when_deadline_passed(self):
        """The scan flags an order past its status deadline and alerts once."""
        self.env.ref("sale_fulfillment_status.status_received").time_budget_hours = 4
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 2)])
            self.assertEqual(order.fulfillment_status, "received")
        with freeze_time(start + timedelta(hours=3)):
            order._fulfillment_alert()
        self.assertFalse(order.fulfillment_is_late)
        self.assertFalse(self._late_activities(order))
        with freeze_time(start + timedelta(hours=5)):
            order._fulfillment_alert()
            order._fulfillment_alert()
        self.assertTrue(order.fulfillment_is_late)
        self.assertEqual(len(self._late_activities(order)), 1)
        self.assertEqual(
            order.fulfillment_late_alerted_deadline, order.fulfillment_deadline
        )

    def test_not_late_when_status_moves_on(self):
        """Entering a new status clears the late flag."""
        self.env.ref("sale_fulfillment_status.status_received").time_budget_hours = 1
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 2)])
            self.assertEqual(order.fulfillment_status, "received")
        with freeze_time(start + timedelta(hours=2)):
            order._fulfillment_alert()
            self.assertTrue(order.fulfillment_is_late)
            self._add_stock(self.product, 10)
            order.picking_ids.action_assign()
            self.assertEqual(order.fulfillment_status, "preparing")
        self.assertFalse(order.fulfillment_is_late)
