# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import FulfillmentCommon

REPORT = "sale_fulfillment_status.action_report_fulfillment_status_sheet"


@tagged("post_install", "-at_install")
class TestStatusSheet(HttpCase, FulfillmentCommon):
    """The one-page status sheet of an order, printed and on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 100)
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Buyer Tanaka", "parent_id": cls.customer.id, "email": "t@k.ex"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="sheet_buyer",
            groups="base.group_portal",
            partner_id=cls.buyer.id,
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Tokyo Tools"})

    def _split_order(self):
        order = self._create_order([(self.product, 10)])
        self._validate(order.picking_ids, {self.product: 4})
        shipped = order.picking_ids.filtered(lambda p: p.state == "done")
        shipped.fulfillment_tracking_ref = "JP-TRACK-4711"
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        return order

    def _sheet(self, order):
        content, _kind = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, order.ids
        )
        return html.fromstring(content)

    def _text(self, doc, css_class):
        return [
            " ".join(el.text_content().split())
            for el in doc.xpath(f"//*[contains(@class, '{css_class}')]")
        ]

    def test_flow_history_shipments_and_remainder_when_split(self):
        """The sheet shows the flow, current step, history, tracking and rest."""
        order = self._split_order()
        doc = self._sheet(order)
        self.assertEqual(self._text(doc, "o_sfs_current"), ["Partially Shipped"])
        self.assertEqual(self._text(doc, "o_sfs_flow"), ["Stock Item"])
        self.assertTrue(self._text(doc, "o_sfs_expected")[0])
        steps = doc.xpath("//td[contains(@class, 'o_sfs_step_current')]")
        self.assertEqual(len(steps), 1)
        self.assertIn("Partially Shipped", steps[0].text_content())
        history = [
            " ".join(row.xpath("td")[1].text_content().split())
            for row in doc.xpath("//table[contains(@class, 'o_sfs_history')]//tbody/tr")
        ]
        self.assertEqual(history, ["Preparing for Shipment", "Partially Shipped"])
        self.assertEqual(
            [row["label"] for row in order._fulfillment_customer_history()], history
        )
        tracking = self._text(doc, "o_sfs_tracking")
        self.assertIn("JP-TRACK-4711", " ".join(tracking))
        self.assertEqual(len(tracking), 2)  # the shipped part and the backorder
        self.assertEqual(self._text(doc, "o_sfs_remaining"), ["6.00"])

    def test_what_happens_next_when_nothing_planned_for_part(self):
        """The sheet says what the portal says comes next: the status'
        message while the rest follows, the declined remainder or the goods
        sent back instead when nothing is planned for them."""
        self.env.company.fulfillment_transit_days = 0
        split = self._split_order()
        declined = self._create_order([(self.product, 10)])
        self._validate(declined.picking_ids, {self.product: 4}, backorder=False)
        returned = self._create_order([(self.product, 3)])
        self._return(self._validate(returned.picking_ids), {self.product: 1})
        expected = (
            "Part of your order has shipped; the rest follows.",
            "Part of your order was shipped; the rest is not scheduled yet. We "
            "will contact you about the remaining quantities.",
            "The goods you sent back have reached us. We will contact you about "
            "a replacement or a refund.",
        )
        for order, text in zip(split | declined | returned, expected, strict=True):
            with self.subTest(reason=order.fulfillment_reason):
                self.assertEqual(
                    self._text(self._sheet(order), "o_sfs_what_next"), [text]
                )

    def test_internal_details_hidden_when_held_for_credit(self):
        """A credit hold reads 'Under Review'; no hold note, reason or user."""
        order = self._create_order([(self.product, 1)])
        self._hold(
            order,
            self.env.ref("sale_fulfillment_status.hold_reason_credit"),
            note="Credit limit exceeded by 2M JPY",
        )
        doc = self._sheet(order)
        text = doc.text_content()
        self.assertEqual(self._text(doc, "o_sfs_current"), ["Under Review"])
        history = [entry["label"] for entry in order._fulfillment_customer_history()]
        self.assertEqual(history[-1], "Under Review")
        self.assertNotIn("Credit limit exceeded", text)
        self.assertNotIn("Credit Check Failed", text)
        self.assertNotIn("On Hold", text)
        self.assertNotIn(self.fulfillment_user.name, text)

    def test_print_menu_offers_sheet_when_order_form_opened(self):
        """The sheet is bound to the order's Print menu."""
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "sale.order")
        self.assertEqual(report.binding_type, "report")

    def test_portal_download_when_customer_logged_in(self):
        """The customer downloads the sheet from the order page."""
        order = self._split_order()
        self.authenticate("sheet_buyer", "sheet_buyer")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        link = html.fromstring(page.text).xpath(
            "//a[contains(@class, 'o_fulfillment_sheet_link')]/@href"
        )
        self.assertEqual(len(link), 1)
        self.assertIn(f"/my/orders/{order.id}/fulfillment_sheet", link[0])
        self.assertIn("report_type=pdf", link[0])
        response = self.url_open(link[0])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        preview = self.url_open(
            f"/my/orders/{order.id}/fulfillment_sheet?report_type=html"
        )
        self.assertEqual(preview.status_code, 200)
        self.assertIn("JP-TRACK-4711", preview.text)
        self.assertIn("o_sfs_status_sheet", preview.text)

    def test_portal_download_when_token_given(self):
        """A token link opens the sheet without login, for that order only."""
        order = self._split_order()
        other = self._create_order([(self.product, 1)])
        token = order._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/orders/{order.id}/fulfillment_sheet"
            f"?access_token={token}&report_type=html"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        refused = self.url_open(
            f"/my/orders/{other.id}/fulfillment_sheet"
            f"?access_token={token}&report_type=html",
            allow_redirects=False,
        )
        self.assertNotEqual(refused.status_code, 200)
        self.assertNotIn(other.name, refused.text)

    def test_portal_refused_when_other_customer(self):
        """A portal user cannot download another customer's sheet."""
        order = self._create_order(
            [(self.product, 1)], partner_id=self.other_customer.id
        )
        self.authenticate("sheet_buyer", "sheet_buyer")
        response = self.url_open(
            f"/my/orders/{order.id}/fulfillment_sheet?report_type=html",
            allow_redirects=False,
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(order.name, response.text)
