# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class SaleFulfillmentContactRole(models.Model):
    _name = "sale.fulfillment.contact.role"
    _description = "Customer Contact Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "Each contact role code is unique.")
