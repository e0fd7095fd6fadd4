# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from typing import NamedTuple

from odoo import Command, api, models

_logger = logging.getLogger(__name__)

MODULE = "sale_fulfillment_status"
PENDING_MODULE_STATES = ("to install", "to upgrade")


class DemoOrder(NamedTuple):
    """A demo order: what is ordered, what happens to it, where it ends.

    ``name`` gives the order's xml id (``sale_order_<name>_demo``); ``customer``
    and the ``lines``' products are keys of ``res_partner_<key>_demo`` and
    ``product_product_<key>_demo``. Each step is a method ``_step_<verb>``, as
    ``"verb"`` or ``("verb", args...)``, run in turn after confirmation.
    """

    name: str
    customer: str
    reference: str
    lines: tuple
    steps: tuple
    flow: str
    status: str


_O = DemoOrder
STOCK_ORDERS = (
    _O("stock_received", "kansai_trading", "PO-DEMO-NO-STOCK",
       (("stainless_flange", 4),), (), "stock", "received"),
    _O("stock_preparing", "tokyo_seiki", "PO-DEMO-RESERVED",
       (("steel_bracket", 20),), (), "stock", "preparing"),
    _O("stock_split", "nagoya_works", "PO-DEMO-SPLIT",
       (("aluminium_panel", 10),), (("ship", 6),), "stock", "partially_shipped"),
    _O("stock_short", "kyushu_construction", "PO-DEMO-SHORT-SHIPPED",
       (("hex_bolt", 10),), (("ship_short", 8),), "stock", "partially_shipped"),
    _O("stock_shipped", "kansai_trading", "PO-DEMO-IN-TRANSIT",
       (("steel_bracket", 5), ("hex_bolt", 5)), ("ship",), "stock", "shipped"),
    _O("stock_done", "tokyo_seiki", "PO-DEMO-DELIVERED",
       (("steel_bracket", 10),), ("ship", "deliver"), "stock", "done"),
    _O("stock_returned", "nagoya_works", "PO-DEMO-RETURNED",
       (("steel_bracket", 3),), ("ship", "deliver", "return"), "stock", "received"),
    _O("stock_on_hold", "kyushu_construction", "PO-DEMO-HOLD-ADDRESS",
       (("steel_bracket", 8),),
       (("hold", "missing_info", "Delivery address of the new site is missing."),),
       "stock", "on_hold"),
    _O("stock_cancelled", "kansai_trading", "PO-DEMO-CANCELLED",
       (("hex_bolt", 5),), ("cancel",), "stock", "cancelled"),
)  # fmt: skip
# Build to order, manufactured: the MTO route makes a manufacturing order.
MADE_ORDERS = (
    _O("build_manufacturing", "nagoya_works", "PO-DEMO-MO",
       (("control_panel", 2),), (), "build", "manufacturing"),
    _O("build_mixed", "tokyo_seiki", "PO-DEMO-MIXED",
       (("steel_bracket", 4), ("control_panel", 1)), (), "build", "manufacturing"),
    _O("build_made", "kansai_trading", "PO-DEMO-MO-DONE",
       (("control_panel", 1),), ("produce",), "build", "preparing"),
    _O("build_split", "kyushu_construction", "PO-DEMO-MO-SPLIT",
       (("control_panel", 4),), ("produce", ("ship", 2)),
       "build", "partially_shipped"),
    _O("build_shipped", "nagoya_works", "PO-DEMO-MO-SHIPPED",
       (("control_panel", 2),), ("produce", "ship"), "build", "shipped"),
    _O("build_returned", "tokyo_seiki", "PO-DEMO-MO-RETURNED",
       (("control_panel", 1),), ("produce", "ship", "deliver", "return"),
       "build", "received"),
    _O("build_on_hold", "kansai_trading", "PO-DEMO-MO-CREDIT",
       (("control_panel", 3),), (("hold", "credit", "Credit limit exceeded."),),
       "build", "on_hold"),
)  # fmt: skip
# Build to order, bought: the MTO route makes a purchase order, one per sale
# order. The cancelled order keeps its RFQ: Odoo gives the buyer an activity.
BOUGHT_ORDERS = (
    _O("build_arranging", "kyushu_construction", "PO-DEMO-VALVE-ORDERED",
       (("imported_valve", 6),), ("confirm_purchase",), "build", "arranging"),
    _O("build_received_goods", "nagoya_works", "PO-DEMO-VALVE-ARRIVED",
       (("imported_valve", 2),), ("confirm_purchase", "receive_purchase"),
       "build", "preparing"),
    _O("build_done", "kansai_trading", "PO-DEMO-VALVE-DELIVERED",
       (("imported_valve", 3),),
       ("confirm_purchase", "receive_purchase", "ship", "deliver"), "build", "done"),
    _O("build_cancelled", "tokyo_seiki", "PO-DEMO-VALVE-CANCELLED",
       (("imported_valve", 1),), ("cancel",), "build", "cancelled"),
    _O("build_checking", "tokyo_seiki", "PO-DEMO-VALVE-RFQ",
       (("imported_valve", 5),), (), "build", "checking"),
)  # fmt: skip
# Drop-ship: the vendor delivers straight to the customer.
DROPSHIP_ORDERS = (
    _O("dropship_arranging", "kansai_trading", "PO-DEMO-DS-RFQ",
       (("large_compressor", 1),), (), "dropship", "arranging"),
    _O("dropship_confirmed", "tokyo_seiki", "PO-DEMO-DS-ORDERED",
       (("large_compressor", 2),), ("confirm_purchase",),
       "dropship", "dropship_arranging"),
    _O("dropship_split", "nagoya_works", "PO-DEMO-DS-SPLIT",
       (("large_compressor", 3),), ("confirm_purchase", ("ship", 1)),
       "dropship", "partially_shipped"),
    _O("dropship_shipped", "kyushu_construction", "PO-DEMO-DS-IN-TRANSIT",
       (("large_compressor", 1),), ("confirm_purchase", "ship"),
       "dropship", "shipped"),
    _O("dropship_done", "kansai_trading", "PO-DEMO-DS-DELIVERED",
       (("large_compressor", 2),), ("confirm_purchase", "ship", "deliver"),
       "dropship", "done"),
    _O("dropship_returned", "tokyo_seiki", "PO-DEMO-DS-RETURNED",
       (("large_compressor", 1),),
       ("confirm_purchase", "ship", "deliver", "return"), "dropship", "received"),
    _O("dropship_on_hold", "nagoya_works", "PO-DEMO-DS-HOLD",
       (("large_compressor", 1),),
       ("confirm_purchase",
        ("hold", "customer_request", "Site not ready: deliver next month.")),
       "dropship", "on_hold"),
    _O("dropship_cancelled", "kyushu_construction", "PO-DEMO-DS-CANCELLED",
       (("large_compressor", 1),), ("cancel", "cancel_purchase"),
       "dropship", "cancelled"),
)  # fmt: skip

