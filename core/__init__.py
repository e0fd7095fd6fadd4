"""Pure-Python status rules of sale_fulfillment_status (no Odoo import)."""
