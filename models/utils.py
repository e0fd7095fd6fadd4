# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small ORM helpers shared by the models."""

from odoo import fields
from odoo.fields import Domain
from odoo.tools import SQL


def cached_columns(records, names):
    """The ORM's caches of the fields ``names`` for ``records``, once the
    pending computations of those fields on ``records`` are done: {field
    name: {record id: cache value}}, or None when the value of one of
    ``records`` is not in the cache.

    Hot paths read plain values from them (ids for a many2one, None for no
    value) instead of reading each value through its field, which costs a
    recordset and a test for a pending computation per value. Each field's
    cache is tested once, the test of ``record._cache`` made for all the
    records at once. A one2many is tested only: read it through the field,
    which first computes its inverse where it is pending.
    """
    env = records.env
    ids = set(records._ids)
    columns = {}
    for name in names:
        field = records._fields[name]
        if field.compute and field.store:
            field.recompute(records)
        cache = field._get_cache(env)
        if not ids <= cache.keys():
            return None
        columns[name] = cache
    return columns


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


def locked_batches(model, domain, batch_size):
    """The records of ``model`` that match ``domain``, in batches of at most
    ``batch_size`` ids, lowest first (keyset: each batch starts after the
    last id of the previous one, so a batch the caller changed and committed
    is not read again, and a batch costs the same however many follow),
    each locked by this transaction; rows another transaction holds are
    skipped, and a batch of such rows only is not yielded."""
    domain = Domain(domain)
    last_id = 0
    while True:
        batch = model.search(
            domain & Domain("id", ">", last_id), order="id", limit=batch_size
        )
        if not batch:
            return
        last_id = batch[-1].id
        locked = lock_skip_locked(batch)
        if locked:
            yield locked


def schedule_alerts(activity_type, alerts):
    """One open activity of ``activity_type`` per record: a new alert updates
    it (note, user, due today) instead of piling up a second one. The open
    activities of all the records are read together and the new ones created
    in one call.

    :param alerts: [(record, user, note)], records of one model
    :return: the activities updated or created
    """
    if not alerts:
        return None
    env = alerts[0][0].env
    # Automated alerts reach users through their activities (systray, My
    # Activities), not one "assigned to you" email each, as Odoo's own
    # automated activities do.
    activity_model = env["mail.activity"].with_context(mail_activity_quick_update=True)
    records = alerts[0][0].browse([record.id for record, _user, _note in alerts])
    # searched, not read through records.activity_ids: with that one2many in
    # cache, every new activity would update it record by record
    existing = {}
    for activity in activity_model.search_fetch(
        [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("activity_type_id", "=", activity_type.id),
        ],
        ["res_id"],
        order="id",
    ):
        existing.setdefault(activity.res_id, activity)
    today = fields.Date.today()
    model_id = env["ir.model"]._get_id(records._name)
    updated = activity_model
    vals_list = []
    for record, user, note in alerts:
        values = {"note": note, "user_id": user.id, "date_deadline": today}
        activity = existing.get(record.id)
        if activity:
            activity.write(values)
            updated |= activity
            continue
        # what mail.activity.mixin.activity_schedule() creates
        vals_list.append(
            {
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary,
                "automated": True,
                "res_model_id": model_id,
                "res_id": record.id,
                # what mail.activity would compute (as superuser) and write
                # in a second statement after the insert
                "res_name": record.sudo().display_name,
            }
            | values
        )
    return updated | activity_model.create(vals_list)


def copy_column(records, target, source, values=None):
    """``records.<target> = records.<source>``, each record its own value, in
    one UPDATE instead of one write per record (the scans' bookkeeping of
    what was alerted), with the fields of ``values`` set to the same value on
    every record in that statement. Only for stored fields that are not
    tracked and that nothing depends on.

    :param values: {field name: value}, for example a flag the scan sets
    """
    if not records:
        return
    values = values or {}
    records.flush_recordset([source, target, *values])
    records.env.cr.execute(
        SQL(
            """UPDATE %(table)s
                  SET %(target)s = %(source)s,
                      %(values)s
                      write_uid = %(uid)s,
                      write_date = now() AT TIME ZONE 'UTC'
                WHERE id IN %(ids)s""",
            table=SQL.identifier(records._table),
            target=SQL.identifier(target),
            source=SQL.identifier(source),
            values=SQL().join(
                SQL("%s = %s,", SQL.identifier(name), value)
                for name, value in values.items()
            ),
            uid=records.env.uid,
            ids=tuple(records.ids),
        )
    )
    records.invalidate_recordset([target, *values, "write_uid", "write_date"])


class FulfillmentApiError(Exception):
    """An answer of the status API other than success: HTTP status, stable
    code, and a message in the caller's language that leaks nothing."""

    def __init__(self, status, code, message):
        super().__init__(status, code, message)
        self.status = status
        self.code = code
        self.message = message
