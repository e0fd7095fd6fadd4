# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleFulfillmentCarrierTransit(models.Model):
    """Transit time per carrier.

    Carriers (delivery.carrier) come with the optional Delivery app; this model
    refers to them by reference so that the addon does not force that app on
    companies that ship with their own vehicles.
    """

    _name = "sale.fulfillment.carrier.transit"
    _description = "Carrier Transit Time"
    _order = "company_id, id"

    carrier_ref = fields.Reference(
        selection="_selection_carrier_ref", string="Carrier", required=True
    )
    transit_days = fields.Integer(required=True, default=1)
    tracking_url = fields.Char(
        string="Tracking URL",
        help="Link to the carrier's tracking page; {ref} is replaced by the "
        "tracking number.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _transit_days_positive = models.Constraint(
        "CHECK(transit_days >= 0)", "Transit days cannot be negative."
    )

    @api.model
    def _selection_carrier_ref(self):
        if "delivery.carrier" in self.env:
            return [("delivery.carrier", self.env._("Carrier"))]
        return []

    @api.model
    def _row_for_picking(self, picking):
        carrier = picking.carrier_id if "carrier_id" in picking._fields else False
        if not carrier:
            return self.browse()
        return self.search(
            [
                ("carrier_ref", "=", f"delivery.carrier,{carrier.id}"),
                ("company_id", "in", [picking.company_id.id, False]),
            ],
            limit=1,
        )

    @api.model
    def _for_picking(self, picking):
        """Transit days configured for the picking's carrier, or None."""
        row = self._row_for_picking(picking)
        return row.transit_days if row else None

    @api.model
    def _tracking_url_pattern(self, picking):
        """Tracking page pattern of the picking's carrier ({ref}), or False."""
        return self._row_for_picking(picking).tracking_url or False