MTO_ROUTE = "stock.route_warehouse0_mto"
MANUFACTURE_ROUTE = "mrp.route_warehouse0_manufacture"
BUY_ROUTE = "purchase_stock.route_warehouse0_buy"
DROPSHIP_ROUTE = "stock_dropshipping.route_drop_shipping"
# Products made or bought for an order, created with their apps:
# key: (name, internal reference, sales price, cost, routes, vendor, on hand)
PRODUCTS = {
    "control_panel": (
        "Control Panel CP-200", "CP-200", 1250.0, 700.0,
        (MTO_ROUTE, MANUFACTURE_ROUTE), None, 0,
    ),
    "panel_housing": (
        "Control Panel Housing", "CP-200-H", 0.0, 180.0, (), None, 50,
    ),
    "plc_unit": ("PLC Unit", "CP-200-P", 0.0, 420.0, (), None, 50),
    "imported_valve": (
        "Imported Valve IV-80", "IV-80", 320.0, 180.0,
        (MTO_ROUTE, BUY_ROUTE), "osaka_parts", 0,
    ),
    "large_compressor": (
        "Large Compressor LC-5000", "LC-5000", 4800.0, 3200.0,
        (DROPSHIP_ROUTE,), "toyo_machinery", 0,
    ),
}  # fmt: skip
# Bills of materials: product key -> ((component key, quantity), ...)
BOMS = {"control_panel": (("panel_housing", 1), ("plc_unit", 1))}
# The demo groups, in creation order: (products to create, routes the group
# needs, orders). The stock items come from demo/product_product_demo.xml.
GROUPS = (
    ((), (), STOCK_ORDERS),
    (("panel_housing", "plc_unit", "control_panel"), (MANUFACTURE_ROUTE,),
     MADE_ORDERS),
    (("imported_valve",), (BUY_ROUTE,), BOUGHT_ORDERS),
    (("large_compressor",), (DROPSHIP_ROUTE,), DROPSHIP_ORDERS),
)  # fmt: skip


