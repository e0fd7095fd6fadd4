# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..core.catalog import FULFILLMENT_TYPES
from ..core.flows import FLOW_STEPS


class SaleFulfillmentFlow(models.Model):
    _name = "sale.fulfillment.flow"
    _description = "Fulfillment Flow"
    _order = "sequence, id"

    code = fields.Selection(FULFILLMENT_TYPES, required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    status_ids = fields.Many2many(
        "sale.fulfillment.status",
        compute="_compute_status_ids",
        string="Statuses",
        help="The statuses of this flow, in order.",
    )
    transition_ids = fields.One2many("sale.fulfillment.transition", "flow_id")
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "Each flow exists only once.")

    @api.depends("code")
    def _compute_status_ids(self):
        by_code = self.env["sale.fulfillment.status"]._by_code()
        for flow in self:
            flow.status_ids = [
                by_code[code].id
                for code in FLOW_STEPS.get(flow.code, ())
                if code in by_code
            ]

    @api.model
    def _transition_rows(self):
        """The configured transitions as plain tuples for the core engine."""
        transitions = self.env["sale.fulfillment.transition"].search(
            [("flow_id.active", "=", True)]
        )
        return transitions._as_core_rows()
