# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.fields import Domain

from ..core.api import format_datetime


class SaleFulfillmentApi(models.AbstractModel):
    """What the status API and the webhooks say about an order.

    The caller decides which orders a key may see (a search with the key
    user's rights); the values are then read as superuser, limited to what is
    documented in ``core/openapi.py`` (``Order``): never notes or users.
    """

    _name = "sale.fulfillment.api"
    _description = "Fulfillment Status API"

    @api.model
    def _orders_domain(
        self,
        client_order_ref=None,
        statuses=(),
        changed_since=None,
        customer=None,
        customer_view=False,
    ):
        """Orders with a fulfillment status, filtered as the list endpoint asks.

        :param customer_view: ``statuses`` are the statuses customers see
        """
        domain = Domain("fulfillment_status", "!=", False)
        if client_order_ref:
            domain &= Domain("client_order_ref", "=", client_order_ref)
        if statuses and customer_view:
            shown = (
                self.env["sale.fulfillment.status"]
                .sudo()
                .with_context(active_test=False)
                .search([("code", "in", list(statuses))])
            )
            domain &= Domain("fulfillment_customer_status_id", "in", shown.ids)
        elif statuses:
            domain &= Domain("fulfillment_status", "in", list(statuses))
        if changed_since:
            domain &= Domain("fulfillment_status_date", ">=", changed_since) | Domain(
                "write_date", ">=", changed_since
            )
        if customer:
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "child_of", customer)])
            )
            domain &= Domain("partner_id", "in", partners.ids)
        return domain

    @api.model
    def _order_values(self, order, customer_view=False):
        """The documented values of ``order``, labels in the context language.

        :param customer_view: statuses as customers see them (portal keys,
            customer-view webhooks); internal statuses otherwise
        """
        order = order.sudo()
        order.ensure_one()
        customer_status = order.fulfillment_customer_status_id
        shown = customer_status.code or order.fulfillment_status
        partner = order.partner_id.commercial_partner_id
        updated = max(
            date for date in (order.write_date, order.fulfillment_status_date) if date
        )
        return {
            "reference": order.name,
            "client_order_ref": order.client_order_ref or None,
            "customer": {"id": partner.id, "name": partner.name or ""},
            "status": shown if customer_view else order.fulfillment_status,
            "customer_status": shown,
            "customer_label": customer_status.customer_label or "",
            "status_date": format_datetime(order.fulfillment_status_date),
            "fulfillment_type": order.fulfillment_type or None,
            "expected_date": format_datetime(order.fulfillment_expected_date),
            "billing_status": order.fulfillment_billing_status or None,
            "updated_at": format_datetime(updated),
            "lines": [
                self._line_values(line)
                for line in order.order_line
                if line._fulfillment_is_goods()
            ],
            "shipments": [
                self._shipment_values(picking)
                for picking in order._fulfillment_portal_shipments()
            ],
            "history": self._history_values(order, customer_view),
        }

    @api.model
    def _line_values(self, line):
        product = line.product_id
        return {
            "product": {
                "id": product.id,
                "default_code": product.default_code or None,
                "name": product.name or "",
            },
            "ordered": line.product_uom_qty,
            "shipped": line.qty_delivered,
            "remaining": line.fulfillment_qty_remaining,
            "uom": line.product_uom_id.name or "",
        }

    @api.model
    def _shipment_values(self, picking):
        return {
            "name": picking.name,
            "state": picking.state,
            "shipment_status": picking.fulfillment_shipment_status or None,
            "carrier": picking.fulfillment_carrier_name or None,
            "tracking_number": picking.fulfillment_tracking_ref or None,
            "tracking_url": picking.fulfillment_tracking_url or None,
            "date": format_datetime(picking.date_done or picking.scheduled_date),
        }

    @api.model
    def _history_values(self, order, customer_view):
        """Status changes, oldest first. Customers see their statuses: a change
        they cannot see (internal step, a hold shown as 'Checking') is left
        out, and the trigger of a disguised change is not told."""
        rows = order.fulfillment_history_ids.sorted(lambda row: (row.date, row.id))
        if not customer_view:
            return [
                {
                    "from": row.from_status or None,
                    "to": row.to_status,
                    "date": format_datetime(row.date),
                    "trigger": row.trigger or None,
                }
                for row in rows
            ]
        customer_codes = self.env["sale.fulfillment.status"]._customer_codes()
        history = []
        shown = None
        for index, row in enumerate(rows):
            before = (
                shown
                if index
                else customer_codes.get(row.from_status, row.from_status) or None
            )
            after = row._customer_to_status(customer_codes)
            shown = after
            if after == before:
                continue
            disguised = after != row.to_status or before != (row.from_status or None)
            history.append(
                {
                    "from": before,
                    "to": after,
                    "date": format_datetime(row.date),
                    "trigger": None if disguised else row.trigger or None,
                }
            )
        return history
