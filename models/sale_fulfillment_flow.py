# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from markupsafe import Markup

from odoo import api, fields, models, tools

from ..core.catalog import FULFILLMENT_TYPES
from ..core.diagram import Branch, flow_diagram
from ..core.flows import CANCELLED, FLOW_STEPS, HOLD, is_open


class SaleFulfillmentFlow(models.Model):
    _name = "sale.fulfillment.flow"
    _inherit = ["sale.fulfillment.cached.config"]
    _description = "Fulfillment Flow"
    _fulfillment_cached_fields = frozenset({"active", "code"})
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
    diagram_svg = fields.Html(
        string="Transition Diagram",
        compute="_compute_diagram_svg",
        sanitize=False,
        help="Drawn from the flow's statuses and transitions, in flow order.",
    )

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

    @api.depends(
        "code",
        "name",
        "transition_ids.from_status_id",
        "transition_ids.to_status_id",
        "transition_ids.trigger",
        "transition_ids.active",
    )
    @api.depends_context("lang")
    def _compute_diagram_svg(self):
        for flow in self:
            # built by the core from escaped text only: safe to render as is
            flow.diagram_svg = Markup(flow._diagram_svg())

    def action_print_definition_document(self):
        """Print the definition document: the selected flows, else all."""
        flows = self or self.search([("code", "!=", False)])
        return self.env.ref(
            "sale_fulfillment_status.action_report_definition_document"
        ).report_action(flows)

    def _diagram_svg(self):
        """The flow's transition diagram (SVG), in the user's language."""
        self.ensure_one()
        triggers = dict(
            self.env["sale.fulfillment.transition"]
            ._fields["trigger"]
            ._description_selection(self.env)
        )
        statuses = [
            (status.code, (status.name, status.customer_label or ""))
            for status in self.status_ids
        ]
        transitions = [
            (t.from_status_id.code, t.to_status_id.code, triggers.get(t.trigger, ""))
            for t in self.transition_ids
            if t.active
        ]
        by_code = self.env["sale.fulfillment.status"]._by_code()
        open_codes = tuple(
            code for code in FLOW_STEPS.get(self.code, ()) if is_open(code)
        )
        branches = [
            Branch(
                code,
                by_code[code].name if code in by_code else code,
                triggers[trigger],
                open_codes,
                triggers[back] if back else "",
            )
            for code, trigger, back in (
                (HOLD, "hold", "released"),
                (CANCELLED, "cancelled", ""),
            )
        ]
        return flow_diagram(
            statuses,
            transitions,
            branches,
            id_prefix=f"sfs-{self.code or self.id}",
            title=self.name or "",
        )

    @api.model
    @tools.ormcache()
    def _transition_rows(self):
        """The configured transitions as plain tuples for the core engine.

        Cached per worker (plain tuples, no records): every status update
        reads them. Changing a flow, a transition or a status code clears it.
        """
        transitions = (
            self.env["sale.fulfillment.transition"]
            .sudo()
            .search([("flow_id.active", "=", True)])
        )
        return transitions._as_core_rows()
