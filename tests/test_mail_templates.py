# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime
from unittest.mock import patch

from lxml import html

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import FulfillmentCommon

NOON_DEC_1 = datetime(2026, 12, 1, 12, 0)
NOON_DEC_5 = datetime(2026, 12, 5, 12, 0)
NOON_DEC_8 = datetime(2026, 12, 8, 12, 0)


@tagged("post_install", "-at_install")
class TestMailTemplates(FulfillmentCommon):
    """The customer emails of each status: content, language and recipients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.env["ir.module.module"]._load_module_terms(
            ["sale_fulfillment_status"], ["ja_JP"], overwrite=True
        )
        cls.customer.is_company = True
        cls.customer_ja = cls.env["res.partner"].create(
            {
                "name": "大阪精機株式会社",
                "email": "order@osaka-seiki.example.com",
                "is_company": True,
                "lang": "ja_JP",
            }
        )
        purchasing = cls.env.ref("sale_fulfillment_status.contact_role_purchasing")
        receiving = cls.env.ref("sale_fulfillment_status.contact_role_receiving")
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Purchasing Desk",
                "email": "purchasing@kansai.example.com",
                "parent_id": cls.customer.id,
                "fulfillment_role_ids": [Command.link(purchasing.id)],
            }
        )
        cls.receiving_desk = cls.env["res.partner"].create(
            {
                "name": "Receiving Desk",
                "email": "receiving@kansai.example.com",
                "parent_id": cls.customer.id,
                "fulfillment_role_ids": [Command.link(receiving.id)],
            }
        )
        cls.mt_comment = cls.env.ref("mail.mt_comment")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _template(self, name):
        return self.env.ref(f"sale_fulfillment_status.mail_template_fulfillment_{name}")

    def _notify(self, order, name):
        """Post the template ``name`` on ``order`` as the status change would.

        The automatic status emails pending for the commit go out first (the
        savepoint of the posting would send them anyway), so that the new
        customer message is this template's.
        """
        self._commit_emails(order)
        before = order.message_ids
        self.assertEqual(
            order._fulfillment_notify_customer(self._template(name)), order
        )
        message = (order.message_ids - before).filtered(
            lambda m: m.subtype_id == self.mt_comment
        )
        self.assertEqual(len(message), 1)
        return message

    def _customer_emails(self, order, subject_part):
        return order.message_ids.filtered(
            lambda m: m.subtype_id == self.mt_comment
            and subject_part in (m.subject or "")
        )

    def _text(self, message):
        """The body as text, whitespace collapsed."""
        return " ".join(html.fromstring(str(message.body)).text_content().split())

    def _row(self, message, label):
        """The text of the cells of the table row whose first cell is ``label``."""
        for row in html.fromstring(str(message.body)).iter("tr"):
            cells = [" ".join(td.text_content().split()) for td in row.iter("td")]
            if cells and cells[0] == label:
                return cells[1:]
        self.fail(f"No row {label!r} in the email")

    def _split_order(self, partner=None):
        """10 brackets ordered, 4 shipped; the rest is planned for December 5."""
        self._add_stock(self.product, 4)
        order = self._create_order(
            [(self.product, 10)], partner_id=(partner or self.customer).id
        )
        self._validate(self._outgoing(order), {self.product: 4})
        self._outgoing(order).scheduled_date = NOON_DEC_5
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        return order

    def _shipped_order(self, partner=None):
        """5 brackets shipped on December 1 with tracking number YMT-4455."""
        self._add_stock(self.product, 5)
        order = self._create_order(
            [(self.product, 5)], partner_id=(partner or self.customer).id
        )
        picking = self._outgoing(order)
        picking.fulfillment_tracking_ref = "YMT-4455"
        with freeze_time(NOON_DEC_1):
            self._validate(picking)
        self.assertEqual(order.fulfillment_status, "shipped")
        return order

    def _delayed_order(self, partner=None):
        """Promised for December 1, now expected December 8."""
        self._add_stock(self.product, 5)
        order = self._create_order(
            [(self.product, 5)],
            partner_id=(partner or self.customer).id,
            commitment_date=NOON_DEC_1,
        )
        order.picking_ids.scheduled_date = NOON_DEC_8
        # the scan notes the status the order was delayed in
        order.sudo().fulfillment_delay_status = "arranging"
        return order

    def _fake_carrier(self):
        """A carrier with a tracking page (the Delivery app is not installed)."""

        def compute(pickings):
            for picking in pickings:
                ref = picking.fulfillment_tracking_ref
                picking.fulfillment_carrier_name = "Yamato Transport"
                picking.fulfillment_tracking_url = (
                    f"https://track.example.com/?no={ref}" if ref else False
                )

        return patch.object(
            self.registry["stock.picking"], "_compute_fulfillment_carrier", compute
        )

    # ------------------------------------------------------------------
    # Setup of the statuses
    # ------------------------------------------------------------------

    def test_statuses_use_templates_and_roles_when_installed(self):
        """Each notifying status names its template and the roles it also emails."""
        ref = self.env.ref
        purchasing = ref("sale_fulfillment_status.contact_role_purchasing")
        receiving = ref("sale_fulfillment_status.contact_role_receiving")
        expected = {
            "received": ("received", purchasing),
            "partially_shipped": ("partially_shipped", receiving),
            "shipped": ("shipped", receiving),
            "on_hold": ("on_hold", purchasing),
            "cancelled": ("cancelled", purchasing),
        }
        for code, (name, role) in expected.items():
            status = ref(f"sale_fulfillment_status.status_{code}")
            self.assertRecordValues(
                status,
                [
                    {
                        "notify_customer": True,
                        "mail_template_id": self._template(name).id,
                        "notify_role_ids": role.ids,
                    }
                ],
            )

    # ------------------------------------------------------------------
    # Received
    # ------------------------------------------------------------------

    def test_received_email_lists_lines_and_date_when_english(self):
        """The received email lists each line and the expected shipping date."""
        order = self._create_order([(self.product, 3), (self.product_2, 12)])
        order.picking_ids.scheduled_date = NOON_DEC_1
        message = self._notify(order, "received")
        self.assertEqual(
            message.subject,
            f"{order.company_id.name}: Order Received ({order.name})",
        )
        self.assertIn("We have received it", self._text(message))
        self.assertEqual(self._row(message, "Steel Bracket"), ["3.00 Units"])
        self.assertEqual(self._row(message, "Hex Bolt M8"), ["12.00 Units"])
        self.assertEqual(self._row(message, "Expected Shipping Date"), ["12/01/2026"])

    def test_received_email_shows_customer_reference_when_set(self):
        """The customer's PO number is in the subject and the body."""
        order = self._create_order([(self.product, 3)], client_order_ref="PO-4711")
        message = self._notify(order, "received")
        self.assertEqual(
            message.subject,
            f"{order.company_id.name}: Order Received ({order.name}, Your Ref. "
            "PO-4711)",
        )
        self.assertEqual(self._row(message, "Your Reference"), ["PO-4711"])

    def test_received_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the received email in Japanese."""
        order = self._create_order([(self.product, 3)], partner_id=self.customer_ja.id)
        order.picking_ids.scheduled_date = NOON_DEC_1
        message = self._notify(order, "received")
        text = self._text(message)
        self.assertIn("ご注文受付のお知らせ", message.subject)
        self.assertIn("ご注文を承りました", text)
        self.assertIn("大阪精機株式会社 様", text)
        self.assertNotIn("Thank you for your order", text)
        self.assertEqual(self._row(message, "出荷予定日"), ["2026/12/01"])

    # ------------------------------------------------------------------
    # Shipped
    # ------------------------------------------------------------------

    def test_shipped_email_gives_tracking_when_tracking_number_set(self):
        """The shipped email gives the carrier, tracking number, link and arrival."""
        order = self._shipped_order()
        with self._fake_carrier():
            message = self._notify(order, "shipped")
        self.assertEqual(
            message.subject, f"{order.company_id.name}: Order Shipped ({order.name})"
        )
        self.assertEqual(self._row(message, "Carrier"), ["Yamato Transport"])
        self.assertEqual(self._row(message, "Tracking Number"), ["YMT-4455"])
        self.assertEqual(self._row(message, "Shipped On"), ["12/01/2026"])
        self.assertEqual(self._row(message, "Expected Arrival"), ["12/02/2026"])
        links = html.fromstring(str(message.body)).xpath("//a/@href")
        self.assertIn("https://track.example.com/?no=YMT-4455", links)

    def test_shipped_email_says_tracking_pending_when_no_tracking_number(self):
        """Without a tracking number the email says so instead of a blank."""
        order = self._shipped_order()
        order.picking_ids.fulfillment_tracking_ref = False
        message = self._notify(order, "shipped")
        self.assertEqual(self._row(message, "Tracking Number"), ["Not available yet"])
        self.assertFalse(html.fromstring(str(message.body)).xpath("//a/@href"))

    def test_shipped_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the shipped email in Japanese, tracking kept."""
        order = self._shipped_order(self.customer_ja)
        with self._fake_carrier():
            message = self._notify(order, "shipped")
        text = self._text(message)
        self.assertIn("出荷のお知らせ", message.subject)
        self.assertIn("すべて出荷いたしました", text)
        self.assertNotIn("have shipped", text)
        self.assertEqual(self._row(message, "追跡番号"), ["YMT-4455"])
        self.assertEqual(self._row(message, "お届け予定日"), ["2026/12/02"])
        links = html.fromstring(str(message.body)).xpath("//a/@href")
        self.assertIn("https://track.example.com/?no=YMT-4455", links)

    # ------------------------------------------------------------------
    # Partially shipped
    # ------------------------------------------------------------------

    def test_partially_shipped_email_gives_remaining_when_split(self):
        """The split email gives ordered, shipped and remaining quantities per line."""
        order = self._split_order()
        message = self._notify(order, "partially_shipped")
        self.assertEqual(
            self._row(message, "Steel Bracket"),
            ["10.00 Units", "4.00 Units", "6.00 Units"],
        )
        self.assertEqual(
            self._row(message, "Remaining Goods Expected to Ship"), ["12/05/2026"]
        )

    def test_partially_shipped_email_lists_shipment_when_split(self):
        """The split email lists the shipment that left, with its number."""
        order = self._split_order()
        shipped = order.picking_ids.filtered(lambda p: p.state == "done")
        message = self._notify(order, "partially_shipped")
        self.assertEqual(self._row(message, "Shipment"), [shipped.name])

    def test_partially_shipped_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the split email in Japanese, quantities kept."""
        order = self._split_order(self.customer_ja)
        message = self._notify(order, "partially_shipped")
        text = self._text(message)
        self.assertIn("一部出荷のお知らせ", message.subject)
        self.assertIn("一部を出荷いたしました", text)
        self.assertNotIn("Part of your order", text)
        self.assertEqual(self._row(message, "残りの商品の出荷予定日"), ["2026/12/05"])
        cells = self._row(message, "Steel Bracket")
        self.assertEqual([cell.split()[0] for cell in cells], ["10.00", "4.00", "6.00"])

    def test_partially_shipped_email_says_not_scheduled_when_remainder_declined(self):
        """A declined remainder is not announced as following: the email says
        it is not scheduled yet, with no date and no promise of a next email,
        in the customer's language."""
        for partner, not_scheduled, left_out in (
            (
                self.customer,
                "The rest is not scheduled yet",
                ("will follow", "Remaining Goods Expected to Ship", "email you again"),
            ),
            (
                self.customer_ja,
                "出荷日程は未定",
                ("あらためて出荷", "残りの商品の出荷予定日", "あらためてメール"),
            ),
        ):
            with self.subTest(lang=partner.lang):
                self._add_stock(self.product, 4)
                order = self._create_order([(self.product, 10)], partner_id=partner.id)
                self._validate(
                    self._outgoing(order), {self.product: 4}, backorder=False
                )
                self.assertEqual(order.fulfillment_reason, "backorder_cancelled")
                text = self._text(self._notify(order, "partially_shipped"))
                self.assertIn(not_scheduled, text)
                for phrase in left_out:
                    self.assertNotIn(phrase, text)

    # ------------------------------------------------------------------
    # Delay
    # ------------------------------------------------------------------

    def test_delay_email_gives_both_dates_and_reason_when_delayed(self):
        """The delay email gives the date told, the new date and the reason."""
        order = self._delayed_order()
        self.assertTrue(order.fulfillment_is_delayed)
        message = self._notify(order, "delay")
        self.assertEqual(
            message.subject,
            f"{order.company_id.name}: Revised Delivery Schedule ({order.name})",
        )
        self.assertEqual(self._row(message, "Previously Advised Date"), ["12/01/2026"])
        self.assertEqual(self._row(message, "New Expected Date"), ["12/08/2026"])
        self.assertEqual(
            self._row(message, "Reason"), ["The goods arrive from our supplier later."]
        )

    def test_delay_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the delay email in Japanese, dates kept."""
        order = self._delayed_order(self.customer_ja)
        message = self._notify(order, "delay")
        text = self._text(message)
        self.assertIn("納期変更のお知らせ", message.subject)
        self.assertIn("深くお詫び申し上げます", text)
        self.assertNotIn("We regret", text)
        self.assertEqual(self._row(message, "当初のご案内日"), ["2026/12/01"])
        self.assertEqual(self._row(message, "変更後の予定日"), ["2026/12/08"])

    # ------------------------------------------------------------------
    # On hold
    # ------------------------------------------------------------------

    def test_on_hold_email_says_what_is_needed_when_held(self):
        """The hold email gives the hold reason's customer message and the note."""
        order = self._create_order([(self.product, 2)])
        self._hold(order, note="Please confirm the delivery address of the new site.")
        message = self._notify(order, "on_hold")
        self.assertEqual(
            self._row(message, "Next Steps"), [self.hold_reason.customer_message]
        )
        self.assertEqual(
            self._row(message, "Details"),
            ["Please confirm the delivery address of the new site."],
        )
        on_hold = self.env.ref("sale_fulfillment_status.status_on_hold")
        self.assertEqual(self._row(message, "Status"), [on_hold.customer_label])

    def test_on_hold_email_hides_note_when_reason_shown_as_other_status(self):
        """A credit hold shows customers the checking status, and no internal note."""
        credit = self.env.ref("sale_fulfillment_status.hold_reason_credit")
        order = self._create_order([(self.product, 2)])
        self._hold(order, reason=credit, note="Credit limit exceeded by 2M JPY.")
        message = self._notify(order, "on_hold")
        checking = self.env.ref("sale_fulfillment_status.status_checking")
        self.assertEqual(self._row(message, "Status"), [checking.customer_label])
        self.assertNotIn("Credit limit", self._text(message))

    def test_on_hold_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the hold email in Japanese, the note kept."""
        order = self._create_order([(self.product, 2)], partner_id=self.customer_ja.id)
        self._hold(order, note="新しい納品先の住所をご確認ください。")
        message = self._notify(order, "on_hold")
        text = self._text(message)
        self.assertIn("ご注文状況のお知らせ", message.subject)
        self.assertIn("ご注文の状況についてご連絡いたします", text)
        self.assertNotIn("We would like to update you", text)
        self.assertEqual(
            self._row(message, "詳細"), ["新しい納品先の住所をご確認ください。"]
        )

    # ------------------------------------------------------------------
    # Cancelled
    # ------------------------------------------------------------------

    def test_cancelled_email_lists_cancelled_lines_when_cancelled(self):
        """The cancellation email confirms the cancellation and lists the lines."""
        order = self._create_order([(self.product, 7)])
        order.action_cancel()
        message = self._notify(order, "cancelled")
        self.assertEqual(
            message.subject, f"{order.company_id.name}: Order Cancelled ({order.name})"
        )
        self.assertIn("has been cancelled", self._text(message))
        self.assertEqual(self._row(message, "Steel Bracket"), ["7.00 Units"])

    def test_cancelled_email_gives_shipped_and_cancelled_when_part_shipped(self):
        """An order cancelled after part of it shipped: the email gives what
        shipped and what is cancelled (not the whole quantity), in the
        customer's language."""
        for partner, product_header, headers in (
            (self.customer, "Cancelled Product", ["Shipped", "Cancelled"]),
            (self.customer_ja, "キャンセルとなった商品", ["出荷済数", "キャンセル数"]),
        ):
            with self.subTest(lang=partner.lang):
                self._add_stock(self.product, 4)
                order = self._create_order([(self.product, 10)], partner_id=partner.id)
                self._validate(self._outgoing(order), {self.product: 4})
                order.with_context(disable_cancel_warning=True).action_cancel()
                self.assertEqual(order.fulfillment_status, "cancelled")
                message = self._notify(order, "cancelled")
                self.assertEqual(self._row(message, product_header), headers)
                cells = self._row(message, "Steel Bracket")
                self.assertEqual([cell.split()[0] for cell in cells], ["4.00", "6.00"])

    def test_cancelled_email_in_japanese_when_customer_japanese(self):
        """A Japanese customer gets the cancellation email in Japanese."""
        order = self._create_order([(self.product, 7)], partner_id=self.customer_ja.id)
        order.action_cancel()
        message = self._notify(order, "cancelled")
        text = self._text(message)
        self.assertIn("ご注文キャンセルのお知らせ", message.subject)
        self.assertIn("キャンセルとなりました", text)
        self.assertNotIn("has been cancelled", text)

    # ------------------------------------------------------------------
    # Automatic sending and recipients
    # ------------------------------------------------------------------

    def test_shipped_email_in_chatter_when_delivery_validated(self):
        """Validating the delivery posts the shipped email in the chatter."""
        order = self._shipped_order()
        self._commit_emails(order)
        message = self._customer_emails(order, "Order Shipped")
        self.assertEqual(len(message), 1)
        self.assertEqual(self._row(message, "Tracking Number"), ["YMT-4455"])

    def test_shipped_email_to_contact_and_receiving_when_delivery_validated(self):
        """The shipped email goes to the contact and the receiving contacts only."""
        order = self._shipped_order()
        self._commit_emails(order)
        message = self._customer_emails(order, "Order Shipped")
        self.assertEqual(message.partner_ids, self.customer | self.receiving_desk)

    def test_received_email_to_contact_and_purchasing_when_order_confirmed(self):
        """The received email goes to the contact and the purchasing contacts only."""
        order = self._create_order([(self.product, 1)])
        self._commit_emails(order)
        message = self._customer_emails(order, "Order Received")
        self.assertEqual(message.partner_ids, self.customer | self.buyer)

    def test_split_email_in_chatter_when_part_of_delivery_validated(self):
        """Validating part of the delivery posts the split email, not the shipped."""
        order = self._split_order()
        self._commit_emails(order)
        self.assertEqual(
            len(self._customer_emails(order, "Order Partially Shipped")), 1
        )
        self.assertFalse(self._customer_emails(order, "Order Shipped"))

    def test_no_status_email_when_customer_switched_off(self):
        """A customer who switched status emails off gets none of them."""
        self.customer.fulfillment_notify = False
        order = self._shipped_order()
        self._commit_emails(order)
        self.assertFalse(
            order.message_ids.filtered(lambda m: m.subtype_id == self.mt_comment)
        )
