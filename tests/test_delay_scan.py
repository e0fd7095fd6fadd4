# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestDelayScan(FulfillmentCommon):
    """Expected dates, delays, and the scheduled scan that alerts people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delay_type = cls.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_delay"
        )
        cls.shipment_type = cls.env.ref(
            "sale_fulfillment_status.mail_activity_type_shipment_late"
        )
        cls._add_stock(cls.product, 100)
        cls.now = fields.Datetime.now().replace(microsecond=0)

    def _activities(self, record, activity_type):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def _order_promised_in(self, days):
        order = self._create_order(
            [(self.product, 2)], commitment_date=self.now + timedelta(days=days)
        )
        self.assertEqual(order.fulfillment_status, "preparing")
        return order

    def _slip(self, order, days):
        """The warehouse reschedules the shipment ``days`` after the commitment."""
        order.picking_ids.scheduled_date = order.commitment_date + timedelta(days=days)

    def _run_scan(self):
        cron = self.env.ref("sale_fulfillment_status.ir_cron_delay_scan")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_expected_date_when_preparing_is_next_shipment(self):
        """Preparing: the expected date is the shipment's scheduled date."""
        order = self._order_promised_in(5)
        self.assertEqual(
            order.fulfillment_expected_date, order.picking_ids.scheduled_date
        )
        self.assertEqual(order.fulfillment_promised_date, order.commitment_date)
        self.assertFalse(order.fulfillment_is_delayed)

    def test_expected_date_when_shipped_adds_transit_days(self):
        """Shipped: the expected date is the shipping date plus transit time."""
        self.env.company.fulfillment_transit_days = 3
        order = self._order_promised_in(5)
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(
            order.fulfillment_expected_date, picking.date_done + timedelta(days=3)
        )

    def test_delayed_when_shipment_rescheduled_past_promise(self):
        """Rescheduling the shipment past the promised date delays the order."""
        order = self._order_promised_in(2)
        self._slip(order, 3)
        self.assertTrue(order.fulfillment_is_delayed)

    def test_one_alert_when_scan_runs_twice(self):
        """Two scans over the same delay give one activity."""
        order = self._order_promised_in(2)
        self._slip(order, 3)
        self._run_scan()
        self._run_scan()
        self.assertEqual(len(self._activities(order, self.delay_type)), 1)
        self.assertEqual(
            order.fulfillment_delay_notified_date, order.fulfillment_expected_date
        )
        self.assertIn(order.name, self._activities(order, self.delay_type).note)

    def test_new_alert_when_date_slips_again(self):
        """A further slip is a new delay: the alert is renewed with the new date."""
        order = self._order_promised_in(2)
        self._slip(order, 3)
        self._run_scan()
        first_note = self._activities(order, self.delay_type).note
        self._slip(order, 6)
        self._run_scan()
        activity = self._activities(order, self.delay_type)
        self.assertEqual(len(activity), 1)
        self.assertNotEqual(activity.note, first_note)
        self.assertEqual(
            order.fulfillment_delay_notified_date, order.fulfillment_expected_date
        )

    def _customer_emails(self, order):
        comment = self.env.ref("mail.mt_comment")
        return order.message_ids.filtered(
            lambda m: m.subtype_id == comment and self.customer in m.partner_ids
        )

    def test_one_email_per_delay_when_scanned_and_slipping(self):
        """One customer email per delay, none on a re-run, one per further slip."""
        order = self._order_promised_in(2)
        before = len(self._customer_emails(order))
        self._slip(order, 3)
        self._run_scan()
        self._run_scan()
        self.assertEqual(len(self._customer_emails(order)), before + 1)
        self.assertEqual(
            order.fulfillment_promised_date, order.fulfillment_expected_date
        )
        self._slip(order, 6)
        self.assertTrue(order.fulfillment_is_delayed)
        self._run_scan()
        self._run_scan()
        emails = self._customer_emails(order)
        self.assertEqual(len(emails), before + 2)
        delay_template = self.env.ref(
            "sale_fulfillment_status.mail_template_fulfillment_delay"
        )
        self.assertIn(order.name, emails[0].subject)
        self.assertEqual(
            emails[0].subject,
            delay_template._render_field("subject", order.ids)[order.id],
        )

    def test_no_alert_when_on_time(self):
        """An order on schedule gets no alert."""
        order = self._order_promised_in(5)
        self._run_scan()
        self.assertFalse(order.activity_ids)

    def test_shipment_alert_when_past_scheduled_date(self):
        """A shipment not validated by its scheduled date alerts its responsible."""
        order = self._order_promised_in(1)
        picking = order.picking_ids
        with freeze_time(self.now + timedelta(days=3)):
            self._run_scan()
            self._run_scan()
        activity = self._activities(picking, self.shipment_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, order.fulfillment_user_id)

    def test_late_alert_assigned_to_responsible_when_budget_exceeded(self):
        """The late alert goes to the order's status responsible."""
        self.env.ref("sale_fulfillment_status.status_preparing").write(
            {
                "time_budget_hours": 2,
                "assign_mode": "user",
                "user_id": self.fulfillment_user.id,
            }
        )
        order = self._order_promised_in(10)
        late_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_late"
        )
        with freeze_time(self.now + timedelta(hours=5)):
            self._run_scan()
        activity = self._activities(order, late_type)
        self.assertEqual(activity.user_id, self.fulfillment_user)
        self.assertTrue(order.fulfillment_is_late)
        self.assertEqual(
            order.fulfillment_late_alerted_deadline, order.fulfillment_deadline
        )
        # the alert is the activity (systray, My Activities), not also an
        # "assigned to you" notification per late order
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "sale.order"),
                    ("res_id", "=", order.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )

    def test_team_dashboard_counts_when_orders_late_or_held(self):
        """The sales team dashboard counts its late and held orders."""
        team = self.env["crm.team"].create({"name": "Osaka Sales"})
        late = self._order_promised_in(5)
        held = self._order_promised_in(5)
        (late | held).team_id = team
        late.fulfillment_is_late = True
        self._hold(held)
        self.assertEqual(team.fulfillment_late_count, 1)
        self.assertEqual(team.fulfillment_hold_count, 1)
        action = team.action_view_fulfillment_late()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), late)

    def test_team_member_assigned_when_status_assigns_in_team(self):
        """Team round-robin hands orders to the members of the order's team."""
        member = self.fulfillment_user
        team = self.env["crm.team"].create(
            {"name": "Kyoto Sales", "member_ids": [(6, 0, member.ids)]}
        )
        self.env.ref("sale_fulfillment_status.status_preparing").assign_mode = "team"
        order = self._create_order([(self.product, 1)], team_id=team.id)
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(order.fulfillment_user_id, member)
