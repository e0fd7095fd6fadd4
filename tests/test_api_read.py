# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..core.openapi import API_BASE, conformance_problems
from .common import FulfillmentCommon


class FulfillmentApiCase(HttpCase, FulfillmentCommon):
    """Two customers with a portal buyer each, internal users, their keys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 100)
        cls._add_stock(cls.product_2, 100)
        cls.product.default_code = "BRKT-01"
        cls.product_2.default_code = "BOLT-M8"
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Tokyo Tools", "email": "buy@tokyo-tools.example"}
        )
        cls.buyer_a = cls._portal_user("kansai_buyer", cls.customer)
        cls.buyer_b = cls._portal_user("tokyo_buyer", cls.other_customer)
        cls.no_sales_user = new_test_user(
            cls.env, login="api_no_sales", groups="base.group_user"
        )
        cls.sales_user = new_test_user(
            cls.env,
            login="api_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.key_a = cls._api_key(cls.buyer_a)
        cls.key_b = cls._api_key(cls.buyer_b)
        cls.key_internal = cls._api_key(cls.fulfillment_user)
        cls.key_sales = cls._api_key(cls.sales_user)
        cls.key_no_sales = cls._api_key(cls.no_sales_user)

    @classmethod
    def _portal_user(cls, login, company):
        contact = cls.env["res.partner"].create(
            {"name": login, "parent_id": company.id, "email": f"{login}@x.example"}
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def _call(self, path, key=None, method="GET", headers=None, **kwargs):
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return self.url_open(
            API_BASE + path,
            headers=headers,
            method=method,
            allow_redirects=False,
            **kwargs,
        )

    def assertAnswer(self, response, status, schema="Order"):
        """``status``, a JSON body, and exactly the documented fields."""
        self.assertEqual(response.status_code, status, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        body = response.json()
        problems = conformance_problems(
            body, {"$ref": f"#/components/schemas/{schema}"}
        )
        self.assertEqual(problems, [], f"{schema} differs from the OpenAPI schema")
        return body

    def assertError(self, response, status, code):
        body = self.assertAnswer(response, status, schema="Error")
        self.assertEqual(body["error"]["code"], code)
        return body["error"]["message"]


@tagged("post_install", "-at_install")
class TestApiRead(FulfillmentApiCase):
    """GET endpoints: what each key sees, in which language, and the errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls._order(cls.customer, "PO-A-1")
        cls.order_a2 = cls._order(cls.customer, "PO-A-2")
        cls.order_b = cls._order(cls.other_customer, "PO-B-1")

    @classmethod
    def _order(cls, partner, po_ref):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "client_order_ref": po_ref,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 5}
                    ),
                    fields.Command.create(
                        {"product_id": cls.product_2.id, "product_uom_qty": 3}
                    ),
                ],
            }
        )
        order.action_confirm()
        return order

    def test_order_when_customer_key_reads_own_order(self):
        """A customer's key reads its order: status, label, lines, shipments."""
        self._validate(
            self._outgoing(self.order_a), {self.product: 2, self.product_2: 3}
        )
        shipped = self.order_a.picking_ids.filtered(lambda p: p.state == "done")
        shipped.fulfillment_tracking_ref = "1234-5678"
        self.env.company.fulfillment_tracking_url = "https://track.example/{ref}"
        response = self._call(f"/orders/{self.order_a.name}", self.key_a)
        body = self.assertAnswer(response, 200)
        self.assertNotIn("Set-Cookie", response.headers, "the API is stateless")
        self.assertEqual(body["reference"], self.order_a.name)
        self.assertEqual(body["client_order_ref"], "PO-A-1")
        self.assertEqual(body["customer"]["id"], self.customer.id)
        self.assertEqual(body["status"], "partially_shipped")
        self.assertEqual(body["customer_label"], "Partially Shipped")
        self.assertEqual(body["fulfillment_type"], "stock")
        self.assertEqual(
            [
                (
                    line["product"]["default_code"],
                    line["ordered"],
                    line["shipped"],
                    line["remaining"],
                )
                for line in body["lines"]
            ],
            [("BRKT-01", 5.0, 2.0, 3.0), ("BOLT-M8", 3.0, 3.0, 0.0)],
        )
        done = [s for s in body["shipments"] if s["state"] == "done"]
        self.assertEqual(len(done), 1)
        self.assertEqual(done[0]["tracking_number"], "1234-5678")
        self.assertEqual(done[0]["tracking_url"], "https://track.example/1234-5678")
        self.assertEqual(done[0]["shipment_status"], "shipped")
        self.assertEqual(
            [(h["from"], h["to"]) for h in body["history"]],
            [(None, "preparing"), ("preparing", "partially_shipped")],
        )

    def test_order_when_reference_has_slashes(self):
        """References like SO/2026/0001 work, plain or URL-encoded."""
        self.order_a.name = "SO/2026/0001"
        for path in ("/orders/SO/2026/0001", "/orders/SO%2F2026%2F0001"):
            with self.subTest(path=path):
                body = self.assertAnswer(self._call(path, self.key_a), 200)
                self.assertEqual(body["reference"], "SO/2026/0001")

    def test_forbidden_when_customer_key_reads_other_customer_order(self):
        """Customer A's key gets 403 for B's order, with nothing of B in it."""
        response = self._call(f"/orders/{self.order_b.name}", self.key_a)
        message = self.assertError(response, 403, "forbidden")
        self.assertNotIn("Tokyo", response.text)
        self.assertNotIn("PO-B-1", message)

    def test_not_found_when_order_unknown(self):
        """An unknown reference is a 404 (also for internal keys)."""
        for key in (self.key_a, self.key_internal):
            with self.subTest(key=key[:4]):
                response = self._call("/orders/S99999999", key)
                self.assertError(response, 404, "not_found")

    def test_not_found_when_quotation(self):
        """A quotation has no fulfillment status: not served."""
        quotation = self._create_order([(self.product, 1)], confirm=False)
        response = self._call(f"/orders/{quotation.name}", self.key_internal)
        self.assertError(response, 404, "not_found")

    def test_unauthorized_when_key_missing_or_wrong(self):
        """No key, a wrong one, an expired one, another scope: 401, no data."""
        expired = self._api_key(
            self.buyer_a, expiration=fields.Datetime.now() - timedelta(hours=1)
        )
        scoped = self._api_key(self.buyer_a, scope="odoo.plugin.outlook")
        for headers in (
            {},
            {"Authorization": "Bearer " + "0" * 40},
            {"Authorization": f"Bearer {self.key_a[:-2]}xx"},
            {"Authorization": f"Basic {self.key_a}"},
            {"Authorization": f"Bearer {expired}"},
            {"Authorization": f"Bearer {scoped}"},
        ):
            for path in (f"/orders/{self.order_a.name}", "/orders"):
                with self.subTest(headers=headers, path=path):
                    response = self._call(path, headers=headers)
                    self.assertError(response, 401, "unauthorized")
                    self.assertIn("Bearer", response.headers["WWW-Authenticate"])
                    self.assertNotIn(self.order_a.name, response.text)

    def test_access_matrix_of_two_customers(self):
        """Each key reads what its user may: own orders, or all for staff."""
        orders = {"A": self.order_a, "B": self.order_b}
        matrix = (
            (self.key_a, {"A": 200, "B": 403}),
            (self.key_b, {"A": 403, "B": 200}),
            (self.key_internal, {"A": 200, "B": 200}),
            (self.key_sales, {"A": 200, "B": 200}),
            (self.key_no_sales, {"A": 403, "B": 403}),
        )
        for key, expected in matrix:
            for name, status in expected.items():
                with self.subTest(key=key[:6], order=name):
                    response = self._call(f"/orders/{orders[name].name}", key)
                    self.assertEqual(response.status_code, status, response.text)

    def test_list_when_customer_key_only_own_orders(self):
        """The list of a customer key holds its own orders only."""
        body = self.assertAnswer(self._call("/orders", self.key_a), 200, "OrderList")
        references = [order["reference"] for order in body["orders"]]
        self.assertEqual(references, [self.order_a.name, self.order_a2.name])
        self.assertEqual(body["count"], 2)
        body = self.assertAnswer(self._call("/orders", self.key_b), 200, "OrderList")
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_b.name])

    def test_list_when_internal_key_sees_every_customer(self):
        """An internal key lists the orders of both customers."""
        body = self.assertAnswer(
            self._call(
                "/orders",
                self.key_internal,
                params={"customer": self.other_customer.id},
            ),
            200,
            "OrderList",
        )
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_b.name])
        body = self.assertAnswer(
            self._call("/orders", self.key_internal, params={"limit": 200}),
            200,
            "OrderList",
        )
        references = {o["reference"] for o in body["orders"]}
        self.assertTrue(
            {self.order_a.name, self.order_b.name} <= references, references
        )

    def test_forbidden_when_user_has_no_sales_access(self):
        """An internal user without access to orders gets 403 on the list."""
        response = self._call("/orders", self.key_no_sales)
        self.assertError(response, 403, "forbidden")

    def test_list_by_client_order_ref(self):
        """By the customer's PO reference, within what the key may see."""
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"client_order_ref": "PO-A-1"}),
            200,
            "OrderList",
        )
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_a.name])
        body = self.assertAnswer(
            self._call("/orders", self.key_b, params={"client_order_ref": "PO-A-1"}),
            200,
            "OrderList",
        )
        self.assertEqual((body["orders"], body["count"]), ([], 0))

    def test_list_filters_status_and_changed_since(self):
        """status and changed_since filter; both combine with the key's scope."""
        self._validate(self._outgoing(self.order_a2))
        self.assertEqual(self.order_a2.fulfillment_status, "shipped")
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"status": "shipped,done"}),
            200,
            "OrderList",
        )
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_a2.name])
        future = (fields.Datetime.now() + timedelta(days=1)).isoformat() + "Z"
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"changed_since": future}),
            200,
            "OrderList",
        )
        self.assertEqual(body["count"], 0)
        past = (fields.Datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d")
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"changed_since": past}),
            200,
            "OrderList",
        )
        self.assertEqual(body["count"], 2)

    def test_list_pages(self):
        """limit and offset page through the orders; count is the total."""
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"limit": 1, "offset": 1}),
            200,
            "OrderList",
        )
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_a2.name])
        self.assertEqual((body["count"], body["limit"], body["offset"]), (2, 1, 1))

    def test_bad_request_when_parameters_malformed(self):
        """Malformed parameters: 400 naming the parameter, nothing else."""
        for params, field in (
            ({"limit": 201}, "limit"),
            ({"limit": 0}, "limit"),
            ({"limit": "ten"}, "limit"),
            ({"offset": -1}, "offset"),
            ({"status": "lost"}, "status"),
            ({"changed_since": "yesterday"}, "changed_since"),
            ({"customer": "Tokyo"}, "customer"),
            ({"stauts": "shipped"}, "stauts"),
            ({"lang": "xx_XX"}, "lang"),
        ):
            with self.subTest(params=params):
                response = self._call("/orders", self.key_a, params=params)
                message = self.assertError(response, 400, "invalid_parameter")
                self.assertIn(field, message)
        response = self._call(
            f"/orders/{self.order_a.name}", self.key_a, params={"limit": 1}
        )
        self.assertError(response, 400, "invalid_parameter")

    def test_customer_label_when_language_requested(self):
        """lang, else Accept-Language, chooses the label's language."""
        self.env["res.lang"]._activate_lang("ja_JP")
        status = self.order_a.fulfillment_customer_status_id
        status.with_context(lang="ja_JP").customer_label = "出荷準備中"
        path = f"/orders/{self.order_a.name}"
        for params, headers, label in (
            ({}, {}, status.customer_label),
            ({"lang": "ja_JP"}, {}, "出荷準備中"),
            ({"lang": "ja"}, {}, "出荷準備中"),
            ({}, {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"}, "出荷準備中"),
            ({}, {"Accept-Language": "fr-FR"}, status.customer_label),
            ({"lang": "en_US"}, {"Accept-Language": "ja"}, status.customer_label),
        ):
            with self.subTest(params=params, headers=headers):
                response = self._call(path, self.key_a, params=params, headers=headers)
                self.assertEqual(
                    self.assertAnswer(response, 200)["customer_label"], label
                )

    def test_disguised_hold_when_customer_key(self):
        """A credit hold shows customers 'Checking' without its trigger; staff
        keys see the hold itself."""
        credit = self.env.ref("sale_fulfillment_status.hold_reason_credit")
        self._hold(self.order_a, reason=credit)
        self.assertEqual(self.order_a.fulfillment_status, "on_hold")
        path = f"/orders/{self.order_a.name}"
        customer = self.assertAnswer(self._call(path, self.key_a), 200)
        self.assertEqual(
            (customer["status"], customer["customer_status"]), ("checking", "checking")
        )
        self.assertEqual(
            [(h["from"], h["to"], h["trigger"]) for h in customer["history"]],
            [(None, "preparing", "confirmed"), ("preparing", "checking", None)],
        )
        self.assertNotIn("on_hold", self._call(path, self.key_a).text)
        self.assertNotIn("on_hold", self._call("/orders", self.key_a).text)
        staff = self.assertAnswer(self._call(path, self.key_internal), 200)
        self.assertEqual(
            (staff["status"], staff["customer_status"]), ("on_hold", "checking")
        )
        self.assertEqual(staff["history"][-1]["to"], "on_hold")
        self.assertEqual(staff["history"][-1]["trigger"], "hold")
        # customers filter on the status they see
        body = self.assertAnswer(
            self._call("/orders", self.key_a, params={"status": "checking"}),
            200,
            "OrderList",
        )
        self.assertEqual([o["reference"] for o in body["orders"]], [self.order_a.name])

    def test_openapi_served_without_key(self):
        """The description is public JSON listing the API's paths."""
        response = self._call("/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertIn(f"{API_BASE}/orders/{{reference}}", document["paths"])
        self.assertIn(f"{API_BASE}/shipments", document["paths"])
