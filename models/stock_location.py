# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models, tools


class StockLocation(models.Model):
    _inherit = "stock.location"

    @api.model
    @tools.ormcache()
    def _fulfillment_customer_location_ids(self):
        """Ids of the customer locations. Whether a picking goes to or comes
        from a customer is asked for every picking a status or a page shows:
        read once per worker instead of each picking's two locations
        (cleared when a location becomes, or is created as, a customer one)."""
        return frozenset(
            self.sudo()
            .with_context(active_test=False)
            .search([("usage", "=", "customer")])
            .ids
        )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("usage") == "customer" for vals in vals_list):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "usage" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)
