# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small ORM helpers shared by the models."""

from odoo import fields
from odoo.tools import SQL


def lock_skip_locked(records):
    """The part of ``records`` this transaction could lock; rows another
    transaction holds are skipped instead of waited for (two cron workers)."""
    if not records:
        return records
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
            SQL.identifier(records._table),
            tuple(records.ids),
        )
    )
    return records.browse([row[0] for row in records.env.cr.fetchall()])


def schedule_alert(record, activity_type, user, note):
    """One open activity of ``activity_type`` on ``record``: a new alert updates
    it (note, user, due today) instead of piling up a second one."""
    existing = record.activity_ids.filtered(
        lambda a: a.activity_type_id == activity_type
    )
    values = {"note": note, "user_id": user.id, "date_deadline": fields.Date.today()}
    if existing:
        existing.write(values)
        return existing
    return record.activity_schedule(activity_type_id=activity_type.id, **values)


class FulfillmentApiError(Exception):
    """An answer of the status API other than success: HTTP status, stable
    code, and a message in the caller's language that leaks nothing."""

    def __init__(self, status, code, message):
        super().__init__(status, code, message)
        self.status = status
        self.code = code
        self.message = message