class SaleFulfillmentDemo(models.AbstractModel):
    """Demo orders in every status of every flow, from real documents.

    Every status is reached the way users reach it: confirming orders,
    validating pickings with or without backorder, returns, purchase and
    manufacturing orders, a hold, cancellations. No status is written.
    """

    _name = "sale.fulfillment.demo"
    _description = "Fulfillment Status Demo Orders"

    def _register_hook(self):
        # The manufacturing, purchase and drop-ship apps install after this
        # addon when they are installed together (they sit deeper in the
        # dependency graph): create their orders once every module is loaded,
        # also when one of them is installed later.
        result = super()._register_hook()
        if self.env.registry.updated_modules and self._fulfillment_demo_installed():
            self._fulfillment_create_demo_orders()
        return result

    @api.model
    def _fulfillment_demo_installed(self):
        return bool(
            self.env["ir.module.module"]
            .sudo()
            .search_count(
                [
                    ("name", "=", MODULE),
                    ("state", "=", "installed"),
                    ("demo", "=", True),
                ]
            )
        )

    @api.model
    def _fulfillment_create_demo_orders(self):
        """Create the demo orders of each flow whose apps are installed.

        Called by demo/sale_order_demo.xml and once all modules are loaded.
        A group of orders is created once; while other modules of the same
        installation are still pending, it waits for them.
        """
        pending = (
            self.env["ir.module.module"]
            .sudo()
            .search_count(
                [("state", "in", PENDING_MODULE_STATES), ("name", "!=", MODULE)]
            )
        )
        if pending:
            return
        for product_keys, routes, orders in GROUPS:
            if not all(
                self.env.ref(xmlid, raise_if_not_found=False) for xmlid in routes
            ):
                continue
            if self._demo_group_created(orders):
                continue
            try:
                with self.env.cr.savepoint():
                    self._demo_create_products(product_keys)
                    for spec in orders:
                        self._demo_create_order(spec)
            except Exception:
                _logger.warning(
                    "Fulfillment demo orders %s could not be created",
                    ", ".join(spec.name for spec in orders),
                    exc_info=True,
                )

    @api.model
    def _demo_group_created(self, orders):
        return bool(
            self.env["ir.model.data"].search_count(
                [
                    ("module", "=", MODULE),
                    ("name", "in", [f"sale_order_{spec.name}_demo" for spec in orders]),
                ]
            )
        )

    @api.model
    def _demo_ref(self, name):
        return self.env.ref(f"{MODULE}.{name}")

    @api.model
    def _demo_register(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}]
        )

    # ------------------------------------------------------------------
    # Products
    # ------------------------------------------------------------------

    @api.model
    def _demo_create_products(self, keys):
        stock_location = self.env.ref("stock.warehouse0").lot_stock_id
        for key in keys:
            name, code, price, cost, routes, vendor, on_hand = PRODUCTS[key]
            if MTO_ROUTE in routes:
                self.env.ref(MTO_ROUTE).active = True
            vals = {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "sale_ok": bool(price),
                "list_price": price,
                "standard_price": cost,
                "route_ids": [Command.set([self.env.ref(r).id for r in routes])],
            }
            if vendor:
                vals["seller_ids"] = [
                    Command.create(
                        {
                            "partner_id": self._demo_ref(
                                f"res_partner_{vendor}_demo"
                            ).id,
                            "price": cost,
                            "delay": 7,
                        }
                    )
                ]
            product = self.env["product.product"].create(vals)
            self._demo_register(f"product_product_{key}_demo", product)
            if on_hand:
                self.env["stock.quant"].create(
                    {
                        "product_id": product.id,
                        "location_id": stock_location.id,
                        "inventory_quantity": on_hand,
                    }
                ).action_apply_inventory()
            if key in BOMS:
                bom = self.env["mrp.bom"].create(
                    {
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "product_qty": 1,
                        "bom_line_ids": [
                            Command.create(
                                {
                                    "product_id": self._demo_product(component).id,
                                    "product_qty": qty,
                                }
                            )
                            for component, qty in BOMS[key]
                        ],
                    }
                )
                self._demo_register(f"mrp_bom_{key}_demo", bom)

    @api.model
    def _demo_product(self, key):
        return self._demo_ref(f"product_product_{key}_demo")

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    @api.model
    def _demo_create_order(self, spec):
        order = self.env["sale.order"].create(
            {
                "partner_id": self._demo_ref(f"res_partner_{spec.customer}_demo").id,
                "client_order_ref": spec.reference,
                "user_id": self.env.ref("base.user_admin").id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self._demo_product(key).id,
                            "product_uom_qty": qty,
                        }
                    )
                    for key, qty in spec.lines
                ],
            }
        )
        self._demo_register(f"sale_order_{spec.name}_demo", order)
        order.action_confirm()
        # Recompute after each step, as separate user actions would: the
        # order's status history then shows every status it went through.
        self.env.flush_all()
        for step in spec.steps:
            verb, *args = step if isinstance(step, tuple) else (step,)
            getattr(self, f"_step_{verb}")(order, *args)
            self.env.flush_all()
        if (order.fulfillment_type, order.fulfillment_status) != (
            spec.flow,
            spec.status,
        ):
            _logger.warning(
                "Demo order %s (%s) is %s/%s, expected %s/%s",
                order.name,
                spec.reference,
                order.fulfillment_type,
                order.fulfillment_status,
                spec.flow,
                spec.status,
            )
        return order

    @api.model
    def _demo_shipments(self, order, done=False):
        """Pickings of the order that bring goods to the customer."""
        return order.picking_ids.filtered(
            lambda p: p.location_dest_id.usage == "customer"
            and p.location_id.usage != "customer"
            and (p.state == "done" if done else p.state not in ("done", "cancel"))
        )

    @api.model
    def _demo_validate(self, picking, qty=None, backorder=True):
        """Validate ``picking`` for ``qty`` of each product, else all of it.

        A short validation creates a backorder, or declines it when
        ``backorder`` is false (the backorder wizard's two answers).
        """
        picking.action_assign()
        for move in picking.move_ids:
            done = (
                move.product_uom_qty if qty is None else min(qty, move.product_uom_qty)
            )
            move.write({"quantity": done, "picked": True})
        # skip_sms: no SMS warning wizard nor text message (stock_sms)
        context = {"skip_backorder": True, "skip_sms": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()

    @api.model
    def _demo_purchases(self, order):
        lines = order.order_line
        purchases = lines.move_ids.created_purchase_line_ids.order_id
        if "purchase_line_ids" in lines._fields:
            purchases |= lines.purchase_line_ids.order_id
        return purchases

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    @api.model
    def _step_ship(self, order, qty=None):
        for picking in self._demo_shipments(order):
            self._demo_validate(picking, qty)

    @api.model
    def _step_ship_short(self, order, qty):
        for picking in self._demo_shipments(order):
            self._demo_validate(picking, qty, backorder=False)

    @api.model
    def _step_deliver(self, order):
        self._demo_shipments(order, done=True).action_fulfillment_confirm_delivery()

    @api.model
    def _step_return(self, order):
        for picking in self._demo_shipments(order, done=True):
            wizard = self.env["stock.return.picking"].create({"picking_id": picking.id})
            action = wizard.action_create_returns_all()
            self._demo_validate(self.env["stock.picking"].browse(action["res_id"]))

    @api.model
    def _step_hold(self, order, reason, note):
        self.env["sale.order.hold"].create(
            {
                "order_ids": [Command.set(order.ids)],
                "reason_id": self._demo_ref(f"hold_reason_{reason}").id,
                "note": note,
            }
        ).action_confirm()

    @api.model
    def _step_cancel(self, order):
        order.action_cancel()

    @api.model
    def _step_confirm_purchase(self, order):
        self._demo_purchases(order).button_confirm()

    @api.model
    def _step_receive_purchase(self, order):
        receipts = self._demo_purchases(order).picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming"
            and p.state not in ("done", "cancel")
        )
        for picking in receipts:
            self._demo_validate(picking)

    @api.model
    def _step_cancel_purchase(self, order):
        self._demo_purchases(order).button_cancel()

    @api.model
    def _step_produce(self, order):
        productions = order.order_line.move_ids.created_production_id
        for production in productions.filtered(lambda p: p.state != "done"):
            production.action_assign()
            production.with_context(skip_redirection=True).button_mark_done()
