# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase, FulfillmentCommon):
    """What a business customer reads on the portal, and what they never see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Buyer Tanaka",
                "parent_id": cls.customer.id,
                "email": "t@k.example",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="kansai_buyer",
            groups="base.group_portal",
            partner_id=cls.buyer.id,
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Tokyo Tools"})
        cls._add_stock(cls.product, 100)

    def _split_order(self):
        order = self._create_order([(self.product, 10)])
        self._validate(order.picking_ids, {self.product: 4})
        shipped = order.picking_ids.filtered(lambda p: p.state == "done")
        shipped.fulfillment_tracking_ref = "JP-TRACK-4711"
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        return order

    @staticmethod
    def _evening_in_ten_days():
        """20:00 UTC ten days ahead, the next morning in Tokyo: (the
        datetime, its UTC day and its Tokyo day as the portal writes days).
        Far from today, so that no other date of the page (the order's, the
        shipment's, both today) reads as either day."""
        day = fields.Date.today() + timedelta(days=10)
        return (
            datetime.combine(day, time(20, 0)),
            day.strftime("%m/%d/%Y"),
            (day + timedelta(days=1)).strftime("%m/%d/%Y"),
        )

    def test_list_shows_customer_label_when_logged_in(self):
        """My orders lists the customer label and the expected date."""
        order = self._split_order()
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open("/my/orders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        self.assertIn("o_fulfillment_status_badge", response.text)
        self.assertIn(order.fulfillment_customer_label, response.text)

    def test_list_shows_catalog_status_instead_of_odoo_shipping_status(self):
        """The list has one status column, the catalog's: Odoo's own
        "Shipping Status" column (its badges in another vocabulary, a red
        "Not Available" on orders without goods) is not shown next to it."""
        order = self._split_order()
        self.authenticate("kansai_buyer", "kansai_buyer")
        text = self.url_open("/my/orders").text
        self.assertIn(order.name, text)
        self.assertIn('<th name="fulfillment_status">', text)
        self.assertIn('<td name="fulfillment_status">', text)
        self.assertNotIn('name="order_delivery"', text)
        self.assertNotIn('name="order_delivery_status"', text)
        self.assertNotIn("Partially Delivered", text)

    def test_badge_values_follow_change_still_to_compute(self):
        """The badges read the orders' values from the ORM's cache, their
        pending computations done first: an order held in the same
        transaction shows on hold, not its status before."""
        order = self._split_order()
        other = self._create_order([(self.product, 2)])
        orders = (order | other).with_env(self.env)
        self.env.invalidate_all()
        expected = [
            (
                record.id,
                record.fulfillment_status,
                record.fulfillment_customer_status_id.id,
                record.fulfillment_expected_date,
            )
            for record in orders
        ]
        self.env.invalidate_all()
        self.assertEqual(orders._fulfillment_badge_values(), expected)
        self.assertEqual(orders[:0]._fulfillment_badge_values(), [])
        # a write marks the status to compute, without flushing it
        other.fulfillment_hold_reason_id = self.hold_reason
        self.assertTrue(
            self.env.records_to_compute(order._fields["fulfillment_status"])
        )
        values = {
            order_id: status
            for order_id, status, _customer, _day in orders._fulfillment_badge_values()
        }
        self.assertEqual(values, {order.id: "partially_shipped", other.id: "on_hold"})

    def test_list_shows_orders_of_every_company_contact(self):
        """The list shows the orders of the whole customer company: other
        contacts, their own contacts, archived ones; not other customers'."""
        colleague = self.env["res.partner"].create(
            {"name": "Buyer Sato", "parent_id": self.customer.id}
        )
        site = self.env["res.partner"].create(
            {"name": "Sato Site", "parent_id": colleague.id, "type": "delivery"}
        )
        gone = self.env["res.partner"].create(
            {"name": "Buyer Ito", "parent_id": self.customer.id}
        )
        orders = [
            self._create_order([(self.product, 1)], partner_id=partner.id)
            for partner in (colleague, site, gone)
        ]
        gone.active = False
        other = self._create_order(
            [(self.product, 1)], partner_id=self.other_customer.id
        )
        self._hold(orders[1])
        self.authenticate("kansai_buyer", "kansai_buyer")
        text = self.url_open("/my/orders").text
        for order in orders:
            self.assertIn(order.name, text)
        self.assertNotIn(other.name, text)
        self.assertRegex(
            text, r"o_fulfillment_action_needed[^>]*>\s*<i[^>]*></i>\s*1\s"
        )

    def test_list_sorted_by_expected_date_when_asked(self):
        """The list offers sorting by the next expected date, soonest first:
        the older order whose goods come sooner comes first then."""
        older = self._split_order()
        newer = self._split_order()
        newer.date_order = older.date_order + timedelta(hours=1)
        for order, day in (
            (older, "2026-12-03 01:00:00"),
            (newer, "2026-12-20 01:00:00"),
        ):
            order.picking_ids.filtered(lambda p: p.state != "done").scheduled_date = day
        self.assertLess(
            older.fulfillment_expected_date, newer.fulfillment_expected_date
        )
        self.authenticate("kansai_buyer", "kansai_buyer")
        default = self.url_open("/my/orders").text
        self.assertIn("/my/orders?sortby=expected", default)
        # Odoo's default: the newest order first
        self.assertLess(default.index(newer.name), default.index(older.name))
        text = self.url_open("/my/orders?sortby=expected").text
        self.assertLess(text.index(older.name), text.index(newer.name))

    def test_list_shows_expected_day_in_customer_timezone(self):
        """The list shows the next shipment's day in the customer's time zone
        and the badge of the status customers see."""
        order = self._split_order()
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        scheduled, utc_day, tokyo_day = self._evening_in_ten_days()
        backorder.scheduled_date = scheduled
        self.assertEqual(order.fulfillment_expected_date, scheduled)
        self.portal_user.tz = "Asia/Tokyo"
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open("/my/orders")
        row = re.search(
            rf"<tr>(?:(?!</tr>).)*{order.name}(?:(?!</tr>).)*</tr>",
            response.text,
            re.DOTALL,
        ).group(0)
        self.assertRegex(
            row,
            r'class="badge rounded-pill o_fulfillment_status_badge text-bg-info"'
            r'\s+data-status="partially_shipped">Partially Shipped<',
        )
        expected = re.search(
            r'<td name="fulfillment_expected"[^>]*>(.*?)</td>', row, re.DOTALL
        ).group(1)
        self.assertIn(tokyo_day, expected)
        self.assertNotIn(utc_day, expected)

    def test_list_shows_new_label_when_label_or_translation_changed(self):
        """The labels the portal caches per worker follow an edit of the
        label and of its translation at once."""
        order = self._split_order()
        status = order.fulfillment_customer_status_id
        self.authenticate("kansai_buyer", "kansai_buyer")
        self.assertIn("Partially Shipped", self.url_open("/my/orders").text)
        status.customer_label = "Partly on Its Way"
        self.assertIn("Partly on Its Way", self.url_open("/my/orders").text)
        status.update_field_translations("customer_label", {"en_US": "Sent in Part"})
        text = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("Sent in Part", text)
        self.assertNotIn("Partly on Its Way", text)

    def test_list_escapes_label_when_label_holds_markup(self):
        """A customer label typed with markup characters is shown as text on
        the order list and the order page, never as markup."""
        order = self._split_order()
        order.fulfillment_customer_status_id.customer_label = "Sent <b>& split"
        self.authenticate("kansai_buyer", "kansai_buyer")
        for url in ("/my/orders", f"/my/orders/{order.id}"):
            text = self.url_open(url).text
            self.assertIn(
                'data-status="partially_shipped">Sent &lt;b&gt;&amp; split<', text
            )
            self.assertNotIn("Sent <b>", text)

    def test_order_page_shows_remaining_and_tracking_when_split(self):
        """The order page shows the tracker, remaining quantities and tracking."""
        order = self._split_order()
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_fulfillment_tracker", response.text)
        self.assertIn("o_fulfillment_step_current", response.text)
        self.assertIn("JP-TRACK-4711", response.text)
        self.assertRegex(
            response.text, r"o_fulfillment_remaining\">\s*<span[^>]*>6\.00"
        )

    def test_order_page_says_what_comes_next_when_nothing_planned(self):
        """A split delivery says the rest follows; a declined remainder and
        goods sent back say instead that nothing is scheduled for them."""
        self.env.company.fulfillment_transit_days = 0
        split = self._split_order()
        declined = self._create_order([(self.product, 10)])
        self._validate(declined.picking_ids, {self.product: 4}, backorder=False)
        returned = self._create_order([(self.product, 3)])
        delivery = self._validate(returned.picking_ids)
        self._return(delivery, {self.product: 1})
        self.assertRecordValues(
            split | declined | returned,
            [
                {"fulfillment_reason": "partially_shipped"},
                {"fulfillment_reason": "backorder_cancelled"},
                {"fulfillment_reason": "returned"},
            ],
        )
        self.authenticate("kansai_buyer", "kansai_buyer")
        notices = (
            "o_fulfillment_next",
            "o_fulfillment_unplanned_backorder_cancelled",
            "o_fulfillment_unplanned_returned",
        )
        for order, shown in zip(split | declined | returned, notices, strict=True):
            with self.subTest(reason=order.fulfillment_reason):
                text = self.url_open(f"/my/orders/{order.id}").text
                for notice in notices:
                    self.assertEqual(notice in text, notice == shown, notice)

    def test_days_read_as_format_date_writes_them_in_each_language(self):
        """The portal's days read as Odoo's format_date writes them, in the
        reader's language and time zone: with the language's own format,
        also one naming days and months."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["res.lang"]._lang_get("en_US").date_format = "%A %d %B %Y"
        tokyo = pytz.timezone("Asia/Tokyo")
        scheduled = self._evening_in_ten_days()[0]
        moments = [scheduled + timedelta(days=shift) for shift in range(3)]
        for lang in ("en_US", "ja_JP"):
            env = self.env(context={"lang": lang, "tz": "Asia/Tokyo"})
            format_day = env["sale.order"]._fulfillment_day_formatter()
            expected = [
                format_date(env, pytz.utc.localize(moment).astimezone(tokyo).date())
                for moment in moments
            ]
            with self.subTest(lang=lang):
                self.assertEqual([format_day(moment) for moment in moments], expected)
                self.assertEqual(format_day(False), "")
        self.assertRegex(expected[0], r"^\d{4}/\d{2}/\d{2}$")
        english = self.env(context={"lang": "en_US", "tz": "Asia/Tokyo"})
        self.assertIn(
            (scheduled + timedelta(days=1)).strftime("%B"),
            english["sale.order"]._fulfillment_day_formatter()(scheduled),
        )

    def test_order_page_formats_quantities_and_days_for_reader(self):
        """The quantities read as the fields' widgets write them (the unit's
        digits, the unit's name), the days of the tracker and of the
        shipments in the customer's time zone."""
        order = self._split_order()
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        scheduled, utc_day, tokyo_day = self._evening_in_ten_days()
        backorder.scheduled_date = scheduled
        self.portal_user.tz = "Asia/Tokyo"
        self.authenticate("kansai_buyer", "kansai_buyer")
        text = self.url_open(f"/my/orders/{order.id}").text
        row = re.search(
            r'<tr class="o_fulfillment_line">(?:(?!</tr>).)*</tr>', text, re.DOTALL
        ).group(0)
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        self.assertEqual(
            cells,
            [
                order.order_line.name.split("\n")[0],
                f"10.00 {self.product.uom_id.name}",
                "4.00",
                "6.00",
                tokyo_day,
            ],
        )
        planned = re.search(
            rf'<tr class="o_fulfillment_shipment">(?:(?!</tr>).)*{backorder.name}'
            r"(?:(?!</tr>).)*</tr>",
            text,
            re.DOTALL,
        ).group(0)
        self.assertIn(tokyo_day, planned)
        self.assertNotIn(utc_day, planned)
        shipped_day = (
            pytz.utc.localize(order.fulfillment_status_date)
            .astimezone(pytz.timezone("Asia/Tokyo"))
            .strftime("%m/%d/%Y")
        )
        tracker = re.search(
            r"<ol[^>]*o_fulfillment_tracker.*?</ol>", text, re.DOTALL
        ).group(0)
        self.assertIn(shipped_day, tracker)

    def test_internal_names_hidden_when_credit_hold(self):
        """A credit hold reads 'Under Review' on the portal, never the hold."""
        order = self._create_order([(self.product, 1)])
        self._hold(
            order,
            self.env.ref("sale_fulfillment_status.hold_reason_credit"),
            note="Credit limit exceeded by 2M JPY",
        )
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Under Review", response.text)
        self.assertNotIn("Credit limit exceeded", response.text)
        self.assertNotIn("Credit Check Failed", response.text)

    def test_other_customer_order_refused_when_logged_in(self):
        """A portal user cannot open another customer's order."""
        order = self._create_order(
            [(self.product, 1)], partner_id=self.other_customer.id
        )
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(order.name, self.url_open("/my/orders").text)

    def test_token_link_works_when_not_logged_in(self):
        """A link with the order's token works without login, only for that order."""
        order = self._split_order()
        other = self._create_order([(self.product, 1)])
        token = order._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f"/my/orders/{order.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_fulfillment_tracker", response.text)
        refused = self.url_open(
            f"/my/orders/{other.id}?access_token={token}", allow_redirects=False
        )
        self.assertNotEqual(refused.status_code, 200)

    def test_filter_on_hold_when_action_needed(self):
        """Orders waiting for the customer are counted and filterable."""
        held = self._create_order([(self.product, 1)])
        self._hold(held)
        open_order = self._create_order([(self.product, 1)])
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open("/my/orders?filterby=on_hold")
        self.assertIn(held.name, response.text)
        self.assertNotIn(open_order.name, response.text)
        self.assertIn("o_fulfillment_action_needed", response.text)

    def test_action_count_follows_recoded_hold_reason(self):
        """The reasons waiting for the customer are read once per worker:
        recoding one is seen by the next request, archived ones still count."""
        held = self._create_order([(self.product, 1)])
        self._hold(held)
        self.assertEqual(self.hold_reason.code, "missing_info")
        self.authenticate("kansai_buyer", "kansai_buyer")
        self.assertIn("o_fulfillment_action_needed", self.url_open("/my/orders").text)
        self.hold_reason.active = False
        self.assertIn("o_fulfillment_action_needed", self.url_open("/my/orders").text)
        self.hold_reason.code = "missing_docs"
        self.assertNotIn(
            "o_fulfillment_action_needed", self.url_open("/my/orders").text
        )

    def test_tracker_marks_skipped_steps_when_order_moved_on(self):
        """Steps behind the current one read as passed, reached ones dated."""
        order = self._split_order()
        steps = order._fulfillment_portal_steps()
        states = [step["state"] for step in steps]
        self.assertEqual(states, ["done", "done", "current", "todo", "todo"])
        labels = [step["label"] for step in steps]
        self.assertEqual(labels[2], "Partially Shipped")
        self.assertFalse(steps[0]["date"])
        self.assertTrue(steps[1]["date"])

    def test_tracker_shows_customer_label_when_held_for_credit(self):
        """A credit hold appears as the customer-facing step, not 'On Hold'."""
        order = self._create_order([(self.product, 1)])
        self._hold(order, self.env.ref("sale_fulfillment_status.hold_reason_credit"))
        steps = order._fulfillment_portal_steps()
        current = [step for step in steps if step["state"] == "current"]
        self.assertEqual([step["label"] for step in current], ["Under Review"])
        self.assertNotIn("On Hold", [step["label"] for step in steps])

    def test_tracker_shows_hold_after_steps_reached_when_held(self):
        """A held order reads as paused where it stood: the steps it reached
        are behind it, the shipment and delivery still ahead (not passed)."""
        order = self._create_order([(self.product, 1)])
        self.assertEqual(order.fulfillment_status, "preparing")
        self._hold(
            order, self.env.ref("sale_fulfillment_status.hold_reason_customer_request")
        )
        steps = order._fulfillment_portal_steps()
        self.assertEqual(
            [step["state"] for step in steps],
            ["done", "done", "current", "todo", "todo"],
        )
        self.assertEqual(
            [steps[3]["label"], steps[4]["label"]], ["Shipped", "Delivered"]
        )
        self.assertEqual(steps[2]["date"], order.fulfillment_status_date)

    def test_tracker_ends_with_cancellation_when_cancelled(self):
        """A cancelled order's tracker stops at the cancellation."""
        order = self._create_order([(self.product, 1)])
        order.action_cancel()
        steps = order._fulfillment_portal_steps()
        self.assertEqual([step["state"] for step in steps], ["done", "done", "current"])
        self.assertNotIn("Shipped", [step["label"] for step in steps])

    def test_tracker_leaves_out_archived_status(self):
        """An archived status is no step of the tracker, as in the flow steps."""
        order = self._split_order()
        labels = [step["label"] for step in order._fulfillment_portal_steps()]
        self.assertIn("Shipped", labels)
        self.env.ref("sale_fulfillment_status.status_shipped").active = False
        order.invalidate_recordset(["fulfillment_step_ids"])
        labels = [step["label"] for step in order._fulfillment_portal_steps()]
        self.assertNotIn("Shipped", labels)
        self.assertEqual(
            labels,
            order.fulfillment_step_ids.mapped(
                lambda s: s._customer_facing().customer_label
            ),
        )
