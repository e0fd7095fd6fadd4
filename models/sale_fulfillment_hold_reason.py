# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..core.catalog import ROLES


class SaleFulfillmentHoldReason(models.Model):
    _name = "sale.fulfillment.hold.reason"
    _description = "Fulfillment Hold Reason"
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
