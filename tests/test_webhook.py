# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..core.webhook import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    backoff_seconds,
    verify,
)
from .common import FulfillmentCommon

EVENT_MODULE = (
    "odoo.addons.sale_fulfillment_status.models.sale_fulfillment_webhook_event"
)


class _ReceiverHandler(BaseHTTPRequestHandler):
    """Checks the signature like a real receiver; answers the scripted codes."""

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        signed = verify(server.secret, body, self.headers.get(SIGNATURE_HEADER))
        status = server.statuses.pop(0) if server.statuses else 200
        if not signed:
            status = 401
        server.received.append(
            {
                "event_id": self.headers.get(EVENT_ID_HEADER),
                "signed": signed,
                "status": status,
                "payload": json.loads(body),
            }
        )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        """Keep the test log quiet."""


def _closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestWebhook(FulfillmentCommon):
    """Events are stored with the change and delivered later, signed, in
    order per order, retried with backoff, and never twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = ThreadingHTTPServer(("127.0.0.1", 0), _ReceiverHandler)
        cls.receiver.secret = ""
        cls.receiver.statuses = []
        cls.receiver.received = []
        thread = threading.Thread(target=cls.receiver.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.receiver.server_close)
        cls.addClassCleanup(cls.receiver.shutdown)
        cls._add_stock(cls.product, 100)
        cls._add_stock(cls.product_2, 100)
        host, port = cls.receiver.server_address
        cls.webhook = cls.env["sale.fulfillment.webhook"].create(
            {
                "name": "EC site",
                "url": f"http://{host}:{port}/hooks/fulfillment",
                "customer_view": False,
            }
        )
        cls.receiver.secret = cls.webhook.secret
        cls.other_customer = cls.env["res.partner"].create({"name": "Tokyo Tools"})

    def setUp(self):
        super().setUp()
        self.receiver.statuses[:] = []
        self.receiver.received[:] = []

    def _events(self, order=None, webhook=None):
        domain = [("webhook_id", "=", (webhook or self.webhook).id)]
        if order:
            domain.append(("order_id", "=", order.id))
        return self.env["sale.fulfillment.webhook.event"].search(
            domain, order="sequence, id"
        )

    def _order(self, **vals):
        order = self._create_order([(self.product, 2)], **vals)
        self.assertEqual(order.fulfillment_status, "preparing")
        return order

    def _run_delivery(self):
        cron = self.env.ref("sale_fulfillment_status.ir_cron_webhook_deliver")
        with self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        self.assertIs(result, True, result)
        self.env.invalidate_all()

    def _make_due(self, events):
        events.write({"next_try": fields.Datetime.now() - timedelta(seconds=1)})

    def test_event_stored_with_status_change(self):
        """A status change stores a pending event in the same transaction;
        nothing is sent before the delivery job runs."""
        order = self._order()
        event = self._events(order)
        self.assertRecordValues(
            event,
            [
                {
                    "event_type": "status_changed",
                    "state": "pending",
                    "sequence": 1,
                    "tries": 0,
                }
            ],
        )
        self.assertEqual(json.loads(event.data)["to"], "preparing")
        self.assertEqual(self.receiver.received, [])

    def test_delivered_signed_with_event_id(self):
        """The receiver gets a signed POST with the event id and the order."""
        order = self._order(client_order_ref="PO-9")
        event = self._events(order)
        self._run_delivery()
        self.assertEqual(len(self.receiver.received), 1)
        received = self.receiver.received[0]
        self.assertTrue(received["signed"])
        self.assertEqual(received["event_id"], event.uuid)
        payload = received["payload"]
        self.assertEqual(payload["id"], event.uuid)
        self.assertEqual(payload["type"], "status_changed")
        self.assertEqual(payload["sequence"], 1)
        self.assertEqual(payload["data"]["to"], "preparing")
        self.assertEqual(payload["order"]["reference"], order.name)
        self.assertEqual(payload["order"]["client_order_ref"], "PO-9")
        self.assertEqual(payload["order"]["status"], "preparing")
        self.assertRecordValues(
            event, [{"state": "sent", "tries": 1, "last_status_code": 200}]
        )
        self.assertEqual(event.attempt_ids.status_code, 200)
        self.assertEqual(self.webhook.attempt_ids, event.attempt_ids)

    def test_retried_with_backoff_when_receiver_fails(self):
        """A 500 is retried after the backoff; no duplicate once delivered."""
        order = self._order()
        event = self._events(order)
        self.receiver.statuses[:] = [500]
        self._run_delivery()
        self.assertRecordValues(
            event, [{"state": "failed", "tries": 1, "last_status_code": 500}]
        )
        attempt = event.attempt_ids
        self.assertEqual(attempt.status_code, 500)
        self.assertEqual(event.next_try, attempt.date + timedelta(seconds=60))
        self.assertEqual(backoff_seconds(1), 60)
        # before the backoff has passed, nothing is sent again
        self._run_delivery()
        self.assertEqual(len(self.receiver.received), 1)
        self._make_due(event)
        self._run_delivery()
        self.assertEqual([r["status"] for r in self.receiver.received], [500, 200])
        self.assertEqual({r["event_id"] for r in self.receiver.received}, {event.uuid})
        self.assertRecordValues(event, [{"state": "sent", "tries": 2}])
        self.assertEqual(
            event.attempt_ids.sorted("id").mapped("status_code"), [500, 200]
        )
        # a re-run sends nothing twice
        self._make_due(event)
        self._run_delivery()
        self.assertEqual(len(self.receiver.received), 2)

    def test_order_of_events_kept_per_order(self):
        """Event 2 of an order waits while event 1 is retried; other orders go on."""
        first = self._order()
        second = self._order()
        self._validate(self._outgoing(first))
        self.assertEqual(first.fulfillment_status, "shipped")
        events = self._events(first)
        self.assertEqual(
            events.mapped("event_type"),
            ["status_changed", "status_changed", "shipped"],
        )
        self.assertEqual(events.mapped("sequence"), [1, 2, 3])
        self.receiver.statuses[:] = [500]
        self._run_delivery()
        self.assertEqual(
            [r["event_id"] for r in self.receiver.received],
            [events[0].uuid, self._events(second).uuid],
        )
        self.assertEqual(events.mapped("state"), ["failed", "pending", "pending"])
        self._make_due(events[0])
        self._run_delivery()
        self.assertEqual(
            [r["payload"]["sequence"] for r in self.receiver.received[2:]], [1, 2, 3]
        )
        self.assertEqual(events.mapped("state"), ["sent", "sent", "sent"])

    def test_given_up_after_max_tries(self):
        """An event failing max_tries times is given up; the next ones go on."""
        self.webhook.max_tries = 2
        order = self._order()
        self._validate(self._outgoing(order))
        self.assertEqual(order.fulfillment_status, "shipped")
        events = self._events(order)
        self.receiver.statuses[:] = [503, 502]
        self._run_delivery()
        self._make_due(events[0])
        self._run_delivery()
        self.assertRecordValues(
            events[0], [{"state": "given_up", "tries": 2, "next_try": False}]
        )
        self.assertEqual(events[1:].mapped("state"), ["sent", "sent"])
        self.assertEqual(self.webhook.given_up_event_count, 1)

    def test_no_retry_when_receiver_refuses(self):
        """A 4xx is given up at once; 429 (too many requests) is retried."""
        refused = self._order()
        throttled = self._order()
        self.receiver.statuses[:] = [400, 429]
        self._run_delivery()
        self.assertRecordValues(
            self._events(refused), [{"state": "given_up", "tries": 1}]
        )
        self.assertRecordValues(
            self._events(throttled), [{"state": "failed", "tries": 1}]
        )

    def test_retried_when_receiver_unreachable(self):
        """No connection or no answer in time: retried, logged without code."""
        self.webhook.url = f"http://127.0.0.1:{_closed_port()}/hook"
        order = self._order()
        event = self._events(order)
        self._run_delivery()
        self.assertRecordValues(
            event, [{"state": "failed", "tries": 1, "last_status_code": 0}]
        )
        self.assertTrue(event.attempt_ids.error)
        self._make_due(event)
        with patch(f"{EVENT_MODULE}.requests.post", side_effect=requests.Timeout):
            self._run_delivery()
        self.assertRecordValues(event, [{"state": "failed", "tries": 2}])
        self.assertIn("10", event.last_error)

    def test_delivery_goes_on_when_payload_cannot_be_built(self):
        """An event whose payload fails is retried; the other events still go."""
        broken = self._order()
        healthy = self._order()
        self._events(healthy)._build_payloads()
        api_class = self.registry["sale.fulfillment.api"]
        with (
            patch.object(api_class, "_order_values", side_effect=ValueError("boom")),
            self.assertLogs(EVENT_MODULE, "ERROR"),
        ):
            self._run_delivery()
        self.assertRecordValues(
            self._events(broken), [{"state": "failed", "tries": 1, "payload": False}]
        )
        self.assertIn("boom", self._events(broken).last_error)
        self.assertEqual(self._events(healthy).state, "sent")
        self._make_due(self._events(broken))
        self._run_delivery()
        self.assertEqual(self._events(broken).state, "sent")

    def test_signature_refused_when_secret_changed(self):
        """A new secret the receiver does not know: refused (401), given up."""
        order = self._order()
        self.webhook.action_regenerate_secret()
        self._run_delivery()
        self.assertFalse(self.receiver.received[0]["signed"])
        self.assertEqual(self._events(order).state, "given_up")

    def test_events_only_for_subscribed_orders(self):
        """Customer filter, company and event choice select the events."""
        self.webhook.partner_id = self.customer
        other_company = self.env["res.company"].create({"name": "Osaka Branch"})
        elsewhere = self.webhook.copy(
            {"company_id": other_company.id, "partner_id": False}
        )
        no_status = self.webhook.copy({"event_status_changed": False})
        mine = self._order()
        theirs = self._order(partner_id=self.other_customer.id)
        self.assertEqual(len(self._events(mine)), 1)
        self.assertFalse(self._events(theirs))
        self.assertFalse(self._events(webhook=elsewhere))
        self.assertFalse(self._events(webhook=no_status))
        self.assertNotEqual(no_status.secret, self.webhook.secret)

    def test_customer_view_hides_disguised_hold(self):
        """A credit hold reaches a customer-view subscription as 'checking',
        without its trigger; an internal one gets the hold."""
        customer_view = self.webhook.copy(
            {"customer_view": True, "secret": self.webhook.secret}
        )
        order = self._order()
        self._hold(
            order, reason=self.env.ref("sale_fulfillment_status.hold_reason_credit")
        )
        self.assertEqual(order.fulfillment_status, "on_hold")
        internal = json.loads(self._events(order)[-1].data)
        shown = json.loads(self._events(order, customer_view)[-1].data)
        self.assertEqual(
            (internal["from"], internal["to"], internal["trigger"]),
            ("preparing", "on_hold", "hold"),
        )
        self.assertEqual(
            (shown["from"], shown["to"], shown["trigger"]),
            ("preparing", "checking", None),
        )
        self._run_delivery()
        self.assertTrue(all(r["signed"] for r in self.receiver.received))
        sent = [r["payload"] for r in self.receiver.received]
        customer_payloads = [p for p in sent if p["data"].get("to") == "checking"]
        self.assertEqual(len(customer_payloads), 1)
        self.assertEqual(customer_payloads[0]["order"]["status"], "checking")
        self.assertNotIn("on_hold", json.dumps(customer_payloads[0]))

    def test_cancelled_event_when_order_cancelled(self):
        """Cancelling sends status_changed then cancelled."""
        order = self._order()
        order.action_cancel()
        self.assertEqual(order.fulfillment_status, "cancelled")
        events = self._events(order)
        self.assertEqual(
            events.mapped("event_type"),
            ["status_changed", "status_changed", "cancelled"],
        )
        self.assertEqual(json.loads(events[-1].data)["to"], "cancelled")

    def test_delayed_event_when_delay_detected(self):
        """The delay scan stores a delayed event with the old and new dates."""
        now = fields.Datetime.now().replace(microsecond=0)
        order = self._order(commitment_date=now + timedelta(days=3))
        order.picking_ids.scheduled_date = now + timedelta(days=6)
        self.assertTrue(order.fulfillment_is_delayed)
        order._fulfillment_alert()
        delayed = self._events(order).filtered(lambda e: e.event_type == "delayed")
        self.assertEqual(len(delayed), 1)
        data = json.loads(delayed.data)
        self.assertEqual(data["previous_date"], str((now + timedelta(days=3)).date()))
        self.assertTrue(
            data["expected_date"].startswith(str((now + timedelta(days=6)).date()))
        )
        self.assertTrue(data["reason"])

    def test_exception_event_when_exception_opened(self):
        """Reporting an exception stores exception_opened with what customers
        may be told."""
        order = self._order()
        exception = self.env["sale.fulfillment.exception"].create(
            {
                "order_id": order.id,
                "type": "shipping_accident",
                "description": "The truck was delayed by snow.",
            }
        )
        event = self._events(order).filtered(
            lambda e: e.event_type == "exception_opened"
        )
        data = json.loads(event.data)["exception"]
        self.assertEqual(data["reference"], exception.name)
        self.assertEqual(data["description"], "The truck was delayed by snow.")

    def test_only_managers_configure_webhooks(self):
        """Salespeople and fulfillment users cannot read subscriptions or secrets."""
        manager = new_test_user(
            self.env,
            login="fulfillment_manager",
            groups="sale_fulfillment_status.group_fulfillment_manager",
        )
        self.assertTrue(self.webhook.with_user(manager).secret)
        salesman = new_test_user(
            self.env, login="webhook_salesman", groups="sales_team.group_sale_salesman"
        )
        for user in (salesman, self.fulfillment_user):
            for model in (
                "sale.fulfillment.webhook",
                "sale.fulfillment.webhook.event",
                "sale.fulfillment.webhook.attempt",
            ):
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).search([], limit=1)
