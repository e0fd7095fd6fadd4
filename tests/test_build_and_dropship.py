# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import Command
from odoo.tests import Form, tagged

from .common import FulfillmentCommon


class ProcurementCommon(FulfillmentCommon):
    """Products made or bought for the order, when those apps are installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Osaka Parts Co."})
        cls.mto_route = cls.env.ref("stock.route_warehouse0_mto")
        cls.mto_route.active = True

    def _require(self, model):
        if model not in self.env:
            self.skipTest(f"{model} is not installed")

    def _manufactured_product(self, name="Control Panel", kit=False):
        self._require("mrp.production")
        routes = (
            []
            if kit
            else [
                self.mto_route.id,
                self.env.ref("mrp.route_warehouse0_manufacture").id,
            ]
        )
        product = self._create_product(name, route_ids=[Command.set(routes)])
        component = self._create_product(f"{name} Part")
        self._add_stock(component, 100)
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "type": "phantom" if kit else "normal",
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 2})
                ],
            }
        )
        return product

    def _seller(self):
        return [Command.create({"partner_id": self.vendor.id, "price": 10.0})]

    def _bought_product(self):
        self._require("purchase.order")
        return self._create_product(
            "Imported Valve",
            seller_ids=self._seller(),
            route_ids=[
                Command.set(
                    [
                        self.mto_route.id,
                        self.env.ref("purchase_stock.route_warehouse0_buy").id,
                    ]
                )
            ],
        )

    def _dropship_product(self):
        self._require("purchase.order")
        if not self.env.ref(
            "stock_dropshipping.route_drop_shipping", raise_if_not_found=False
        ):
            self.skipTest("stock_dropshipping is not installed")
        return self._create_product(
            "Large Compressor",
            seller_ids=self._seller(),
            route_ids=[
                Command.set([self.env.ref("stock_dropshipping.route_drop_shipping").id])
            ],
        )

    def _purchases(self, order):
        return self.env["purchase.order"].search(
            [("order_line.product_id", "in", order.order_line.product_id.ids)]
        )

    def _produce(self, production):
        production.action_confirm()
        form = Form(production)
        form.qty_producing = production.product_qty
        form.save()
        production.button_mark_done()


@tagged("post_install", "-at_install")
class TestBuildToOrder(ProcurementCommon):
    """Build-to-order: manufactured or bought for the order."""

    def _production(self, order):
        return self.env["mrp.production"].search(
            [("product_id", "in", order.order_line.product_id.ids)]
        )

    def test_manufacturing_when_mo_confirmed(self):
        """A confirmed manufacturing order for the line means manufacturing."""
        product = self._manufactured_product()
        order = self._create_order([(product, 2)])
        production = self._production(order)
        self.assertEqual(len(production), 1)
        # what procures the goods is stored on the line
        self.assertRecordValues(
            order.order_line,
            [
                {
                    "fulfillment_upstream_kind": "production",
                    "fulfillment_upstream_state": "confirmed",
                }
            ],
        )
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "manufacturing",
                    "fulfillment_type": "build",
                    "fulfillment_reason": "in_production",
                }
            ],
        )

    def test_expected_date_when_manufacturing_is_finish_plus_handling(self):
        """Manufacturing: the MO's finish date plus the handling days."""
        self.env.company.fulfillment_handling_days = 2
        product = self._manufactured_product()
        order = self._create_order([(product, 2)])
        production = self._production(order)
        self.assertEqual(order.fulfillment_status, "manufacturing")
        self.assertEqual(
            order.fulfillment_expected_date,
            production.date_finished + timedelta(days=2),
        )
        production.date_finished += timedelta(days=5)
        self.assertEqual(
            order.fulfillment_expected_date,
            production.date_finished + timedelta(days=2),
        )

    def test_preparing_when_mo_done_then_shipped(self):
        """A finished manufacturing order makes the order preparing, then shipped."""
        product = self._manufactured_product()
        order = self._create_order([(product, 2)])
        self.assertEqual(order.fulfillment_status, "manufacturing")
        self._produce(self._production(order))
        self.assertEqual(order.fulfillment_status, "preparing")
        self._validate(self._outgoing(order))
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(
            [row[1] for row in self._statuses(order)],
            ["manufacturing", "preparing", "shipped"],
        )

    def test_manufacturing_until_production_finishes_part(self):
        """Manufacturing while the MO is in progress; a part produced (the
        rest in a backorder MO) is ready to be prepared."""
        product = self._manufactured_product()
        order = self._create_order([(product, 4)])
        production = self._production(order)
        form = Form(production)
        form.qty_producing = 1
        form.save()
        self.assertEqual(production.state, "progress")
        self.assertEqual(order.fulfillment_status, "manufacturing")
        production.with_context(
            skip_backorder=True, mo_ids_to_backorder=production.ids
        ).button_mark_done()
        self.assertEqual(production.state, "done")
        backorder = production.production_group_id.production_ids - production
        self.assertEqual(backorder.product_qty, 3)
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "preparing", "fulfillment_reason": "goods_ready"}],
        )
        self._validate(self._outgoing(order), {product: 1})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_type": "build",
                    "fulfillment_is_split": True,
                }
            ],
        )

    def test_slowest_line_when_stock_and_build_mixed(self):
        """An order mixing stock and build-to-order lines follows the slowest."""
        product = self._manufactured_product()
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 1), (product, 1)])
        self.assertEqual(order.fulfillment_type, "build")
        self.assertEqual(order.fulfillment_status, "manufacturing")

    def test_checking_then_arranging_when_bought_on_order(self):
        """Draft RFQ: checking; confirmed PO: arranging; receipt: preparing."""
        product = self._bought_product()
        order = self._create_order([(product, 3)])
        purchase = self._purchases(order)
        self.assertEqual(len(purchase), 1)
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "checking",
                    "fulfillment_type": "build",
                    "fulfillment_reason": "rfq_draft",
                }
            ],
        )
        line = order.order_line
        self.assertEqual(line.fulfillment_upstream_kind, "purchase")
        self.assertEqual(line.fulfillment_upstream_state, "draft")
        purchase.button_confirm()
        self.assertEqual(line.fulfillment_upstream_state, "confirmed")
        self.assertEqual(order.fulfillment_status, "arranging")
        self.assertEqual(
            order.fulfillment_expected_date,
            purchase.order_line.date_planned
            + timedelta(days=self.env.company.fulfillment_handling_days),
        )
        self._validate(purchase.picking_ids)
        # received in full
        self.assertEqual(line.fulfillment_upstream_state, "done")
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(
            self._statuses(order)[-2:],
            [
                ("checking", "arranging", "purchase_confirmed"),
                ("arranging", "preparing", "goods_ready"),
            ],
        )

    def test_checking_when_receipt_of_purchase_cancelled(self):
        """The receipt of the purchase made for the order cancelled while
        the purchase stands: nothing comes for the order any more, someone
        decides (the customer is not told the goods are being arranged)."""
        product = self._bought_product()
        order = self._create_order([(product, 3)])
        purchase = self._purchases(order)
        purchase.button_confirm()
        self.assertEqual(order.fulfillment_status, "arranging")
        purchase.picking_ids.action_cancel()
        self.assertEqual(purchase.state, "purchase")
        self.assertEqual(order.order_line.fulfillment_upstream_state, "cancel")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "checking",
                    "fulfillment_reason": "procurement_cancelled",
                    "fulfillment_type": "build",
                }
            ],
        )
        self.assertEqual(
            self._statuses(order)[-1],
            ("arranging", "checking", "procurement_cancelled"),
        )

    def test_partially_shipped_when_kit_components_partly_delivered(self):
        """A kit is judged by its components: half of them shipped is a split."""
        self._add_stock(self.product, 1)
        kit = self._manufactured_product("Repair Kit", kit=True)
        order = self._create_order([(kit, 2)])
        component = order.picking_ids.move_ids.product_id
        self.assertEqual(len(component), 1)
        self._validate(order.picking_ids, {component: 2})
        self.assertEqual(order.order_line.qty_delivered, 1)
        self.assertEqual(order.fulfillment_status, "partially_shipped")


