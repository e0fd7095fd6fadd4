# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, plaintext2html

from ..core.catalog import ROLES, STATUSES

# Selection fields take list(...) of these: Odoo stores (and translates) the
# labels of list selections only.

# What can go wrong on an order or a shipment (例外処理).
EXCEPTION_TYPES = (
    ("stockout", "Stockout"),
    ("spec_change", "Specification Change"),
    ("date_change", "Delivery Date Re-adjustment"),
    ("shipping_accident", "Shipping Accident"),
    ("return", "Return"),
    ("other", "Other"),
)
EXCEPTION_STATES = (
    ("open", "Open"),
    ("decided", "Decided"),
    ("cancelled", "Cancelled"),
)
# What the company decided when it resolved an exception.
DECISIONS = (
    ("new_date_accepted", "New Date Accepted"),
    ("partial_shipment", "Partial Shipment"),
    ("cancel_line", "Cancel Line"),
    ("replace_goods", "Replace Goods"),
    ("refund", "Refund"),
    ("other", "Other"),
)
# What a customer can answer when the decision is theirs (from the portal).
CUSTOMER_DECISIONS = (
    ("accept_date", "Accept the New Date"),
    ("accept_partial", "Accept a Partial Shipment Now"),
    ("cancel_remaining", "Cancel the Remaining Quantity"),
)
# The decision each customer answer leads to, to prefill the resolution.
CUSTOMER_DECISION_OUTCOMES = {
    "accept_date": "new_date_accepted",
    "accept_partial": "partial_shipment",
    "cancel_remaining": "cancel_line",
}
ACTIVITY_TYPE_XMLID = "sale_fulfillment_status.mail_activity_type_exception_decision"
HOLD_REASON_XMLID = "sale_fulfillment_status.hold_reason_exception"


