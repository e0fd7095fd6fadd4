# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core.catalog import SHIPMENT_STATUSES
from ..core.engine import classify_shipment
from .utils import copy_column, locked_batches, schedule_alerts


class StockPicking(models.Model):
    _inherit = "stock.picking"

    fulfillment_shipment_status = fields.Selection(
        SHIPMENT_STATUSES,
        string="Shipment Status",
        compute="_compute_fulfillment_shipment_status",
        store=True,
        index=True,
        help="Where this shipment stands: preparing, shipped, delivered, "
        "cancelled or returned.",
    )
    # Not stored: Odoo searches, sorts and groups pickings by it through the
    # join on the order, and a status change updates no picking row (a
    # shipment's validation wrote its picking a second time for it).
    fulfillment_status = fields.Selection(
        related="sale_id.fulfillment_status",
        string="Order Status",
    )
    fulfillment_delivered_date = fields.Datetime(
        string="Delivered On",
        copy=False,
        tracking=True,
        help="When the goods reached the customer: confirmed by a user, a 3PL, or "
        "assumed once the transit time after shipping has passed.",
    )
    fulfillment_expected_arrival = fields.Datetime(
        string="Expected Arrival",
        compute="_compute_fulfillment_expected_arrival",
        store=True,
        help="Shipping date plus the carrier's transit time.",
    )

    fulfillment_tracking_ref = fields.Char(
        string="Tracking Number",
        compute="_compute_fulfillment_tracking_ref",
        store=True,
        readonly=False,
        copy=False,
        help="The carrier's tracking number(s) given to the customer.",
    )
    fulfillment_carrier_name = fields.Char(
        string="Carrier Name",
        compute="_compute_fulfillment_carrier_name",
        store=True,
        readonly=False,
        copy=False,
        help="The carrier's name: from the delivery method, else as entered or "
        "confirmed by a 3PL.",
    )
    fulfillment_tracking_url = fields.Char(
        string="Tracking Link", compute="_compute_fulfillment_carrier"
    )
    fulfillment_exception_ids = fields.One2many(
        "sale.fulfillment.exception", "picking_id", string="Exceptions"
    )
    fulfillment_open_exception_count = fields.Integer(
        string="Open Exceptions",
        compute="_compute_fulfillment_open_exception_count",
        store=True,
    )
    fulfillment_email_pending = fields.Boolean(
        string="Shipment Email Pending",
        copy=False,
        readonly=True,
        help="Validated, and its order's customer not yet told: the scheduled "
        "action 'Fulfillment: status notifications' emails each later part of "
        "a split delivery.",
    )

    _email_pending_idx = models.Index("(id) WHERE fulfillment_email_pending")

    def _fulfillment_tracking_depends(self):
        return (
            ["carrier_tracking_ref"] if "carrier_tracking_ref" in self._fields else []
        )

    @api.depends(lambda self: self._fulfillment_tracking_depends())
    def _compute_fulfillment_tracking_ref(self):
        for picking in self:
            ref = (
                picking["carrier_tracking_ref"]
                if self._fulfillment_tracking_depends()
                else False
            )
            picking.fulfillment_tracking_ref = ref or picking.fulfillment_tracking_ref

    def _fulfillment_carrier_depends(self):
        return ["carrier_id"] if "carrier_id" in self._fields else []

    @api.depends(lambda self: self._fulfillment_carrier_depends())
    def _compute_fulfillment_carrier_name(self):
        has_carrier = "carrier_id" in self._fields
        for picking in self:
            carrier = picking.carrier_id if has_carrier else False
            picking.fulfillment_carrier_name = (
                carrier.name if carrier else picking.fulfillment_carrier_name
            )

    # Computes the tracking link; keeps the name it had when it also gave the
    # carrier name, for the overrides and tests that patch it.
    @api.depends("fulfillment_tracking_ref", "fulfillment_carrier_name")
    def _compute_fulfillment_carrier(self):
        has_carrier = "carrier_id" in self._fields
        for picking in self:
            url = picking["carrier_tracking_url"] if has_carrier else False
            if not url and picking.fulfillment_tracking_ref:
                pattern = self.env[
                    "sale.fulfillment.carrier.transit"
                ]._tracking_url_pattern(picking) or (
                    picking.company_id.fulfillment_tracking_url
                )
                if pattern:
                    url = pattern.replace("{ref}", picking.fulfillment_tracking_ref)
            picking.fulfillment_tracking_url = url or False

    @api.depends(
        "state",
        "sale_id",
        "location_id.usage",
        "location_dest_id.usage",
        "picking_type_code",
        "fulfillment_delivered_date",
        "move_ids.location_final_id",
    )
    def _compute_fulfillment_shipment_status(self):
        for picking in self:
            customer_bound, is_return = picking._fulfillment_direction()
            picking.fulfillment_shipment_status = classify_shipment(
                state=picking.state,
                customer_bound=customer_bound,
                is_return=is_return,
                delivered=bool(picking.fulfillment_delivered_date),
                # a pick or pack of the order, not the storage of goods it
                # sent back (read only for such steps: a delivery needs none)
                chain_step=not (customer_bound or is_return)
                and bool(picking.sale_id)
                and picking.picking_type_code != "incoming"
                and bool(picking._fulfillment_delivery_steps()),
            )

    @api.depends("date_done", "company_id.fulfillment_transit_days")
    def _compute_fulfillment_expected_arrival(self):
        for picking in self:
            customer_bound, _is_return = picking._fulfillment_direction()
            if picking.date_done and customer_bound:
                days = picking._fulfillment_transit_days()
                picking.fulfillment_expected_arrival = picking.date_done + timedelta(
                    days=days
                )
            else:
                picking.fulfillment_expected_arrival = False

    @api.depends("fulfillment_exception_ids.state")
    def _compute_fulfillment_open_exception_count(self):
        for picking in self:
            picking.fulfillment_open_exception_count = len(
                picking.fulfillment_exception_ids.filtered(lambda e: e.state == "open")
            )

    def _fulfillment_shipment_label(self):
        """The shipment status as the customer reads it, in their language."""
        self.ensure_one()
        labels = dict(
            self._fields["fulfillment_shipment_status"]._description_selection(self.env)
        )
        return labels.get(self.fulfillment_shipment_status, "")

    def _fulfillment_direction(self):
        """(goes to a customer, comes back from a customer)."""
        self.ensure_one()
        customers = self.env["stock.location"]._fulfillment_customer_location_ids()
        from_customer = self.location_id.id in customers
        to_customer = self.location_dest_id.id in customers and not from_customer
        return to_customer, from_customer

    def _fulfillment_delivery_steps(self):
        """The pickings of ``self`` that bring goods towards a customer
        inside the warehouse (a pick, a pack): their moves end at a customer
        location. The storage of goods a customer sent back (a multi-step
        reception) carries the order's lines too, but ends in the stock."""
        customers = self.env["stock.location"]._fulfillment_customer_location_ids()
        return self.filtered(
            lambda picking: any(
                move.location_final_id.id in customers for move in picking.move_ids
            )
        )

    def _fulfillment_transit_days(self):
        """Transit time of this shipment: the carrier's, else the company's."""
        self.ensure_one()
        transit = self.env["sale.fulfillment.carrier.transit"]._for_picking(self)
        if transit is not None:
            return transit
        return self.company_id.fulfillment_transit_days

    def _action_done(self):
        shipments = self.filtered(lambda p: p._fulfillment_direction()[0])
        shipments.sale_id._fulfillment_check_not_held()
        result = super()._action_done()
        shipped = shipments.filtered(lambda p: p.state == "done")
        # written with the validation's own update of the picking; not while
        # modules load or with status emails switched off (as the history)
        if self.env.registry.ready and not self.env.context.get("fulfillment_no_email"):
            shipped.filtered("sale_id").fulfillment_email_pending = True
        immediate = shipped.filtered(
            lambda p: not p.fulfillment_delivered_date
            and p._fulfillment_transit_days() <= 0
        )
        for picking in immediate:
            picking.fulfillment_delivered_date = picking.date_done
        return result

    @api.model
    def _fulfillment_notify_split_shipments(self, batch_size=100):
        """Email the customer of each later part of a split delivery.

        The order's status emails follow its transitions: the first part
        that ships moves it to partially shipped (the split delivery email),
        the last one to shipped. A part shipped in between leaves the order
        partially shipped: it gets the split delivery email here, with what
        shipped so far and what remains. A shipment whose order changed
        status since (or with it) is left to the status email. Run by the
        status notifications action after the status changes; each batch
        commits when the scheduler runs it.

        :return: False when the scheduler asked to stop, else True
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        cron = self.env["ir.cron"]
        status = self.env["sale.fulfillment.status"]._by_code().get("partially_shipped")
        root = self.env.ref("base.user_root")
        pending = [("fulfillment_email_pending", "=", True)]
        for batch in locked_batches(self.sudo(), pending, batch_size):
            # who validated them, before this write
            validators = {picking: picking.write_uid for picking in batch}
            batch.write({"fulfillment_email_pending": False})
            for order, shipped in batch.grouped("sale_id").items():
                entered = order.fulfillment_status_date
                if (
                    not status
                    or not status.notify_customer
                    or order.fulfillment_status != "partially_shipped"
                    or not entered
                    or not any(p.date_done and p.date_done > entered for p in shipped)
                ):
                    continue
                user = validators[shipped[-1]] or root
                order.with_user(user).sudo()._fulfillment_notify_customer(
                    status.mail_template_id, roles=status.notify_role_ids
                )
            if in_cron and not cron._commit_progress(len(batch)):
                return False
        return True

    def _fulfillment_confirm_shipment(
        self, quantities, carrier=None, tracking_numbers=(), shipping_date=None
    ):
        """Validate what a 3PL shipped: ``self`` are open customer shipments.

        :param quantities: {stock.move: quantity shipped}; a shipment none of
            whose moves shipped anything is left alone, the rest of a shipment
            that shipped something goes to a backorder
        :return: (validated pickings, backorders created)
        """
        todo = self.filtered(lambda p: any(quantities.get(move) for move in p.move_ids))
        for move in todo.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            move.write({"quantity": quantities.get(move, 0.0), "picked": True})
        # What the backorder wizard's "Create Backorder" does.
        todo.with_context(skip_backorder=True).button_validate()
        not_done = todo.filtered(lambda p: p.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "%(pickings)s could not be validated.",
                    pickings=", ".join(not_done.mapped("name")),
                )
            )
        backorders = self.search([("backorder_id", "in", todo.ids)])
        for picking in todo:
            picking._fulfillment_set_shipping_facts(
                carrier, tracking_numbers, shipping_date
            )
        return todo, backorders

    def _fulfillment_set_shipping_facts(self, carrier, tracking_numbers, shipping_date):
        """Carrier, tracking numbers and shipping date of a validated shipment."""
        self.ensure_one()
        vals = {}
        if tracking_numbers:
            vals["fulfillment_tracking_ref"] = ", ".join(tracking_numbers)
        if carrier:
            vals["fulfillment_carrier_name"] = carrier
        if shipping_date:
            vals["date_done"] = shipping_date
            if self.fulfillment_delivered_date == self.date_done:
                vals["fulfillment_delivered_date"] = shipping_date
        self.write(vals)
        if carrier and "carrier_id" in self._fields and not self.carrier_id:
            delivery_carrier = self.env["delivery.carrier"].search(
                [("name", "=ilike", carrier)], limit=1
            )
            if delivery_carrier:
                # after validation: the carrier's shipping connector must not
                # book a second shipment for goods the 3PL already sent
                self.carrier_id = delivery_carrier
                self.fulfillment_carrier_name = carrier

    def action_fulfillment_confirm_delivery(self):
        """Confirm that the goods reached the customer."""
        not_shipped = self.filtered(
            lambda p: p.state != "done" or not p._fulfillment_direction()[0]
        )
        if not_shipped:
            raise UserError(
                self.env._(
                    "Only shipments to a customer that were validated can be "
                    "confirmed as delivered: %(pickings)s.",
                    pickings=", ".join(not_shipped.mapped("name")),
                )
            )
        self.filtered(lambda p: not p.fulfillment_delivered_date).write(
            {"fulfillment_delivered_date": fields.Datetime.now()}
        )
        return True

    fulfillment_late_alerted_date = fields.Datetime(
        copy=False,
        readonly=True,
        help="The scheduled date of the last 'past scheduled date' alert.",
    )

    @api.model
    def _fulfillment_late_domain(self):
        """Customer shipments of sales orders past their scheduled date."""
        return [
            ("sale_id", "!=", False),
            ("state", "not in", ("done", "cancel", "draft")),
            ("location_dest_id.usage", "=", "customer"),
            ("scheduled_date", "<", fields.Datetime.now()),
        ]

    def _fulfillment_alert(self):
        """One activity per shipment and scheduled date that slipped."""
        activity_type = self.env.ref(
            "sale_fulfillment_status.mail_activity_type_shipment_late"
        )
        todo = self.filtered(
            lambda p: p.fulfillment_late_alerted_date != p.scheduled_date
        )
        alerts = []
        for picking in todo:
            user = (
                picking.user_id
                or picking.sale_id.fulfillment_user_id
                or picking.sale_id.user_id
                or self.env.ref("base.user_admin")
            )
            note = self.env._(
                "%(picking)s for %(order)s was scheduled on %(date)s and is not "
                "validated yet.",
                picking=picking.name,
                order=picking.sale_id.name,
                date=fields.Datetime.to_string(picking.scheduled_date),
            )
            alerts.append((picking, user, note))
        schedule_alerts(activity_type, alerts)
        copy_column(todo, "fulfillment_late_alerted_date", "scheduled_date")
        return todo

    @api.model
    def _cron_fulfillment_confirm_arrivals(self, limit=1000):
        """Confirm delivery of shipments whose transit time has passed."""
        pickings = self.search(
            [
                ("state", "=", "done"),
                ("fulfillment_delivered_date", "=", False),
                ("fulfillment_expected_arrival", "<=", fields.Datetime.now()),
            ],
            limit=limit,
        )
        for picking in pickings:
            picking.fulfillment_delivered_date = picking.fulfillment_expected_arrival
        return pickings

    def action_view_fulfillment_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_fulfillment_status.sale_fulfillment_exception_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {
            "default_order_id": self.sale_id.id,
            "default_picking_id": self.id,
        }
        return action

    def action_fulfillment_report_exception(self):
        self.ensure_one()
        return self.env["sale.fulfillment.exception"]._action_report(
            order=self.sale_id, picking=self
        )
