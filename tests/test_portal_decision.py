# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestPortalDecision(HttpCase, FulfillmentCommon):
    """Customers answer exceptions on the portal; nobody else can, nor twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_stock(cls.product, 100)
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Tokyo Tools", "email": "buy@tokyo-tools.example"}
        )
        for login, partner in (
            ("kansai_buyer", cls.customer),
            ("tokyo_buyer", cls.other_customer),
        ):
            contact = cls.env["res.partner"].create(
                {"name": login, "parent_id": partner.id, "email": f"{login}@x.example"}
            )
            new_test_user(
                cls.env, login=login, groups="base.group_portal", partner_id=contact.id
            )
        cls.new_date = fields.Datetime.now().replace(microsecond=0) + timedelta(days=9)

    def _order_with_question(self, partner=None, decision_required=True):
        order = self._create_order(
            [(self.product, 5)], partner_id=(partner or self.customer).id
        )
        exception = self.env["sale.fulfillment.exception"].create(
            {
                "order_id": order.id,
                "type": "date_change" if decision_required else "shipping_accident",
                "description": "The supplier ships one week later.",
                "new_date": self.new_date,
            }
        )
        self.assertEqual(exception.customer_decision_required, decision_required)
        return order, exception

    def _answer(self, order, exception, decision="accept_date", token=None, **extra):
        data = {
            "exception_id": exception.id,
            "decision": decision,
            "message": "OK for us",
            "csrf_token": http.Request.csrf_token(self),
        } | extra
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/orders/{order.id}/fulfillment/decision",
            data=data,
            allow_redirects=False,
        )

    def test_date_accepted_when_customer_answers(self):
        """The customer accepts the new date: recorded, resolved, date told."""
        order, exception = self._order_with_question()
        self.authenticate("kansai_buyer", "kansai_buyer")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertIn("o_fulfillment_accept_date", page.text)
        response = self._answer(order, exception)
        self.assertEqual(response.status_code, 303)
        self.assertRecordValues(
            exception,
            [
                {
                    "customer_decision": "accept_date",
                    "customer_message": "OK for us",
                    "state": "decided",
                }
            ],
        )
        self.assertEqual(order.fulfillment_promised_date, self.new_date)

    def test_second_answer_refused_when_already_decided(self):
        """A decision is made once; a second submit changes nothing."""
        order, exception = self._order_with_question()
        self.authenticate("kansai_buyer", "kansai_buyer")
        self.assertEqual(self._answer(order, exception).status_code, 303)
        again = self._answer(order, exception, decision="cancel_remaining")
        self.assertEqual(again.status_code, 409)
        self.assertIn("already answered", again.text)
        self.assertEqual(exception.customer_decision, "accept_date")

    def test_refused_when_exception_asks_nothing(self):
        """An exception that asks no decision refuses answers."""
        order, exception = self._order_with_question(decision_required=False)
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self._answer(order, exception)
        self.assertEqual(response.status_code, 409)
        self.assertFalse(exception.customer_decision)

    def test_refused_when_answer_tampered(self):
        """An answer that is not one of the choices is refused."""
        order, exception = self._order_with_question()
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self._answer(order, exception, decision="refund_everything")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(exception.customer_decision)

    def test_refused_when_exception_of_another_order(self):
        """An exception id of another order is unknown on this order."""
        order, _exception = self._order_with_question()
        _other_order, other_exception = self._order_with_question()
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self._answer(order, other_exception)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(other_exception.customer_decision)

    def test_refused_when_order_unknown(self):
        """An order that does not exist answers 404."""
        _order, exception = self._order_with_question()
        self.authenticate("kansai_buyer", "kansai_buyer")
        response = self.url_open(
            "/my/orders/999999/fulfillment/decision",
            data={
                "exception_id": exception.id,
                "decision": "accept_date",
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)

    def test_access_matrix_when_answering(self):
        """Own order: accepted; other's, public, wrong token: refused, no change."""
        own_order, own_exc = self._order_with_question()
        token = own_order._portal_ensure_token()
        cases = [
            # (login, order, token, expected status)
            ("tokyo_buyer", own_order, None, 403),
            ("tokyo_buyer", own_order, "wrong-token", 403),
            (None, own_order, None, 403),
            (None, own_order, "wrong-token", 403),
        ]
        for login, order, use_token, status in cases:
            with self.subTest(login=login, token=use_token):
                self.authenticate(login, login)
                response = self._answer(order, own_exc, token=use_token)
                self.assertEqual(response.status_code, status)
                self.assertFalse(own_exc.customer_decision)
        self.authenticate(None, None)
        response = self._answer(own_order, own_exc, token=token)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(own_exc.customer_decision, "accept_date")

    def test_other_customer_sees_nothing_when_browsing(self):
        """Another customer's order page and its question stay invisible."""
        order, exception = self._order_with_question()
        self.authenticate("tokyo_buyer", "tokyo_buyer")
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        listing = self.url_open("/my/orders")
        self.assertNotIn(order.name, listing.text)
        self.assertNotIn(exception.description, listing.text)


@tagged("post_install", "-at_install")
class TestDelayProposesDate(FulfillmentCommon):
    """A delay found by the scan asks the customer to accept the new date."""

    def test_date_change_opened_when_order_delayed(self):
        """The scan opens one date re-adjustment with the new expected date."""
        self._add_stock(self.product, 10)
        now = fields.Datetime.now().replace(microsecond=0)
        order = self._create_order(
            [(self.product, 2)], commitment_date=now + timedelta(days=2)
        )
        self.assertEqual(order.fulfillment_status, "preparing")
        order.picking_ids.scheduled_date = now + timedelta(days=6)
        self.assertTrue(order.fulfillment_is_delayed)
        order._fulfillment_alert()
        order._fulfillment_alert()
        exceptions = order.fulfillment_exception_ids
        self.assertEqual(len(exceptions), 1)
        self.assertRecordValues(
            exceptions,
            [
                {
                    "type": "date_change",
                    "new_date": now + timedelta(days=6),
                    "customer_decision_required": True,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(order.fulfillment_promised_date, now + timedelta(days=6))
        self.assertFalse(order.fulfillment_is_delayed)
