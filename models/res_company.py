# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fulfillment_transit_days = fields.Integer(
        string="Default Transit Days",
        default=1,
        help="Days between shipping and delivery when the carrier has no transit "
        "time of its own. 0 confirms delivery as soon as the shipment is "
        "validated.",
    )

    fulfillment_handling_days = fields.Integer(
        string="Handling Days",
        default=1,
        help="Days between goods arriving from a vendor or production and their "
        "shipment to the customer, used for the expected date.",
    )

    fulfillment_tracking_url = fields.Char(
        string="Default Tracking URL",
        help="Tracking page of the company's usual carrier, with {ref} where the "
        "tracking number goes; used when the carrier has none of its own.",
    )

    _fulfillment_transit_days_positive = models.Constraint(
        "CHECK(fulfillment_transit_days >= 0)", "Transit days cannot be negative."
    )
