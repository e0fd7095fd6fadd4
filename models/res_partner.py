# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    fulfillment_notify = fields.Boolean(
        string="Order Status Emails",
        default=True,
        help="Send this customer the automatic order status emails (received, "
        "shipped, delay...). Set on the company: it applies to all its contacts.",
    )
    fulfillment_role_ids = fields.Many2many(
        "sale.fulfillment.contact.role",
        string="Order Contact Roles",
        help="The order status emails meant for these roles also go to this "
        "contact (e.g. receiving for shipment notices, accounts for billing).",
    )
