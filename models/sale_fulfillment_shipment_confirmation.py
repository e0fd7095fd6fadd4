# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..core.api import OpenMove, allocate
from .utils import FulfillmentApiError

STOCK_GROUP = "stock.group_stock_user"


class SaleFulfillmentShipmentConfirmation(models.Model):
    """A shipment a 3PL confirmed through the API, and what it answered.

    Kept so that a repeated confirmation (same company, same confirmation id)
    changes nothing and gets the same answer.
    """

    _name = "sale.fulfillment.shipment.confirmation"
    _description = "3PL Shipment Confirmation"
    _order = "id desc"
    _rec_name = "confirmation_id"

    confirmation_id = fields.Char(
        string="Confirmation ID",
        required=True,
        readonly=True,
        help="The 3PL's id of the confirmation (idempotency key).",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", string="API User", readonly=True)
    picking_ids = fields.Many2many(
        "stock.picking", string="Validated Shipments", readonly=True
    )
    backorder_ids = fields.Many2many(
        "stock.picking",
        "sale_fulfillment_shipment_confirmation_backorder_rel",
        string="Backorders",
        readonly=True,
    )
    carrier = fields.Char(readonly=True)
    tracking_ref = fields.Char(string="Tracking Numbers", readonly=True)
    shipping_date = fields.Datetime(readonly=True)
    fingerprint = fields.Char(readonly=True, help="Digest of the request body.")
    response_status = fields.Integer(readonly=True)
    response_body = fields.Text(readonly=True)

    _confirmation_unique = models.UniqueIndex(
        "(company_id, confirmation_id)",
        "A confirmation id is used once per company.",
    )

    @api.model
    def _replay(self, confirmation_id, fingerprint):
        """The stored confirmation with this id, if any.

        :raise FulfillmentApiError: 409 when the id was used for another body
        """
        previous = self.sudo().search(
            [
                ("confirmation_id", "=", confirmation_id),
                ("company_id", "in", self.env.user.company_ids.ids),
            ],
            limit=1,
        )
        if previous and previous.fingerprint != fingerprint:
            raise FulfillmentApiError(
                409,
                "conflict",
                self.env._(
                    "Confirmation %(confirmation)s was already received with "
                    "another content.",
                    confirmation=confirmation_id,
                ),
            )
        return previous

    @api.model
    def _confirm(self, confirmation, fingerprint, order):
        """Ship what a 3PL confirmed for ``order`` and record it.

        Validates the open customer shipments of the order with the shipped
        quantities (a backorder keeps the rest), sets the tracking numbers,
        carrier and shipping date. Runs with the API user's rights; the caller
        holds a savepoint so that an error changes nothing.

        :param confirmation: a validated ``core.api.Confirmation``
        :return: the new confirmation record (response not stored yet)
        :raise FulfillmentApiError: on anything that cannot be shipped
        """
        if order.state != "sale" or order.fulfillment_status in ("done", "cancelled"):
            raise FulfillmentApiError(
                409,
                "order_closed",
                self.env._(
                    "Order %(order)s is not open: nothing can be shipped on it.",
                    order=order.name,
                ),
            )
        if order.fulfillment_hold_reason_id:
            raise FulfillmentApiError(
                409,
                "order_on_hold",
                self.env._(
                    "Order %(order)s is on hold: its shipments cannot be "
                    "confirmed until it is released.",
                    order=order.name,
                ),
            )
        pickings = order.picking_ids.filtered(
            lambda p: p._fulfillment_direction()[0]
            and p.state not in ("draft", "done", "cancel")
        ).sorted(lambda p: (p.scheduled_date, p.id))
        if not pickings:
            raise FulfillmentApiError(
                422,
                "nothing_to_ship",
                self.env._(
                    "Order %(order)s has no open shipment to confirm.", order=order.name
                ),
            )
        moves = pickings.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
            and m.location_dest_id.usage == "customer"
        )
        requested = {}
        for line in confirmation.lines:
            product = self._confirmation_product(line, moves)
            requested[product] = requested.get(product, 0.0) + line.quantity
        allocation, over, missing = allocate(
            [
                OpenMove(
                    move,
                    move.product_id,
                    move.product_uom_qty,
                    move.product_uom.rounding,
                )
                for move in moves
            ],
            requested,
        )
        if missing:
            raise FulfillmentApiError(
                400,
                "unknown_product",
                self.env._(
                    "Product %(product)s is not on the open shipments of order "
                    "%(order)s.",
                    product=missing[0].default_code or missing[0].display_name,
                    order=order.name,
                ),
            )
        if over:
            product, (quantity, available) = next(iter(over.items()))
            raise FulfillmentApiError(
                422,
                "quantity_exceeded",
                self.env._(
                    "%(quantity)s of %(product)s confirmed, but only %(available)s "
                    "is left to ship on order %(order)s.",
                    quantity=quantity,
                    product=product.default_code or product.display_name,
                    available=available,
                    order=order.name,
                ),
            )
        try:
            validated, backorders = pickings._fulfillment_confirm_shipment(
                allocation,
                carrier=confirmation.carrier,
                tracking_numbers=confirmation.tracking_numbers,
                shipping_date=confirmation.shipping_date,
            )
        except (UserError, ValidationError, AccessError) as error:
            raise FulfillmentApiError(
                422, "validation_failed", error.args[0] if error.args else ""
            ) from error
        return self.sudo().create(
            {
                "confirmation_id": confirmation.confirmation_id,
                "company_id": order.company_id.id,
                "order_id": order.id,
                "user_id": self.env.uid,
                "picking_ids": validated.ids,
                "backorder_ids": backorders.ids,
                "carrier": confirmation.carrier,
                "tracking_ref": ", ".join(confirmation.tracking_numbers) or False,
                "shipping_date": confirmation.shipping_date,
                "fingerprint": fingerprint,
            }
        )

    @api.model
    def _confirmation_product(self, line, moves):
        """The product of a confirmed line: by id, else by internal reference
        (among the order's products when several share it)."""
        products = self.env["product.product"].with_context(active_test=False)
        if line.product_id:
            product = products.browse(line.product_id).exists()
            label = str(line.product_id)
        else:
            product = products.search([("default_code", "=", line.default_code)])
            if len(product) > 1:
                product = product & moves.product_id
            label = line.default_code
        if len(product) != 1:
            raise FulfillmentApiError(
                400,
                "unknown_product",
                self.env._("Unknown product %(product)s.", product=label),
            )
        return product

    def _store_response(self, status, body):
        self.ensure_one()
        self.sudo().write(
            {
                "response_status": status,
                "response_body": json.dumps(body, ensure_ascii=False),
            }
        )

    def _response(self):
        """(status, body) answered the first time."""
        self.ensure_one()
        return self.response_status, json.loads(self.response_body or "{}")
