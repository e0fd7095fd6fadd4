# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import catalog
from ..core.engine import LineFacts, classify_line_type

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
_UPSTREAM_ORDER = (
    catalog.UPSTREAM_DRAFT,
    catalog.UPSTREAM_CONFIRMED,
    catalog.UPSTREAM_PROGRESS,
    catalog.UPSTREAM_DONE,
)
OPEN_MOVE_STATES = ("draft", "waiting", "confirmed", "partially_available", "assigned")
READY_MOVE_STATES = ("partially_available", "assigned")
CHAIN_SOURCE_USAGES = ("internal", "transit", "supplier")


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

    @api.depends("product_uom_qty", "qty_delivered", "product_id.type")
    def _compute_fulfillment_qty_remaining(self):
        for line in self:
            goods = line._fulfillment_is_goods()
            remaining = line.product_uom_qty - line.qty_delivered if goods else 0.0
            line.fulfillment_qty_remaining = max(remaining, 0.0)

    def _fulfillment_upstream_dates(self):
        """Dates the upstream documents of the lines promise, by kind.

        :return: (manufacturing finish dates, purchase arrival dates,
                  drop-ship delivery dates) of open documents
        """
        finish, arrival, dropship = [], [], []
        moves = self.move_ids
        if "created_production_id" in moves._fields:
            finish += [
                mo.date_finished
                for mo in moves.created_production_id
                if mo.state not in ("done", "cancel") and mo.date_finished
            ]
        if "created_purchase_line_ids" in moves._fields:
            arrival += [
                pol.date_planned
                for pol in moves.created_purchase_line_ids
                if pol.order_id.state != "cancel" and pol.qty_received < pol.product_qty
            ]
        if "purchase_line_ids" in self._fields:
            dropship += [
                pol.date_planned
                for pol in self.purchase_line_ids
                if pol.order_id.state != "cancel" and pol.date_planned
            ]
        return finish, arrival, dropship

    def _fulfillment_is_goods(self):
        self.ensure_one()
        return (
            not self.display_type
            and not self.is_downpayment
            and self.product_id.type == "consu"
        )

    def _fulfillment_flush_facts(self):
        """Write pending changes of what the facts query reads."""
        env = self.env
        move_fields = ["sale_line_id", "state", "picked", "product_id"]
        move_fields += ["location_id", "location_dest_id"]
        for name in ("created_production_id", "created_purchase_line_ids"):
            if name in env["stock.move"]._fields:
                move_fields.append(name)
        env["stock.move"].flush_model(move_fields)
        env["stock.location"].flush_model(["usage"])
        self.flush_recordset(["product_id", "display_type", "is_downpayment"])
        env["product.product"].flush_model(["product_tmpl_id"])
        env["product.template"].flush_model(["type"])
        if "created_production_id" in move_fields:
            env["mrp.production"].flush_model(["state"])
        if "purchase.order" in env:
            env["purchase.order.line"].flush_model(
                ["order_id", "sale_line_id", "qty_received", "product_qty"]
            )
            env["purchase.order"].flush_model(
                [
                    name
                    for name in ("state", "picking_type_id")
                    if name in env["purchase.order"]._fields
                ]
            )
            env["stock.picking.type"].flush_model(["code"])

    def _fulfillment_sql_facts(self):
        """What the moves and upstream documents of the lines say, in one
        grouped query whatever the number of lines: the chain moves, the
        manufacturing orders and purchase lines the moves created (mrp,
        purchase_stock) and the drop-ship purchase orders of each line.

        :return: {line id: (dropship move, goods ready, open delivery,
                  ids of done moves returning the line's product,
                  production states, [(purchase state, received)],
                  drop-ship purchase states, the line is goods)}
        """
        env = self.env
        self._fulfillment_flush_facts()
        move_fields = env["stock.move"]._fields
        production, production_join = SQL("NULL"), SQL()
        if "created_production_id" in move_fields:
            production = SQL(
                "array_agg(DISTINCT mo.state) FILTER (WHERE mo.id IS NOT NULL)"
            )
            production_join = SQL(
                "LEFT JOIN mrp_production mo ON mo.id = m.created_production_id"
            )
        purchase, purchase_join = SQL("NULL"), SQL()
        if "created_purchase_line_ids" in move_fields:
            field = move_fields["created_purchase_line_ids"]
            purchase = SQL(
                """array_agg(DISTINCT ARRAY[cpo.state,
                       (cpol.qty_received >= cpol.product_qty
                        AND cpol.product_qty > 0)::text])
                   FILTER (WHERE cpol.id IS NOT NULL)"""
            )
            purchase_join = SQL(
                """LEFT JOIN %(rel)s rel ON rel.%(move_col)s = m.id
                   LEFT JOIN purchase_order_line cpol ON cpol.id = rel.%(pol_col)s
                   LEFT JOIN purchase_order cpo ON cpo.id = cpol.order_id""",
                rel=SQL.identifier(field.relation),
                move_col=SQL.identifier(field.column1),
                pol_col=SQL.identifier(field.column2),
            )
        dropship = SQL("NULL")
        if (
            "purchase_line_ids" in self._fields
            and "picking_type_id" in env["purchase.order"]._fields
        ):
            dropship = SQL(
                """(SELECT array_agg(po.state)
                      FROM purchase_order_line pol
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN stock_picking_type pt ON pt.id = po.picking_type_id
                     WHERE pol.sale_line_id = line.id AND pt.code = 'dropship')"""
            )
        env.cr.execute(
            SQL(
                """
                SELECT line.id,
                       bool_or(m.state != 'cancel' AND src.usage = 'supplier'
                               AND dst.usage = 'customer'),
                       bool_or(m.state IN %(open)s AND src.usage IN %(chain)s
                               AND src.usage != 'supplier'
                               AND (m.state IN %(ready)s OR m.picked)),
                       bool_or(m.state IN %(open)s AND src.usage IN %(chain)s
                               AND dst.usage = 'customer'),
                       array_agg(DISTINCT m.id) FILTER (
                           WHERE m.state = 'done' AND src.usage = 'customer'
                             AND m.product_id = line.product_id),
                       %(production)s,
                       %(purchase)s,
                       %(dropship)s,
                       bool_and(line.display_type IS NULL
                                AND NOT COALESCE(line.is_downpayment, false)
                                AND COALESCE(pt.type = 'consu', false))
                  FROM sale_order_line line
                  LEFT JOIN product_product pp ON pp.id = line.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN stock_move m ON m.sale_line_id = line.id
                  LEFT JOIN stock_location src ON src.id = m.location_id
                  LEFT JOIN stock_location dst ON dst.id = m.location_dest_id
                  %(production_join)s
                  %(purchase_join)s
                 WHERE line.id IN %(ids)s
                 GROUP BY line.id
                """,
                open=OPEN_MOVE_STATES,
                chain=CHAIN_SOURCE_USAGES,
                ready=READY_MOVE_STATES,
                production=production,
                purchase=purchase,
                dropship=dropship,
                production_join=production_join,
                purchase_join=purchase_join,
                ids=tuple(self.ids),
            )
        )
        return {
            row[0]: (
                bool(row[1]),
                bool(row[2]),
                bool(row[3]),
                row[4] or [],
                row[5] or [],
                [(state, received == "true") for state, received in row[6] or []],
                row[7] or [],
                bool(row[8]),
            )
            for row in env.cr.fetchall()
        }

    @staticmethod
    def _fulfillment_upstream_of(productions, purchases, dropships):
        """(upstream kind, upstream state) from the states the query gave:
        the drop-ship purchase orders, else the manufacturing orders, else
        the purchase lines the moves created."""
        if dropships:
            states = [PURCHASE_STATES[state] for state in dropships]
            return catalog.UPSTREAM_PURCHASE, _least_advanced(states)
        if productions:
            states = [PRODUCTION_STATES[state] for state in productions]
            return catalog.UPSTREAM_PRODUCTION, _least_advanced(states)
        if purchases:
            states = []
            for state, received in purchases:
                state = PURCHASE_STATES[state]
                if state == catalog.UPSTREAM_CONFIRMED and received:
                    state = catalog.UPSTREAM_DONE
                states.append(state)
            return catalog.UPSTREAM_PURCHASE, _least_advanced(states)
        return "", catalog.UPSTREAM_NONE

    def _fulfillment_facts(self):
        """Plain facts of each goods line for the core engine.

        Facts come from stock moves: the delivered quantity is Odoo's own
        (goods that reached or left for a customer location, net of returns,
        kits through their components); the chain moves tell whether goods
        are reserved or a preparation step is done. They are read in a few
        grouped queries for all the lines, whatever their number.

        :return: {line: LineFacts}
        """
        # new records (onchange) have the moves of the line they edit, if any
        origins = self._origin
        sql_facts = origins._fulfillment_sql_facts() if origins else {}
        goods = self.filtered(
            lambda line: sql_facts[line.id][7]
            if isinstance(line.id, int)
            else line._fulfillment_is_goods()
        )
        if not goods:
            return {}
        returned_moves = self.env["stock.move"].browse(
            [move_id for facts in sql_facts.values() for move_id in facts[3]]
        )
        facts = {}
        empty = (False, False, False, (), (), (), (), True)
        for line in goods:
            (
                dropship_move,
                goods_ready,
                open_delivery,
                returned_ids,
                productions,
                purchases,
                dropships,
                _goods,
            ) = sql_facts.get(line._origin.id, empty)
            upstream_kind, upstream_state = self._fulfillment_upstream_of(
                productions, purchases, dropships
            )
            returned = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in returned_moves
                if move.id in returned_ids
            )
            kind = classify_line_type(
                dropship=bool(dropships) or dropship_move,
                manufactured=upstream_kind == catalog.UPSTREAM_PRODUCTION,
                bought_on_order=upstream_kind == catalog.UPSTREAM_PURCHASE,
            )
            facts[line] = LineFacts(
                kind=kind,
                qty_ordered=line.product_uom_qty,
                qty_shipped=line.qty_delivered,
                qty_returned=returned,
                upstream=upstream_state,
                upstream_kind=upstream_kind,
                goods_ready=goods_ready,
                open_delivery=open_delivery,
                rounding=line.product_uom_id.rounding or 0.01,
            )
        return facts
