# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import logging
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _lang_get

from ..core.api import format_datetime
from ..core.webhook import EVENT_CODES

_logger = logging.getLogger(__name__)

CRON_XMLID = "sale_fulfillment_status.ir_cron_webhook_deliver"
PRECOMMIT_KEY = "sale_fulfillment_status.webhook_event_ids"


def _new_secret():
    return secrets.token_hex(32)


class SaleFulfillmentWebhook(models.Model):
    """A system told about order events: an EC site, an ordering system, a 3PL."""

    _name = "sale.fulfillment.webhook"
    _inherit = ["sale.fulfillment.cached.config"]
    _description = "Fulfillment Webhook Subscription"
    _fulfillment_cached_fields = frozenset({"active"})
    _order = "name, id"

    name = fields.Char(required=True)
    url = fields.Char(
        string="URL", required=True, help="Events are POSTed to this address."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain=[("parent_id", "=", False)],
        help="Only orders of this customer (company); empty: every customer.",
    )
    event_status_changed = fields.Boolean(string="Status Changed", default=True)
    event_shipped = fields.Boolean(string="Shipped", default=True)
    event_delayed = fields.Boolean(string="Delayed", default=True)
    event_exception_opened = fields.Boolean(string="Exception Opened", default=True)
    event_cancelled = fields.Boolean(string="Cancelled", default=True)
    customer_view = fields.Boolean(
        default=True,
        help="Send the statuses as customers see them (an EC site): changes "
        "customers do not see are not sent. Off: the internal statuses (a 3PL "
        "or an internal system).",
    )
    lang = fields.Selection(
        _lang_get,
        string="Language",
        default=lambda self: self.env.lang,
        help="Language of the customer labels in the events.",
    )
    secret = fields.Char(
        default=lambda self: _new_secret(),
        required=True,
        copy=False,
        groups="sale_fulfillment_status.group_fulfillment_manager",
        help="Events carry the header X-Fulfillment-Signature: 'sha256=' and the "
        "hex HMAC-SHA256 of the body with this secret; give it to the receiver.",
    )
    max_tries = fields.Integer(
        string="Maximum Tries",
        default=8,
        required=True,
        help="An event that still fails after this many tries is given up.",
    )
    event_ids = fields.One2many(
        "sale.fulfillment.webhook.event", "webhook_id", string="Events"
    )
    attempt_ids = fields.One2many(
        "sale.fulfillment.webhook.attempt", "webhook_id", string="Attempts"
    )
    pending_event_count = fields.Integer(compute="_compute_event_counts")
    given_up_event_count = fields.Integer(compute="_compute_event_counts")

    _max_tries_positive = models.Constraint(
        "CHECK(max_tries > 0)", "A webhook needs at least one try."
    )

    @api.depends("event_ids.state")
    def _compute_event_counts(self):
        counts = {
            (webhook.id, state): count
            for webhook, state, count in self.env[
                "sale.fulfillment.webhook.event"
            ]._read_group(
                [("webhook_id", "in", self.ids)], ["webhook_id", "state"], ["__count"]
            )
        }
        for webhook in self:
            webhook.pending_event_count = counts.get(
                (webhook.id, "pending"), 0
            ) + counts.get((webhook.id, "failed"), 0)
            webhook.given_up_event_count = counts.get((webhook.id, "given_up"), 0)

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            if not (webhook.url or "").lower().startswith(("https://", "http://")):
                raise ValidationError(
                    self.env._(
                        "The URL of webhook %(name)s must start with https:// "
                        "(or http://).",
                        name=webhook.name,
                    )
                )

    def action_regenerate_secret(self):
        """A new secret: the receiver must be given it before the next event."""
        for webhook in self:
            webhook.secret = _new_secret()
        return True

    # ------------------------------------------------------------------
    # Events, stored with the business change
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _active_ids(self):
        """Ids of the active subscriptions. Every business change asks, and
        most databases have none: read once per worker, not per change
        (cleared when a subscription is added, removed or (de)activated)."""
        return tuple(self.sudo().search([("active", "=", True)]).ids)

    def _listens_to(self, event_type, order):
        """The subscriptions of ``self`` that want ``event_type`` of ``order``."""
        customer = order.partner_id.commercial_partner_id
        return self.filtered(
            lambda w: w[f"event_{event_type}"]
            and w.company_id == order.company_id
            and (not w.partner_id or w.partner_id.commercial_partner_id == customer)
        )

    @api.model
    def _queue(self, events):
        """Store events for the subscriptions that listen to them.

        :param events: [(event_type, order, internal data, customer data)]; the
            customer data goes to customer-view subscriptions, None skips them
            (a change customers do not see).
        :return: the stored sale.fulfillment.webhook.event records
        """
        model = self.env["sale.fulfillment.webhook.event"].sudo()
        if not events or not self.env.registry.ready:
            return model
        webhooks = self.sudo().browse(self._active_ids())
        if not webhooks:
            return model
        vals_list = []
        for event_type, order, internal, customer in events:
            assert event_type in EVENT_CODES, event_type
            for webhook in webhooks._listens_to(event_type, order):
                data = customer if webhook.customer_view else internal
                if data is None:
                    continue
                vals_list.append(
                    {
                        "webhook_id": webhook.id,
                        "order_id": order.id,
                        "event_type": event_type,
                        "data": json.dumps(data, ensure_ascii=False),
                    }
                )
        stored = model.create(vals_list)
        if stored:
            self._after_queue(stored)
        return stored

    def _after_queue(self, events):
        """Complete the payloads once the transaction's changes are final, and
        wake the delivery up right after the commit."""
        data = self.env.cr.precommit.data.setdefault(PRECOMMIT_KEY, set())
        if not data:
            self.env.cr.precommit.add(self._flush_payloads)
            cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        data.update(events.ids)

    def _flush_payloads(self):
        ids = self.env.cr.precommit.data.pop(PRECOMMIT_KEY, set())
        events = self.env["sale.fulfillment.webhook.event"].sudo().browse(sorted(ids))
        for event in events.exists():
            try:
                event._build_payloads()
            except Exception:  # noqa: BLE001 - never block the business commit
                # the delivery job builds it when it sends the event
                _logger.exception("Payload of webhook event %s not built", event.uuid)

    @api.model
    def _queue_status_events(self, rows, previous):
        """status_changed (+ shipped, cancelled) for new history rows.

        :param previous: {order id: the history row the order just left}
        """
        if not self._active_ids():
            return self.env["sale.fulfillment.webhook.event"]
        customer_codes = self.env["sale.fulfillment.status"]._customer_codes()
        events = []
        for row in rows:
            before = previous.get(row.order_id.id)
            internal = {
                "from": row.from_status or None,
                "to": row.to_status,
                "date": format_datetime(row.date),
                "trigger": row.trigger or None,
            }
            customer_from = (
                before._customer_to_status(customer_codes)
                if before
                else customer_codes.get(row.from_status, row.from_status)
            ) or None
            customer_to = row._customer_to_status(customer_codes)
            masked = customer_from != internal["from"] or customer_to != row.to_status
            customer = {
                **internal,
                "from": customer_from,
                "to": customer_to,
                "trigger": None if masked else internal["trigger"],
            }
            visible = customer_from != customer_to
            events.append(
                (
                    "status_changed",
                    row.order_id,
                    internal,
                    customer if visible else None,
                )
            )
            if row.to_status in ("shipped", "cancelled"):
                events.append((row.to_status, row.order_id, internal, customer))
        return self._queue(events)

    @api.model
    def _queue_delays(self, delays):
        """delayed: the expected date moved past the date told to the customer.

        :param delays: [(order, the date told before)]
        """
        events = []
        for order, previous_date in delays:
            data = {
                "previous_date": format_datetime(previous_date),
                "expected_date": format_datetime(order.fulfillment_expected_date),
                "reason": order.fulfillment_delay_reason or None,
            }
            events.append(("delayed", order, data, data))
        return self._queue(events)

    @api.model
    def _queue_exceptions(self, exceptions):
        """exception_opened, with what the customer may be told."""
        events = []
        for exception in exceptions:
            data = {
                "exception": {
                    "reference": exception.name,
                    "type": exception.type,
                    "description": exception.description,
                    "new_date": format_datetime(exception.new_date),
                    "customer_decision_required": (
                        exception.customer_decision_required
                    ),
                }
            }
            events.append(("exception_opened", exception.order_id, data, data))
        return self._queue(events)
