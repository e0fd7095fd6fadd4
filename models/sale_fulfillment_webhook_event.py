# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import logging
import time
import uuid
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.api import format_datetime
from ..core.webhook import (
    EVENT_ID_HEADER,
    EVENT_STATES,
    EVENT_TYPE_HEADER,
    EVENT_TYPES,
    OPEN_EVENT_STATES,
    SIGNATURE_HEADER,
    TIMEOUT_SECONDS,
    classify_delivery,
    next_state,
    sign,
)
from .utils import lock_skip_locked

_logger = logging.getLogger(__name__)

# Sent events are kept this long for the attempt log, then vacuumed.
KEEP_SENT_DAYS = 90
MAX_ERROR_LENGTH = 500


class SaleFulfillmentWebhookEvent(models.Model):
    """One event for one subscription: stored with the business change, sent
    later by the delivery job, in order per order."""

    _name = "sale.fulfillment.webhook.event"
    _description = "Fulfillment Webhook Event"
    _order = "id desc"
    _rec_name = "uuid"

    webhook_id = fields.Many2one(
        "sale.fulfillment.webhook",
        string="Subscription",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="webhook_id.company_id", store=True)
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade", index=True
    )
    event_type = fields.Selection(EVENT_TYPES, required=True, readonly=True)
    uuid = fields.Char(
        string="Event ID",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: str(uuid.uuid4()),
        help="Unique: receivers ignore an event id they already processed.",
    )
    sequence = fields.Integer(
        readonly=True, help="1, 2, 3... per order and subscription."
    )
    data = fields.Text(string="Event Data", readonly=True)
    payload = fields.Text(
        readonly=True, help="The JSON body, fixed when the change was committed."
    )
    state = fields.Selection(
        EVENT_STATES, required=True, default="pending", readonly=True, index=True
    )
    tries = fields.Integer(readonly=True)
    next_try = fields.Datetime(readonly=True, default=fields.Datetime.now)
    sent_date = fields.Datetime(string="Delivered On", readonly=True)
    last_status_code = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Char(readonly=True)
    attempt_ids = fields.One2many(
        "sale.fulfillment.webhook.attempt", "event_id", string="Attempts"
    )

    _uuid_unique = models.UniqueIndex("(uuid)", "Event ids are unique.")
    _due_idx = models.Index("(next_try, id) WHERE state IN ('pending', 'failed')")
    _queue_idx = models.Index("(webhook_id, order_id, sequence, id)")

    @api.model_create_multi
    def create(self, vals_list):
        """Number the events 1, 2, 3... per subscription and order."""
        keys = {(vals["webhook_id"], vals["order_id"]) for vals in vals_list}
        last = {
            (webhook.id, order.id): sequence
            for webhook, order, sequence in self.sudo()._read_group(
                [
                    ("webhook_id", "in", [key[0] for key in keys]),
                    ("order_id", "in", [key[1] for key in keys]),
                ],
                ["webhook_id", "order_id"],
                ["sequence:max"],
            )
        }
        for vals in vals_list:
            key = (vals["webhook_id"], vals["order_id"])
            last[key] = last.get(key, 0) + 1
            vals["sequence"] = last[key]
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Payload
    # ------------------------------------------------------------------

    def _build_payloads(self):
        """Fix the JSON body of each event: the event and the order as it is
        now (the payload of an event is never rebuilt once set)."""
        api_model = self.env["sale.fulfillment.api"]
        for event in self.sudo().filtered(lambda e: not e.payload):
            webhook = event.webhook_id
            order = event.order_id.with_context(lang=webhook.lang or "en_US")
            body = {
                "id": event.uuid,
                "type": event.event_type,
                "created_at": format_datetime(event.create_date),
                "sequence": event.sequence,
                "data": json.loads(event.data or "{}"),
                "order": api_model._order_values(
                    order, customer_view=webhook.customer_view
                ),
            }
            event.payload = json.dumps(body, ensure_ascii=False)

    # ------------------------------------------------------------------
    # Delivery (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _due_events(self, limit, exclude=()):
        """Events due now that head their order's queue: no earlier event of
        the same subscription and order is still pending or retrying."""
        self.env.flush_all()
        query = SQL(
            """
            SELECT event.id
              FROM sale_fulfillment_webhook_event event
              JOIN sale_fulfillment_webhook webhook
                ON webhook.id = event.webhook_id AND webhook.active
             WHERE event.state IN %(open)s
               AND event.next_try <= %(now)s
               AND event.id NOT IN %(exclude)s
               AND NOT EXISTS (
                   SELECT 1
                     FROM sale_fulfillment_webhook_event earlier
                    WHERE earlier.webhook_id = event.webhook_id
                      AND earlier.order_id = event.order_id
                      AND earlier.state IN %(open)s
                      AND (earlier.sequence, earlier.id) < (event.sequence, event.id)
               )
             ORDER BY event.next_try, event.id
             LIMIT %(limit)s
            """,
            open=OPEN_EVENT_STATES,
            now=fields.Datetime.now(),
            exclude=tuple(exclude) or (0,),
            limit=limit,
        )
        self.env.cr.execute(query)
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_deliver(self, batch_size=50):
        """POST the due events, in order per order; commit after each one.

        A receiver that is down only delays its own events: a failure waits
        for its backoff, and the events of other orders go on. Unlike the
        addon's other scheduled actions, this one commits outside the
        scheduler too (Odoo's ``_commit_progress`` does): a POST cannot be
        taken back, so the record of it must not be rolled back either.
        """
        cron = self.env["ir.cron"]
        due = self._due_events(limit=batch_size)
        cron._commit_progress(remaining=len(due))
        skipped = set()
        while due:
            for event in due:
                locked = lock_skip_locked(event)
                locked.invalidate_recordset()
                if not locked or not locked._is_due():
                    skipped.add(event.id)  # another worker has it, or done
                    continue
                locked._deliver()
                if not cron._commit_progress(1):
                    return False
            due = self._due_events(limit=batch_size, exclude=skipped)
        return True

    def _is_due(self):
        self.ensure_one()
        return (
            self.state in OPEN_EVENT_STATES
            and self.webhook_id.active
            and (not self.next_try or self.next_try <= fields.Datetime.now())
        )

    def _deliver(self):
        """One POST of the event; log the attempt and plan what comes next."""
        self.ensure_one()
        try:
            if not self.payload:
                self._build_payloads()
        except Exception as exc:  # noqa: BLE001 - one bad event must not stop the job
            _logger.exception("Payload of webhook event %s not built", self.uuid)
            return self._record_attempt(None, str(exc), 0)
        status, error, duration_ms = self._post()
        return self._record_attempt(status, error, duration_ms)

    def _post(self):
        """POST the payload, signed: (HTTP status or None, error, duration)."""
        webhook = self.webhook_id.sudo()
        body = self.payload.encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Odoo-Sale-Fulfillment-Status",
            SIGNATURE_HEADER: sign(webhook.secret, body),
            EVENT_ID_HEADER: self.uuid,
            EVENT_TYPE_HEADER: self.event_type,
        }
        status, error = None, False
        started = time.monotonic()
        try:
            with requests.post(
                webhook.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            ) as response:
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status} {response.reason}: {response.text[:200]}"
        except requests.Timeout:
            error = self.env._(
                "No answer within %(seconds)s seconds.", seconds=TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            error = str(exc)
        return status, error, int((time.monotonic() - started) * 1000)

    def _record_attempt(self, status, error, duration_ms):
        """Log the attempt; sent, retried after the backoff, or given up."""
        webhook = self.webhook_id.sudo()
        tries = self.tries + 1
        state, wait = next_state(classify_delivery(status), tries, webhook.max_tries)
        now = fields.Datetime.now()
        error = (error or "")[:MAX_ERROR_LENGTH] or False
        self.env["sale.fulfillment.webhook.attempt"].sudo().create(
            {
                "event_id": self.id,
                "date": now,
                "status_code": status or 0,
                "duration_ms": duration_ms,
                "error": error,
            }
        )
        self.write(
            {
                "tries": tries,
                "state": state,
                "next_try": now + timedelta(seconds=wait)
                if wait is not None
                else False,
                "sent_date": now if state == "sent" else self.sent_date,
                "last_status_code": status or 0,
                "last_error": error,
            }
        )
        if state == "given_up":
            _logger.warning(
                "Webhook %s gave up event %s (%s) after %s tries: %s",
                webhook.name,
                self.uuid,
                self.event_type,
                tries,
                error,
            )
        return state

    def action_retry(self):
        """Send again from the first try: after fixing the receiver."""
        self.filtered(lambda e: e.state != "sent").write(
            {"state": "pending", "tries": 0, "next_try": fields.Datetime.now()}
        )
        cron = self.env.ref(
            "sale_fulfillment_status.ir_cron_webhook_deliver", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()
        return True

    @api.autovacuum
    def _gc_sent_events(self):
        """Forget delivered events (and their attempts) after KEEP_SENT_DAYS."""
        limit = fields.Datetime.now() - timedelta(days=KEEP_SENT_DAYS)
        self.sudo().search(
            [("state", "=", "sent"), ("sent_date", "<", limit)], limit=10000
        ).unlink()


class SaleFulfillmentWebhookAttempt(models.Model):
    """One POST of an event: when, what the receiver answered, how long it took."""

    _name = "sale.fulfillment.webhook.attempt"
    _description = "Fulfillment Webhook Delivery Attempt"
    _order = "date desc, id desc"

    event_id = fields.Many2one(
        "sale.fulfillment.webhook.event",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    webhook_id = fields.Many2one(
        related="event_id.webhook_id", store=True, index=True, string="Subscription"
    )
    company_id = fields.Many2one(related="event_id.company_id", store=True)
    order_id = fields.Many2one(related="event_id.order_id")
    event_type = fields.Selection(related="event_id.event_type")
    date = fields.Datetime(required=True, readonly=True)
    status_code = fields.Integer(
        string="HTTP Status",
        readonly=True,
        help="0: no answer (timeout, no connection).",
    )
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    error = fields.Char(readonly=True)
