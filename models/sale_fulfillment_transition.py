# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.catalog import ROLES, TRIGGERS
from ..core.flows import FLOW_STEPS, Transition


class SaleFulfillmentTransition(models.Model):
    _name = "sale.fulfillment.transition"
    _inherit = ["sale.fulfillment.cached.config"]
    _description = "Fulfillment Transition"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one(
        "sale.fulfillment.flow", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    from_status_id = fields.Many2one(
        "sale.fulfillment.status", string="From", required=True, ondelete="restrict"
    )
    to_status_id = fields.Many2one(
        "sale.fulfillment.status", string="To", required=True, ondelete="restrict"
    )
    trigger = fields.Selection(TRIGGERS, required=True)
    event = fields.Char(
        translate=True, help="The business event that moves the order, in words."
    )
    detection = fields.Char(
        string="Detected By",
        translate=True,
        help="What in Odoo detects the event.",
    )
    role = fields.Selection(
        ROLES, required=True, help="Who is responsible for the next step."
    )
    active = fields.Boolean(default=True)

    _flow_from_to_unique = models.UniqueIndex(
        "(flow_id, from_status_id, to_status_id)",
        "A flow has one transition between two statuses.",
    )

    @api.constrains("flow_id", "from_status_id", "to_status_id")
    def _check_statuses_in_flow(self):
        for transition in self:
            steps = FLOW_STEPS.get(transition.flow_id.code, ())
            for status in transition.from_status_id | transition.to_status_id:
                if status.code not in steps:
                    raise ValidationError(
                        self.env._(
                            "Status %(status)s is not part of the %(flow)s flow.",
                            status=status.name,
                            flow=transition.flow_id.name,
                        )
                    )
            if transition.from_status_id == transition.to_status_id:
                raise ValidationError(
                    self.env._("A transition must lead to another status.")
                )

    def _as_core_rows(self):
        return tuple(
            Transition(
                t.flow_id.code,
                t.from_status_id.code,
                t.to_status_id.code,
                t.trigger,
                t.role,
            )
            for t in self
        )