@tagged("post_install", "-at_install")
class TestDropship(ProcurementCommon):
    """Drop-ship: the vendor delivers straight to the customer."""

    def test_dropship_flow_when_vendor_ships(self):
        """RFQ arranging, confirmed PO drop-ship arranging, vendor shipment shipped."""
        product = self._dropship_product()
        order = self._create_order([(product, 2)])
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "arranging", "fulfillment_type": "dropship"}],
        )
        self.assertRecordValues(
            order.order_line,
            [
                {
                    "fulfillment_upstream_kind": "dropship",
                    "fulfillment_upstream_state": "draft",
                }
            ],
        )
        purchase = self._purchases(order)
        purchase.button_confirm()
        self.assertEqual(order.order_line.fulfillment_upstream_state, "confirmed")
        self.assertEqual(order.fulfillment_status, "dropship_arranging")
        self.assertEqual(
            order.fulfillment_expected_date, purchase.order_line.date_planned
        )
        dropship = order.picking_ids.filtered(
            lambda p: p.location_id.usage == "supplier"
        )
        self.assertEqual(len(dropship), 1)
        self._validate(dropship)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(dropship.fulfillment_shipment_status, "shipped")
        self.assertEqual(order.order_line.qty_delivered, 2)
        dropship.action_fulfillment_confirm_delivery()
        self.assertEqual(order.fulfillment_status, "done")
        self.assertEqual(
            [row[2] for row in self._statuses(order)],
            [
                "confirmed",
                "purchase_confirmed",
                "shipment_validated",
                "delivery_confirmed",
            ],
        )

    def test_partially_shipped_when_vendor_ships_part_then_the_rest(self):
        """A vendor shipping part of a drop-ship is a split delivery; its
        backorder ships the rest."""
        product = self._dropship_product()
        order = self._create_order([(product, 5)])
        self._purchases(order).button_confirm()
        dropship = order.picking_ids
        self._validate(dropship, {product: 2})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_type": "dropship",
                    "fulfillment_is_split": True,
                }
            ],
        )
        backorder = order.picking_ids - dropship
        self.assertEqual(backorder.backorder_id, dropship)
        self._validate(backorder)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(order.order_line.qty_delivered, 5)

    def test_partially_shipped_when_vendor_remainder_declined(self):
        """A drop-ship whose remainder the vendor will not ship stays
        partially shipped until the order is corrected."""
        self.env.company.fulfillment_transit_days = 0
        product = self._dropship_product()
        order = self._create_order([(product, 5)])
        self._purchases(order).button_confirm()
        self._validate(order.picking_ids, {product: 3}, backorder=False)
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "backorder_cancelled",
                }
            ],
        )
        order.order_line.product_uom_qty = 3
        self.assertEqual(order.fulfillment_status, "done")

    def test_partially_shipped_when_stock_ships_before_dropship_purchase(self):
        """Stock goods shipped while the drop-shipped line's purchase is still
        a request for quotation: the rest comes from the vendor once the
        purchase is confirmed, nothing was declined (the customer is not
        told the rest is unscheduled)."""
        stocked = self._create_product("Fan Belt")
        self._add_stock(stocked, 5)
        dropshipped = self._dropship_product()
        order = self._create_order([(stocked, 1), (dropshipped, 1)])
        purchase = self._purchases(order).filtered(
            lambda po: dropshipped in po.order_line.product_id
        )
        self.assertEqual(purchase.state, "draft")
        self._validate(self._outgoing(order))
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "partially_shipped",
                }
            ],
        )
        purchase.button_confirm()
        self._validate(
            order.picking_ids.filtered(lambda p: p.location_id.usage == "supplier")
        )
        self.assertEqual(order.fulfillment_status, "shipped")

    def test_arranging_when_vendor_shipment_cancelled(self):
        """The vendor's shipment cancelled while the purchase stands: nothing
        is on its way any more, so purchasing arranges again; the customer
        is not told the vendor is shipping."""
        product = self._dropship_product()
        order = self._create_order([(product, 2)])
        purchase = self._purchases(order)
        purchase.button_confirm()
        self.assertEqual(order.fulfillment_status, "dropship_arranging")
        order.picking_ids.action_cancel()
        self.assertEqual(purchase.state, "purchase")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "arranging",
                    "fulfillment_reason": "procurement_cancelled",
                    "fulfillment_type": "dropship",
                }
            ],
        )
        self.assertEqual(
            self._statuses(order)[-1],
            ("dropship_arranging", "arranging", "procurement_cancelled"),
        )

    def test_partially_shipped_when_dropship_partly_returned(self):
        """Goods the customer sends back from a drop-ship reopen the order."""
        self.env.company.fulfillment_transit_days = 0
        product = self._dropship_product()
        order = self._create_order([(product, 4)])
        self._purchases(order).button_confirm()
        dropship = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "done")
        self._return(dropship, {product: 1})
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "returned",
                }
            ],
        )
