# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models, tools

# Locations where goods are held in the company's warehouses: the others
# (customers, vendors, production, inventory loss, views) are few, and are the
# ones a status asks about.
STOCK_USAGES = ("internal", "transit")


class StockLocation(models.Model):
    _inherit = "stock.location"

    @api.model
    @tools.ormcache()
    def _fulfillment_location_usages(self):
        """{usage: frozenset of ids} of the locations outside the warehouses
        (every usage but internal and transit). Whether a picking goes to or
        comes from a customer is asked for every picking a status or a page
        shows, and the facts query tests the usage of every move's locations:
        read once per worker instead of joining or reading the locations
        (cleared when a location's usage changes, or one is created outside
        the warehouses)."""
        locations = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([("usage", "not in", STOCK_USAGES)], ["usage"])
        )
        usages = {}
        for location in locations:
            usages.setdefault(location.usage, set()).add(location.id)
        return {usage: frozenset(ids) for usage, ids in usages.items()}

    @api.model
    def _fulfillment_customer_location_ids(self):
        """Ids of the customer locations."""
        return self._fulfillment_location_usages().get("customer", frozenset())

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("usage", "internal") not in STOCK_USAGES for vals in vals_list):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "usage" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)
