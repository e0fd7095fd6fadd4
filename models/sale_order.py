# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import logging
from datetime import timedelta

import babel.dates
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.float_utils import float_compare
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from ..core.catalog import (
    BILLING_STATUSES,
    FULFILLMENT_TYPES,
    REASONS,
    STATUSES,
)
from ..core.engine import (
    UPSTREAM_DATE_STATUSES,
    OrderFacts,
    classify_billing,
    classify_order,
    classify_order_type,
    expected_date,
    is_delayed,
    is_split,
)
from ..core.flows import FLOW_STEPS, flow_steps, resolve_trigger
from ..core.measures import (
    ON_TIME_STATES,
    classify_on_time,
    fully_shipped_date,
    track_promised_date,
)
from .sale_fulfillment_hold_reason import CUSTOMER_ACTION_HOLDS
from .sale_fulfillment_status import NO_TEXT
from .sale_order_line import remaining_qty
from .utils import cached_columns, copy_column, locked_batches, schedule_alerts

_logger = logging.getLogger(__name__)

PAID_STATES = ("paid", "in_payment", "reversed")
# Portal badge colour per status (the others: text-bg-primary)
PORTAL_BADGE_CLASSES = {
    "done": "text-bg-success",
    "shipped": "text-bg-info",
    "partially_shipped": "text-bg-info",
    "on_hold": "text-bg-warning",
    "cancelled": "text-bg-secondary",
}
# what a portal badge shows of an order (see _fulfillment_badge_values)
PORTAL_BADGE_FIELDS = (
    "fulfillment_status",
    "fulfillment_customer_status_id",
    "fulfillment_expected_date",
)
PORTAL_BADGE_HTML = Markup(
    '<span class="badge rounded-pill o_fulfillment_status_badge {css}" '
    'data-status="{code}">{label}</span>'
)
# The fields the status update reads of each order (read together). The
# fields it computes are read too: a value assigned equal to the one in cache
# is not written, so an order whose status did not change is not updated.
STATUS_INPUT_FIELDS = (
    "state",
    "user_id",
    "team_id",
    "fulfillment_hold_reason_id",
    "fulfillment_type_override",
    "fulfillment_type",
    "fulfillment_reason",
    "fulfillment_status_id",
    "fulfillment_customer_status_id",
    "fulfillment_is_split",
    "fulfillment_status",
    "fulfillment_status_date",
    "fulfillment_deadline",
    "fulfillment_user_id",
    "fulfillment_is_late",
)
# The fields the delay scan reads of each order (read together, per batch)
SCAN_FIELDS = (
    "name",
    "user_id",
    "fulfillment_status",
    "fulfillment_status_id",
    "fulfillment_status_date",
    "fulfillment_deadline",
    "fulfillment_is_late",
    "fulfillment_late_alerted_deadline",
    "fulfillment_user_id",
    "fulfillment_is_delayed",
    "fulfillment_expected_date",
    "fulfillment_delay_notified_date",
    "fulfillment_promised_date",
    "commitment_date",
)


@functools.lru_cache(maxsize=64)
def _day_pattern(lang_code, date_format):
    """(babel locale, parsed date pattern) of a language's date format."""
    locale = babel_locale_parse(lang_code)
    return locale, babel.dates.parse_pattern(posix_to_ldml(date_format, locale=locale))


