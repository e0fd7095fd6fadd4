# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.fields import Domain

from ..core.catalog import ROLES
from .sale_fulfillment_exception import EXCEPTION_TYPES


class SaleFulfillmentExceptionRule(models.Model):
    """A row of the exception decision matrix: type and order status."""

    _name = "sale.fulfillment.exception.rule"
    _description = "Fulfillment Exception Decision Rule"
    _order = "type, sequence, id"

    sequence = fields.Integer(default=10)
    type = fields.Selection(list(EXCEPTION_TYPES), required=True)
    status_id = fields.Many2one(
        "sale.fulfillment.status",
        string="Order Status",
        ondelete="cascade",
        help="The order's status when the exception is opened. Empty: any status; "
        "a row for the exact status wins over it.",
    )
    role = fields.Selection(
        list(ROLES), string="Decided By", required=True, default="sales"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Decider",
        domain=[("share", "=", False)],
        help="Empty: the order's status responsible decides, else its salesperson.",
    )
    hold_order = fields.Boolean(
        string="Put Order on Hold",
        help="Hold the order until the exception is decided.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer Email",
        domain=[("model", "=", "sale.order")],
        help="Sent to the customer when the exception is opened. Empty: no email.",
    )
    notify_role_ids = fields.Many2many(
        "sale.fulfillment.contact.role",
        "sale_fulfillment_exception_rule_role_rel",
        "rule_id",
        "role_id",
        string="Also Notify",
        help="Contacts of the customer with these roles get the email too.",
    )
    decision_hours = fields.Float(
        string="Time to Decide (Hours)",
        help="The decision is due this long after the exception is opened. "
        "0 means today.",
    )
    customer_decision_required = fields.Boolean(
        help="The customer chooses: accept the new date, accept a partial shipment "
        "now, or cancel the remaining quantity.",
    )
    active = fields.Boolean(default=True)

    _decision_hours_positive = models.Constraint(
        "CHECK(decision_hours >= 0)", "The time to decide cannot be negative."
    )
    _type_status_unique = models.UniqueIndex(
        "(type, COALESCE(status_id, 0)) WHERE active",
        "The decision matrix has one row per exception type and order status.",
    )

    @api.depends("type", "status_id")
    def _compute_display_name(self):
        types = dict(self._fields["type"]._description_selection(self.env))
        for rule in self:
            rule.display_name = self.env._(
                "%(type)s / %(status)s",
                type=types.get(rule.type, ""),
                status=rule.status_id.name or self.env._("Any Status"),
            )

    @api.model
    def _match(self, exception_type, status_code):
        """The rule for an exception of ``exception_type`` opened in ``status_code``.

        A row for the exact status wins over a row for any status.
        """
        any_status = Domain("status_id", "=", False)
        if status_code:
            any_status |= Domain("status_id.code", "=", status_code)
        rules = self.search(Domain("type", "=", exception_type) & any_status)
        return rules.sorted(lambda rule: (not rule.status_id, rule.sequence, rule.id))[
            :1
        ]
