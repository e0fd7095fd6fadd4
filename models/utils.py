# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small ORM helpers shared by the models."""

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
