# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models, tools

from ..core.catalog import ROLES

# Hold reasons that wait for the customer (shown as "action needed" on the portal)
CUSTOMER_ACTION_HOLDS = ("missing_info", "customer_request")


class SaleFulfillmentHoldReason(models.Model):
    _name = "sale.fulfillment.hold.reason"
    _inherit = ["sale.fulfillment.cached.config"]
    _description = "Fulfillment Hold Reason"
    _fulfillment_cached_fields = frozenset({"code"})
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    customer_message = fields.Text(
        translate=True,
        help="What the customer is told, e.g. what is needed from them.",
    )
    customer_status_id = fields.Many2one(
        "sale.fulfillment.status",
        string="Show Customers As",
        help="Customers see this status instead of 'On Hold', e.g. an order "
        "held for a credit check shows customers 'Under Review'.",
    )
    role = fields.Selection(ROLES, required=True, default="sales")
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "Each hold reason code is unique.")

    @api.model
    @tools.ormcache()
    def _customer_action_ids(self):
        """Ids of the reasons (archived ones too) that wait for the customer:
        the portal's order list counts the orders held for them on every
        request, compared on the order's column instead of a join of the
        reasons by code (cleared when a reason is added, recoded or removed)."""
        return tuple(
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "in", CUSTOMER_ACTION_HOLDS)])
            .ids
        )
