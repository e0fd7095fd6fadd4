# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import catalog
from ..core.engine import LineFacts, classify_line_type
from .utils import cached_columns

# mrp.production states -> upstream states of the core engine
PRODUCTION_STATES = {
    "draft": catalog.UPSTREAM_DRAFT,
    "confirmed": catalog.UPSTREAM_CONFIRMED,
    "progress": catalog.UPSTREAM_PROGRESS,
    "to_close": catalog.UPSTREAM_PROGRESS,
    "done": catalog.UPSTREAM_DONE,
    "cancel": catalog.UPSTREAM_CANCEL,
}
# purchase.order states -> upstream states (received goods make it done)
PURCHASE_STATES = {
    "draft": catalog.UPSTREAM_DRAFT,
    "sent": catalog.UPSTREAM_DRAFT,
    "to approve": catalog.UPSTREAM_DRAFT,
    "purchase": catalog.UPSTREAM_CONFIRMED,
    "done": catalog.UPSTREAM_CONFIRMED,
    "cancel": catalog.UPSTREAM_CANCEL,
}
# What procures a line's goods (stored on the line), and the states of the
# core engine with their labels
UPSTREAM_DROPSHIP = "dropship"
UPSTREAM_KINDS = [
    (UPSTREAM_DROPSHIP, "Drop-ship Purchase"),
    (catalog.UPSTREAM_PRODUCTION, "Manufacturing"),
    (catalog.UPSTREAM_PURCHASE, "Purchase"),
]
UPSTREAM_STATE_LABELS = [
    (catalog.UPSTREAM_DRAFT, "Draft"),
    (catalog.UPSTREAM_CONFIRMED, "Confirmed"),
    (catalog.UPSTREAM_PROGRESS, "In Progress"),
    (catalog.UPSTREAM_DONE, "Done"),
    (catalog.UPSTREAM_CANCEL, "Cancelled"),
]
_UPSTREAM_ORDER = (
    catalog.UPSTREAM_DRAFT,
    catalog.UPSTREAM_CONFIRMED,
    catalog.UPSTREAM_PROGRESS,
    catalog.UPSTREAM_DONE,
)
# Batches of more orders than this run their facts query without JIT (see
# _fulfillment_sql_facts); the ORM recomputes at most 1000 records at once.
JIT_FREE_BATCH = 500
# the same for the upstream query, by lines (its three subqueries per line
# cross jit_above_cost from about 1700 lines)
JIT_FREE_LINES = 1000
OPEN_MOVE_STATES = ("draft", "waiting", "confirmed", "partially_available", "assigned")
# Goods are ready once a move holds quantities, reserved or picked by hand:
# stock makes such a move assigned or partially available (the latter only
# counts when its picking may leave with part of the goods: a picking whose
# shipping policy is "all at once" waits for the rest). The picked flag adds
# nothing (a move marked picked with nothing in it has no goods), and
# depending on it would make each pick and each validation walk the orders'
# status fields once more for every move and move line marked picked. Goods
# a done pick or pack brought towards the customer are ready too while the
# next step is planned, reserved or not (a delivery unreserved after its pick
# still has the goods in the output area).


# What the facts of an order are read from, when all of it is in the ORM's
# cache (see _fulfillment_cached_facts): the fields of the orders, their
# lines, the lines' moves and the orders' shipments that the facts query
# reads. Which moves a line has is read if need be (one light query).
CACHED_FACTS_FIELDS = {
    "sale.order": ("order_line", "picking_ids"),
    "sale.order.line": (
        "sequence",
        "product_id",
        "product_uom_qty",
        "qty_delivered",
        "product_uom_id",
        "display_type",
        "qty_delivered_method",
        "fulfillment_upstream_kind",
        "fulfillment_upstream_state",
    ),
    "stock.move": (
        "state",
        "product_id",
        "picking_id",
        "location_id",
        "location_dest_id",
        "location_final_id",
    ),
    "stock.picking": (
        "state",
        "backorder_id",
        "move_type",
        "location_id",
        "location_dest_id",
        "fulfillment_delivered_date",
    ),
}


def _cached_columns(records):
    """``cached_columns`` of the fields the facts read of ``records``' model
    (``CACHED_FACTS_FIELDS``)."""
    return cached_columns(records, CACHED_FACTS_FIELDS[records._name])


def remaining_qty(ordered, shipped):
    """What remains to ship of a goods line (never below zero)."""
    return max(ordered - shipped, 0.0)


