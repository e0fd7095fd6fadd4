# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..core.catalog import (
    FULFILLMENT_TYPES,
    INQUIRY_CHANNELS,
    INQUIRY_RECORD_KINDS,
    PORTAL_VIEW,
    STATUSES,
)


class SaleFulfillmentInquiry(models.Model):
    """A customer asking about an order, or opening it on the portal.

    Each row keeps the status the order was in at that moment, so that
    management sees which statuses make customers call, month by month.
    """

    _name = "sale.fulfillment.inquiry"
    _description = "Customer Inquiry"
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        readonly=True,
        help="The customer company of the order.",
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, precompute=True
    )
    kind = fields.Selection(
        INQUIRY_RECORD_KINDS, required=True, default="where_is_my_order", index=True
    )
    channel = fields.Selection(INQUIRY_CHANNELS, required=True, default="phone")
    status_at_inquiry = fields.Selection(
        STATUSES,
        string="Status When Asked",
        readonly=True,
        help="The order's fulfillment status when the inquiry was logged.",
    )
    flow = fields.Selection(FULFILLMENT_TYPES, readonly=True)
    order_was_late = fields.Boolean(
        readonly=True, help="The order was late in its status when asked."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Logged By",
        default=lambda self: self.env.user,
        readonly=True,
        help="Who logged the inquiry; the portal user for portal views.",
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    note = fields.Text()
    inquiry_count = fields.Integer(
        string="Inquiries", compute="_compute_counts", store=True, precompute=True
    )
    portal_view_count = fields.Integer(
        string="Portal Views",
        compute="_compute_counts",
        store=True,
        precompute=True,
    )

    @api.depends("kind")
    def _compute_counts(self):
        for inquiry in self:
            portal_view = inquiry.kind == PORTAL_VIEW
            inquiry.inquiry_count = 0 if portal_view else 1
            inquiry.portal_view_count = 1 if portal_view else 0

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].sudo()
        for vals in vals_list:
            order = orders.browse(vals.get("order_id"))
            if not order:
                continue
            vals.setdefault("partner_id", order.partner_id.commercial_partner_id.id)
            vals.update(
                {
                    "status_at_inquiry": order.fulfillment_status,
                    "flow": order.fulfillment_type,
                    "order_was_late": order.fulfillment_is_late,
                }
            )
        return super().create(vals_list)

    @api.model
    def _log_portal_view(self, order, user):
        """Count one portal view of ``order`` by ``user`` (public: a token)."""
        return self.sudo().create(
            {
                "order_id": order.id,
                "kind": PORTAL_VIEW,
                "channel": "portal",
                "user_id": False if user._is_public() else user.id,
            }
        )
