# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class SaleOrderHold(models.TransientModel):
    _name = "sale.order.hold"
    _description = "Put Orders on Hold"

    order_ids = fields.Many2many("sale.order", required=True)
    reason_id = fields.Many2one("sale.fulfillment.hold.reason", required=True)
    note = fields.Text(help="What is missing or what the customer asked for.")

    def action_confirm(self):
        self.ensure_one()
        self.order_ids._fulfillment_hold(self.reason_id, self.note)
        return {"type": "ir.actions.act_window_close"}
