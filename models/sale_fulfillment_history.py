# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..core.catalog import FULFILLMENT_TYPES, STATUSES, TRIGGERS
from .utils import locked_batches


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
    chatter_pending = fields.Boolean(
        string="Chatter Post Pending",
        readonly=True,
        copy=False,
        help="The change is still to be posted in the order's chatter: the "
        "scheduled action 'Fulfillment: status notifications' posts it within "
        "a minute of the change.",
    )
    email_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="The customer's email for this change is still to be sent: the "
        "scheduled action 'Fulfillment: status notifications' sends it within "
        "a minute of the change.",
    )

    _notify_pending_idx = models.Index("(id) WHERE chatter_pending OR email_pending")

    @api.model
    def _record_changes(self, changes, now):
        """Record status changes: close each order's open row and open a new
        one.

        :param changes: [(order, from_status, to_status, flow, trigger)]
        :return: the new rows
        """
        # The chatter posts and customer emails of the changes are made by the
        # scheduled action 'Fulfillment: status notifications', within a
        # minute, not here: composing them (followers, templates,
        # notifications) costs more than the change itself, in the transaction
        # that validates a shipment or confirms an order. Nothing is posted or
        # sent while modules load (installing or upgrading the addon must not
        # email every customer with an open order), nor when the change was
        # made with tracking or status emails switched off.
        ready = self.env.registry.ready
        context = self.env.context
        chatter = ready and not (
            context.get("tracking_disable") or context.get("mail_notrack")
        )
        emails = ready and not context.get("fulfillment_no_email")
        codes = {
            rule.id: rule.code
            for rule in self.env["sale.fulfillment.status"]._rules().values()
        }
        vals_list = []
        for order, from_status, to_status, flow, trigger in changes:
            note = None
            if to_status == "on_hold" and order.fulfillment_hold_reason_id:
                note = order.fulfillment_hold_reason_id.name
                if order.fulfillment_hold_note:
                    note = f"{note}: {order.fulfillment_hold_note}"
            vals_list.append(
                {
                    "order_id": order.id,
                    # the related stored fields, given with the row
                    "company_id": order.company_id.id,
                    "partner_id": order.partner_id.id,
                    "flow": flow,
                    "from_status": from_status or None,
                    "to_status": to_status,
                    "to_customer_status": codes.get(
                        order.fulfillment_customer_status_id.id, to_status
                    ),
                    "date": now,
                    "user_id": self.env.uid,
                    "responsible_id": order.fulfillment_user_id.id or None,
                    "trigger": trigger,
                    "off_flow": trigger == "facts_changed",
                    "note": note,
                    "hold_reason_id": order.fulfillment_hold_reason_id.id or None
                    if to_status == "on_hold"
                    else None,
                    "chatter_pending": chatter,
                    "email_pending": emails,
                }
            )
        # as superuser: whoever made the change (a portal customer accepting
        # a date, a stock user) may not read history rows, and the webhook
        # payloads read them
        previous, rows = self.sudo()._write_changes(vals_list, now)
        if self.env.registry.ready:
            self.env["sale.fulfillment.webhook"]._queue_status_events(rows, previous)
        return rows

    def _write_changes(self, vals_list, now):
        """Close the open row of each order of ``vals_list`` (it leaves its
        status ``now``) and insert the new rows, in one statement.

        A status change happens in the transaction that validates a
        shipment or confirms an order: the ORM's create and a second
        statement cost that transaction more than the rows themselves. The
        rows hold plain values only (no computed field, no translation),
        given complete by ``_record_changes``; the orders' cached history
        is invalidated and the ORM told of the new rows, as its create does.

        :return: ({order id: the row it closed}, the new rows)
        """
        self.flush_model(["order_id", "date", "left_date", "duration_hours"])
        columns = list(vals_list[0])
        stamp = self.env.cr.now()
        uid = self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [*(vals[column] for column in columns), uid, stamp, uid, stamp]
                ),
            )
            for vals in vals_list
        )
        self.env.cr.execute(
            SQL(
                """
                WITH closed AS (
                    UPDATE sale_fulfillment_history
                       SET left_date = %(now)s,
                           duration_hours = EXTRACT(EPOCH FROM %(now)s - date)
                                            / 3600.0,
                           write_uid = %(uid)s,
                           write_date = %(stamp)s
                     WHERE order_id IN %(order_ids)s
                       AND left_date IS NULL
                 RETURNING id, order_id
                ), opened AS (
                    INSERT INTO sale_fulfillment_history
                           (%(columns)s, create_uid, create_date, write_uid,
                            write_date)
                    VALUES %(values)s
                 RETURNING id, order_id
                )
                SELECT id, order_id, TRUE FROM closed
                 UNION ALL
                SELECT id, order_id, FALSE FROM opened
                """,
                now=now,
                uid=uid,
                stamp=stamp,
                order_ids=tuple(vals["order_id"] for vals in vals_list),
                columns=SQL(", ").join(map(SQL.identifier, columns)),
                values=values,
            )
        )
        closed, opened = {}, {}
        for row_id, order_id, is_closed in self.env.cr.fetchall():
            (closed if is_closed else opened)[order_id] = row_id
        self.browse(list(closed.values())).invalidate_recordset(
            ["left_date", "duration_hours", "write_uid", "write_date"]
        )
        rows = self.browse([opened[vals["order_id"]] for vals in vals_list])
        self.env["sale.order"].browse(list(opened)).invalidate_recordset(
            ["fulfillment_history_ids"]
        )
        # what depends on the rows is recomputed, not the values they got
        written = [*columns, "create_uid", "create_date", "write_uid", "write_date"]
        with self.env.protecting([self._fields[name] for name in written], rows):
            rows.modified(written, create=True)
        previous = {
            order_id: self.browse(row_id) for order_id, row_id in closed.items()
        }
        return previous, rows

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

    def _undone_in_transaction(self):
        """The rows of ``self`` whose order changed status again in the same
        transaction (a later row of the order, same transaction timestamp):
        a status that flickers emails nothing."""
        last = {}
        for row in self.search_fetch(
            [("order_id", "in", self.order_id.ids), ("id", ">", min(self.ids))],
            ["order_id", "create_date"],
        ):
            key = (row.order_id.id, row.create_date)
            last[key] = max(last.get(key, 0), row.id)
        return self.filtered(
            lambda row: last.get((row.order_id.id, row.create_date), 0) > row.id
        )

    def _post_in_chatter(self):
        """Post each change in its order's chatter as Odoo's field tracking
        posts one (old and new status), with the 'Fulfillment Status Changed'
        subtype that followers may subscribe to."""
        subtype = self.env.ref(
            "sale_fulfillment_status.mt_fulfillment_status", raise_if_not_found=False
        )
        tracking = self.env["mail.tracking.value"]
        field_infos = {}  # the field's description per language
        for row in self:
            lang = row.user_id.lang or "en_US"
            order = row.order_id.with_context(lang=lang)
            if lang not in field_infos:
                field_infos[lang] = order.fields_get(["fulfillment_status"])[
                    "fulfillment_status"
                ]
            field_info = field_infos[lang]
            values = tracking._create_tracking_values(
                row.from_status or False,
                row.to_status,
                "fulfillment_status",
                field_info,
                order,
            )
            if subtype:
                order.message_post(
                    subtype_id=subtype.id, tracking_value_ids=[Command.create(values)]
                )
            else:
                order._message_log(tracking_value_ids=[Command.create(values)])

    @api.model
    def _cron_notify_status_changes(self, batch_size=100):
        """Post the status changes in the chatter and email the customers,
        for the changes that wait for it, oldest first.

        Each is written by the user who made the change, as it would have
        been in their own transaction. Run by the scheduler, each batch
        commits, so nothing is posted or sent twice and a crash resumes with
        the next change; rows another worker holds are skipped. Called
        outside the scheduler (tests, scripts), nothing is committed.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        cron = self.env["ir.cron"]
        domain = Domain("chatter_pending", "=", True) | Domain(
            "email_pending", "=", True
        )
        history = self.sudo()
        if in_cron:
            cron._commit_progress(remaining=history.search_count(domain))
        root = self.env.ref("base.user_root")
        for rows in locked_batches(history, domain, batch_size):
            to_post = rows.filtered("chatter_pending")
            to_email = rows.filtered("email_pending")
            rows.write({"chatter_pending": False, "email_pending": False})
            undone = to_email._undone_in_transaction() if to_email else to_email
            for user, user_rows in rows.grouped("user_id").items():
                user_rows = user_rows.with_user(user or root).sudo()
                (user_rows & to_post)._post_in_chatter()
                emails = user_rows & to_email
                if emails:
                    emails.order_id._fulfillment_send_status_emails(
                        emails, undone=undone
                    )
            if in_cron and not cron._commit_progress(len(rows)):
                return False
        # then the later parts of split deliveries, whose order's status
        # stayed (the changes above sent the emails of the others)
        return self.env["stock.picking"]._fulfillment_notify_split_shipments()