class ChainLocations(NamedTuple):
    """The location ids the facts test a move's and a picking's ends against
    (from the cached usages, see stock.location._fulfillment_location_usages)."""

    customer: frozenset
    supplier: frozenset
    # every location outside the warehouses (all usages but internal, transit)
    outside: frozenset

    @property
    def outside_but_supplier(self):
        return self.outside - self.supplier


def _chain_locations(env):
    usages = env["stock.location"]._fulfillment_location_usages()
    return ChainLocations(
        customer=usages.get("customer", frozenset()),
        supplier=usages.get("supplier", frozenset()),
        outside=frozenset().union(*usages.values()),
    )


class SqlLineFacts(NamedTuple):
    """One line's facts: a row of the grouped facts query (see
    _fulfillment_sql_facts), or the same read from the ORM's cache (see
    _fulfillment_cached_facts)."""

    order_id: int = 0
    sequence: int = 0
    qty_ordered: float = 0.0
    qty_shipped: float = 0.0
    uom_id: int = 0
    dropship_move: bool = False
    goods_ready: bool = False
    open_delivery: bool = False
    returned_ids: tuple = ()
    # the line's stored upstream document kind and state
    upstream_kind: str = ""
    upstream_state: str = catalog.UPSTREAM_NONE
    goods: bool = True
    # the shipments of the line's order (the same on each of its lines)
    shipments: int = 0
    backorders: int = 0
    delivered: bool = True
    # a return of the order, done or planned (goods coming back)
    returns: bool = False


# The facts of a line being added (onchange): its delivery is planned when
# the line is saved, so it is not shown as a cancelled one.
EMPTY_SQL_FACTS = SqlLineFacts(open_delivery=True)