class SaleOrder(models.Model):
    _inherit = "sale.order"

    fulfillment_status = fields.Selection(
        STATUSES,
        compute="_compute_fulfillment_status",
        store=True,
        index=True,
        copy=False,
        group_expand=True,
        # Not tracked by Odoo's field tracking: each change is posted in the
        # chatter (as a tracking message) from its history row, after the
        # commit (sale.fulfillment.history._cron_notify_status_changes).
        help="Where the order stands, in the company's standard status catalog.",
    )
    fulfillment_status_id = fields.Many2one(
        "sale.fulfillment.status",
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Status Record",
    )
    fulfillment_reason = fields.Selection(
        REASONS,
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Status Reason",
    )
    fulfillment_type = fields.Selection(
        FULFILLMENT_TYPES,
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        index=True,
        help="Derived from the lines (an order mixing types follows the slowest "
        "one), unless overridden.",
    )
    fulfillment_type_override = fields.Selection(
        FULFILLMENT_TYPES,
        copy=False,
        help="Set to follow another flow than the one derived from the lines.",
    )
    fulfillment_is_split = fields.Boolean(
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Split Delivery",
    )
    fulfillment_status_date = fields.Datetime(
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="In Status Since",
    )
    fulfillment_deadline = fields.Datetime(
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Status Deadline",
        help="When the order entered its status plus the status' time budget.",
    )
    fulfillment_user_id = fields.Many2one(
        "res.users",
        compute="_compute_fulfillment_status",
        store=True,
        readonly=False,
        copy=False,
        string="Status Responsible",
        help="Who is responsible for the next step of the current status.",
    )
    fulfillment_is_late = fields.Boolean(
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Late",
        help="The order stayed in its status longer than the status' time budget.",
    )
    fulfillment_customer_status_id = fields.Many2one(
        "sale.fulfillment.status",
        compute="_compute_fulfillment_status",
        store=True,
        copy=False,
        string="Customer Status",
    )
    fulfillment_customer_label = fields.Char(
        related="fulfillment_customer_status_id.customer_label",
        string="Customer Label",
    )
    fulfillment_step_ids = fields.Many2many(
        "sale.fulfillment.status",
        compute="_compute_fulfillment_step_ids",
        string="Flow Steps",
    )
    fulfillment_hold_reason_id = fields.Many2one(
        "sale.fulfillment.hold.reason",
        string="Hold Reason",
        copy=False,
        readonly=True,
        tracking=True,
    )
    fulfillment_hold_note = fields.Text(string="Hold Note", copy=False, readonly=True)
    fulfillment_history_ids = fields.One2many(
        "sale.fulfillment.history", "order_id", string="Status History"
    )
    fulfillment_expected_date = fields.Datetime(
        string="Next Expected Date",
        compute="_compute_fulfillment_expected_date",
        store=True,
        copy=False,
        help="Preparing: the scheduled date of the next shipment. Arranging or "
        "manufacturing: when the purchase or manufacturing order delivers, plus "
        "the handling time. Drop-ship: when the vendor delivers. Shipped: the "
        "expected arrival. Done: the delivery date.",
    )
    fulfillment_promised_date = fields.Datetime(
        string="Date Told to Customer",
        copy=False,
        tracking=True,
        help="The expected date the customer was last told: set when the order is "
        "confirmed, and again when a delay is notified or a new date accepted.",
    )
    fulfillment_is_delayed = fields.Boolean(
        string="Delayed",
        compute="_compute_fulfillment_is_delayed",
        store=True,
        copy=False,
        help="The expected date moved past the date told to the customer or the "
        "commitment date.",
    )
    fulfillment_delay_status = fields.Selection(
        STATUSES,
        string="Delayed While",
        copy=False,
        readonly=True,
        help="The status the order was in when its last delay was noticed.",
    )
    fulfillment_first_promised_date = fields.Datetime(
        string="First Date Told",
        copy=False,
        readonly=True,
        help="The first expected date the customer was told; on-time shipping "
        "is measured against it.",
    )
    fulfillment_promised_date_changes = fields.Integer(
        string="Date Moves",
        copy=False,
        readonly=True,
        help="How often the date told to the customer was moved after the first.",
    )
    fulfillment_shipped_date = fields.Datetime(
        string="Fully Shipped On",
        compute="_compute_fulfillment_shipped_date",
        store=True,
        copy=False,
        help="When the last shipment left, once the whole order has shipped.",
    )
    fulfillment_on_time = fields.Selection(
        ON_TIME_STATES,
        string="Shipped vs. First Date",
        compute="_compute_fulfillment_on_time",
        store=True,
        copy=False,
        help="Whether the order shipped by the first date told to the customer.",
    )
    fulfillment_inquiry_ids = fields.One2many(
        "sale.fulfillment.inquiry", "order_id", string="Customer Inquiries"
    )
    fulfillment_delay_reason = fields.Text(
        string="Delay Reason",
        compute="_compute_fulfillment_delay_reason",
        help="What the customer is told about the last delay, in their language.",
    )
    fulfillment_delay_notified_date = fields.Datetime(
        string="Delay Notified For",
        copy=False,
        readonly=True,
        help="The expected date of the last delay alert; a further slip alerts again.",
    )
    fulfillment_late_alerted_deadline = fields.Datetime(
        copy=False,
        readonly=True,
        help="The status deadline of the last late alert.",
    )
    fulfillment_notify_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_fulfillment_notify_partner_ids",
        string="Status Email Recipients",
        help="The order's contact, plus the customer's contacts with the roles "
        "the email is meant for.",
    )
    fulfillment_billing_status = fields.Selection(
        BILLING_STATUSES,
        compute="_compute_fulfillment_billing_status",
        store=True,
        copy=False,
        string="Billing Status",
    )
    fulfillment_exception_ids = fields.One2many(
        "sale.fulfillment.exception", "order_id", string="Exceptions"
    )
    fulfillment_open_exception_count = fields.Integer(
        string="Open Exceptions",
        compute="_compute_fulfillment_open_exception_count",
        store=True,
    )
    fulfillment_notify_exception_id = fields.Many2one(
        "sale.fulfillment.exception",
        compute="_compute_fulfillment_notify_exception_id",
        string="Exception to Notify",
        help="The exception an email is about: the one being opened, else the "
        "latest open one.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _fulfillment_status_depends(self):
        depends = [
            "state",
            "user_id",
            "fulfillment_hold_reason_id",
            "fulfillment_type_override",
            "order_line.product_uom_qty",
            "order_line.qty_delivered",
            "order_line.product_id",
            "order_line.qty_delivered_method",
            "order_line.move_ids.state",
            "order_line.move_ids.quantity",
            "order_line.move_ids.location_id",
            "order_line.move_ids.location_dest_id",
            "order_line.move_ids.location_final_id",
            "picking_ids.state",
            "picking_ids.backorder_id",
            "picking_ids.move_type",
            "picking_ids.fulfillment_delivered_date",
            # the upstream documents, through what the lines store of them
            "order_line.fulfillment_upstream_kind",
            "order_line.fulfillment_upstream_state",
        ]
        return depends

    @api.depends(lambda self: self._fulfillment_status_depends())
    def _compute_fulfillment_status(self):
        now = fields.Datetime.now()
        rules = self.env["sale.fulfillment.status"]._rules()
        transitions = self.env["sale.fulfillment.flow"]._transition_rows()
        self._fulfillment_fetch_status_inputs()
        # saved orders, and the saved versions of orders being edited
        # (onchange, whose lines count as edited): from the ORM's cache when
        # all is there (a validation), else one query for all
        sql_facts = self.env["sale.order.line"]._fulfillment_order_facts(
            self._origin.ids
        )
        facts_by_order, picking_facts = self.env[
            "sale.order.line"
        ]._fulfillment_facts_by_order(sql_facts)
        edited = self.filtered(lambda order: not isinstance(order.id, int))
        edited_facts = edited.order_line._fulfillment_facts(sql_facts) if edited else {}
        changes = []
        for order in self:
            # Stored computes are protected while they compute: reading them
            # here gives the value before this recompute.
            old_status = order.fulfillment_status
            # a new order has no shipments; onchange sees its origin's
            shipments, backorders, delivered, returns = picking_facts.get(
                order._origin.id, (0, 0, True, False)
            )
            if isinstance(order.id, int):
                lines = tuple(facts_by_order.get(order.id, ()))
            else:
                lines = tuple(
                    edited_facts[line]
                    for line in order.order_line
                    if line in edited_facts
                )
            result = classify_order(
                OrderFacts(
                    state=order.state,
                    lines=lines,
                    on_hold=bool(order.fulfillment_hold_reason_id),
                    shipments_delivered=delivered,
                )
            )
            flow = classify_order_type(
                [facts.kind for facts in lines],
                order.fulfillment_type_override,
            )
            rule = rules.get(result.status) if result.status else None
            order.fulfillment_type = flow
            order.fulfillment_status = result.status
            order.fulfillment_reason = result.reason
            order.fulfillment_status_id = rule.id if rule else False
            order.fulfillment_customer_status_id = order._fulfillment_customer_status(
                rule
            )
            order.fulfillment_is_split = is_split(shipments, backorders)
            # Onchange (new records) shows the status but has no side effects:
            # no assignment, no history.
            if not isinstance(order.id, int):
                order.fulfillment_status_date = order.fulfillment_status_date
                order.fulfillment_deadline = order.fulfillment_deadline
                order.fulfillment_user_id = order.fulfillment_user_id
                order.fulfillment_is_late = order.fulfillment_is_late
                continue
            if result.status == old_status:
                # A saved order keeps the stored values of these fields (read
                # above with the inputs): not assigning them spares the ORM
                # four writes per order that change nothing.
                continue
            order.fulfillment_status_date = now if result.status else False
            order.fulfillment_deadline = (
                now + timedelta(hours=rule.time_budget_hours)
                if rule and rule.time_budget_hours
                else False
            )
            order.fulfillment_user_id = order._fulfillment_assign_user(rule)
            order.fulfillment_is_late = False
            if result.status:
                trigger = resolve_trigger(
                    transitions, flow, old_status, result.status, returns=returns
                )
                changes.append((order, old_status, result.status, flow, trigger))
        if changes:
            self.env["sale.fulfillment.history"]._record_changes(changes, now)

    @api.model
    def _fulfillment_adopt_existing_orders(self):
        """Complete the status of the orders that existed when the addon was
        installed (post-init hook).

        Odoo computes the new stored fields of existing orders before it
        loads the module's data, so those orders got their status code (and a
        history row) while the catalog was still empty: no status record, no
        customer label, no responsible, no deadline. They get them here, as
        if they had entered their status at the install: the status record
        and what customers see, the status' specific user or else the
        salesperson (round-robin starts with new orders), and the time budget
        from the install. Nothing is sent to anyone. In SQL, one statement per
        status: an existing database may hold many orders.
        """
        self.flush_model()
        for code, rule in self.env["sale.fulfillment.status"]._rules().items():
            self.env.cr.execute(
                SQL(
                    """UPDATE sale_order o
                          SET fulfillment_status_id = %(status)s,
                              fulfillment_customer_status_id = COALESCE(
                                  (SELECT reason.customer_status_id
                                     FROM sale_fulfillment_hold_reason reason
                                    WHERE reason.id = o.fulfillment_hold_reason_id
                                      AND o.fulfillment_status = 'on_hold'),
                                  %(shown)s),
                              fulfillment_user_id = COALESCE(
                                  o.fulfillment_user_id, %(user)s, o.user_id),
                              fulfillment_deadline = COALESCE(
                                  o.fulfillment_deadline,
                                  o.fulfillment_status_date
                                      + %(budget)s * interval '1 hour')
                        WHERE o.fulfillment_status = %(code)s
                          AND o.fulfillment_status_id IS NULL""",
                    status=rule.id,
                    shown=rule.customer_status_id,
                    user=rule.user_id if rule.assign_mode == "user" else None,
                    budget=rule.time_budget_hours or None,
                    code=code,
                )
            )
        self.invalidate_model(
            [
                "fulfillment_status_id",
                "fulfillment_customer_status_id",
                "fulfillment_user_id",
                "fulfillment_deadline",
            ]
        )

    def _fulfillment_fetch_status_inputs(self):
        """Read the columns the status update needs, for all orders at once,
        instead of every column of each order (the lines come with their
        facts, in one query)."""
        orders = self.browse([i for i in self._ids if isinstance(i, int)])
        if orders:
            orders.fetch(STATUS_INPUT_FIELDS)

    def _fulfillment_customer_status(self, rule):
        """Id of the status whose customer label the customer sees.

        :param rule: the ``StatusRule`` of the order's status (or None)
        """
        self.ensure_one()
        if not rule:
            return False
        if rule.code == "on_hold":
            shown = self.fulfillment_hold_reason_id.customer_status_id
            if shown:
                return shown.id
        return rule.customer_status_id

    def _fulfillment_assign_user(self, rule):
        """The user responsible for the order entering the status of
        ``rule`` (a ``StatusRule``): the status' assignment rule decides."""
        self.ensure_one()
        if not rule:
            return False
        if rule.assign_mode == "user":
            return self.env["res.users"].browse(rule.user_id)
        if rule.assign_mode in ("round_robin", "team"):
            status = self.env["sale.fulfillment.status"].browse(rule.id)
            return status._assign_round_robin(self)
        return self.user_id

    def _fulfillment_expected_date_depends(self):
        depends = [
            "fulfillment_status",
            "commitment_date",
            "company_id.fulfillment_handling_days",
            "picking_ids.state",
            "picking_ids.scheduled_date",
            "picking_ids.fulfillment_expected_arrival",
            "picking_ids.fulfillment_delivered_date",
        ]
        move_fields = self.env["stock.move"]._fields
        if "created_production_id" in move_fields:
            depends.append("order_line.move_ids.created_production_id.date_finished")
        if "created_purchase_line_ids" in move_fields:
            depends.append("order_line.move_ids.created_purchase_line_ids.date_planned")
        if "purchase_line_ids" in self.env["sale.order.line"]._fields:
            depends.append("order_line.purchase_line_ids.date_planned")
        return depends

    @api.depends(lambda self: self._fulfillment_expected_date_depends())
    def _compute_fulfillment_expected_date(self):
        self._fulfillment_fetch_expected_inputs()
        # saved orders, and the saved versions of orders being edited; only
        # the statuses that read them (an order being shipped needs none)
        upstream = self.env["sale.order.line"]._fulfillment_sql_upstream_dates(
            [
                order._origin.id
                for order in self
                if order._origin.id
                and order.fulfillment_status in UPSTREAM_DATE_STATUSES
            ]
        )
        for order in self:
            shipments = order.picking_ids.browse()
            open_pickings = order.picking_ids.browse()
            for picking in order.picking_ids:
                to_customer, from_customer = picking._fulfillment_direction()
                if to_customer:
                    shipments |= picking
                if picking.state not in ("done", "cancel") and not from_customer:
                    open_pickings |= picking
            # the next delivery; before it exists (Odoo creates the delivery
            # of a multi-step route when the goods reach its source), the
            # next open step bringing the goods to it: a pick, a pack (not
            # the storage of goods a customer sent back)
            open_shipments = open_pickings & shipments
            if not open_shipments and open_pickings:
                open_shipments = open_pickings._fulfillment_delivery_steps()
            shipped = shipments.filtered(lambda p: p.state == "done")
            production, purchase, dropship = upstream.get(
                order._origin.id, ((), (), ())
            )
            delivered = [d for d in shipped.mapped("fulfillment_delivered_date") if d]
            order.fulfillment_expected_date = (
                expected_date(
                    order.fulfillment_status,
                    next_shipment=min(
                        open_shipments.mapped("scheduled_date"), default=None
                    ),
                    production=production,
                    purchase=purchase,
                    dropship=dropship,
                    arrivals=[
                        d for d in shipped.mapped("fulfillment_expected_arrival") if d
                    ],
                    delivered=max(delivered, default=None),
                    commitment=order.commitment_date,
                    handling=timedelta(days=order.company_id.fulfillment_handling_days),
                )
                or False
            )
            if not order.fulfillment_promised_date and isinstance(order.id, int):
                promised = order.commitment_date or order.fulfillment_expected_date
                order.fulfillment_promised_date = promised

    def _fulfillment_fetch_expected_inputs(self):
        """Read the shipments of all the orders at once (a few columns each),
        not order by order; the upstream dates come in one query."""
        orders = self.browse([i for i in self._ids if isinstance(i, int)])
        if not orders:
            return
        orders.fetch(["picking_ids", "commitment_date", "company_id"])
        orders.picking_ids.fetch(
            [
                "state",
                "scheduled_date",
                "location_id",
                "location_dest_id",
                "fulfillment_expected_arrival",
                "fulfillment_delivered_date",
            ]
        )

    @api.depends(
        "fulfillment_status",
        "fulfillment_expected_date",
        "fulfillment_promised_date",
        "commitment_date",
        "fulfillment_shipped_date",
    )
    def _compute_fulfillment_is_delayed(self):
        for order in self:
            expected = order.fulfillment_expected_date
            # once everything shipped, the date told was kept or missed: a
            # replacement or a return later is no delay of it
            order.fulfillment_is_delayed = (
                order.fulfillment_status not in ("done", "cancelled")
                and not order.fulfillment_shipped_date
                and is_delayed(
                    expected and expected.date(), order._fulfillment_told_date()
                )
            )

    @api.depends(
        "fulfillment_status",
        "picking_ids.state",
        "picking_ids.date_done",
        "picking_ids.location_id.usage",
        "picking_ids.location_dest_id.usage",
    )
    def _compute_fulfillment_shipped_date(self):
        for order in self:
            if order.fulfillment_shipped_date and order.state == "sale":
                # the first time everything shipped: a return, an exchange's
                # replacement or a quantity added later does not move it
                # (the date told was kept or missed then)
                order.fulfillment_shipped_date = order.fulfillment_shipped_date
                continue
            shipments = order.picking_ids.filtered(
                lambda p: p.state == "done" and p._fulfillment_direction()[0]
            )
            order.fulfillment_shipped_date = (
                fully_shipped_date(
                    order.fulfillment_status, shipments.mapped("date_done")
                )
                or False
            )

    @api.depends("fulfillment_shipped_date", "fulfillment_first_promised_date")
    def _compute_fulfillment_on_time(self):
        for order in self:
            shipped = order.fulfillment_shipped_date
            first = order.fulfillment_first_promised_date
            order.fulfillment_on_time = (
                classify_on_time(shipped and shipped.date(), first and first.date())
                or False
            )

    @api.model
    def _fulfillment_init_first_promised_date(self):
        """Fill the first date told of orders dated before it was recorded.

        The date told is tracked: the first date told is the old value of its
        first change from one date to another, else the current date; each
        such change counts as a move. Orders that already have a first date
        are left alone.

        :return: the orders filled
        """
        field = self.env["ir.model.fields"]._get(
            self._name, "fulfillment_promised_date"
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH moves AS (
                    SELECT m.res_id AS order_id,
                           (ARRAY_AGG(v.old_value_datetime ORDER BY v.id))[1]
                               AS first_date,
                           COUNT(*) AS moves
                      FROM mail_tracking_value v
                      JOIN mail_message m ON m.id = v.mail_message_id
                     WHERE v.field_id = %(field)s
                       AND m.model = %(model)s
                       AND v.old_value_datetime IS NOT NULL
                       AND v.new_value_datetime IS NOT NULL
                     GROUP BY m.res_id
                )
                UPDATE sale_order so
                   SET fulfillment_first_promised_date =
                           COALESCE(moves.first_date, so.fulfillment_promised_date),
                       fulfillment_promised_date_changes = COALESCE(moves.moves, 0)
                  FROM sale_order target
                  LEFT JOIN moves ON moves.order_id = target.id
                 WHERE target.id = so.id
                   AND so.fulfillment_first_promised_date IS NULL
                   AND COALESCE(moves.first_date, so.fulfillment_promised_date)
                       IS NOT NULL
             RETURNING so.id
                """,
                field=field.id,
                model=self._name,
            )
        )
        orders = self.browse([row[0] for row in self.env.cr.fetchall()])
        orders.invalidate_recordset(
            ["fulfillment_first_promised_date", "fulfillment_promised_date_changes"]
        )
        self.env.add_to_compute(self._fields["fulfillment_on_time"], orders)
        self.env.flush_all()
        return orders

    def _fulfillment_told_date(self):
        """The latest date the customer can hold us to (told or committed)."""
        self.ensure_one()
        dates = [
            d.date()
            for d in (self.fulfillment_promised_date, self.commitment_date)
            if d
        ]
        return max(dates, default=None)

    @api.depends("partner_id", "partner_id.commercial_partner_id.child_ids")
    @api.depends_context("fulfillment_notify_roles")
    def _compute_fulfillment_notify_partner_ids(self):
        role_ids = self.env.context.get("fulfillment_notify_roles") or []
        for order in self:
            partners = order.partner_id
            if role_ids:
                company = order.partner_id.commercial_partner_id
                partners |= (company | company.child_ids).filtered(
                    lambda p: p.email
                    and set(p.fulfillment_role_ids.ids) & set(role_ids)
                )
            order.fulfillment_notify_partner_ids = partners

    @api.depends("fulfillment_type", "fulfillment_status", "fulfillment_is_split")
    def _compute_fulfillment_step_ids(self):
        statuses = self.env["sale.fulfillment.status"]._by_code()
        for order in self:
            order.fulfillment_step_ids = [
                statuses[code].id
                for code in order._fulfillment_step_codes()
                if code in statuses
            ]

    def _fulfillment_step_codes(self):
        """The status codes of the order's flow, in order."""
        self.ensure_one()
        if not self.fulfillment_type:
            return ()
        return flow_steps(
            self.fulfillment_type,
            self.fulfillment_status,
            split=self.fulfillment_is_split,
        )

    @api.depends(
        "state",
        "order_line.product_uom_qty",
        "order_line.qty_invoiced",
        "order_line.display_type",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_fulfillment_billing_status(self):
        for order in self:
            lines = order.order_line.filtered(
                lambda line: not line.display_type and not line.is_downpayment
            )
            invoices = order.order_line.invoice_lines.move_id.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            order.fulfillment_billing_status = classify_billing(
                state=order.state,
                invoiceable=any(line.product_uom_qty for line in lines),
                invoiced_any=bool(invoices),
                fully_invoiced=all(
                    float_compare(
                        line.qty_invoiced,
                        line.product_uom_qty,
                        precision_rounding=line.product_uom_id.rounding or 0.01,
                    )
                    >= 0
                    for line in lines
                ),
                paid=all(move.payment_state in PAID_STATES for move in invoices),
            )

    @api.depends("fulfillment_exception_ids.state")
    def _compute_fulfillment_open_exception_count(self):
        for order in self:
            order.fulfillment_open_exception_count = len(
                order.fulfillment_exception_ids.filtered(lambda e: e.state == "open")
            )

    @api.depends("fulfillment_exception_ids.state")
    @api.depends_context("fulfillment_exception_id")
    def _compute_fulfillment_notify_exception_id(self):
        given = self.env["sale.fulfillment.exception"].browse(
            self.env.context.get("fulfillment_exception_id")
        )
        for order in self:
            if given and given.order_id == order:
                order.fulfillment_notify_exception_id = given
                continue
            open_exceptions = order.fulfillment_exception_ids.filtered(
                lambda e: e.state == "open"
            )
            order.fulfillment_notify_exception_id = open_exceptions.sorted("id")[-1:]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("fulfillment_type_override")
    def _check_fulfillment_type_override(self):
        for order in self:
            flow = order.fulfillment_type_override
            status = order.fulfillment_status
            if not flow or not status or status in ("on_hold", "cancelled"):
                continue
            if status not in FLOW_STEPS[flow]:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is %(status)s, which is not a step of the "
                        "%(flow)s flow. Change the type once the order has moved on.",
                        order=order.name,
                        status=order.fulfillment_status_id.name,
                        flow=dict(
                            self._fields["fulfillment_type"]._description_selection(
                                self.env
                            )
                        ).get(flow, flow),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def write(self, vals):
        if "fulfillment_promised_date" not in vals:
            return super().write(vals)
        new = fields.Datetime.to_datetime(vals["fulfillment_promised_date"])
        new = new.replace(microsecond=0) if new else None
        updates = {}
        for order in self:
            known = order.fulfillment_first_promised_date or None
            first, moved = track_promised_date(
                known, order.fulfillment_promised_date or None, new
            )
            if first != known or moved:
                updates[order] = (first, moved)
        result = super().write(vals)
        for order, (first, moved) in updates.items():
            values = {"fulfillment_first_promised_date": first}
            if moved:
                values["fulfillment_promised_date_changes"] = (
                    order.fulfillment_promised_date_changes + 1
                )
            super(SaleOrder, order).write(values)
        return result

    def _action_cancel(self):
        done = self.filtered(lambda order: order.fulfillment_status == "done")
        if done:
            raise UserError(
                self.env._(
                    "Order %(orders)s is done: everything was delivered, so it "
                    "cannot be cancelled. Create a return instead.",
                    orders=", ".join(done.mapped("name")),
                )
            )
        return super()._action_cancel()

    def action_fulfillment_hold(self):
        self._fulfillment_check_hold_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Put on Hold"),
            "res_model": "sale.order.hold",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_fulfillment_release(self):
        self._fulfillment_check_hold_rights()
        not_held = self.filtered(lambda order: not order.fulfillment_hold_reason_id)
        if not_held:
            raise UserError(
                self.env._(
                    "Order %(orders)s is not on hold.",
                    orders=", ".join(not_held.mapped("name")),
                )
            )
        self.sudo().write(
            {"fulfillment_hold_reason_id": False, "fulfillment_hold_note": False}
        )
        return True

    def _fulfillment_hold(self, reason, note=False):
        """Put the orders on hold; only open orders can be held."""
        self._fulfillment_check_hold_rights()
        closed = self.filtered(
            lambda order: order.state != "sale"
            or order.fulfillment_status in ("done", "cancelled")
        )
        if closed:
            raise UserError(
                self.env._(
                    "Only confirmed orders that are not done or cancelled can be "
                    "put on hold: %(orders)s.",
                    orders=", ".join(closed.mapped("name")),
                )
            )
        self.sudo().write(
            {"fulfillment_hold_reason_id": reason.id, "fulfillment_hold_note": note}
        )

    def _fulfillment_check_hold_rights(self):
        if not self.env.user.has_group(
            "sale_fulfillment_status.group_fulfillment_user"
        ):
            raise UserError(
                self.env._(
                    "Only users of the group 'Fulfillment Status: User' can put "
                    "orders on hold or release them."
                )
            )

    def _fulfillment_check_not_held(self):
        """Block shipments of orders on hold, with a message naming the hold."""
        held = self.filtered("fulfillment_hold_reason_id")
        if held:
            order = held[0]
            raise UserError(
                self.env._(
                    "Order %(order)s is on hold (%(reason)s): its shipments cannot "
                    "be validated until it is released.",
                    order=order.name,
                    reason=order.fulfillment_hold_reason_id.name,
                )
            )

    def _fulfillment_notify_customer(self, template, roles=None, render_values=None):
        """Post ``template`` to each order's customer, in the chatter.

        Goes to the order's contact and the customer's contacts with ``roles``;
        skipped for customers who switched status emails off. A failure to
        render or queue the email is logged on the order and never undoes the
        business change that triggered it.

        :return: the orders that got the email
        """
        sent = self.browse()
        if not template:
            return sent
        for order in self:
            if not order.partner_id.commercial_partner_id.fulfillment_notify:
                continue
            order_ctx = order.with_context(
                fulfillment_notify_roles=(roles or self.env["res.partner"]).ids
            )
            try:
                with self.env.cr.savepoint():
                    order_ctx.message_post_with_source(
                        template,
                        render_values=render_values,
                        subtype_xmlid="mail.mt_comment",
                        email_layout_xmlid="mail.mail_notification_light",
                    )
            except Exception as error:  # noqa: BLE001 - never block the change
                _logger.warning(
                    "Status email %s for %s failed: %s",
                    template.name,
                    order.name,
                    error,
                )
                order.message_post(
                    body=self.env._(
                        "The email %(template)s could not be sent: %(error)s",
                        template=template.name,
                        error=str(error).splitlines()[0] if str(error) else "",
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            sent |= order
        return sent

    def _fulfillment_send_status_emails(self, history, undone=()):
        """Email the customer for the status changes in ``history``: the
        email of the status each row entered (the scheduled action sends
        them after the commit, see ``sale.fulfillment.history``).

        :param undone: rows whose status the order left again in the same
            transaction: no email for that status (the first row of an
            order still sends the 'received' email)
        """
        statuses = self.env["sale.fulfillment.status"]._by_code()
        received = statuses.get("received")
        for row in history.exists():
            order = row.order_id
            sent = None
            if not row.from_status and received and received.notify_customer:
                # a confirmed order is "received" for the customer even when its
                # goods are reserved at once and it starts in "preparing"
                order._fulfillment_notify_customer(
                    received.mail_template_id, roles=received.notify_role_ids
                )
                sent = received
            status = statuses.get(row.to_status)
            if (
                row in undone
                or not status
                or not status.notify_customer
                or status == sent
                # goods the customer sent back, nothing replacing them yet:
                # the email of the status the order falls back to tells of a
                # shipment or a new order, not of a return (the portal says
                # they arrived; a return exception tells the customer more).
                # The transition's trigger cannot tell: shipped -> partially
                # shipped is also a quantity added after shipping.
                or (
                    order.fulfillment_reason == "returned"
                    and order.fulfillment_status == row.to_status
                )
            ):
                continue
            order._fulfillment_notify_customer(
                status.mail_template_id, roles=status.notify_role_ids
            )

    # ------------------------------------------------------------------
    # The delay scan (scheduled action)
    # ------------------------------------------------------------------

    def _fulfillment_scan_domain(self):
        return [
            ("fulfillment_status", "not in", (False, "done", "cancelled")),
            "|",
            ("fulfillment_deadline", "<", fields.Datetime.now()),
            ("fulfillment_is_delayed", "=", True),
        ]

    @api.model
    def _cron_fulfillment_delay_scan(self, batch_size=500):
        """Alert the responsible users of late and delayed orders, once per delay.

        Walks the orders, then the late shipments, in batches of ``batch_size``
        ids (keyset: the next batch starts after the last id), so the cost of a
        batch and the memory used do not depend on how many there are. Run by
        the scheduler, each batch commits its progress, so a crash resumes
        where it stopped; rows another worker holds are skipped, not waited
        for. Called outside the scheduler, nothing is committed.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        cron = self.env["ir.cron"]
        picking_model = self.env["stock.picking"]
        sources = (
            (self, Domain(self._fulfillment_scan_domain())),
            (picking_model, Domain(picking_model._fulfillment_late_domain())),
        )
        if in_cron:
            cron._commit_progress(
                remaining=sum(model.search_count(domain) for model, domain in sources)
            )
        for model, domain in sources:
            for batch in locked_batches(model, domain, batch_size):
                batch._fulfillment_alert()
                # one batch in memory at a time
                self.env.flush_all()
                self.env.invalidate_all()
                if in_cron and not cron._commit_progress(len(batch)):
                    return False
        return True

    def _fulfillment_alert(self):
        """Late and delay alerts for a batch of orders; idempotent per delay."""
        now = fields.Datetime.now()
        late_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_late"
        )
        delay_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_fulfillment_delay"
        )
        delay_template = self.env.ref(
            "sale_fulfillment_status.mail_template_fulfillment_delay",
            raise_if_not_found=False,
        )
        # only what the alerts read, not every column of sale.order
        self.fetch(SCAN_FIELDS)
        late = self.filtered(
            lambda o: o.fulfillment_deadline
            and o.fulfillment_deadline < now
            and o.fulfillment_status not in (False, "done", "cancelled")
        )
        alerts = []
        to_alert = late.filtered(
            lambda o: o.fulfillment_late_alerted_deadline != o.fulfillment_deadline
        )
        for order in to_alert:
            alerts.append(
                (
                    order,
                    order._fulfillment_alert_user(),
                    self.env._(
                        "%(order)s has been %(status)s since %(since)s; its time "
                        "budget ran out on %(deadline)s.",
                        order=order.name,
                        status=order.fulfillment_status_id.name,
                        since=fields.Datetime.to_string(order.fulfillment_status_date),
                        deadline=fields.Datetime.to_string(order.fulfillment_deadline),
                    ),
                )
            )
        schedule_alerts(late_type, alerts)
        # The late flag and the deadline alerted are bookkeeping, neither
        # tracked nor a dependency: one statement for the batch instead of an
        # ORM write of the flag and this copy, two updates of the same rows.
        # The deadline alerted of a late order that was alerted already is
        # its deadline: copying it again changes nothing.
        copy_column(
            to_alert | late.filtered(lambda o: not o.fulfillment_is_late),
            "fulfillment_late_alerted_deadline",
            "fulfillment_deadline",
            values={"fulfillment_is_late": True},
        )
        delayed = self.filtered(
            lambda o: o.fulfillment_is_delayed
            and o.fulfillment_expected_date != o.fulfillment_delay_notified_date
        )
        alerts, delays = [], []
        for status, orders in delayed.grouped("fulfillment_status").items():
            orders.fulfillment_delay_status = status
        for order in delayed:
            told = order._fulfillment_told_date()
            alerts.append(
                (
                    order,
                    order._fulfillment_alert_user(),
                    self.env._(
                        "%(order)s is now expected on %(expected)s instead of "
                        "%(told)s: %(reason)s",
                        order=order.name,
                        expected=fields.Date.to_string(order.fulfillment_expected_date),
                        told=fields.Date.to_string(told) if told else "-",
                        reason=order.fulfillment_delay_reason,
                    ),
                )
            )
            delays.append((order, told))
        schedule_alerts(delay_type, alerts)
        copy_column(
            delayed, "fulfillment_delay_notified_date", "fulfillment_expected_date"
        )
        self.env["sale.fulfillment.webhook"]._queue_delays(delays)
        for order in delayed:
            status = order.fulfillment_status_id
            if not status.notify_delay:
                continue
            # The customer is asked to accept the new date (portal), through a
            # date re-adjustment exception whose rule emails them; a further
            # slip before they answer updates it and sends the delay email.
            told = order._fulfillment_propose_new_date()
            if told or order._fulfillment_notify_customer(
                delay_template, roles=status.notify_role_ids
            ):
                order.fulfillment_promised_date = order.fulfillment_expected_date
        return late | delayed

    def _fulfillment_propose_new_date(self):
        """Open, or update, the date re-adjustment the customer answers.

        :return: True when a new exception was opened and its email went out
        """
        self.ensure_one()
        waiting = self.fulfillment_exception_ids.filtered(
            lambda e: e.state == "open"
            and e.type == "date_change"
            and e.customer_decision_required
            and not e.customer_decision
        )
        if waiting:
            waiting.write({"new_date": self.fulfillment_expected_date})
            return False
        exception = (
            self.env["sale.fulfillment.exception"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "type": "date_change",
                    "new_date": self.fulfillment_expected_date,
                    "description": self.fulfillment_delay_reason,
                }
            )
        )
        return bool(exception.mail_template_id)

    def _fulfillment_alert_user(self):
        """Who gets the order's alerts: the status responsible, else the
        salesperson, else the administrator."""
        self.ensure_one()
        return (
            self.fulfillment_user_id or self.user_id or self.env.ref("base.user_admin")
        )

    @api.depends("fulfillment_delay_status")
    @api.depends_context("lang")
    def _compute_fulfillment_delay_reason(self):
        for order in self:
            order.fulfillment_delay_reason = (
                order._fulfillment_delay_reason()
                if order.fulfillment_delay_status
                else False
            )

    def _fulfillment_delay_reason(self):
        """What holds the order up, in the customer's words (context language)."""
        self.ensure_one()
        reasons = {
            "manufacturing": self.env._("Manufacturing takes longer than planned."),
            "arranging": self.env._("The goods arrive from our supplier later."),
            "dropship_arranging": self.env._("Our supplier ships later than planned."),
            "preparing": self.env._("The shipment was rescheduled."),
            "partially_shipped": self.env._("The remaining goods ship later."),
            "shipped": self.env._("The carrier needs more time."),
        }
        return reasons.get(
            self.fulfillment_delay_status or self.fulfillment_status,
            self.env._("The schedule of your order changed."),
        )

    # ------------------------------------------------------------------
    # Portal: what the customer may see
    # ------------------------------------------------------------------

    def _fulfillment_portal_badges(self):
        """The status badge and expected date of each order, as the portal
        shows them: {order id: {"html", "message", "date"}}, ``html`` being
        the badge's markup ("" without a status), the one the order list and
        the order page both show.

        Built in one pass from the orders' stored columns and the cached
        catalog, each distinct badge rendered and each distinct day formatted
        once: the order list shows a page of orders, and a template call or a
        date widget per row cost more than the rest of the row.
        """
        texts = self.env["sale.fulfillment.status"]._customer_texts()
        format_day = self._fulfillment_day_formatter()
        shown = {}
        badges = {}
        for (
            order_id,
            status,
            customer_status_id,
            expected,
        ) in self._fulfillment_badge_values():
            badge = shown.get((status, customer_status_id))
            if badge is None:
                text = texts.get(customer_status_id, NO_TEXT)
                css = PORTAL_BADGE_CLASSES.get(status, "text-bg-primary")
                html = (
                    PORTAL_BADGE_HTML.format(css=css, code=text.code, label=text.label)
                    if text.code
                    else ""
                )
                badge = shown[status, customer_status_id] = (html, text.message)
            badges[order_id] = {
                "html": badge[0],
                "message": badge[1],
                "date": format_day(expected),
            }
        return badges

    def _fulfillment_badge_values(self):
        """(id, status, customer status id, expected date) of each order.

        Read from the ORM's caches in one pass once the orders are fetched
        (the first read fetches the page's orders, as any read of the
        template does), their pending computations done first: read through
        the fields, each value costs a recordset and a check for a pending
        computation, about two thirds of the badges' cost on a page of 80
        orders. Through the fields when a value is missing.
        """

        def through_fields(orders):
            return [
                (
                    order.id,
                    order.fulfillment_status,
                    order.fulfillment_customer_status_id.id,
                    order.fulfillment_expected_date,
                )
                for order in orders
            ]

        if not self:
            return []
        # the first order's read fetches the columns of all (taken by
        # iterating, it keeps their prefetch set; a slice would not), as the
        # template's first read of an order would
        first = through_fields(next(iter(self)))
        columns = cached_columns(self, PORTAL_BADGE_FIELDS)
        if columns is None:
            return first + through_fields(self[1:])
        statuses, customer_statuses, dates = (
            columns[name] for name in PORTAL_BADGE_FIELDS
        )
        return [
            (
                record_id,
                statuses[record_id],
                customer_statuses[record_id],
                dates[record_id],
            )
            for record_id in self._ids
        ]

    @api.model
    def _fulfillment_day_formatter(self):
        """A function giving the day of a UTC datetime as the reader sees it:
        in their time zone and their language's date format, as the date
        widget of a template shows it, each distinct day formatted once (a
        date widget per date cost a page more than the rest of its row)."""
        env = self.env
        tz = env.tz
        # what format_date(env, day) does for each day, its language, locale
        # and pattern looked up once: looked up per day, they cost twice the
        # formatting (80 distinct days in a time zone: 3.7 to 4.3 ms against
        # 1.1 to 1.2 ms); parsed once per worker and date format (an order
        # page formats days for its badge, tracker and shipments)
        lang = get_lang(env)
        locale, pattern = _day_pattern(lang.code, lang.date_format)
        days = {}

        def format_day(value):
            if not value:
                return ""
            day = pytz.utc.localize(value).astimezone(tz).date()
            if day not in days:
                days[day] = pattern.apply(day, locale)
            return days[day]

        return format_day

    def _fulfillment_portal_steps(self):
        """The tracker of the order's own flow, in customer labels.

        Internal-only statuses show under their customer label (a step whose
        label repeats the previous one merges into it); each reached step
        carries the date the order first reached it. A status outside the
        flow (a hold, a cancellation, a cancelled delivery under review) is
        no step of the way: it shows after the last step reached, not at the
        end of the way with every step behind it read as passed.

        :return: [{"label", "state" (done/current/todo), "date", "day" (the
            date formatted for the reader)}]
        """
        self.ensure_one()
        catalog = self.env["sale.fulfillment.status"]
        texts = catalog._customer_texts()
        rules = catalog._rules()
        current = self.fulfillment_customer_status_id.id
        own = self.fulfillment_status_id.id
        off_flow = self.fulfillment_status not in FLOW_STEPS.get(
            self.fulfillment_type, ()
        )
        reached = {}
        # one narrow query: the page needs when each status was first reached
        for row in self.env["sale.fulfillment.history"].search_fetch(
            [("order_id", "=", self.id)], ["to_status", "date"], order="date, id"
        ):
            reached.setdefault(row.to_status, row.date)
        steps = []
        current_seen = False
        # the steps of fulfillment_step_ids, from the cached rules (reading
        # the field reads the statuses to leave out archived ones)
        for code in self._fulfillment_step_codes():
            rule = rules.get(code)
            if not rule or not rule.active:
                continue
            if off_flow and code == self.fulfillment_status:
                continue
            status_id = rule.id
            shown = current if status_id == own else rule.customer_status_id
            label = texts.get(shown, NO_TEXT).label
            if steps and steps[-1]["label"] == label:
                step = steps[-1]
            else:
                step = {"label": label, "state": "todo", "date": False}
                steps.append(step)
            if code in reached and not step["date"]:
                step["date"] = reached[code]
            if not off_flow and (shown == current or status_id == own):
                step["state"] = "current"
                current_seen = True
        if self.fulfillment_status == "done":
            for step in steps:
                step["state"] = "done"
        elif current_seen:
            # every step before the current one is behind the order, reached
            # or skipped (goods in stock skip "received", for example)
            for step in steps:
                if step["state"] == "current":
                    break
                step["state"] = "done"
        elif self.fulfillment_status:
            steps = self._fulfillment_portal_place_off_flow(
                steps, texts.get(current, NO_TEXT).label
            )
        format_day = self._fulfillment_day_formatter()
        for step in steps:
            step["day"] = format_day(step["date"])
        return steps

    def _fulfillment_portal_place_off_flow(self, steps, label):
        """Place a status outside the flow in the tracker's ``steps``: the
        steps up to the last one reached are behind the order, its status
        comes next (merged into that step when they read the same), and a
        cancelled order goes no further.

        :return: the steps
        """
        last = max(
            (index for index, step in enumerate(steps) if step["date"]),
            default=-1,
        )
        for step in steps[: last + 1]:
            step["state"] = "done"
        if last >= 0 and steps[last]["label"] == label:
            steps[last]["state"] = "current"
        else:
            last += 1
            steps.insert(
                last,
                {
                    "label": label,
                    "state": "current",
                    "date": self.fulfillment_status_date,
                },
            )
        if self.fulfillment_status == "cancelled":
            del steps[last + 1 :]
        return steps

    def _fulfillment_customer_history(self):
        """The order's way so far, in customer labels, oldest first.

        Internal statuses read as their customer label (a credit hold reads
        'Under Review'); consecutive rows with the same label merge into the
        first. Notes and users stay out: this is what customers may read.

        :return: [{"date", "label"}]
        """
        self.ensure_one()
        steps = []
        statuses = self.env["sale.fulfillment.status"]._by_code()
        for row in self.fulfillment_history_ids.sorted(lambda r: (r.date, r.id)):
            label = row._customer_label(statuses)
            if label and (not steps or steps[-1]["label"] != label):
                steps.append({"date": row.date, "label": label})
        return steps

    def _fulfillment_portal_shipments(self):
        """Shipments to the customer (drop-ship included) and returns."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: (p._fulfillment_direction()[0] and p.state != "cancel")
            or (p.fulfillment_shipment_status == "returned" and p.state == "done")
        ).sorted(lambda p: (p.date_done or p.scheduled_date, p.id))

    def _fulfillment_portal_lines(self):
        """The goods lines of the order as the portal's quantities table shows
        them: [{"name", "ordered", "uom", "shipped", "remaining", "open"}],
        the quantities formatted as a ``t-field`` formats them.

        One float formatter with its options read once per field, each
        distinct quantity formatted once: a field widget per cell (four per
        line) cost the order page more than the rest of the table.
        """
        self.ensure_one()
        env = self.env
        converter = env["ir.qweb.field.float"]
        line_fields = env["sale.order.line"]._fields
        options = {}
        for name in ("product_uom_qty", "qty_delivered", "fulfillment_qty_remaining"):
            field = line_fields[name]
            digits = field.get_digits(env)
            options[name] = (
                digits[1] if digits else None,
                field.get_min_display_digits(env),
            )
        formatted = {}
        rows = []
        for line in self.order_line:
            if not line._fulfillment_is_goods():
                continue
            # the goods line's remaining quantity as its (not stored) field
            # computes it, without the compute's round trip per line
            quantities = {
                "product_uom_qty": line.product_uom_qty,
                "qty_delivered": line.qty_delivered,
                "fulfillment_qty_remaining": remaining_qty(
                    line.product_uom_qty, line.qty_delivered
                ),
            }
            values = {}
            for name, (precision, min_precision) in options.items():
                key = (precision, min_precision, quantities[name])
                if key not in formatted:
                    formatted[key] = converter.value_to_html(
                        key[2], {"precision": precision, "min_precision": min_precision}
                    )
                values[name] = formatted[key]
            rows.append(
                {
                    "name": (line.name or "").split("\n")[0],
                    "ordered": values["product_uom_qty"],
                    "uom": line.product_uom_id.sudo().display_name or "",
                    "shipped": values["qty_delivered"],
                    "remaining": values["fulfillment_qty_remaining"],
                    "open": bool(quantities["fulfillment_qty_remaining"]),
                }
            )
        return rows

    def _fulfillment_billing_label(self):
        self.ensure_one()
        labels = dict(
            self._fields["fulfillment_billing_status"]._description_selection(self.env)
        )
        return labels.get(self.fulfillment_billing_status, "")

    def _fulfillment_unplanned_notice(self):
        """What the customer is told instead of the status' own message when
        nothing is planned for part of the goods (the portal's order page and
        the status sheet): a declined remainder, or goods sent back. ``""``
        otherwise."""
        self.ensure_one()
        if self.fulfillment_reason == "backorder_cancelled":
            return self.env._(
                "Part of your order was shipped; the rest is not scheduled yet. "
                "We will contact you about the remaining quantities."
            )
        if self.fulfillment_reason == "returned":
            return self.env._(
                "The goods you sent back have reached us. We will contact you "
                "about a replacement or a refund."
            )
        return ""

    def _fulfillment_needs_customer_action(self):
        """The order waits for something from the customer."""
        self.ensure_one()
        return (
            self.fulfillment_status == "on_hold"
            and self.fulfillment_hold_reason_id.code in CUSTOMER_ACTION_HOLDS
        )

    def action_view_fulfillment_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_fulfillment_status.sale_fulfillment_history_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_fulfillment_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_fulfillment_status.sale_fulfillment_exception_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_fulfillment_log_inquiry(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Inquiry"),
            "res_model": "sale.order.log.inquiry",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_fulfillment_report_exception(self):
        self.ensure_one()
        return self.env["sale.fulfillment.exception"]._action_report(order=self)
