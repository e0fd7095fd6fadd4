# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..core.catalog import ROLES, STATUSES

# What a status update needs of a status, cached per worker (see _rules())
StatusRule = namedtuple(
    "StatusRule",
    "id code active customer_status_id customer_code time_budget_hours assign_mode "
    "user_id",
)
# What the portal shows of a status, cached per worker and language (see
# _customer_texts())
CustomerText = namedtuple("CustomerText", "code label message")
NO_TEXT = CustomerText("", "", "")  # for an order without status
# Fields whose change must reach the cached rules and texts of every worker,
# and the transition rows made of the codes (a translation edit ends with a
# write of its field too)
CACHED_FIELDS = frozenset(
    {
        "code",
        "active",
        "customer_status_id",
        "time_budget_hours",
        "assign_mode",
        "user_id",
        "customer_label",
        "customer_message",
    }
)


class SaleFulfillmentStatus(models.Model):
    _name = "sale.fulfillment.status"
    _inherit = ["sale.fulfillment.cached.config"]
    _description = "Fulfillment Status"
    _fulfillment_cached_fields = CACHED_FIELDS
    _order = "sequence, id"

    code = fields.Selection(STATUSES, required=True, readonly=True)
    name = fields.Char(string="Internal Name", required=True, translate=True)
    customer_label = fields.Char(
        required=True,
        translate=True,
        help="What customers read on the portal and in emails.",
    )
    customer_status_id = fields.Many2one(
        "sale.fulfillment.status",
        string="Show Customers As",
        help="Customers see the label of this status instead, e.g. an internal "
        "credit check is shown to customers as 'Under Review'.",
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(
        string="Definition",
        translate=True,
        help="What the status means and when an order is in it.",
    )
    entry_trigger = fields.Text(
        translate=True, help="The business event that brings an order here."
    )
    exit_trigger = fields.Text(
        translate=True, help="The business event that moves an order on."
    )
    customer_message = fields.Text(
        string="What Happens Next",
        translate=True,
        help="One sentence for the customer: what happens next.",
    )
    owner_role = fields.Selection(ROLES, required=True, default="sales")
    time_budget_hours = fields.Float(
        string="Time Budget (Hours)",
        help="How long an order may stay in this status before it counts as late. "
        "0 means no limit.",
    )
    assign_mode = fields.Selection(
        [
            ("salesperson", "Salesperson of the Order"),
            ("user", "A Specific User"),
            ("round_robin", "Round-Robin Among Users"),
            ("team", "Round-Robin in the Order's Sales Team"),
        ],
        string="Assign To",
        required=True,
        default="salesperson",
        help="Who becomes responsible for an order entering this status.",
    )
    user_id = fields.Many2one("res.users", string="Responsible User")
    assign_user_ids = fields.Many2many(
        "res.users",
        "sale_fulfillment_status_assign_user_rel",
        "status_id",
        "user_id",
        string="Round-Robin Users",
    )
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    notify_customer = fields.Boolean(
        help="Email the customer when an order enters this status."
    )
    notify_delay = fields.Boolean(
        string="Email Delays",
        default=True,
        help="While an order is in this status, a delay is emailed to the customer.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "sale.order")],
        help="The email sent to the customer when an order enters this status.",
    )
    notify_role_ids = fields.Many2many(
        "sale.fulfillment.contact.role",
        string="Also Notify",
        help="Contacts of the customer with these roles get the email too.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    order_count = fields.Integer(compute="_compute_order_count")

    _code_unique = models.UniqueIndex("(code)", "Each status code exists only once.")
    _time_budget_positive = models.Constraint(
        "CHECK(time_budget_hours >= 0)", "A time budget cannot be negative."
    )

    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("fulfillment_status_id", "in", self.ids)],
                ["fulfillment_status_id"],
                ["__count"],
            )
        )
        for status in self:
            status.order_count = counts.get(status, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.env["sale.order"].search_count(
            [("fulfillment_status_id", "in", self.ids)], limit=1
        )
        if used:
            raise UserError(
                self.env._(
                    "A status cannot be deleted while orders are in it. "
                    "Archive it instead."
                )
            )

    def _customer_facing(self):
        """The status whose customer label customers see for ``self``."""
        self.ensure_one()
        return self.customer_status_id or self

    @api.constrains("assign_mode", "user_id", "assign_user_ids")
    def _check_assignment(self):
        for status in self:
            if status.assign_mode == "user" and not status.user_id:
                raise ValidationError(
                    self.env._(
                        "Status %(status)s assigns a specific user: choose the user.",
                        status=status.name,
                    )
                )
            if status.assign_mode == "round_robin" and not status.assign_user_ids:
                raise ValidationError(
                    self.env._(
                        "Status %(status)s assigns round-robin: choose the users.",
                        status=status.name,
                    )
                )

    def _assign_round_robin(self, order):
        """The next user of the round-robin for ``order`` entering this
        status (modes round_robin and team; the other modes are read from the
        cached rules, see sale.order._fulfillment_assign_user)."""
        self.ensure_one()
        users = (
            self.assign_user_ids
            if self.assign_mode == "round_robin"
            else order.team_id.member_ids
        ).sorted("id")
        if not users:
            return order.user_id
        last = self.last_assigned_user_id
        index = (list(users).index(last) + 1) if last in users else 0
        user = users[index % len(users)]
        self.sudo().last_assigned_user_id = user
        return user

    def _assignment_description(self):
        """The assignment rule in words, with the users it names."""
        self.ensure_one()
        mode = dict(self._fields["assign_mode"]._description_selection(self.env))
        users = {
            "user": self.user_id,
            "round_robin": self.assign_user_ids,
        }.get(self.assign_mode)
        if not users:
            return mode.get(self.assign_mode, "")
        return self.env._(
            "%(rule)s: %(users)s",
            rule=mode.get(self.assign_mode, ""),
            users=", ".join(users.mapped("name")),
        )

    @api.model
    def _customer_codes(self):
        """{code: the code of the status customers see instead}."""
        return {code: rule.customer_code for code, rule in self._rules().items()}

    @api.model
    def _by_code(self):
        """All statuses keyed by code (archived ones included)."""
        rules = self._rules()
        statuses = self.browse([rule.id for rule in rules.values()])
        return dict(zip(rules, statuses, strict=True))

    @api.model
    @tools.ormcache("self.env.lang")
    def _customer_texts(self):
        """{status id: CustomerText} of every status in the context language:
        the portal shows a label per order of a list and per step of the
        tracker, read once per worker and language instead of by every page
        (cleared when a label or message or its translation changes)."""
        statuses = (
            self.sudo().with_context(active_test=False).search([("code", "!=", False)])
        )
        return {
            status.id: CustomerText(
                status.code, status.customer_label or "", status.customer_message or ""
            )
            for status in statuses
        }

    @api.model
    @tools.ormcache()
    def _rules(self):
        """{code: StatusRule} of every status (archived ones included, in
        catalog order): what a status update reads of the statuses, read once
        per worker instead of by every transaction that changes a status
        (cleared when one of those fields changes)."""
        rules = {}
        statuses = (
            self.sudo().with_context(active_test=False).search([("code", "!=", False)])
        )
        for status in statuses:
            shown = status._customer_facing()
            rules[status.code] = StatusRule(
                id=status.id,
                code=status.code,
                active=status.active,
                customer_status_id=shown.id,
                customer_code=shown.code,
                time_budget_hours=status.time_budget_hours,
                assign_mode=status.assign_mode,
                user_id=status.user_id.id,
            )
        return rules
