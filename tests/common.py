# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, new_test_user

from odoo.addons.base.tests.common import BaseCommon


class FulfillmentCommon(BaseCommon):
    """Customers, products with stock, and helpers to walk real documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kansai Trading K.K.", "email": "order@kansai.example.com"}
        )
        cls.product = cls._create_product("Steel Bracket")
        cls.product_2 = cls._create_product("Hex Bolt M8")
        cls.env.company.fulfillment_transit_days = 1
        cls.fulfillment_user = new_test_user(
            cls.env,
            login="fulfillment_user",
            groups="sales_team.group_sale_salesman_all_leads,stock.group_stock_user,"
            "sale_fulfillment_status.group_fulfillment_user",
        )
        cls.hold_reason = cls.env.ref(
            "sale_fulfillment_status.hold_reason_missing_info"
        )

    @classmethod
    def _create_product(cls, name, **vals):
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "is_storable": True, "list_price": 100.0}
            | vals
        )

    @classmethod
    def _add_stock(cls, product, qty, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.stock_location, qty
        )

    def _create_order(self, lines, confirm=True, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
            | vals
        )
        if confirm:
            order.action_confirm()
        return order

    def _outgoing(self, order):
        """Open pickings of the order that go to the customer."""
        return order.picking_ids.filtered(
            lambda p: p.location_dest_id.usage == "customer"
            and p.state not in ("done", "cancel")
        )

    def _validate(self, picking, quantities=None, backorder=True):
        """Validate ``picking``; quantities per product, else everything.

        With short quantities the backorder wizard answers ``backorder``:
        create the backorder, or decline it.
        """
        picking.action_assign()
        for move in picking.move_ids:
            qty = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.write({"quantity": qty, "picked": True})
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == (
            "stock.backorder.confirmation"
        ):
            wizard = Form.from_action(self.env, result).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def _return(self, picking, quantities=None, exchange=False, validate=True):
        """Return goods of a validated picking and validate the return
        (unless told not to); ``exchange``: Odoo's Return for Exchange, which
        also plans the replacement delivery."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids,
                active_id=picking.id,
                active_model="stock.picking",
            )
        ).save()
        for line in wizard.product_return_moves:
            line.quantity = (quantities or {}).get(
                line.product_id, line.move_id.quantity
            )
        if exchange:
            action = wizard.action_create_exchanges()
        else:
            action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        if validate:
            self._validate(return_picking)
        return return_picking

    def _hold(self, order, reason=None, note=False, user=None):
        wizard = (
            self.env["sale.order.hold"]
            .with_user(user or self.fulfillment_user)
            .create(
                {
                    "order_ids": [Command.set(order.ids)],
                    "reason_id": (reason or self.hold_reason).id,
                    "note": note,
                }
            )
        )
        wizard.action_confirm()

    def _commit_emails(self, order):
        """Read the status, then run what the transaction's commit runs and
        the email sender it triggers."""
        self.assertTrue(order.fulfillment_status)
        self.env.flush_all()
        self.cr.flush()
        self.env["sale.fulfillment.history"]._cron_notify_status_changes()
        self.env.flush_all()

    def _statuses(self, order):
        """The history of ``order``, oldest first, as (from, to, trigger)."""
        return [
            (row.from_status, row.to_status, row.trigger)
            for row in order.fulfillment_history_ids.sorted(lambda r: (r.date, r.id))
        ]

    @classmethod
    def _api_key(cls, user, scope=None, expiration=None):
        """A new API key of ``user`` (global unless ``scope``), as Odoo's
        preferences dialog makes it: by the user, with an expiration date."""
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope,
                "Fulfillment API test",
                expiration or fields.Datetime.now() + timedelta(hours=12),
            )
        )
