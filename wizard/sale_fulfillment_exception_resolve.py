# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..models.sale_fulfillment_exception import DECISIONS


class SaleFulfillmentExceptionResolve(models.TransientModel):
    _name = "sale.fulfillment.exception.resolve"
    _description = "Resolve a Fulfillment Exception"

    exception_id = fields.Many2one(
        "sale.fulfillment.exception", required=True, ondelete="cascade"
    )
    customer_decision = fields.Selection(related="exception_id.customer_decision")
    decision = fields.Selection(list(DECISIONS), required=True)
    new_date = fields.Datetime(help="The new delivery date the customer accepted.")
    note = fields.Text(help="Why, and what happens next.")
    customer_told = fields.Text(
        string="What the Customer Was Told",
        help="What was said or written to the customer about the decision.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.exception_id._resolve(
            self.decision,
            note=self.note,
            new_date=self.new_date,
            customer_told=self.customer_told,
        )
        return {"type": "ir.actions.act_window_close"}
