# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders told a date before 19.0.1.2.0 get their first date told from the
tracking of that date, so on-time shipping is measured for them too."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sale.order"]._fulfillment_init_first_promised_date()
