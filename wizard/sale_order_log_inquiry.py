# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..core.catalog import INQUIRY_CHANNELS, INQUIRY_KINDS


class SaleOrderLogInquiry(models.TransientModel):
    _name = "sale.order.log.inquiry"
    _description = "Log a Customer Inquiry"

    order_id = fields.Many2one("sale.order", required=True)
    fulfillment_status = fields.Selection(
        related="order_id.fulfillment_status", string="Status Now"
    )
    kind = fields.Selection(INQUIRY_KINDS, required=True, default="where_is_my_order")
    channel = fields.Selection(INQUIRY_CHANNELS, required=True, default="phone")
    note = fields.Text(help="What the customer asked, what they were told.")

    def action_confirm(self):
        self.ensure_one()
        self.env["sale.fulfillment.inquiry"].create(
            {
                "order_id": self.order_id.id,
                "kind": self.kind,
                "channel": self.channel,
                "note": self.note,
            }
        )
        return {"type": "ir.actions.act_window_close"}
