# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import freeze_time, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestStatusEmails(FulfillmentCommon):
    """Automatic customer emails on status changes: recipients, opt-out, safety."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Test: order received",
                "model_id": cls.env.ref("sale.model_sale_order").id,
                "subject": "Order {{ object.name }} received",
                "use_default_to": False,
                "partner_to": "{{ ','.join(str(pid) for pid in "
                "object.fulfillment_notify_partner_ids.ids) }}",
                "body_html": "<p>Status: <t t-out='object.fulfillment_status'/></p>",
            }
        )
        cls.receiving = cls.env.ref("sale_fulfillment_status.contact_role_receiving")
        cls.warehouse_contact = cls.env["res.partner"].create(
            {
                "name": "Receiving Desk",
                "email": "receiving@kansai.example.com",
                "parent_id": cls.customer.id,
                "fulfillment_role_ids": [Command.link(cls.receiving.id)],
            }
        )
        cls.env.ref("sale_fulfillment_status.status_received").write(
            {
                "notify_customer": True,
                "mail_template_id": cls.template.id,
                "notify_role_ids": [Command.set(cls.receiving.ids)],
            }
        )

    def _status_mails(self, order):
        return order.message_ids.filtered(
            lambda m: m.subject and "received" in m.subject
        )

    def test_email_to_contact_and_roles_when_status_entered(self):
        """Entering a notifying status emails the contact and the role contacts."""
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        message = self._status_mails(order)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.partner_ids, self.customer | self.warehouse_contact)
        self.assertEqual(message.subject, f"Order {order.name} received")

    def test_no_email_when_customer_switched_off(self):
        """Customers who switched status emails off get none."""
        self.customer.fulfillment_notify = False
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        self.assertFalse(self._status_mails(order))

    def test_no_email_when_status_does_not_notify(self):
        """A status that does not notify sends nothing."""
        self.env.ref("sale_fulfillment_status.status_received").notify_customer = False
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        self.assertFalse(self._status_mails(order))

    def test_status_kept_when_email_fails(self):
        """A broken template is logged on the order; the status change stays."""
        # Odoo test-renders a template on save against an existing order, so
        # the body only breaks for the order of this test.
        self.template.body_html = (
            '<p><t t-out="object.no_such_field if object.client_order_ref == '
            "'BREAK' else ''\"/></p>"
        )
        order = self._create_order([(self.product, 1)], client_order_ref="BREAK")
        self._commit_emails(order)
        self.assertEqual(order.fulfillment_status, "received")
        self.assertEqual(len(order.fulfillment_history_ids), 1)
        self.assertFalse(self._status_mails(order))
        notes = order.message_ids.filtered(
            lambda m: "could not be sent" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)

    def test_received_email_when_order_starts_in_preparing(self):
        """Goods reserved at confirmation still send the 'received' email once."""
        self._add_stock(self.product, 5)
        order = self._create_order([(self.product, 1)])
        self.assertEqual(order.fulfillment_status, "preparing")
        self._commit_emails(order)
        self.assertEqual(len(self._status_mails(order)), 1)

    def test_email_waits_for_sender_when_status_entered(self):
        """The transaction only marks the email as pending; the sender sends it."""
        order = self._create_order([(self.product, 1)])
        self.env.flush_all()
        self.cr.flush()
        self.assertFalse(self._status_mails(order))
        self.assertTrue(order.fulfillment_history_ids.email_pending)
        # the change was made with tracking off (the tests' default context)
        self.assertFalse(order.fulfillment_history_ids.chatter_pending)
        cron = self.env.ref("sale_fulfillment_status.ir_cron_status_notifications")
        self.assertTrue(cron.active)
        cron.ir_actions_server_id.run()  # the scheduled action's code
        self.assertEqual(len(self._status_mails(order)), 1)
        self.assertFalse(order.fulfillment_history_ids.email_pending)

    def test_email_sent_once_when_sender_runs_twice(self):
        """A second run of the sender sends nothing again."""
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        self.env["sale.fulfillment.history"]._cron_notify_status_changes()
        self.assertEqual(len(self._status_mails(order)), 1)

    def test_no_email_when_status_left_in_same_transaction(self):
        """A hold released in the same transaction emails nothing about the hold."""
        held = self.template.copy({"subject": "Order {{ object.name }} held"})
        self.env.ref("sale_fulfillment_status.status_on_hold").write(
            {"notify_customer": True, "mail_template_id": held.id}
        )
        order = self._create_order([(self.product, 1)])
        self._hold(order)
        self.assertEqual(order.fulfillment_status, "on_hold")
        order.with_user(self.fulfillment_user).action_fulfillment_release()
        self._commit_emails(order)
        self.assertIn("on_hold", order.fulfillment_history_ids.mapped("to_status"))
        self.assertTrue(self._status_mails(order))
        self.assertFalse(
            order.message_ids.filtered(lambda m: m.subject and "held" in m.subject)
        )

    def test_email_written_by_user_who_changed_status(self):
        """The sender writes the email as the user who made the change."""
        self.env.ref("sale_fulfillment_status.status_on_hold").write(
            {"notify_customer": True, "mail_template_id": self.template.id}
        )
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        self._hold(order)
        # the change is computed in the user's own request
        self.env(user=self.fulfillment_user).flush_all()
        self.assertEqual(
            order.fulfillment_history_ids.sorted("id")[-1].user_id,
            self.fulfillment_user,
        )
        self._commit_emails(order)
        mails = self._status_mails(order)
        self.assertEqual(len(mails), 2)
        self.assertEqual(
            mails.sorted("id")[-1].author_id, self.fulfillment_user.partner_id
        )


@tagged("post_install", "-at_install")
class TestSplitDeliveryEmails(FulfillmentCommon):
    """Each part of a split delivery tells the customer, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.fulfillment_transit_days = 2
        cls.status = cls.env.ref("sale_fulfillment_status.status_partially_shipped")
        cls.status.write({"notify_customer": True})
        cls.shipped = cls.env.ref("sale_fulfillment_status.status_shipped")
        cls.shipped.write({"notify_customer": True})

    def _mails(self, order, template):
        subject = template._render_field("subject", order.ids)[order.id]
        return order.message_ids.filtered(lambda m: m.subject == subject)

    def _ship(self, order, quantity, backorder=True):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        self._validate(picking, {self.product: quantity}, backorder=backorder)
        return picking

    def test_split_email_for_each_part_that_leaves_remainder(self):
        """Three parts: the first and second send the split delivery email,
        the last the shipped email; none is sent twice."""
        self._add_stock(self.product, 10)
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 6)])
            first = self._ship(order, 2)
            self.assertTrue(first.fulfillment_email_pending)
            self._commit_emails(order)
        split = self.status.mail_template_id
        self.assertEqual(len(self._mails(order, split)), 1)
        self.assertFalse(first.fulfillment_email_pending)
        with freeze_time(start + timedelta(hours=3)):
            self._ship(order, 2)
            self.assertEqual(order.fulfillment_status, "partially_shipped")
            self._commit_emails(order)
        self.assertEqual(len(self._mails(order, split)), 2)
        with freeze_time(start + timedelta(hours=5)):
            self._ship(order, 2)
            self._commit_emails(order)
            self._commit_emails(order)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(len(self._mails(order, split)), 2)
        self.assertEqual(len(self._mails(order, self.shipped.mail_template_id)), 1)
        self.assertFalse(order.picking_ids.filtered("fulfillment_email_pending"))

    def test_no_split_email_when_customer_switched_off(self):
        """A later part follows the customer's choice too."""
        self._add_stock(self.product, 10)
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 6)])
            self._ship(order, 2)
            self._commit_emails(order)
        self.customer.fulfillment_notify = False
        with freeze_time(start + timedelta(hours=3)):
            self._ship(order, 2)
            self._commit_emails(order)
        self.assertEqual(len(self._mails(order, self.status.mail_template_id)), 1)

    def test_no_split_email_when_status_emails_switched_off(self):
        """A shipment validated with status emails off (imports, scripts)
        waits for no email."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 6)])
        picking = order.picking_ids
        self._validate(picking.with_context(fulfillment_no_email=True))
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.fulfillment_email_pending)

    def test_no_status_email_when_goods_came_back(self):
        """A return reopens a shipped order (partially shipped, or received
        when everything came back): the customer gets no 'partially shipped'
        or 'received' email for goods they sent back themselves."""
        self._add_stock(self.product, 10)
        received = self.env.ref("sale_fulfillment_status.status_received")
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 3)])
            delivery = self._ship(order, 3)
            self._commit_emails(order)
        self.assertEqual(len(self._mails(order, received.mail_template_id)), 1)
        self.assertEqual(len(self._mails(order, self.shipped.mail_template_id)), 1)
        with freeze_time(start + timedelta(hours=3)):
            self._return(delivery, {self.product: 1})
            self.assertEqual(order.fulfillment_status, "partially_shipped")
            self._commit_emails(order)
        with freeze_time(start + timedelta(hours=4)):
            self._return(delivery, {self.product: 2})
            self.assertEqual(order.fulfillment_status, "received")
            self._commit_emails(order)
        self.assertEqual(
            [row.trigger for row in order.fulfillment_history_ids.sorted("id")[-2:]],
            ["returned", "returned"],
        )
        self.assertFalse(self._mails(order, self.status.mail_template_id))
        self.assertEqual(len(self._mails(order, received.mail_template_id)), 1)
        self.assertFalse(order.fulfillment_history_ids.filtered("email_pending"))

    def test_split_email_when_quantity_added_after_shipping(self):
        """More ordered once everything shipped reopens the order as partially
        shipped (the same transition as a return): the customer is told the
        rest follows."""
        self._add_stock(self.product, 10)
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 3)])
            self._ship(order, 3)
            self._commit_emails(order)
        with freeze_time(start + timedelta(hours=3)):
            order.order_line.product_uom_qty = 5
            self.assertRecordValues(
                order,
                [
                    {
                        "fulfillment_status": "partially_shipped",
                        "fulfillment_reason": "partially_shipped",
                    }
                ],
            )
            self._commit_emails(order)
        self.assertEqual(len(self._mails(order, self.status.mail_template_id)), 1)

    def test_no_split_email_for_return(self):
        """Goods coming back from the customer are no part of the delivery."""
        self._add_stock(self.product, 10)
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self._create_order([(self.product, 6)])
            delivery = self._ship(order, 4)
            self._commit_emails(order)
        with freeze_time(start + timedelta(hours=3)):
            returned = self._return(delivery, {self.product: 1})
            self.assertFalse(returned.fulfillment_email_pending)
            self._commit_emails(order)
        self.assertEqual(len(self._mails(order, self.status.mail_template_id)), 1)
