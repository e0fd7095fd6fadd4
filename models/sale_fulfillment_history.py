# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..core.catalog import FULFILLMENT_TYPES, STATUSES, TRIGGERS


class SaleFulfillmentHistory(models.Model):
    _name = "sale.fulfillment.history"
    _description = "Fulfillment Status History"
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id", store=True, string="Customer"
    )
    flow = fields.Selection(FULFILLMENT_TYPES, readonly=True)
    from_status = fields.Selection(STATUSES, readonly=True)
    to_status = fields.Selection(STATUSES, required=True, readonly=True)
    to_customer_status = fields.Selection(
        STATUSES,
        string="Customer Status",
        readonly=True,
        help="The status customers saw: e.g. an order held for a credit check "
        "shows customers 'Checking'.",
    )
    date = fields.Datetime(required=True, readonly=True, index=True)
    left_date = fields.Datetime(
        readonly=True, help="When the order left this status again."
    )
    duration_hours = fields.Float(
        string="Hours in Status",
        readonly=True,
        aggregator="avg",
        help="Time spent in the status, once the order left it.",
    )
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    responsible_id = fields.Many2one("res.users", readonly=True)
    trigger = fields.Selection(TRIGGERS, readonly=True)
    note = fields.Char(readonly=True)
    hold_reason_id = fields.Many2one(
        "sale.fulfillment.hold.reason",
        readonly=True,
        help="Why the order was put on hold (rows entering On Hold).",
    )
    off_flow = fields.Boolean(
        readonly=True,
        help="The change is not a transition of the order's flow; the facts in "
        "Odoo moved the order anyway.",
    )

    @api.model
    def _record_changes(self, changes, now):
        """Record status changes: close the open row, open a new one.

        :param changes: [(order, from_status, to_status, flow, trigger)]
        """
        orders = self.env["sale.order"].browse([change[0].id for change in changes])
        open_rows = self.sudo().search(
            [("order_id", "in", orders.ids), ("left_date", "=", False)]
        )
        previous = {row.order_id.id: row for row in open_rows}
        for row in open_rows:
            row.write(
                {
                    "left_date": now,
                    "duration_hours": (now - row.date).total_seconds() / 3600.0,
                }
            )
        vals_list = []
        for order, from_status, to_status, flow, trigger in changes:
            note = False
            if to_status == "on_hold" and order.fulfillment_hold_reason_id:
                note = order.fulfillment_hold_reason_id.name
                if order.fulfillment_hold_note:
                    note = f"{note}: {order.fulfillment_hold_note}"
            vals_list.append(
                {
                    "order_id": order.id,
                    "flow": flow,
                    "from_status": from_status or False,
                    "to_status": to_status,
                    "to_customer_status": order.fulfillment_customer_status_id.code
                    or to_status,
                    "date": now,
                    "user_id": self.env.uid,
                    "responsible_id": order.fulfillment_user_id.id,
                    "trigger": trigger,
                    "off_flow": trigger == "facts_changed",
                    "note": note,
                    "hold_reason_id": order.fulfillment_hold_reason_id.id
                    if to_status == "on_hold"
                    else False,
                }
            )
        rows = self.sudo().create(vals_list)
        self._queue_status_emails(rows)
        if self.env.registry.ready:
            self.env["sale.fulfillment.webhook"]._queue_status_events(rows, previous)
        return rows

    def _customer_label(self, statuses=None):
        """The status of the row as the customer reads it.

        :param statuses: {code: status}, to spare a search per row
        """
        self.ensure_one()
        statuses = statuses or self.env["sale.fulfillment.status"]._by_code()
        status = statuses.get(self.to_status)
        if not status:
            return ""
        if self.to_status == "on_hold" and self.hold_reason_id.customer_status_id:
            return self.hold_reason_id.customer_status_id.customer_label
        return status._customer_facing().customer_label

    def _customer_to_status(self, customer_codes):
        """The status customers saw after this change. Rows recorded before
        the addon kept it: the status' own customer-facing one.

        :param customer_codes: ``sale.fulfillment.status._customer_codes()``
        """
        self.ensure_one()
        return self.to_customer_status or customer_codes.get(
            self.to_status, self.to_status
        )

    def _queue_status_emails(self, rows):
        """Send the status emails of ``rows`` when the transaction commits.

        Nothing is sent while modules load: installing or upgrading the addon
        must not email every customer with an open order.
        """
        if not self.env.registry.ready:
            return
        data = self.env.cr.precommit.data.setdefault(
            "sale_fulfillment_status.email_history_ids", set()
        )
        if not data:
            self.env.cr.precommit.add(self._flush_status_emails)
        data.update(rows.ids)

    def _flush_status_emails(self):
        ids = self.env.cr.precommit.data.pop(
            "sale_fulfillment_status.email_history_ids", set()
        )
        if not ids or self.env.context.get("fulfillment_no_email"):
            return
        rows = self.env["sale.fulfillment.history"].sudo().browse(sorted(ids))
        rows.order_id._fulfillment_send_status_emails(rows)
