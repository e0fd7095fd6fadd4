# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
from datetime import datetime

from odoo.tests import tagged

from .test_api_read import FulfillmentApiCase


@tagged("post_install", "-at_install")
class TestApiShipment(FulfillmentApiCase):
    """A 3PL confirms shipments: validated once, refused cleanly otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(
            cls, [(cls.product, 5), (cls.product_2, 3)], client_order_ref="PO-3PL"
        )
        cls.picking = cls.order.picking_ids

    def _body(self, **changes):
        body = {
            "order": self.order.name,
            "confirmation_id": "3PL-0001",
            "lines": [
                {"default_code": "BRKT-01", "quantity": 2},
                {"product_id": self.product_2.id, "quantity": 3},
            ],
            "carrier": "Yamato Transport",
            "tracking_numbers": ["4711-0001", "4711-0002"],
            "shipping_date": "2026-04-01T18:30:00+09:00",
        }
        body.update(changes)
        return {key: value for key, value in body.items() if value is not ...}

    def _post(self, body, key=None, raw=None):
        return self._call(
            "/shipments",
            key or self.key_internal,
            method="POST",
            data=raw if raw is not None else json.dumps(body),
            headers={"Content-Type": "application/json"},
        )

    def _snapshot(self):
        """What a refused confirmation must leave untouched."""
        self.env.invalidate_all()
        moves = self.order.picking_ids.move_ids
        return {
            "pickings": sorted(
                self.order.picking_ids.mapped(lambda p: (p.id, p.state))
            ),
            "moves": sorted(moves.mapped(lambda m: (m.id, m.quantity, m.picked))),
            "status": self.order.fulfillment_status,
            "tracking": self.order.picking_ids.mapped("fulfillment_tracking_ref"),
            "confirmations": self.env[
                "sale.fulfillment.shipment.confirmation"
            ].search_count([]),
            "history": len(self.order.fulfillment_history_ids),
        }

    def assertRefused(self, response, status, code):
        before = self._snapshot_before
        message = self.assertError(response, status, code)
        self.assertEqual(self._snapshot(), before, "a refused call changed data")
        return message

    def setUp(self):
        super().setUp()
        self._snapshot_before = self._snapshot()

    def test_partial_shipment_when_3pl_confirms_part(self):
        """Shipped part validated, the rest in a backorder, tracking set."""
        response = self._post(self._body())
        body = self.assertAnswer(response, 201, "ShipmentConfirmationResult")
        self.env.invalidate_all()
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(body["validated"], [self.picking.name])
        backorder = self.order.picking_ids - self.picking
        self.assertEqual(body["backorders"], [backorder.name])
        self.assertEqual(backorder.backorder_id, self.picking)
        self.assertEqual(backorder.move_ids.product_id, self.product)
        self.assertEqual(backorder.move_ids.product_uom_qty, 3)
        self.assertRecordValues(
            self.picking,
            [
                {
                    "fulfillment_tracking_ref": "4711-0001, 4711-0002",
                    "fulfillment_carrier_name": "Yamato Transport",
                    "date_done": datetime(2026, 4, 1, 9, 30),
                }
            ],
        )
        self.assertEqual(self.order.fulfillment_status, "partially_shipped")
        self.assertEqual(body["order"]["status"], "partially_shipped")
        self.assertEqual(
            [line["shipped"] for line in body["order"]["lines"]], [2.0, 3.0]
        )
        confirmation = self.env["sale.fulfillment.shipment.confirmation"].search(
            [("confirmation_id", "=", "3PL-0001")]
        )
        self.assertRecordValues(
            confirmation,
            [{"order_id": self.order.id, "user_id": self.fulfillment_user.id}],
        )

    def test_shipped_when_3pl_confirms_everything(self):
        """Everything confirmed: no backorder, the order is shipped."""
        body = self._body(
            lines=[
                {"default_code": "BRKT-01", "quantity": 5},
                {"default_code": "BOLT-M8", "quantity": 3},
            ],
            shipping_date=...,
        )
        result = self.assertAnswer(self._post(body), 201, "ShipmentConfirmationResult")
        self.env.invalidate_all()
        self.assertEqual(result["backorders"], [])
        self.assertEqual(self.order.picking_ids, self.picking)
        self.assertEqual(self.order.fulfillment_status, "shipped")

    def test_backorder_confirmed_when_second_shipment(self):
        """A second confirmation ships the backorder."""
        self.assertAnswer(self._post(self._body()), 201, "ShipmentConfirmationResult")
        body = self._body(
            confirmation_id="3PL-0002",
            lines=[{"default_code": "BRKT-01", "quantity": 3}],
        )
        result = self.assertAnswer(self._post(body), 201, "ShipmentConfirmationResult")
        self.env.invalidate_all()
        self.assertEqual(result["backorders"], [])
        self.assertEqual(self.order.fulfillment_status, "shipped")
        self.assertEqual(set(self.order.picking_ids.mapped("state")), {"done"})

    def test_same_answer_when_confirmation_repeated(self):
        """The same confirmation again changes nothing and answers the same."""
        first = self._post(self._body())
        self.assertEqual(first.status_code, 201)
        after_first = self._snapshot()
        again = self._post(self._body())
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self._snapshot(), after_first)
        # the same id with another content is a conflict, not a replay
        other = self._post(
            self._body(lines=[{"default_code": "BRKT-01", "quantity": 1}])
        )
        self.assertError(other, 409, "conflict")
        self.assertEqual(self._snapshot(), after_first)

    def test_not_found_when_order_unknown(self):
        """An unknown order: 404, nothing changed."""
        response = self._post(self._body(order="S99999999"))
        self.assertRefused(response, 404, "not_found")

    def test_unprocessable_when_quantity_above_remaining(self):
        """More than is left to ship: 422, nothing changed."""
        response = self._post(
            self._body(lines=[{"default_code": "BRKT-01", "quantity": 6}])
        )
        message = self.assertRefused(response, 422, "quantity_exceeded")
        self.assertIn("BRKT-01", message)

    def test_bad_request_when_product_unknown(self):
        """Unknown product, or one not on the order: 400, nothing changed."""
        stranger = self._create_product("Stranger", default_code="NOPE-1")
        for line in (
            {"default_code": "NO-SUCH-CODE", "quantity": 1},
            {"product_id": 999999999, "quantity": 1},
            {"default_code": "NOPE-1", "quantity": 1},
            {"product_id": stranger.id, "quantity": 1},
        ):
            with self.subTest(line=line):
                response = self._post(
                    self._body(lines=[{"default_code": "BRKT-01", "quantity": 1}, line])
                )
                self.assertRefused(response, 400, "unknown_product")

    def test_conflict_when_order_on_hold(self):
        """An order on hold: 409, nothing shipped."""
        self._hold(self.order)
        self._snapshot_before = self._snapshot()
        response = self._post(self._body())
        self.assertRefused(response, 409, "order_on_hold")

    def test_conflict_when_order_cancelled(self):
        """A cancelled order ships nothing: 409."""
        self.order.action_cancel()
        self._snapshot_before = self._snapshot()
        response = self._post(self._body())
        self.assertRefused(response, 409, "order_closed")

    def test_unprocessable_when_nothing_left_to_ship(self):
        """Everything already left: 422 for a new confirmation."""
        self._validate(self.picking)
        self.assertEqual(self.order.fulfillment_status, "shipped")
        self._snapshot_before = self._snapshot()
        response = self._post(self._body(confirmation_id="3PL-LATE"))
        self.assertRefused(response, 422, "nothing_to_ship")

    def test_bad_request_when_body_malformed(self):
        """Not JSON, not an object, fields missing or wrong: 400."""
        for raw, code in (
            ("{not json", "invalid_json"),
            ("", "invalid_json"),
            (b"\xff\xfe", "invalid_json"),
            ("[]", "invalid_parameter"),
            (json.dumps(self._body(confirmation_id=...)), "invalid_parameter"),
            (json.dumps(self._body(lines=[])), "invalid_parameter"),
            (
                json.dumps(self._body(lines=[{"product_id": 1, "quantity": -1}])),
                "invalid_parameter",
            ),
            (json.dumps(self._body(shipping_date="tomorrow")), "invalid_parameter"),
        ):
            with self.subTest(raw=raw[:30]):
                self.assertRefused(self._post(None, raw=raw), 400, code)

    def test_unsupported_when_body_not_sent_as_json(self):
        """A form-encoded body (curl -d without a content type): 415."""
        for content_type in ("application/x-www-form-urlencoded", "text/plain"):
            with self.subTest(content_type=content_type):
                response = self._call(
                    "/shipments",
                    self.key_internal,
                    method="POST",
                    data=json.dumps(self._body()),
                    headers={"Content-Type": content_type},
                )
                self.assertRefused(response, 415, "unsupported_media_type")

    def test_rolled_back_when_validation_fails(self):
        """A shipment Odoo cannot validate (lot missing) is undone: 422."""
        lot_product = self._create_product("Lot Bracket", default_code="LOT-1")
        lot_product.tracking = "lot"
        self.order = self._create_order(
            [(self.product, 1), (lot_product, 1)], client_order_ref="PO-LOT"
        )
        self._snapshot_before = self._snapshot()
        response = self._post(
            self._body(
                order=self.order.name,
                lines=[
                    {"default_code": "BRKT-01", "quantity": 1},
                    {"default_code": "LOT-1", "quantity": 1},
                ],
            )
        )
        self.assertRefused(response, 422, "validation_failed")

    def test_unauthorized_when_key_missing_or_wrong(self):
        """No key or a wrong key: 401, nothing changed."""
        self.assertRefused(
            self._call("/shipments", method="POST", data=json.dumps(self._body())),
            401,
            "unauthorized",
        )
        self.assertRefused(self._post(self._body(), key="0" * 40), 401, "unauthorized")

    def test_forbidden_when_user_cannot_ship(self):
        """Portal keys and internal users without Inventory rights: 403."""
        for key in (self.key_a, self.key_sales, self.key_no_sales):
            with self.subTest(key=key[:6]):
                self.assertRefused(self._post(self._body(), key=key), 403, "forbidden")
