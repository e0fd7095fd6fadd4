# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import FulfillmentCommon


@tagged("post_install", "-at_install")
class TestStockFlow(FulfillmentCommon):
    """The stock-item flow on real pickings: received to done, split, returns."""

    def test_received_when_confirmed_without_stock(self):
        """A confirmed order whose goods are not in stock is received."""
        order = self._create_order([(self.product, 5)])
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "received",
                    "fulfillment_reason": "waiting_stock",
                    "fulfillment_type": "stock",
                    "fulfillment_is_split": False,
                }
            ],
        )
        self.assertEqual(self._statuses(order), [(False, "received", "confirmed")])

    def test_shipped_when_delivered_to_new_customer_location(self):
        """A customer location created after the statuses were computed (the
        location usages are cached) counts as the customer's at once: the
        delivery to it ships the order."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 4)])
        self.assertEqual(order.fulfillment_status, "preparing")
        site = self.env["stock.location"].create(
            {
                "name": "Kansai Site Yard",
                "usage": "customer",
                "location_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        delivery = order.picking_ids
        delivery.location_dest_id = site
        delivery.move_ids.location_dest_id = site
        self._validate(delivery)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(delivery.fulfillment_shipment_status, "shipped")

    def test_orders_from_before_install_completed_by_post_init_hook(self):
        """Orders whose status was computed before the catalog existed (as at
        the install) get the status record, customer status, responsible and
        deadline a status update gives."""
        self._add_stock(self.product, 10)
        preparing = self._create_order([(self.product, 2)])
        held = self._create_order([(self.product, 1)])
        self._hold(held, self.env.ref("sale_fulfillment_status.hold_reason_credit"))
        orders = preparing | held
        fnames = [
            "fulfillment_status_id",
            "fulfillment_customer_status_id",
            "fulfillment_user_id",
            "fulfillment_deadline",
        ]
        expected = orders.read(fnames)
        self.assertTrue(all(row["fulfillment_deadline"] for row in expected))
        self.assertEqual(held.fulfillment_customer_status_id.code, "checking")
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE sale_order
                  SET fulfillment_status_id = NULL,
                      fulfillment_customer_status_id = NULL,
                      fulfillment_user_id = NULL,
                      fulfillment_deadline = NULL
                WHERE id IN %s""",
            (tuple(orders.ids),),
        )
        orders.invalidate_recordset(fnames)
        self.assertFalse(preparing.fulfillment_customer_status_id)
        self.env["sale.order"]._fulfillment_adopt_existing_orders()
        self.assertEqual(orders.read(fnames), expected)
        self.assertEqual(held.fulfillment_customer_label, "Under Review")

    def test_no_status_when_quotation(self):
        """A quotation has no fulfillment status yet."""
        order = self._create_order([(self.product, 5)], confirm=False)
        self.assertFalse(order.fulfillment_status)
        self.assertFalse(order.fulfillment_history_ids)

    def test_preparing_when_goods_reserved(self):
        """Goods reserved for the delivery make the order preparing."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(order.picking_ids.fulfillment_shipment_status, "preparing")
        self.assertEqual(order.picking_ids.fulfillment_status, "preparing")

    def test_preparing_when_stock_arrives_later(self):
        """Stock arriving and being reserved moves received to preparing."""
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.fulfillment_status, "received")
        self._add_stock(self.product, 5)
        order.picking_ids.action_assign()
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(
            self._statuses(order)[-1], ("received", "preparing", "goods_ready")
        )

    def test_preparing_when_part_reserved_only_if_part_may_ship(self):
        """Part of the goods reserved: preparing when the delivery may leave
        with them (shipping policy 'as soon as possible'); waiting for stock
        when it ships everything at once, until the rest is reserved or the
        delivery's policy is changed."""
        self._add_stock(self.product, 4)
        direct = self._create_order([(self.product, 10)])
        self.assertEqual(direct.picking_ids.move_ids.state, "partially_available")
        self.assertEqual(direct.fulfillment_status, "preparing")
        waiting = {
            "fulfillment_status": "received",
            "fulfillment_reason": "waiting_stock",
        }
        for change in ("rest_reserved", "policy_changed"):
            with self.subTest(change=change):
                product = self._create_product(f"Bearing {change}")
                self._add_stock(product, 4)
                order = self._create_order([(product, 10)], picking_policy="one")
                picking = order.picking_ids
                self.assertEqual(picking.move_type, "one")
                self.assertEqual(picking.move_ids.state, "partially_available")
                self.assertRecordValues(order, [waiting])
                if change == "rest_reserved":
                    self._add_stock(product, 6)
                    picking.action_assign()
                    self.assertEqual(picking.move_ids.state, "assigned")
                else:
                    picking.move_type = "direct"
                self.assertRecordValues(
                    order,
                    [
                        {
                            "fulfillment_status": "preparing",
                            "fulfillment_reason": "goods_ready",
                        }
                    ],
                )

    def test_preparing_when_picked_by_hand_without_reservation(self):
        """Goods the warehouse picks by hand, though none were reserved (the
        stock count is behind), make the order preparing; the picked flag on
        a move with nothing in it does not."""
        order = self._create_order([(self.product, 5)])
        move = order.picking_ids.move_ids
        move.picked = True
        self.assertEqual(move.state, "confirmed")
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "received", "fulfillment_reason": "waiting_stock"}],
        )
        move.quantity = 5
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(
            self._statuses(order)[-1], ("received", "preparing", "goods_ready")
        )

    def test_shipped_when_delivery_validated(self):
        """Validating the whole delivery ships the order; delivery not yet confirmed."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(picking.fulfillment_shipment_status, "shipped")
        self.assertEqual(
            picking.fulfillment_expected_arrival, picking.date_done + timedelta(days=1)
        )

    def test_pickings_found_and_grouped_by_order_status(self):
        """The order status of pickings (read through their order, not stored
        on them) filters and groups the transfers lists."""
        self._add_stock(self.product, 10)
        shipped = self._create_order([(self.product, 5)])
        self._validate(shipped.picking_ids)
        waiting = self._create_order([(self.product_2, 5)])
        pickings = (shipped | waiting).picking_ids
        Picking = self.env["stock.picking"]
        self.assertEqual(
            Picking.search(
                [("id", "in", pickings.ids), ("fulfillment_status", "=", "shipped")]
            ),
            shipped.picking_ids,
        )
        groups = Picking._read_group(
            [("id", "in", pickings.ids)], ["fulfillment_status"], ["id:recordset"]
        )
        self.assertEqual(
            dict(groups),
            {"shipped": shipped.picking_ids, "received": waiting.picking_ids},
        )

    def test_done_when_delivery_confirmed(self):
        """A user confirming the delivery completes the order."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.fulfillment_status, "preparing")
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        picking.action_fulfillment_confirm_delivery()
        self.assertEqual(order.fulfillment_status, "done")
        self.assertEqual(picking.fulfillment_shipment_status, "delivered")
        self.assertEqual(
            [row[1] for row in self._statuses(order)],
            ["preparing", "shipped", "done"],
        )
        self.assertEqual(self._statuses(order)[-1][2], "delivery_confirmed")

    def test_done_when_transit_time_passed(self):
        """The scheduled action confirms deliveries once the transit time passed."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        picking = self._validate(order.picking_ids)
        self.env["stock.picking"]._cron_fulfillment_confirm_arrivals()
        self.assertEqual(order.fulfillment_status, "shipped")
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.env["stock.picking"]._cron_fulfillment_confirm_arrivals()
        self.assertEqual(order.fulfillment_status, "done")
        self.assertEqual(
            picking.fulfillment_delivered_date, picking.fulfillment_expected_arrival
        )

    def test_done_when_company_has_no_transit_time(self):
        """With no transit time, validation confirms the delivery at once."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "done")

    def test_delivered_at_once_when_delivery_without_order(self):
        """A delivery made by hand, with no sales order, is confirmed at its
        validation too when the company has no transit time; it waits for
        no customer email."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.fulfillment_delivered_date, picking.date_done)
        self.assertEqual(picking.fulfillment_shipment_status, "delivered")
        self.assertFalse(picking.fulfillment_email_pending)

    def test_confirm_delivery_refused_when_not_shipped(self):
        """Only validated shipments can be confirmed as delivered."""
        order = self._create_order([(self.product, 5)])
        with self.assertRaises(UserError):
            order.picking_ids.action_fulfillment_confirm_delivery()
        self.assertFalse(order.picking_ids.fulfillment_delivered_date)

    def test_partially_shipped_when_backorder_created(self):
        """Shipping part of the goods with a backorder is a split delivery."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 10)])
        first = order.picking_ids
        self._validate(first, {self.product: 6})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "partially_shipped",
                    "fulfillment_is_split": True,
                }
            ],
        )
        backorder = self._outgoing(order)
        self.assertEqual(backorder.backorder_id, first)
        self._validate(backorder)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(
            self._statuses(order)[-1],
            ("partially_shipped", "shipped", "shipment_validated"),
        )

    def test_partially_shipped_when_backorder_declined(self):
        """A declined backorder leaves the order partially shipped, not done."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 10)])
        self._validate(order.picking_ids, {self.product: 6}, backorder=False)
        self.assertEqual(order.delivery_status, "full")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "backorder_cancelled",
                }
            ],
        )

    def test_done_when_declined_remainder_removed_from_order(self):
        """Once the declined remainder is taken off the order, it is done."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 10)])
        self._validate(order.picking_ids, {self.product: 6}, backorder=False)
        order.order_line.product_uom_qty = 6
        self.assertEqual(order.fulfillment_status, "done")

    def test_preparing_when_pick_and_pack_done_in_three_steps(self):
        """In a 3-step delivery only the last step ships the order."""
        self.warehouse.delivery_steps = "pick_pack_ship"
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 4)])
        for _step in range(2):
            step = order.picking_ids.filtered(lambda p: p.state == "assigned")
            self.assertEqual(len(step), 1)
            self.assertNotEqual(step.location_dest_id.usage, "customer")
            # no delivery yet (Odoo creates it when the goods reach its
            # source): the customer is given the date of the step under way
            self.assertFalse(self._outgoing(order))
            step.scheduled_date += timedelta(days=1)
            self.assertEqual(order.fulfillment_expected_date, step.scheduled_date)
            self._validate(step)
            self.assertEqual(order.fulfillment_status, "preparing")
            self.assertEqual(step.fulfillment_shipment_status, "preparing")
            self.assertEqual(order.order_line.qty_delivered, 0)
        out = self._outgoing(order)
        self.assertEqual(len(out), 1)
        self.assertEqual(order.fulfillment_expected_date, out.scheduled_date)
        self._validate(out)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(order.order_line.qty_delivered, 4)
        self.assertEqual(len(order.picking_ids), 3)

    def test_preparing_when_delivery_unreserved_after_pick(self):
        """Goods picked in a 2-step delivery stay ready when the delivery is
        unreserved (they are in the output area); once the delivery is
        cancelled, nothing is planned for them any more."""
        self.warehouse.delivery_steps = "pick_ship"
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 4)])
        self._validate(order.picking_ids)
        out = self._outgoing(order)
        self.assertEqual(out.state, "assigned")
        out.do_unreserve()
        self.assertEqual(out.move_ids.state, "confirmed")
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "preparing", "fulfillment_reason": "goods_ready"}],
        )
        out.action_cancel()
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "checking",
                    "fulfillment_reason": "procurement_cancelled",
                }
            ],
        )

    def test_partially_shipped_when_two_step_pick_split(self):
        """In a two-step delivery a pick split in two lets part of the goods
        ship: the order is split, and shipped once the rest follows."""
        self.warehouse.delivery_steps = "pick_ship"
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 4)])
        pick = order.picking_ids.filtered(lambda p: p.state == "assigned")
        self._validate(pick, {self.product: 1})
        self.assertEqual(order.fulfillment_status, "preparing")
        out = self._outgoing(order).filtered(
            lambda p: p.location_dest_id.usage == "customer"
        )
        self.assertEqual(len(out), 1)
        self._validate(out, {self.product: 1})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "partially_shipped",
                    "fulfillment_is_split": True,
                }
            ],
        )
        self.assertEqual(order.order_line.qty_delivered, 1)
        for _step in range(2):
            step = order.picking_ids.filtered(lambda p: p.state == "assigned")
            self.assertEqual(len(step), 1)
            self._validate(step)
        self.assertEqual(order.fulfillment_status, "shipped")
        self.assertEqual(order.order_line.qty_delivered, 4)

    def test_received_when_everything_returned(self):
        """A full return brings the order back before shipment."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 3)])
        delivery = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "done")
        return_picking = self._return(delivery)
        self.assertEqual(return_picking.fulfillment_shipment_status, "returned")
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "received", "fulfillment_reason": "returned"}],
        )
        self.assertEqual(self._statuses(order)[-1], ("done", "received", "returned"))

    def test_partially_shipped_when_part_returned(self):
        """A partial return reopens the order as partially shipped, for the
        goods that came back (not a declined remainder), with no date."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 3)])
        delivery = self._validate(order.picking_ids)
        self._return(delivery, {self.product: 1})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "returned",
                    "fulfillment_expected_date": False,
                }
            ],
        )
        self.assertEqual(order.order_line.qty_delivered, 2)
        self.assertEqual(
            self._statuses(order)[-1], ("done", "partially_shipped", "returned")
        )

    def test_backorder_cancelled_when_return_beside_declined_remainder(self):
        """6 of 10 shipped, the rest declined, then 1 came back: more is
        missing than came back, the remainder stays not scheduled."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 10)])
        delivery = self._validate(order.picking_ids, {self.product: 6}, backorder=False)
        self._return(delivery, {self.product: 1})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "backorder_cancelled",
                }
            ],
        )
        self.assertEqual(order.order_line.qty_delivered, 5)

    def test_partially_shipped_from_return_for_exchange_to_replacement(self):
        """Odoo's Return for Exchange plans a replacement delivery at once:
        the done order reopens as partially shipped (trigger: returned),
        stays so while the goods come back, and is shipped again with the
        replacement; the next expected date is the replacement's."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 3)])
        delivery = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "done")
        return_picking = self._return(
            delivery, {self.product: 1}, exchange=True, validate=False
        )
        replacement = order.picking_ids - delivery - return_picking
        self.assertEqual(replacement.location_dest_id.usage, "customer")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "partially_shipped",
                    "fulfillment_expected_date": replacement.scheduled_date,
                }
            ],
        )
        self.assertEqual(
            self._statuses(order)[-1], ("done", "partially_shipped", "returned")
        )
        self._validate(return_picking)
        self.assertEqual(order.order_line.qty_delivered, 2)
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self._validate(replacement)
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertEqual(order.fulfillment_status, "done")

    def test_order_changed_when_more_ordered_after_shipping(self):
        """More ordered once everything shipped reopens the order as
        partially shipped: the history says the order changed, not that goods
        came back (the flow's transition is the return's); a return for
        exchange on the same order still reads returned."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 3)])
        delivery = self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "done")
        order.order_line.product_uom_qty = 5
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "partially_shipped",
                }
            ],
        )
        self.assertEqual(
            self._statuses(order)[-1], ("done", "partially_shipped", "order_changed")
        )
        history = order.fulfillment_history_ids.sorted("id")[-1]
        self.assertFalse(history.off_flow)
        self._validate(self._outgoing(order))
        self.assertEqual(order.fulfillment_status, "done")
        self._return(delivery, {self.product: 1}, exchange=True, validate=False)
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self.assertEqual(
            self._statuses(order)[-1], ("done", "partially_shipped", "returned")
        )

    def test_returns_when_reception_in_two_steps(self):
        """Goods a customer sends back to a warehouse receiving in two steps
        wait in the input for storage: that step carries the order's line
        but plans no shipment. A partial return reads as returned goods with
        nothing planned, a full one brings the order back to received, with
        no expected date, as in a one-step warehouse."""
        self.env.company.fulfillment_transit_days = 0
        self.warehouse.reception_steps = "two_steps"
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 3)])
        delivery = self._validate(order.picking_ids)
        self._return(delivery, {self.product: 1})
        storage = order.picking_ids.filtered(lambda p: p.state == "assigned")
        self.assertEqual(len(storage), 1)
        self.assertEqual(storage.location_dest_id, self.warehouse.lot_stock_id)
        # no shipment of the order: the goods go back to the stock
        self.assertFalse(storage.fulfillment_shipment_status)
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "partially_shipped",
                    "fulfillment_reason": "returned",
                    "fulfillment_expected_date": False,
                }
            ],
        )
        self._return(delivery, {self.product: 2})
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "received",
                    "fulfillment_reason": "returned",
                    "fulfillment_expected_date": False,
                }
            ],
        )

    def test_on_hold_when_held_and_back_on_release(self):
        """Hold overrides the facts; release returns to what the facts give."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self._hold(order, note="Delivery address missing")
        self.assertEqual(order.fulfillment_status, "on_hold")
        self.assertEqual(
            order.fulfillment_history_ids.sorted("id")[-1].note,
            "Missing Information: Delivery address missing",
        )
        order.with_user(self.fulfillment_user).action_fulfillment_release()
        self.assertEqual(order.fulfillment_status, "preparing")
        self.assertEqual(
            [row[2] for row in self._statuses(order)][-2:], ["hold", "released"]
        )

    def test_validation_blocked_when_order_on_hold(self):
        """Shipments of an order on hold cannot be validated."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self._hold(order)
        with self.assertRaisesRegex(UserError, "on hold"):
            self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(order.fulfillment_status, "on_hold")

    def test_hold_refused_when_user_lacks_group(self):
        """Only fulfillment users can put orders on hold."""
        salesman = new_test_user(
            self.env, login="plain_salesman", groups="sales_team.group_sale_salesman"
        )
        order = self._create_order([(self.product, 5)])
        with self.assertRaises(UserError):
            order.with_user(salesman).action_fulfillment_hold()
        self.assertEqual(order.fulfillment_status, "received")

    def test_hold_refused_when_order_done(self):
        """A done order cannot be put on hold."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self._validate(order.picking_ids)
        with self.assertRaises(UserError):
            self._hold(order)
        self.assertFalse(order.fulfillment_hold_reason_id)

    def test_customer_sees_checking_when_held_for_credit(self):
        """A credit hold shows customers 'Checking', not the internal hold."""
        order = self._create_order([(self.product, 5)])
        self._hold(order, self.env.ref("sale_fulfillment_status.hold_reason_credit"))
        self.assertEqual(order.fulfillment_status, "on_hold")
        self.assertEqual(order.fulfillment_customer_status_id.code, "checking")
        self.assertEqual(order.fulfillment_customer_label, "Under Review")

    def test_cancelled_when_order_cancelled(self):
        """Cancelling the order cancels its status and its shipments."""
        order = self._create_order([(self.product, 5)])
        order.action_cancel()
        self.assertEqual(order.fulfillment_status, "cancelled")
        self.assertEqual(order.picking_ids.fulfillment_shipment_status, "cancelled")
        self.assertEqual(
            self._statuses(order)[-1], ("received", "cancelled", "cancelled")
        )

    def test_checking_when_delivery_cancelled_while_order_stands(self):
        """A delivery cancelled while its order stays confirmed leaves
        nothing planned: the order goes to checking for someone to decide
        (ship again or cancel), not to waiting for stock; the change is
        flagged as one the flow does not describe."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.fulfillment_status, "preparing")
        order.picking_ids.action_cancel()
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            order,
            [
                {
                    "fulfillment_status": "checking",
                    "fulfillment_reason": "procurement_cancelled",
                }
            ],
        )
        self.assertEqual(
            self._statuses(order)[-1], ("preparing", "checking", "facts_changed")
        )
        self.assertEqual(order.picking_ids.fulfillment_shipment_status, "cancelled")

    def test_line_added_in_form_not_shown_as_cancelled(self):
        """A line added to a confirmed order has no delivery until it is
        saved: the form shows it waiting for stock, not cancelled."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 2)])
        self.assertEqual(order.fulfillment_status, "preparing")
        with Form(order) as form:
            with form.order_line.new() as line:
                line.product_id = self.product_2
                line.product_uom_qty = 1
            self.assertEqual(form.fulfillment_status, "received")
        self.assertRecordValues(
            order,
            [{"fulfillment_status": "received", "fulfillment_reason": "waiting_stock"}],
        )

    def test_cancel_refused_when_order_done(self):
        """A delivered order cannot be cancelled."""
        self.env.company.fulfillment_transit_days = 0
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self._validate(order.picking_ids)
        with self.assertRaises(UserError):
            order.action_cancel()
        self.assertEqual(order.state, "sale")

    def test_type_override_refused_when_status_not_in_flow(self):
        """Overriding the flow is refused while the status is not one of its steps."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        with self.assertRaises(ValidationError):
            order.fulfillment_type_override = "dropship"
        order.fulfillment_type_override = "build"
        self.assertEqual(order.fulfillment_type, "build")

    def test_deadline_and_owner_when_status_entered(self):
        """Entering a status sets its deadline and its responsible user."""
        status = self.env.ref("sale_fulfillment_status.status_preparing")
        status.write(
            {
                "time_budget_hours": 8,
                "assign_mode": "user",
                "user_id": self.fulfillment_user.id,
            }
        )
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.fulfillment_user_id, self.fulfillment_user)
        self.assertEqual(
            order.fulfillment_deadline,
            order.fulfillment_status_date + timedelta(hours=8),
        )
        self.assertFalse(order.fulfillment_is_late)

    def test_round_robin_when_status_assigns_users_in_turn(self):
        """Round-robin assignment hands orders to each user in turn."""
        other = new_test_user(self.env, login="other_clerk")
        status = self.env.ref("sale_fulfillment_status.status_received")
        status.write(
            {
                "assign_mode": "round_robin",
                "assign_user_ids": [(6, 0, (self.fulfillment_user | other).ids)],
            }
        )
        orders = [self._create_order([(self.product, 1)]) for _i in range(3)]
        users = [order.fulfillment_user_id for order in orders]
        self.assertEqual(users[0], users[2])
        self.assertNotEqual(users[0], users[1])

    def test_manual_owner_kept_when_status_unchanged(self):
        """A responsible changed by hand stays while the status does not change."""
        order = self._create_order([(self.product, 5)])
        order.fulfillment_user_id = self.fulfillment_user
        order.order_line.product_uom_qty = 6
        self.assertEqual(order.fulfillment_status, "received")
        self.assertEqual(order.fulfillment_user_id, self.fulfillment_user)

    def test_status_follows_edited_quantity_when_order_edited_in_form(self):
        """Editing a shipped order's quantity shows the status it will have
        (onchange: the edited line's quantity, the rest as saved), and saving
        records it."""
        self._add_stock(self.product, 10)
        order = self._create_order([(self.product, 2)])
        self._validate(order.picking_ids)
        self.assertEqual(order.fulfillment_status, "shipped")
        rows = len(order.fulfillment_history_ids)
        with Form(order) as form:
            with form.order_line.edit(0) as line:
                line.product_uom_qty = 3
            self.assertEqual(form.fulfillment_status, "partially_shipped")
            # onchange shows the status, records nothing
            self.assertEqual(len(order.fulfillment_history_ids), rows)
        self.assertEqual(order.fulfillment_status, "partially_shipped")
        self.assertEqual(
            self._statuses(order)[-1][:2], ("shipped", "partially_shipped")
        )