class SaleFulfillmentException(models.Model):
    _name = "sale.fulfillment.exception"
    _description = "Fulfillment Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("state", "=", "sale")],
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        index="btree_not_null",
        tracking=True,
        domain="[('sale_id', '=', order_id)]",
        help="The shipment concerned, if any.",
    )
    partner_id = fields.Many2one(
        related="order_id.partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    type = fields.Selection(list(EXCEPTION_TYPES), required=True, tracking=True)
    state = fields.Selection(
        list(EXCEPTION_STATES),
        required=True,
        default="open",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    status_at_open = fields.Selection(
        list(STATUSES),
        string="Order Status When Opened",
        readonly=True,
        copy=False,
    )
    rule_id = fields.Many2one(
        "sale.fulfillment.exception.rule",
        string="Decision Rule",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The row of the decision matrix applied when the exception was opened.",
    )
    role = fields.Selection(list(ROLES), string="Decided By", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users",
        string="Decider",
        tracking=True,
        domain=[("share", "=", False)],
        help="Who decides. Empty when reporting: the decision rule's user, else "
        "the order's status responsible, else its salesperson.",
    )
    deadline = fields.Datetime(
        string="Decision Deadline",
        readonly=True,
        copy=False,
        help="When the exception was opened plus the time the rule allows.",
    )
    description = fields.Text(
        required=True, help="What happened, as the customer may be told."
    )
    new_date = fields.Datetime(
        string="Proposed New Date",
        copy=False,
        tracking=True,
        help="The new delivery date proposed to the customer.",
    )
    put_on_hold = fields.Boolean(
        string="Put Order on Hold",
        readonly=True,
        copy=False,
        help="This exception put the order on hold; resolving it releases the hold.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer Email",
        readonly=True,
        copy=False,
        help="The email sent to the customer when the exception was opened.",
    )
    customer_decision_required = fields.Boolean(
        readonly=True,
        copy=False,
        help="The customer chooses: accept the new date, accept a partial "
        "shipment now, or cancel the remaining quantity.",
    )
    customer_decision = fields.Selection(
        list(CUSTOMER_DECISIONS), readonly=True, copy=False, tracking=True
    )
    customer_decision_date = fields.Datetime(readonly=True, copy=False)
    customer_message = fields.Text(
        string="Customer's Message", readonly=True, copy=False
    )
    decision = fields.Selection(
        list(DECISIONS), readonly=True, copy=False, tracking=True
    )
    decision_note = fields.Text(readonly=True, copy=False)
    customer_told = fields.Text(
        string="What the Customer Was Told", readonly=True, copy=False
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Decided By User", readonly=True, copy=False
    )
    decided_on = fields.Datetime(readonly=True, copy=False)

    @api.constrains("order_id", "picking_id")
    def _check_picking_id(self):
        for exception in self:
            picking = exception.picking_id
            if picking and picking.sale_id != exception.order_id:
                raise ValidationError(
                    self.env._(
                        "Transfer %(picking)s does not belong to order %(order)s.",
                        picking=picking.name,
                        order=exception.order_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            order = self.env["sale.order"].browse(vals.get("order_id"))
            if order:
                self._check_order_open(order)
                vals.update(
                    self._prepare_open_vals(
                        order, vals.get("type"), vals.get("user_id")
                    )
                )
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("sale.fulfillment.exception")
                    or "/"
                )
        exceptions = super().create(vals_list)
        for exception in exceptions:
            exception._apply_rule()
        self.env["sale.fulfillment.webhook"]._queue_exceptions(exceptions)
        return exceptions

    def write(self, vals):
        result = super().write(vals)
        if vals.get("user_id"):
            self.filtered(lambda e: e.state == "open").activity_reschedule(
                [ACTIVITY_TYPE_XMLID], new_user_id=vals["user_id"]
            )
        return result

    def action_resolve(self):
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve %(exception)s", exception=self.name),
            "res_model": "sale.fulfillment.exception.resolve",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_exception_id": self.id,
                "default_decision": CUSTOMER_DECISION_OUTCOMES.get(
                    self.customer_decision
                ),
                "default_new_date": self.new_date,
            },
        }

    def action_cancel(self):
        """Withdraw open exceptions (reported by mistake): undo their hold."""
        for exception in self:
            exception._check_open()
        self.write({"state": "cancelled"})
        self.activity_unlink([ACTIVITY_TYPE_XMLID])
        self._release_order()
        for exception in self:
            exception._post_on_order(
                self.env._(
                    "Exception %(exception)s was cancelled.",
                    exception=exception._get_html_link(),
                )
            )
        return True

    # ------------------------------------------------------------------
    # Opening: the decision matrix
    # ------------------------------------------------------------------

    def _check_order_open(self, order):
        if order.state != "sale":
            raise UserError(
                self.env._(
                    "Exceptions are reported on confirmed orders; %(order)s is not "
                    "confirmed.",
                    order=order.name,
                )
            )

    @api.model
    def _prepare_open_vals(self, order, exception_type, user_id=False):
        """The values the decision matrix gives an exception opened now."""
        rule = self.env["sale.fulfillment.exception.rule"]._match(
            exception_type, order.fulfillment_status
        )
        user = (
            self.env["res.users"].browse(user_id)
            or rule.user_id
            or order.fulfillment_user_id
            or order.user_id
        )
        deadline = (
            fields.Datetime.now() + timedelta(hours=rule.decision_hours)
            if rule.decision_hours
            else False
        )
        return {
            "status_at_open": order.fulfillment_status,
            "rule_id": rule.id,
            "role": rule.role or "sales",
            "user_id": user.id,
            "deadline": deadline,
            "customer_decision_required": rule.customer_decision_required,
        }

    def _apply_rule(self):
        """Assign the decision, hold the order and tell the customer, per rule."""
        self.ensure_one()
        rule = self.rule_id
        self.activity_schedule(
            ACTIVITY_TYPE_XMLID,
            date_deadline=self._deadline_date(),
            summary=self.env._(
                "Decide: %(type)s on %(order)s",
                type=self._type_label(),
                order=self.order_id.name,
            ),
            note=plaintext2html(self.description or ""),
            user_id=self.user_id.id,
        )
        if rule.hold_order:
            self._hold_order()
        if rule.mail_template_id:
            sent = (
                self.order_id.sudo()
                .with_context(fulfillment_exception_id=self.id)
                ._fulfillment_notify_customer(
                    rule.mail_template_id, roles=rule.notify_role_ids
                )
            )
            if sent:
                self.mail_template_id = rule.mail_template_id
        self._post_on_order(
            self.env._(
                "Exception %(exception)s opened: %(type)s. %(user)s decides "
                "(%(role)s).",
                exception=self._get_html_link(),
                type=self._type_label(),
                user=self.user_id.name or "-",
                role=self._role_label(),
            )
        )

    def _deadline_date(self):
        """The activity's due date: the deadline's day for the decider."""
        self.ensure_one()
        if not self.deadline:
            return fields.Date.context_today(self)
        tz = self.user_id.tz or self.env.context.get("tz") or self.env.user.tz
        return fields.Datetime.context_timestamp(
            self.with_context(tz=tz), self.deadline
        ).date()

    def _hold_order(self):
        """Put the order on hold for this exception, unless held otherwise."""
        self.ensure_one()
        order = self.order_id.sudo()
        reason = self.env.ref(HOLD_REASON_XMLID)
        if order.fulfillment_status in ("done", "cancelled"):
            return
        held = order.fulfillment_hold_reason_id
        if held and held != reason:
            return  # held for another reason: that hold is not ours to release
        if not held:
            order.write(
                {
                    "fulfillment_hold_reason_id": reason.id,
                    "fulfillment_hold_note": self.env._(
                        "%(exception)s (%(type)s): %(description)s",
                        exception=self.name,
                        type=self._type_label(),
                        description=self.description,
                    ),
                }
            )
        self.put_on_hold = True

    def _release_order(self):
        """Release the holds these exceptions set, once no open one keeps them."""
        reason = self.env.ref(HOLD_REASON_XMLID)
        for order in self.filtered("put_on_hold").order_id:
            keeping = order.fulfillment_exception_ids.filtered(
                lambda e: e.state == "open" and e.put_on_hold
            )
            if not keeping and order.fulfillment_hold_reason_id == reason:
                order.sudo().write(
                    {
                        "fulfillment_hold_reason_id": False,
                        "fulfillment_hold_note": False,
                    }
                )

    # ------------------------------------------------------------------
    # Deciding
    # ------------------------------------------------------------------

    def _check_open(self):
        self.ensure_one()
        if self.state != "open":
            raise UserError(
                self.env._(
                    "Exception %(exception)s is %(state)s: only open exceptions can "
                    "be decided.",
                    exception=self.name,
                    state=self._selection_label("state"),
                )
            )

    def _resolve(self, decision, note=False, new_date=False, customer_told=False):
        """Record the decision, close the activity and release the hold."""
        self.ensure_one()
        self._check_open()
        if decision not in dict(DECISIONS):
            raise UserError(
                self.env._("Unknown decision: %(decision)s.", decision=decision)
            )
        new_date = new_date or self.new_date
        if decision == "new_date_accepted" and not new_date:
            raise UserError(
                self.env._(
                    "Give the new date the customer accepted to resolve %(exception)s.",
                    exception=self.name,
                )
            )
        self.write(
            {
                "state": "decided",
                "decision": decision,
                "decision_note": note,
                "new_date": new_date,
                "customer_told": customer_told,
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
            }
        )
        if decision == "new_date_accepted":
            self.order_id.sudo().fulfillment_promised_date = new_date
        self.activity_feedback(
            [ACTIVITY_TYPE_XMLID],
            feedback=self.env._(
                "Decision: %(decision)s", decision=self._selection_label("decision")
            ),
        )
        self._release_order()
        self._post_on_order(
            self.env._(
                "Exception %(exception)s decided: %(decision)s. %(note)s "
                "Customer told: %(told)s",
                exception=self._get_html_link(),
                decision=self._selection_label("decision"),
                note=note or "",
                told=customer_told or "-",
            )
        )
        return True

    def _apply_customer_decision(self, decision, message=False):
        """Record the customer's answer once and tell the decider.

        Accepting the new date also makes it the date told to the customer and
        resolves the exception; other answers leave the decision to the decider.
        Called by the portal (as superuser) with the customer's answer.
        """
        self.ensure_one()
        if self.customer_decision:
            raise UserError(
                self.env._(
                    "The customer already answered on exception %(exception)s: "
                    "%(decision)s.",
                    exception=self.name,
                    decision=self._selection_label("customer_decision"),
                )
            )
        self._check_open()
        if not self.customer_decision_required:
            raise UserError(
                self.env._(
                    "Exception %(exception)s does not wait for a customer decision.",
                    exception=self.name,
                )
            )
        if decision not in dict(CUSTOMER_DECISIONS):
            raise UserError(
                self.env._(
                    "Unknown customer decision: %(decision)s.", decision=decision
                )
            )
        if decision == "accept_date" and not self.new_date:
            raise UserError(
                self.env._(
                    "No new date was proposed on exception %(exception)s.",
                    exception=self.name,
                )
            )
        self.write(
            {
                "customer_decision": decision,
                "customer_decision_date": fields.Datetime.now(),
                "customer_message": message,
            }
        )
        label = self._selection_label("customer_decision")
        self.message_post(
            body=self.env._(
                "The customer answered: %(decision)s. %(message)s",
                decision=label,
                message=message or "",
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )
        if decision == "accept_date":
            self._resolve(
                "new_date_accepted",
                note=message,
                customer_told=self.env._(
                    "New date %(date)s proposed; the customer accepted it.",
                    date=format_date(self.env, self.new_date),
                ),
            )
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _action_report(self, order, picking=None):
        """The exception form in a dialog, for ``order`` (and ``picking``)."""
        if not order:
            raise UserError(
                self.env._(
                    "Transfer %(picking)s is not linked to a sales order: report "
                    "the exception on the order.",
                    picking=picking.name,
                )
            )
        context = {"default_order_id": order.id}
        if picking:
            context["default_picking_id"] = picking.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report Exception"),
            "res_model": "sale.fulfillment.exception",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _selection_label(self, field_name):
        self.ensure_one()
        selection = dict(self._fields[field_name]._description_selection(self.env))
        return selection.get(self[field_name], "")

    def _type_label(self):
        return self._selection_label("type")

    def _role_label(self):
        return self._selection_label("role")

    def _post_on_order(self, body):
        self.ensure_one()
        self.order_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
