# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

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

    def _fulfillment_dropship_purchase_lines(self):
        """Drop-ship purchase lines of the line (sale_purchase + dropshipping)."""
        self.ensure_one()
        if "purchase_line_ids" not in self._fields:
            return self.env["sale.order.line"].browse()
        return self.purchase_line_ids.filtered(
            lambda pol: "picking_type_id" in pol.order_id._fields
            and pol.order_id.picking_type_id.code == "dropship"
        )

    def _fulfillment_upstream(self, moves, dropship_lines):
        """(upstream kind, upstream state) of the documents procuring the line."""
        self.ensure_one()
        if dropship_lines:
            states = [PURCHASE_STATES[pol.order_id.state] for pol in dropship_lines]
            return catalog.UPSTREAM_PURCHASE, _least_advanced(states)
        if "created_production_id" in moves._fields:
            productions = moves.created_production_id
            if productions:
                states = [PRODUCTION_STATES[mo.state] for mo in productions]
                return catalog.UPSTREAM_PRODUCTION, _least_advanced(states)
        if "created_purchase_line_ids" in moves._fields:
            purchase_lines = moves.created_purchase_line_ids
            if purchase_lines:
                states = []
                for pol in purchase_lines:
                    state = PURCHASE_STATES[pol.order_id.state]
                    received = pol.qty_received >= pol.product_qty > 0
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
        are reserved or a preparation step is done.

        :return: {line: LineFacts}
        """
        facts = {}
        for line in self:
            if not line._fulfillment_is_goods():
                continue
            moves = line.move_ids
            live_moves = moves.filtered(lambda m: m.state != "cancel")
            dropship_lines = line._fulfillment_dropship_purchase_lines()
            dropship = bool(dropship_lines) or any(
                m.location_id.usage == "supplier"
                and m.location_dest_id.usage == "customer"
                for m in live_moves
            )
            upstream_kind, upstream = line._fulfillment_upstream(moves, dropship_lines)
            from_customer = live_moves.filtered(
                lambda m: m.location_id.usage == "customer"
            )
            # The delivery chain leaves from the warehouse (pick, pack, ship) or
            # from the vendor (drop-ship); finished-goods moves of a
            # manufacturing order (from production) are upstream, not chain.
            open_moves = live_moves.filtered(
                lambda m: m.state in OPEN_MOVE_STATES
                and m.location_id.usage in CHAIN_SOURCE_USAGES
            )
            returned = sum(
                m.product_uom._compute_quantity(m.quantity, line.product_uom_id)
                for m in from_customer
                if m.state == "done" and m.product_id == line.product_id
            )
            kind = classify_line_type(
                dropship=dropship,
                manufactured=upstream_kind == catalog.UPSTREAM_PRODUCTION,
                bought_on_order=upstream_kind == catalog.UPSTREAM_PURCHASE,
            )
            facts[line] = LineFacts(
                kind=kind,
                qty_ordered=line.product_uom_qty,
                qty_shipped=line.qty_delivered,
                qty_returned=returned,
                upstream=upstream,
                upstream_kind=upstream_kind,
                goods_ready=any(
                    (m.state in READY_MOVE_STATES or m.picked)
                    and m.location_id.usage != "supplier"
                    for m in open_moves
                ),
                open_delivery=any(
                    m.location_dest_id.usage == "customer" for m in open_moves
                ),
                rounding=line.product_uom_id.rounding or 0.01,
            )
        return facts
