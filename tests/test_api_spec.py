# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json

from odoo.tests import tagged

from ..controllers.api import FulfillmentApi
from ..core.api import openapi_path
from ..core.openapi import API_BASE, OPERATIONS, conformance_problems
from .common import FulfillmentCommon

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _schema(name):
    return {"$ref": f"#/components/schemas/{name}"}


@tagged("post_install", "-at_install")
class TestApiSpec(FulfillmentCommon):
    """The OpenAPI description and the code cannot drift apart."""

    def _documented(self):
        return {(API_BASE + path, method) for path, method in OPERATIONS}

    def test_controller_routes_match_description(self):
        """Each route of the API controller is documented, and vice versa."""
        served = set()
        for name in dir(FulfillmentApi):
            routing = getattr(getattr(FulfillmentApi, name), "original_routing", None)
            if routing is None:
                continue
            self.assertEqual(routing["type"], "http", name)
            for route in routing["routes"]:
                for method in routing["methods"]:
                    served.add((openapi_path(route), method.lower()))
        self.assertEqual(served, self._documented())

    def test_served_routes_under_api_base_match_description(self):
        """What the server really routes under the API base (whatever module
        adds it) is exactly the documented operations."""
        served = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if not rule.rule.startswith(API_BASE):
                continue
            for method in set(rule.methods or ()) - IGNORED_METHODS:
                served.add((openapi_path(rule.rule), method.lower()))
        self.assertEqual(served, self._documented())

    def test_order_values_match_order_schema(self):
        """The order serializer returns exactly the documented fields, in both
        views, for an order with lines, shipments, a return and history."""
        self._add_stock(self.product, 10)
        self._add_stock(self.product_2, 10)
        order = self._create_order(
            [(self.product, 4), (self.product_2, 2)], client_order_ref="PO-77"
        )
        picking = self._outgoing(order)
        self._validate(picking, {self.product: 1, self.product_2: 2})
        picking.fulfillment_tracking_ref = "TRK-1"
        self._return(picking, {self.product: 1, self.product_2: 0})
        api = self.env["sale.fulfillment.api"]
        for customer_view in (False, True):
            with self.subTest(customer_view=customer_view):
                values = api._order_values(order, customer_view=customer_view)
                self.assertEqual(conformance_problems(values, _schema("Order")), [])
                self.assertTrue(values["lines"] and values["shipments"])
                self.assertTrue(values["history"])

    def test_webhook_payload_matches_event_schema(self):
        """A stored webhook payload is exactly the documented event."""
        self.env["sale.fulfillment.webhook"].create(
            {"name": "EC", "url": "https://ec.example/hook"}
        )
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 2)])
        self.assertEqual(order.fulfillment_status, "preparing")
        events = self.env["sale.fulfillment.webhook.event"].search(
            [("order_id", "=", order.id)]
        )
        self.assertTrue(events)
        self.env.cr.flush()  # the payloads are fixed before commit
        for event in events:
            with self.subTest(event=event.event_type):
                body = json.loads(event.payload)
                self.assertEqual(
                    conformance_problems(body, _schema("WebhookEvent")), []
                )
