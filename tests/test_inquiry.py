# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime

from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestInquiryLogging(FulfillmentCommon):
    """Staff log customer inquiries; each keeps the order's status then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 50)
        cls.salesman = new_test_user(
            cls.env, login="inquiry_sales", groups="sales_team.group_sale_salesman"
        )

    def _order(self, product, qty):
        """An order of the salesperson, who may read their own orders only."""
        return self._create_order([(product, qty)], user_id=self.salesman.id)

    def _log(self, order, kind="where_is_my_order", channel="phone", note=False):
        action = order.with_user(self.salesman).action_fulfillment_log_inquiry()
        self.assertEqual(action["res_model"], "sale.order.log.inquiry")
        with Form.from_action(self.env(user=self.salesman), action) as wizard:
            self.assertEqual(wizard.fulfillment_status, order.fulfillment_status)
            wizard.kind = kind
            wizard.channel = channel
            wizard.note = note
            record = wizard.save()
        record.action_confirm()
        return order.fulfillment_inquiry_ids.sorted("id")[-1:]

    def test_status_kept_when_inquiry_logged(self):
        """An inquiry keeps the status the order was in, also after it moves."""
        order = self._order(self.product, 2)
        self.assertEqual(order.fulfillment_status, "preparing")
        first = self._log(order, note="Asked when it leaves")
        self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        second = self._log(order, kind="documents", channel="mail")
        self.assertRecordValues(
            first | second,
            [
                {
                    "status_at_inquiry": "preparing",
                    "kind": "where_is_my_order",
                    "channel": "phone",
                    "flow": "stock",
                    "user_id": self.salesman.id,
                    "partner_id": self.customer.id,
                    "note": "Asked when it leaves",
                    "inquiry_count": 1,
                    "portal_view_count": 0,
                },
                {
                    "status_at_inquiry": "shipped",
                    "kind": "documents",
                    "channel": "mail",
                    "flow": "stock",
                    "user_id": self.salesman.id,
                    "partner_id": self.customer.id,
                    "note": False,
                    "inquiry_count": 1,
                    "portal_view_count": 0,
                },
            ],
        )

    def test_late_flag_kept_when_late_order_asked_about(self):
        """An inquiry on a late order says so."""
        order = self._order(self.product_2, 1)
        self.env.flush_all()
        order.fulfillment_is_late = True
        inquiry = self._log(order)
        self.assertTrue(inquiry.order_was_late)
        self.assertEqual(inquiry.status_at_inquiry, "received")

    def test_counts_per_status_and_month_when_reported(self):
        """The report counts inquiries per status and month, views apart."""
        order = self._create_order([(self.product, 1)])
        inquiries = self.env["sale.fulfillment.inquiry"].create(
            [
                {"order_id": order.id, "kind": "where_is_my_order"},
                {"order_id": order.id, "kind": "delivery_date", "channel": "mail"},
                {"order_id": order.id, "kind": "portal_view", "channel": "portal"},
            ]
        )
        self.env.cr.execute(
            SQL(
                "UPDATE sale_fulfillment_inquiry SET date = %s WHERE id = %s",
                datetime(2026, 1, 20, 10, 0),
                inquiries[0].id,
            )
        )
        inquiries.invalidate_recordset(["date"])
        rows = inquiries._read_group(
            [("id", "in", inquiries.ids)],
            ["status_at_inquiry", "date:month"],
            ["inquiry_count:sum", "portal_view_count:sum"],
        )
        by_month = {
            (status, month.strftime("%Y-%m")): (asked, viewed)
            for status, month, asked, viewed in rows
        }
        this_month = inquiries[1].date.strftime("%Y-%m")
        self.assertEqual(
            by_month,
            {("preparing", "2026-01"): (1, 0), ("preparing", this_month): (1, 1)},
        )


@tagged("post_install", "-at_install")
class TestPortalViewCounting(HttpCase, FulfillmentCommon):
    """Customers opening their order on the portal count beside inquiries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 50)
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Buyer Sato", "parent_id": cls.customer.id, "email": "s@k.ex"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="views_buyer",
            groups="base.group_portal",
            partner_id=cls.buyer.id,
        )
        cls.internal_user = new_test_user(
            cls.env,
            login="views_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Tokyo Tools"})

    def _views(self, order):
        return order.fulfillment_inquiry_ids.filtered(lambda i: i.kind == "portal_view")

    def test_view_counted_when_customer_opens_order(self):
        """A customer's view is counted once per session and day, with the
        status shown; a second session (another login) counts again."""
        order = self._create_order([(self.product, 2)])
        self.authenticate("views_buyer", "views_buyer")
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        self.assertEqual(len(self._views(order)), 1)
        self.authenticate("views_buyer", "views_buyer")
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        views = self._views(order)
        self.assertEqual(len(views), 2)
        self.assertEqual(set(views.mapped("status_at_inquiry")), {"preparing"})
        self.assertEqual(views.user_id, self.portal_user)
        self.assertEqual(set(views.mapped("channel")), {"portal"})
        self.assertEqual(views.partner_id, self.customer)
        self.assertEqual(sum(views.mapped("inquiry_count")), 0)

    def test_view_counted_when_token_link_opened(self):
        """A visitor with the order's link counts too, without a user."""
        order = self._create_order([(self.product, 1)])
        token = order._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f"/my/orders/{order.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        views = self._views(order)
        self.assertEqual(len(views), 1)
        self.assertFalse(views.user_id)

    def test_not_counted_when_internal_user_previews(self):
        """A salesperson previewing the portal page is not a customer view."""
        order = self._create_order([(self.product, 1)])
        self.authenticate("views_sales", "views_sales")
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        self.assertFalse(self._views(order))

    def test_not_counted_when_access_refused(self):
        """A refused visit counts nothing."""
        order = self._create_order(
            [(self.product, 1)], partner_id=self.other_customer.id
        )
        self.authenticate("views_buyer", "views_buyer")
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self._views(order))

    def test_not_counted_when_pdf_downloaded(self):
        """Downloading the order's PDF is not a page view."""
        order = self._create_order([(self.product, 1)])
        self.authenticate("views_buyer", "views_buyer")
        response = self.url_open(f"/my/orders/{order.id}?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._views(order))