def _least_advanced(states):
    """Upstream state of several documents: the least advanced open one."""
    live = [s for s in states if s != catalog.UPSTREAM_CANCEL]
    if not live:
        return catalog.UPSTREAM_CANCEL if states else catalog.UPSTREAM_NONE
    return min(live, key=_UPSTREAM_ORDER.index)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    fulfillment_qty_remaining = fields.Float(
        string="Remaining to Ship",
        compute="_compute_fulfillment_qty_remaining",
        digits="Product Unit",
        help="Ordered minus shipped (net of returns).",
    )

    # Stored: what procures the goods changes with the upstream documents,
    # not with the shipments. The status update reads it as a column instead
    # of joining the manufacturing and purchase orders of every line each
    # time a shipment is validated.
    fulfillment_upstream_kind = fields.Selection(
        UPSTREAM_KINDS,
        string="Procured By",
        compute="_compute_fulfillment_upstream",
        store=True,
        help="The document that procures the line's goods for this order: a "
        "drop-ship purchase order, else the manufacturing or purchase orders "
        "its moves created. Empty for goods taken from stock.",
    )
    fulfillment_upstream_state = fields.Selection(
        UPSTREAM_STATE_LABELS,
        string="Procurement State",
        compute="_compute_fulfillment_upstream",
        store=True,
        help="State of the least advanced open document that procures the "
        "line's goods (a purchase order counts as done once its goods are "
        "received; confirmed with its receipt cancelled, as cancelled).",
    )

    @api.depends("product_uom_qty", "qty_delivered", "qty_delivered_method")
    def _compute_fulfillment_qty_remaining(self):
        for line in self:
            goods = line._fulfillment_is_goods()
            line.fulfillment_qty_remaining = (
                remaining_qty(line.product_uom_qty, line.qty_delivered)
                if goods
                else 0.0
            )

    @api.model
    def _fulfillment_sql_upstream_dates(self, order_ids):
        """Dates the open upstream documents of the orders' lines promise, in
        one query: manufacturing orders' finish dates (mrp), arrival dates of
        the purchase lines the moves created (purchase_stock) and of the
        purchase lines of the sale lines (drop-ship).

        :return: {order id: (finish dates, arrival dates, drop-ship dates)}
        """
        env = self.env
        if not order_ids:
            return {}
        self._fulfillment_flush_upstream()
        self.flush_model(["order_id"])
        move_fields = env["stock.move"]._fields
        parts = []
        if "created_production_id" in move_fields:
            parts.append(
                SQL(
                    """SELECT line.order_id, 0, mo.id, mo.date_finished
                         FROM sale_order_line line
                         JOIN stock_move m ON m.sale_line_id = line.id
                         JOIN mrp_production mo ON mo.id = m.created_production_id
                        WHERE line.order_id IN %(ids)s
                          AND mo.state NOT IN ('done', 'cancel')
                          AND mo.date_finished IS NOT NULL""",
                    ids=tuple(order_ids),
                )
            )
        if "created_purchase_line_ids" in move_fields:
            field = move_fields["created_purchase_line_ids"]
            parts.append(
                SQL(
                    """SELECT line.order_id, 1, pol.id, pol.date_planned
                         FROM sale_order_line line
                         JOIN stock_move m ON m.sale_line_id = line.id
                         JOIN %(rel)s rel ON rel.%(move_col)s = m.id
                         JOIN purchase_order_line pol ON pol.id = rel.%(pol_col)s
                         JOIN purchase_order po ON po.id = pol.order_id
                        WHERE line.order_id IN %(ids)s
                          AND po.state != 'cancel'
                          AND pol.qty_received < pol.product_qty""",
                    rel=SQL.identifier(field.relation),
                    move_col=SQL.identifier(field.column1),
                    pol_col=SQL.identifier(field.column2),
                    ids=tuple(order_ids),
                )
            )
        if "purchase_line_ids" in self._fields:
            parts.append(
                SQL(
                    """SELECT line.order_id, 2, pol.id, pol.date_planned
                         FROM sale_order_line line
                         JOIN purchase_order_line pol ON pol.sale_line_id = line.id
                         JOIN purchase_order po ON po.id = pol.order_id
                        WHERE line.order_id IN %(ids)s
                          AND po.state != 'cancel'
                          AND pol.date_planned IS NOT NULL""",
                    ids=tuple(order_ids),
                )
            )
        if not parts:
            return {}
        env.cr.execute(SQL(" UNION ").join(parts))
        dates = {}
        # UNION: a document reached through several moves counts once
        for order_id, kind, _doc_id, date in env.cr.fetchall():
            dates.setdefault(order_id, ([], [], []))[kind].append(date)
        return dates

    def _fulfillment_upstream_depends(self):
        depends = []
        move_fields = self.env["stock.move"]._fields
        if "created_production_id" in move_fields:
            depends.append("move_ids.created_production_id.state")
        if "created_purchase_line_ids" in move_fields:
            depends += [
                "move_ids.created_purchase_line_ids.order_id.state",
                "move_ids.created_purchase_line_ids.qty_received",
                "move_ids.created_purchase_line_ids.product_qty",
                # its receipt cancelled while the purchase stands
                "move_ids.created_purchase_line_ids.move_ids.state",
            ]
        if self._fulfillment_has_dropship():
            depends += [
                "purchase_line_ids.order_id.state",
                "purchase_line_ids.order_id.picking_type_id.code",
            ]
        return depends

    def _fulfillment_has_dropship(self):
        """Whether purchase orders of the lines can drop-ship (purchase_stock
        and a module linking purchase lines to sale lines are installed)."""
        return (
            "purchase_line_ids" in self._fields
            and "picking_type_id" in self.env["purchase.order"]._fields
        )

    @api.depends(lambda self: self._fulfillment_upstream_depends())
    def _compute_fulfillment_upstream(self):
        upstream = self._fulfillment_sql_upstream(
            [line.id for line in self if isinstance(line.id, int)]
        )
        for line in self:
            if isinstance(line.id, int):
                kind, state = upstream.get(line.id, (False, False))
            else:
                # onchange: as saved (a line being added has none yet)
                kind = line._origin.fulfillment_upstream_kind
                state = line._origin.fulfillment_upstream_state
            line.fulfillment_upstream_kind = kind
            line.fulfillment_upstream_state = state

    @api.model
    def _fulfillment_sql_upstream(self, line_ids):
        """What procures the goods of the lines ``line_ids`` upstream, in one
        query: the drop-ship purchase orders of each line, the manufacturing
        orders and the purchase lines its moves created (mrp,
        purchase_stock).

        :return: {line id: (upstream kind code, upstream state)} for the
            lines that have upstream documents
        """
        if not line_ids:
            return {}
        env = self.env
        move_fields = env["stock.move"]._fields
        # one column per kind of document: manufacturing orders, purchases,
        # drop-ship purchases (None: its module is not installed)
        columns = [None, None, None]
        if "created_production_id" in move_fields:
            columns[0] = SQL(
                """(SELECT array_agg(mo.state)
                          FROM stock_move m
                          JOIN mrp_production mo ON mo.id = m.created_production_id
                         WHERE m.sale_line_id = line.id)"""
            )
        if "created_purchase_line_ids" in move_fields:
            field = move_fields["created_purchase_line_ids"]
            # per purchase line: its order's state, received in full, and
            # whether a receipt is still planned (a confirmed purchase whose
            # receipt was cancelled brings nothing)
            columns[1] = SQL(
                """(SELECT array_agg(ARRAY[
                                   po.state,
                                   (pol.qty_received >= pol.product_qty
                                    AND pol.product_qty > 0)::text,
                                   EXISTS(
                                       SELECT 1
                                         FROM stock_move receipt
                                        WHERE receipt.purchase_line_id = pol.id
                                          AND receipt.state NOT IN ('done', 'cancel')
                                   )::text])
                          FROM stock_move m
                          JOIN %(rel)s rel ON rel.%(move_col)s = m.id
                          JOIN purchase_order_line pol ON pol.id = rel.%(pol_col)s
                          JOIN purchase_order po ON po.id = pol.order_id
                         WHERE m.sale_line_id = line.id)""",
                rel=SQL.identifier(field.relation),
                move_col=SQL.identifier(field.column1),
                pol_col=SQL.identifier(field.column2),
            )
        if self._fulfillment_has_dropship():
            # the line's purchase lines first (OFFSET 0 keeps that order):
            # with few purchase orders the planner would scan all of them
            # for every line
            columns[2] = SQL(
                """(SELECT array_agg(po.state)
                          FROM (SELECT order_id
                                  FROM purchase_order_line
                                 WHERE sale_line_id = line.id
                                OFFSET 0) pol
                          JOIN purchase_order po ON po.id = pol.order_id
                          JOIN stock_picking_type pt ON pt.id = po.picking_type_id
                         WHERE pt.code = 'dropship')"""
            )
        if not any(columns):
            return {}
        self._fulfillment_flush_upstream()
        query = SQL(
            "SELECT line.id, %s FROM sale_order_line line WHERE line.id IN %s",
            SQL(", ").join(column or SQL("NULL") for column in columns),
            tuple(line_ids),
        )
        if len(line_ids) > JIT_FREE_LINES:
            # as the facts query: estimated dear per line, cheap to run
            query = SQL("SET LOCAL jit = off; %s", query)
        env.cr.execute(query)
        upstream = {}
        for line_id, productions, purchases, dropships in env.cr.fetchall():
            kind, state = self._fulfillment_upstream_of(
                productions or [], purchases or [], dropships or []
            )
            if kind:
                upstream[line_id] = (kind, state)
        return upstream

    def _fulfillment_is_goods(self):
        """Goods to ship: the lines whose delivered quantity comes from stock
        moves (sale_stock's test: goods, not services, combos, down payments
        or re-invoiced expenses). The facts query tests the same column."""
        self.ensure_one()
        return not self.display_type and self.qty_delivered_method == "stock_move"

    def _fulfillment_flush_upstream(self):
        """Write pending changes of what the upstream and upstream dates
        queries read of the moves and their upstream documents."""
        env = self.env
        move_fields = ["sale_line_id", "state"]
        for name in (
            "created_production_id",
            "created_purchase_line_ids",
            "purchase_line_id",
        ):
            if name in env["stock.move"]._fields:
                move_fields.append(name)
        env["stock.move"].flush_model(move_fields)
        if "created_production_id" in move_fields:
            env["mrp.production"].flush_model(["state", "date_finished"])
        if "purchase.order" in env:
            env["purchase.order.line"].flush_model(
                [
                    "order_id",
                    "sale_line_id",
                    "qty_received",
                    "product_qty",
                    "date_planned",
                ]
            )
            env["purchase.order"].flush_model(
                [
                    name
                    for name in ("state", "picking_type_id")
                    if name in env["purchase.order"]._fields
                ]
            )
            env["stock.picking.type"].flush_model(["code"])

    def _fulfillment_flush_facts(self):
        """Write pending changes of what the facts query reads (the
        upstream documents only through the lines' stored columns)."""
        env = self.env
        # the fields of CACHED_FACTS_FIELDS, and how the records are linked
        env["stock.move"].flush_model(
            ["sale_line_id", *CACHED_FACTS_FIELDS["stock.move"]]
        )
        env["stock.picking"].flush_model(
            [
                "sale_id",
                *CACHED_FACTS_FIELDS["stock.picking"],
                # not read, but computed from what is: flushed with it, a
                # validated picking is written once
                "fulfillment_shipment_status",
                "fulfillment_expected_arrival",
            ]
        )
        self.flush_model(["order_id", *CACHED_FACTS_FIELDS["sale.order.line"]])

    @api.model
    def _fulfillment_sql_facts(self, order_ids):
        """What the lines of the orders ``order_ids``, their moves and
        pickings say, in one grouped query whatever the number of lines: the
        quantities, the chain moves, what procures each line's goods (stored
        on the line, see ``_compute_fulfillment_upstream``), and the
        shipments of its order.

        :return: {line id: SqlLineFacts}
        """
        env = self.env
        if not order_ids:
            return {}
        self._fulfillment_flush_facts()
        # location usages from the cached ids, not four joins of
        # stock_location: planning the query cost more than running it for an
        # order or two (a shipment's validation). Chain moves start in the
        # warehouses (internal, transit), or at a vendor for the last test.
        locations = _chain_locations(env)
        outside = locations.outside
        # A move of the delivery chain: towards the customer (from the
        # warehouses, or from a vendor for a drop-ship), or a step inside the
        # warehouses whose final destination is the customer (a pick, a pack;
        # not the storage of goods a customer sent back).
        customer = list(locations.customer)
        inside_step = SQL(
            """(m.location_id != ALL(%(outside)s)
                AND m.location_dest_id != ALL(%(outside)s)
                AND m.location_final_id = ANY(%(customer)s))""",
            customer=customer,
            outside=list(outside),
        )
        chain = SQL(
            """((m.location_dest_id = ANY(%(customer)s)
                 AND m.location_id != ALL(%(outside_but_supplier)s))
                OR %(inside_step)s)""",
            customer=customer,
            outside_but_supplier=list(locations.outside_but_supplier),
            inside_step=inside_step,
        )
        # The moves are joined on the batch's line ids as an array too: from
        # the join alone the planner expects many moves per batch and reads
        # the whole stock_move table (200 orders: 39 ms at 100k lines); with
        # the array it reads them through the sale_line_id index (6 ms, and
        # 61 -> 35 ms for 1000 orders).
        query = SQL(
            """
                WITH shipping AS (
                    SELECT p.sale_id,
                           count(*) FILTER (WHERE p.state != 'cancel'
                                              AND p.location_dest_id = ANY(%(customer)s)
                                              AND p.location_id != ALL(%(customer)s))
                               AS shipments,
                           count(*) FILTER (WHERE p.backorder_id IS NOT NULL)
                               AS backorders,
                           bool_and(p.fulfillment_delivered_date IS NOT NULL)
                               FILTER (WHERE p.state = 'done'
                                         AND p.location_dest_id = ANY(%(customer)s)
                                         AND p.location_id != ALL(%(customer)s))
                               AS delivered,
                           bool_or(p.state != 'cancel'
                                   AND p.location_id = ANY(%(customer)s))
                               AS returns
                      FROM stock_picking p
                     WHERE p.sale_id IN %(order_ids)s
                     GROUP BY p.sale_id
                )
                SELECT line.id,
                       line.order_id,
                       line.sequence,
                       line.product_uom_qty,
                       line.qty_delivered,
                       line.product_uom_id,
                       bool_or(m.state != 'cancel'
                               AND m.location_id = ANY(%(supplier)s)
                               AND m.location_dest_id = ANY(%(customer)s)),
                       bool_or((m.state = 'assigned'
                                OR (m.state = 'partially_available'
                                    AND (SELECT picking.move_type
                                           FROM stock_picking picking
                                          WHERE picking.id = m.picking_id)
                                        IS DISTINCT FROM 'one'))
                               AND m.location_id != ALL(%(outside)s)
                               AND %(chain)s)
                       OR (bool_or(m.state = 'done' AND %(inside_step)s)
                           AND bool_or(m.state IN %(open)s AND %(chain)s)),
                       bool_or(m.state IN %(open)s AND %(chain)s),
                       array_agg(DISTINCT m.id) FILTER (
                           WHERE m.state = 'done'
                             AND m.location_id = ANY(%(customer)s)
                             AND m.product_id = line.product_id),
                       line.fulfillment_upstream_kind,
                       line.fulfillment_upstream_state,
                       bool_and(line.display_type IS NULL
                                AND line.qty_delivered_method = 'stock_move'),
                       max(shipping.shipments),
                       max(shipping.backorders),
                       bool_and(shipping.delivered),
                       bool_or(shipping.returns)
                  FROM sale_order_line line
                  LEFT JOIN shipping ON shipping.sale_id = line.order_id
                  LEFT JOIN stock_move m
                         ON m.sale_line_id = line.id
                        AND m.sale_line_id = ANY(ARRAY(
                                SELECT batch_line.id
                                  FROM sale_order_line batch_line
                                 WHERE batch_line.order_id IN %(order_ids)s))
                 WHERE line.order_id IN %(order_ids)s
                 GROUP BY line.id
                """,
            open=OPEN_MOVE_STATES,
            customer=customer,
            supplier=list(locations.supplier),
            outside=list(outside),
            chain=chain,
            inside_step=inside_step,
            order_ids=tuple(order_ids),
        )
        if len(order_ids) > JIT_FREE_BATCH:
            # The per-line subquery is cheap but estimated dear: a batch of
            # a few thousand lines crosses PostgreSQL's jit_above_cost, and
            # compiling the query (80 ms) cost more than running it (50 ms for
            # 1000 orders). JIT is switched off for the rest of the
            # transaction, in the same round trip. Smaller batches stay below
            # the threshold and run as they are: the switch itself measured
            # 10 ms a query on the benchmark's cluster.
            query = SQL("SET LOCAL jit = off; %s", query)
        env.cr.execute(query)
        return {
            row[0]: SqlLineFacts(
                order_id=row[1],
                sequence=row[2] or 0,
                qty_ordered=row[3] or 0.0,
                qty_shipped=row[4] or 0.0,
                uom_id=row[5] or 0,
                dropship_move=bool(row[6]),
                goods_ready=bool(row[7]),
                open_delivery=bool(row[8]),
                returned_ids=row[9] or [],
                upstream_kind=row[10] or "",
                upstream_state=row[11] or catalog.UPSTREAM_NONE,
                goods=bool(row[12]),
                shipments=row[13] or 0,
                backorders=row[14] or 0,
                # no shipment that left: nothing waits to be delivered
                delivered=row[15] is not False,
                returns=bool(row[16]),
            )
            for row in env.cr.fetchall()
        }

    def _fulfillment_order_facts(self, order_ids):
        """The facts of the lines of the orders ``order_ids`` (see
        ``_fulfillment_sql_facts``): read from the ORM's cache when all of
        it is there, else queried.

        :return: {line id: SqlLineFacts}
        """
        facts = self._fulfillment_cached_facts(order_ids)
        if facts is None:
            facts = self._fulfillment_sql_facts(order_ids)
        return facts

    def _fulfillment_cached_facts(self, order_ids):
        """The facts of ``_fulfillment_sql_facts``, read from the ORM's cache,
        or None when part of what they come from is not in it.

        A shipment's validation has just read and written the order, its
        lines, their moves and its pickings: the facts are in memory, and
        building them from it costs a fraction of the facts query (whose
        parsing and planning alone take about a millisecond). Only which
        moves each line has may be read, in one light query for all the
        lines. A cold cache (a batch recomputed by the scheduler, an order
        held from its form) gets the facts query, which reads any number of
        orders at once: reading them through the ORM would cost several
        queries. The two ways give the same facts; the random-walk tests
        compare them after each step.

        :return: {line id: SqlLineFacts} or None
        """
        if not order_ids:
            return {}
        orders = self.env["sale.order"].browse(order_ids)
        if _cached_columns(orders) is None:
            return None
        lines = orders.order_line
        pickings = orders.picking_ids
        line_columns = _cached_columns(lines)
        picking_columns = _cached_columns(pickings)
        if line_columns is None or picking_columns is None:
            return None
        moves = lines.move_ids  # the ids: a light query if not read yet
        move_columns = _cached_columns(moves)
        if move_columns is None:
            return None
        # the shipping policy of a partly available move's picking
        states, picking_of = move_columns["state"], move_columns["picking_id"]
        waiting = pickings.browse(
            picking_of[move_id]
            for move_id in moves._ids
            if states[move_id] == "partially_available" and picking_of[move_id]
        )
        # (the columns are the fields' whole caches: they hold these too)
        if _cached_columns(waiting) is None:
            return None
        locations = _chain_locations(self.env)
        facts = {}
        for order in orders:
            shipping = self._fulfillment_cached_shipping(
                order.picking_ids._ids, picking_columns, locations.customer
            )
            for line in order.order_line:
                line_id = line.id
                # the line's cached values: {field name: value}
                row = {name: column[line_id] for name, column in line_columns.items()}
                move_facts = self._fulfillment_cached_move_facts(
                    line.move_ids._ids,
                    row["product_id"],
                    move_columns,
                    picking_columns,
                    locations,
                )
                facts[line_id] = SqlLineFacts(
                    order_id=order.id,
                    sequence=row["sequence"] or 0,
                    qty_ordered=row["product_uom_qty"] or 0.0,
                    qty_shipped=row["qty_delivered"] or 0.0,
                    uom_id=row["product_uom_id"] or 0,
                    upstream_kind=row["fulfillment_upstream_kind"] or "",
                    upstream_state=row["fulfillment_upstream_state"]
                    or catalog.UPSTREAM_NONE,
                    goods=not row["display_type"]
                    and row["qty_delivered_method"] == "stock_move",
                    **move_facts,
                    **shipping,
                )
        return facts

    @api.model
    def _fulfillment_cached_shipping(self, picking_ids, columns, customer):
        """The shipment columns of ``_fulfillment_sql_facts`` for one order,
        from the cached ``columns`` of its pickings (see ``_cached_columns``)."""
        states = columns["state"]
        sources = columns["location_id"]
        destinations = columns["location_dest_id"]
        backorders_of = columns["backorder_id"]
        delivered_dates = columns["fulfillment_delivered_date"]
        shipments = backorders = 0
        delivered = True
        returns = False
        for picking_id in picking_ids:
            state = states[picking_id]
            source = sources[picking_id]
            outbound = destinations[picking_id] in customer and source not in customer
            if state != "cancel" and outbound:
                shipments += 1
            if backorders_of[picking_id]:
                backorders += 1
            if state == "done" and outbound:
                delivered = delivered and bool(delivered_dates[picking_id])
            if state != "cancel" and source in customer:
                returns = True
        return {
            "shipments": shipments,
            "backorders": backorders,
            "delivered": delivered,
            "returns": returns,
        }

    @api.model
    def _fulfillment_cached_move_facts(
        self, move_ids, product_id, columns, picking_columns, locations
    ):
        """The move columns of ``_fulfillment_sql_facts`` for one line, from
        the cached ``columns`` of its moves ``move_ids`` (the same tests as
        the query's).

        :param product_id: the line's product
        :param locations: ``ChainLocations``
        """
        customer, supplier, outside = locations
        outside_but_supplier = locations.outside_but_supplier
        states = columns["state"]
        sources = columns["location_id"]
        destinations = columns["location_dest_id"]
        finals = columns["location_final_id"]
        pickings = columns["picking_id"]
        products = columns["product_id"]
        move_types = picking_columns["move_type"]
        dropship = assigned = done_step = open_delivery = False
        returned = set()
        for move_id in move_ids:
            source = sources[move_id]
            dest = destinations[move_id]
            state = states[move_id]
            inside_step = (
                source not in outside
                and dest not in outside
                and finals[move_id] in customer
            )
            chain = (
                dest in customer and source not in outside_but_supplier
            ) or inside_step
            if state != "cancel" and source in supplier and dest in customer:
                dropship = True
            if (
                (
                    state == "assigned"
                    or (
                        state == "partially_available"
                        and move_types.get(pickings[move_id]) != "one"
                    )
                )
                and source not in outside
                and chain
            ):
                assigned = True
            if state == "done" and inside_step:
                done_step = True
            if state in OPEN_MOVE_STATES and chain:
                open_delivery = True
            if (
                state == "done"
                and source in customer
                and products[move_id] == product_id
            ):
                returned.add(move_id)
        return {
            "dropship_move": dropship,
            "goods_ready": assigned or (done_step and open_delivery),
            "open_delivery": open_delivery,
            "returned_ids": sorted(returned),
        }

    @staticmethod
    def _fulfillment_upstream_of(productions, purchases, dropships):
        """(upstream kind code, upstream state) from the states the upstream
        query gave: the drop-ship purchase orders, else the manufacturing
        orders, else the purchase lines the moves created."""
        if dropships:
            states = [PURCHASE_STATES[state] for state in dropships]
            return UPSTREAM_DROPSHIP, _least_advanced(states)
        if productions:
            states = [PRODUCTION_STATES[state] for state in productions]
            return catalog.UPSTREAM_PRODUCTION, _least_advanced(states)
        if purchases:
            states = []
            for state, received, receiving in purchases:
                state = PURCHASE_STATES[state]
                if state == catalog.UPSTREAM_CONFIRMED and received == "true":
                    state = catalog.UPSTREAM_DONE
                elif state == catalog.UPSTREAM_CONFIRMED and receiving != "true":
                    # confirmed, but its receipt cancelled (or its remainder
                    # declined): nothing more comes from this purchase
                    state = catalog.UPSTREAM_CANCEL
                states.append(state)
            return catalog.UPSTREAM_PURCHASE, _least_advanced(states)
        return "", catalog.UPSTREAM_NONE

    def _fulfillment_facts(self, sql_facts):
        """Plain facts of each goods line for the core engine, for lines being
        edited (onchange): their quantities as edited, the rest as saved.

        :param sql_facts: ``_fulfillment_sql_facts()`` of the orders the lines
            edit
        :return: {line: LineFacts}
        """
        goods = self.filtered(
            lambda line: sql_facts[line.id].goods
            if isinstance(line.id, int)
            else line._fulfillment_is_goods()
        )
        returned = self._fulfillment_returned_qty(sql_facts)
        return {
            line: self._fulfillment_line_facts(
                sql_facts.get(line._origin.id, EMPTY_SQL_FACTS),
                line.product_uom_qty,
                line.qty_delivered,
                returned.get(line._origin.id, 0.0),
            )
            for line in goods
        }

    @api.model
    def _fulfillment_facts_by_order(self, sql_facts):
        """Plain facts of the goods lines of saved orders, from their
        ``_fulfillment_sql_facts()`` (no line is read through the ORM).

        :return: ({order id: [LineFacts, in the order of the lines]},
                  {order id: (shipments, backorders, delivered, returns)})
        """
        returned = self._fulfillment_returned_qty(sql_facts)
        by_order, shipping = {}, {}
        for line_id, row in sorted(
            sql_facts.items(), key=lambda item: (item[1].sequence, item[0])
        ):
            shipping[row.order_id] = (
                row.shipments,
                row.backorders,
                row.delivered,
                row.returns,
            )
            if row.goods:
                by_order.setdefault(row.order_id, []).append(
                    self._fulfillment_line_facts(
                        row,
                        row.qty_ordered,
                        row.qty_shipped,
                        returned.get(line_id, 0.0),
                    )
                )
        return by_order, shipping

    @api.model
    def _fulfillment_returned_qty(self, sql_facts):
        """{line id: quantity returned by the customer, in the line's unit}."""
        moves = self.env["stock.move"].browse(
            [move_id for row in sql_facts.values() for move_id in row.returned_ids]
        )
        if not moves:
            return {}
        uoms = self.env["uom.uom"]
        returned = {}
        for line_id, row in sql_facts.items():
            if row.returned_ids:
                line_uom = uoms.browse(row.uom_id)
                returned[line_id] = sum(
                    move.product_uom._compute_quantity(move.quantity, line_uom)
                    for move in moves
                    if move.id in row.returned_ids
                )
        return returned

    @api.model
    def _fulfillment_line_facts(self, row, qty_ordered, qty_shipped, qty_returned):
        """LineFacts of one line from its SqlLineFacts and quantities."""
        # a drop-ship purchase is a purchase to the core engine
        upstream_kind = (
            catalog.UPSTREAM_PURCHASE
            if row.upstream_kind == UPSTREAM_DROPSHIP
            else row.upstream_kind
        )
        upstream_state = row.upstream_state
        kind = classify_line_type(
            dropship=row.upstream_kind == UPSTREAM_DROPSHIP or row.dropship_move,
            manufactured=upstream_kind == catalog.UPSTREAM_PRODUCTION,
            bought_on_order=upstream_kind == catalog.UPSTREAM_PURCHASE,
        )
        return LineFacts(
            kind=kind,
            qty_ordered=qty_ordered,
            qty_shipped=qty_shipped,
            qty_returned=qty_returned,
            upstream=upstream_state,
            upstream_kind=upstream_kind,
            goods_ready=row.goods_ready,
            open_delivery=row.open_delivery,
            # every unit shares the 'Product Unit' precision (uom.uom.rounding)
            rounding=10 ** -self.env["decimal.precision"].precision_get("Product Unit"),
        )
