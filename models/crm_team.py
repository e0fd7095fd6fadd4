# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    fulfillment_late_count = fields.Integer(
        string="Late Orders", compute="_compute_fulfillment_counts"
    )
    fulfillment_hold_count = fields.Integer(
        string="Orders On Hold", compute="_compute_fulfillment_counts"
    )

    def _compute_fulfillment_counts(self):
        orders = self.env["sale.order"]
        late = dict(
            orders._read_group(
                [("team_id", "in", self.ids), ("fulfillment_is_late", "=", True)],
                ["team_id"],
                ["__count"],
            )
        )
        held = dict(
            orders._read_group(
                [("team_id", "in", self.ids), ("fulfillment_status", "=", "on_hold")],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.fulfillment_late_count = late.get(team, 0)
            team.fulfillment_hold_count = held.get(team, 0)

    def _fulfillment_orders_action(self, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_fulfillment_status.sale_order_action_fulfillment"
        )
        action["domain"] = [("team_id", "=", self.id)] + domain
        action["context"] = {"search_default_group_fulfillment_status": 1}
        return action

    def action_view_fulfillment_late(self):
        return self._fulfillment_orders_action([("fulfillment_is_late", "=", True)])

    def action_view_fulfillment_hold(self):
        return self._fulfillment_orders_action([("fulfillment_status", "=", "on_hold")])
