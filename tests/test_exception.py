# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from ..models.sale_fulfillment_exception import DECISIONS, EXCEPTION_TYPES
from .common import FulfillmentCommon

NOW = datetime(2026, 3, 2, 16, 0)
TOKYO = timedelta(hours=9)  # the deciders' time zone (no daylight saving)
XMLID = "sale_fulfillment_status.%s"

# The default decision matrix, one row per type for an order in "received":
# type: (rule, role, hold, email template, hours, customer decision required)
MATRIX = {
    "stockout": (
        "exception_rule_stockout",
        "purchasing",
        False,
        "mail_template_exception_stockout",
        24,
        True,
    ),
    "spec_change": (
        "exception_rule_spec_change",
        "sales",
        True,
        "mail_template_exception_spec_change",
        48,
        False,
    ),
    "date_change": (
        "exception_rule_date_change",
        "sales",
        False,
        "mail_template_exception_date_change",
        24,
        True,
    ),
    "shipping_accident": (
        "exception_rule_shipping_accident",
        "customer_service",
        False,
        "mail_template_exception_shipping_accident",
        24,
        False,
    ),
    "return": (
        "exception_rule_return",
        "customer_service",
        False,
        "mail_template_exception_return",
        48,
        False,
    ),
    "other": (
        "exception_rule_other",
        "sales",
        False,
        "mail_template_exception_other",
        48,
        False,
    ),
}


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestException(FulfillmentCommon):
    """The exception register: the decision matrix, deciding, customer answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="exc_salesperson",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Tokyo",
        )
        cls.buyer = new_test_user(
            cls.env,
            login="exc_buyer",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Tokyo",
        )
        cls.warehouse_user = new_test_user(
            cls.env,
            login="exc_warehouse",
            groups="stock.group_stock_user",
            tz="Asia/Tokyo",
        )
        cls.exception_hold = cls.env.ref(XMLID % "hold_reason_exception")
        cls.decision_type = cls.env.ref(XMLID % "mail_activity_type_exception_decision")
        cls.new_date = datetime(2026, 3, 20, 1, 0)

    def _order(self, **vals):
        """A confirmed order of goods not in stock: status received."""
        return self._create_order(
            [(self.product, 5)], user_id=self.salesperson.id, **vals
        )

    def _open(self, order, exception_type, user=None, **vals):
        return (
            self.env["sale.fulfillment.exception"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "order_id": order.id,
                    "type": exception_type,
                    "description": "Steel Bracket: 3 of the 5 pieces are short.",
                }
                | vals
            )
        )

    def _resolve(self, exception, decision="partial_shipment", **vals):
        wizard = self.env["sale.fulfillment.exception.resolve"].with_user(
            exception.env.user
        )
        wizard.create(
            {"exception_id": exception.id, "decision": decision} | vals
        ).action_confirm()

    def _emails(self, order, template_xmlid):
        """The customer emails of ``template_xmlid`` in the order's chatter."""
        template = self.env.ref(XMLID % template_xmlid)
        subject = template._render_field("subject", order.ids)[order.id]
        return order.message_ids.filtered(lambda m: m.subject == subject)

    def test_matrix_row_followed_when_exception_opened(self):
        """Each exception type gets its row: decider, hold, email, activity."""
        self.assertEqual(set(MATRIX), {code for code, _label in EXCEPTION_TYPES})
        for exception_type, row in MATRIX.items():
            rule_xmlid, role, hold, template_xmlid, hours, decision = row
            with self.subTest(exception_type=exception_type):
                order = self._order()
                decider = order.fulfillment_user_id
                self.assertEqual(decider, self.salesperson)
                exception = self._open(order, exception_type)
                self.assertRecordValues(
                    exception,
                    [
                        {
                            "state": "open",
                            "status_at_open": "received",
                            "rule_id": self.env.ref(XMLID % rule_xmlid).id,
                            "role": role,
                            "user_id": decider.id,
                            "deadline": NOW + timedelta(hours=hours),
                            "put_on_hold": hold,
                            "mail_template_id": self.env.ref(XMLID % template_xmlid).id,
                            "customer_decision_required": decision,
                        }
                    ],
                )
                self.assertRecordValues(
                    exception.activity_ids,
                    [
                        {
                            "activity_type_id": self.decision_type.id,
                            "user_id": decider.id,
                            "date_deadline": (
                                NOW + timedelta(hours=hours) + TOKYO
                            ).date(),
                        }
                    ],
                )
                self.assertEqual(
                    order.fulfillment_hold_reason_id,
                    self.exception_hold if hold else self.exception_hold.browse(),
                )
                self.assertEqual(
                    order.fulfillment_status, "on_hold" if hold else "received"
                )
                email = self._emails(order, template_xmlid)
                self.assertEqual(len(email), 1)
                self.assertEqual(email.partner_ids, self.customer)
                self.assertIn(exception.description, email.body)
                self.assertEqual("partial shipment now" in email.body, decision)

    def test_labels_translatable_when_module_installed(self):
        """The type and decision labels are stored, so the UI shows them."""
        labels = self.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "sale.fulfillment.exception"),
                ("field_id.name", "in", ("type", "decision")),
            ]
        )
        self.assertEqual(
            set(labels.mapped("name")),
            {label for _code, label in EXCEPTION_TYPES + DECISIONS},
        )

    def test_status_row_wins_when_type_and_status_rows_match(self):
        """A row for the order's exact status beats the type's any-status row."""
        rule = self.env["sale.fulfillment.exception.rule"].create(
            {
                "type": "date_change",
                "status_id": self.env.ref(XMLID % "status_received").id,
                "role": "warehouse",
                "hold_order": True,
                "decision_hours": 4,
                "sequence": 99,
            }
        )
        order = self._order()
        exception = self._open(order, "date_change")
        self.assertRecordValues(
            exception,
            [
                {
                    "rule_id": rule.id,
                    "role": "warehouse",
                    "put_on_hold": True,
                    "deadline": NOW + timedelta(hours=4),
                    "mail_template_id": False,
                }
            ],
        )

    def test_warehouse_decides_stockout_when_order_preparing(self):
        """A stockout found while preparing follows the preparing row."""
        self._add_stock(self.product, 5)
        order = self._order()
        self.assertEqual(order.fulfillment_status, "preparing")
        exception = self._open(order, "stockout")
        self.assertRecordValues(
            exception,
            [
                {
                    "rule_id": self.env.ref(
                        XMLID % "exception_rule_stockout_preparing"
                    ).id,
                    "role": "warehouse",
                    "status_at_open": "preparing",
                    "deadline": NOW + timedelta(hours=8),
                }
            ],
        )

    def test_rule_user_decides_when_rule_names_one(self):
        """A user named on the rule decides, before the order's responsible."""
        self.env.ref(XMLID % "exception_rule_stockout").user_id = self.buyer
        exception = self._open(self._order(), "stockout")
        self.assertEqual(exception.user_id, self.buyer)
        self.assertEqual(exception.activity_ids.user_id, self.buyer)

    def test_status_responsible_decides_when_rule_names_nobody(self):
        """Without a rule user, the order's status responsible decides."""
        order = self._order()
        order.fulfillment_user_id = self.buyer
        exception = self._open(order, "stockout")
        self.assertEqual(exception.user_id, self.buyer)

    def test_salesperson_decides_when_order_has_no_responsible(self):
        """Without a rule user or a status responsible, the salesperson decides."""
        order = self._order()
        order.fulfillment_user_id = False
        exception = self._open(order, "stockout")
        self.assertEqual(exception.user_id, self.salesperson)

    def test_no_email_when_rule_has_no_template(self):
        """A rule without an email template sends the customer nothing."""
        self.env.ref(XMLID % "exception_rule_other").mail_template_id = False
        order = self._order()
        exception = self._open(order, "other")
        self.assertFalse(exception.mail_template_id)
        self.assertFalse(self._emails(order, "mail_template_exception_other"))

    def test_no_email_when_customer_switched_off(self):
        """Customers who switched order emails off get no exception email."""
        self.customer.fulfillment_notify = False
        order = self._order()
        exception = self._open(order, "stockout")
        self.assertFalse(exception.mail_template_id)
        self.assertFalse(self._emails(order, "mail_template_exception_stockout"))

    def test_email_shows_new_date_when_proposed(self):
        """The proposed new date is in the email the customer gets."""
        order = self._order()
        exception = self._open(order, "date_change", new_date=self.new_date)
        email = self._emails(order, "mail_template_exception_date_change")
        self.assertIn("03/20/2026", email.body)
        self.assertEqual(order.fulfillment_notify_exception_id, exception)

    def test_decision_recorded_when_resolved(self):
        """Resolving records the decision and who took it, and closes the task."""
        order = self._order()
        exception = self._open(order, "stockout")
        wizard = Form.from_action(exception.env, exception.action_resolve())
        wizard.decision = "partial_shipment"
        wizard.note = "Ship the 2 pieces in stock now."
        wizard.customer_told = "2 pieces today, 3 next week."
        wizard.save().action_confirm()
        self.assertRecordValues(
            exception,
            [
                {
                    "state": "decided",
                    "decision": "partial_shipment",
                    "decision_note": "Ship the 2 pieces in stock now.",
                    "customer_told": "2 pieces today, 3 next week.",
                    "decided_by_id": self.salesperson.id,
                    "decided_on": NOW,
                }
            ],
        )
        self.assertFalse(exception.activity_ids)
        done = exception.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.decision_type
        )
        self.assertEqual(len(done), 1)
        self.assertEqual(order.fulfillment_open_exception_count, 0)

    def test_hold_released_when_resolved(self):
        """Resolving an exception that held the order releases it."""
        order = self._order()
        exception = self._open(order, "spec_change")
        self.assertEqual(order.fulfillment_status, "on_hold")
        self._resolve(exception, "other", note="New drawing accepted.")
        self.assertFalse(order.fulfillment_hold_reason_id)
        self.assertEqual(order.fulfillment_status, "received")

    def test_hold_kept_when_another_exception_still_holds(self):
        """The hold stays until the last exception holding the order is decided."""
        order = self._order()
        first = self._open(order, "spec_change")
        second = self._open(order, "spec_change")
        self.assertTrue(second.put_on_hold)
        self._resolve(first, "other")
        self.assertEqual(order.fulfillment_hold_reason_id, self.exception_hold)
        self._resolve(second, "other")
        self.assertFalse(order.fulfillment_hold_reason_id)

    def test_other_hold_kept_when_exception_resolved(self):
        """An order already held for another reason keeps that hold."""
        order = self._order()
        self._hold(order)
        exception = self._open(order, "spec_change")
        self.assertFalse(exception.put_on_hold)
        self._resolve(exception, "other")
        self.assertEqual(order.fulfillment_hold_reason_id, self.hold_reason)

    def test_hold_released_when_exception_cancelled(self):
        """Cancelling an exception reported by mistake releases its hold."""
        order = self._order()
        exception = self._open(order, "spec_change")
        exception.action_cancel()
        self.assertEqual(exception.state, "cancelled")
        self.assertFalse(exception.activity_ids)
        self.assertFalse(order.fulfillment_hold_reason_id)

    def test_resolve_fails_when_already_decided(self):
        """Resolving a decided exception fails and changes nothing."""
        order = self._order()
        exception = self._open(order, "stockout")
        self._resolve(exception, "partial_shipment", customer_told="2 now.")
        promised = order.fulfillment_promised_date
        with self.assertRaisesRegex(UserError, "only open exceptions"):
            self._resolve(exception, "new_date_accepted", new_date=self.new_date)
        with self.assertRaises(UserError):
            exception.action_resolve()
        self.assertRecordValues(
            exception,
            [
                {
                    "decision": "partial_shipment",
                    "customer_told": "2 now.",
                    "new_date": False,
                }
            ],
        )
        self.assertEqual(order.fulfillment_promised_date, promised)

    def test_resolve_fails_when_new_date_missing(self):
        """Accepting a new date needs the date; the exception stays open."""
        exception = self._open(self._order(), "date_change")
        with self.assertRaisesRegex(UserError, "new date"):
            self._resolve(exception, "new_date_accepted")
        self.assertRecordValues(exception, [{"state": "open", "decision": False}])
        self.assertEqual(len(exception.activity_ids), 1)

    def test_promised_date_set_when_new_date_accepted(self):
        """A new date accepted becomes the date told to the customer."""
        order = self._order()
        exception = self._open(order, "date_change")
        self._resolve(exception, "new_date_accepted", new_date=self.new_date)
        self.assertEqual(exception.new_date, self.new_date)
        self.assertEqual(order.fulfillment_promised_date, self.new_date)

    def test_customer_accept_date_resolves_when_date_proposed(self):
        """The customer accepting the new date sets it on the order and resolves."""
        order = self._order()
        exception = self._open(order, "date_change", new_date=self.new_date)
        exception.sudo()._apply_customer_decision("accept_date", "Fine for us.")
        self.assertRecordValues(
            exception,
            [
                {
                    "customer_decision": "accept_date",
                    "customer_decision_date": NOW,
                    "customer_message": "Fine for us.",
                    "state": "decided",
                    "decision": "new_date_accepted",
                }
            ],
        )
        self.assertEqual(order.fulfillment_promised_date, self.new_date)
        self.assertFalse(exception.activity_ids)

    def test_customer_decision_fails_when_made_twice(self):
        """A customer answers once: a second answer fails and changes nothing."""
        order = self._order()
        exception = self._open(order, "date_change", new_date=self.new_date)
        exception.sudo()._apply_customer_decision("accept_date")
        with self.assertRaisesRegex(UserError, "already answered"):
            exception.sudo()._apply_customer_decision("cancel_remaining")
        self.assertEqual(exception.customer_decision, "accept_date")
        self.assertEqual(order.fulfillment_promised_date, self.new_date)

    def test_decider_notified_when_customer_accepts_partial(self):
        """A partial shipment accepted stays open and notifies the decider."""
        exception = self._open(self._order(), "stockout")
        exception.sudo()._apply_customer_decision("accept_partial", "Send 2 now.")
        self.assertRecordValues(
            exception, [{"state": "open", "customer_decision": "accept_partial"}]
        )
        note = exception.message_ids.filtered(lambda m: "Send 2 now." in (m.body or ""))
        self.assertEqual(note.partner_ids, self.salesperson.partner_id)
        action = exception.action_resolve()
        self.assertEqual(action["context"]["default_decision"], "partial_shipment")

    def test_customer_decision_fails_when_not_expected(self):
        """An exception whose rule needs no customer decision refuses one."""
        exception = self._open(self._order(), "spec_change")
        with self.assertRaisesRegex(UserError, "does not wait"):
            exception.sudo()._apply_customer_decision("accept_partial")
        self.assertFalse(exception.customer_decision)

    def test_customer_accept_date_fails_when_no_date_proposed(self):
        """A customer cannot accept a new date nobody proposed."""
        exception = self._open(self._order(), "date_change")
        with self.assertRaisesRegex(UserError, "No new date"):
            exception.sudo()._apply_customer_decision("accept_date")
        self.assertRecordValues(
            exception, [{"state": "open", "customer_decision": False}]
        )

    def test_open_fails_when_order_not_confirmed(self):
        """Exceptions are reported on confirmed orders only."""
        quotation = self._create_order([(self.product, 5)], confirm=False)
        with self.assertRaisesRegex(UserError, "not confirmed"):
            self._open(quotation, "stockout")
        self.assertFalse(quotation.fulfillment_exception_ids)

    def test_open_fails_when_transfer_of_another_order(self):
        """The transfer of an exception must belong to its order."""
        other = self._order()
        with self.assertRaises(ValidationError):
            self._open(
                self._order(), "shipping_accident", picking_id=other.picking_ids.id
            )

    def test_open_exceptions_counted_when_opened_and_decided(self):
        """Orders and transfers count their open exceptions; the filter finds them."""
        order = self._order()
        picking = order.picking_ids
        first = self._open(order, "stockout")
        second = self._open(order, "shipping_accident", picking_id=picking.id)
        self.assertEqual(order.fulfillment_open_exception_count, 2)
        self.assertEqual(picking.fulfillment_open_exception_count, 1)
        filtered = [("fulfillment_open_exception_count", ">", 0)]
        self.assertIn(order, self.env["sale.order"].search(filtered))
        self._resolve(first)
        second.action_cancel()
        self.assertEqual(order.fulfillment_open_exception_count, 0)
        self.assertEqual(picking.fulfillment_open_exception_count, 0)
        self.assertNotIn(order, self.env["sale.order"].search(filtered))

    def test_warehouse_user_reports_when_only_stock_rights(self):
        """A warehouse user reports from a transfer: hold, email and task follow."""
        order = self._order()
        picking = order.picking_ids.with_user(self.warehouse_user)
        action = picking.action_fulfillment_report_exception()
        form = Form.from_action(picking.env, action)
        form.type = "spec_change"
        form.description = "Customer sent a new drawing."
        exception = form.save()
        self.assertRecordValues(
            exception,
            [
                {
                    "order_id": order.id,
                    "picking_id": picking.id,
                    "put_on_hold": True,
                    "mail_template_id": self.env.ref(
                        XMLID % "mail_template_exception_spec_change"
                    ).id,
                }
            ],
        )
        self.assertEqual(order.fulfillment_hold_reason_id, self.exception_hold)
        self.assertEqual(exception.activity_ids.user_id, self.salesperson)

    def test_warehouse_user_resolves_when_only_stock_rights(self):
        """A warehouse user records a decision and releases the hold."""
        order = self._order()
        exception = self._open(order, "spec_change", user=self.warehouse_user)
        self._resolve(exception, "replace_goods")
        self.assertEqual(exception.decided_by_id, self.warehouse_user)
        self.assertFalse(order.fulfillment_hold_reason_id)

    def test_activity_moved_when_decider_changed(self):
        """Handing an open exception to another decider moves the task."""
        exception = self._open(self._order(), "stockout")
        exception.user_id = self.buyer
        self.assertEqual(exception.activity_ids.user_id, self.buyer)
