# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class SaleFulfillmentCachedConfig(models.AbstractModel):
    """Configuration read through ``tools.ormcache`` by every status update
    or portal page (statuses, flows, transitions, hold reasons, webhooks):
    adding or removing a record, or changing one of the fields the caches
    read, clears the caches of every worker."""

    _name = "sale.fulfillment.cached.config"
    _description = "Fulfillment Configuration Read From Cache"

    # the fields whose change clears the caches; None: any field
    _fulfillment_cached_fields = None

    def _fulfillment_clear_cache(self):
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        self._fulfillment_clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        cached = self._fulfillment_cached_fields
        if cached is None or not cached.isdisjoint(vals):
            self._fulfillment_clear_cache()
        return super().write(vals)

    def unlink(self):
        self._fulfillment_clear_cache()
        return super().unlink()
