# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models, tools
from odoo.tools import SQL

from ..core.catalog import FULFILLMENT_TYPES, STATUSES

# Aggregators Odoo lacks, computed by PostgreSQL for whatever the pivot
# groups by: the fraction of percentile_cont.
PERCENTILE_AGGREGATORS = {"median": 0.5, "p90": 0.9}


class SaleFulfillmentStatusTimeReport(models.Model):
    """Time orders spent in each status: one row per stay that ended."""

    _name = "sale.fulfillment.status.time.report"
    _description = "Time in Fulfillment Status"
    _auto = False
    _order = "left_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    flow = fields.Selection(FULFILLMENT_TYPES, readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    entry_date = fields.Datetime(string="Entered", readonly=True)
    left_date = fields.Datetime(string="Left", readonly=True)
    responsible_id = fields.Many2one("res.users", readonly=True)
    hours_avg = fields.Float(string="Average Hours", readonly=True, aggregator="avg")
    hours_median = fields.Float(
        string="Median Hours", readonly=True, aggregator="median"
    )
    hours_p90 = fields.Float(
        string="90th Percentile Hours", readonly=True, aggregator="p90"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT h.id,
                           h.order_id,
                           h.company_id,
                           h.partner_id,
                           h.flow,
                           h.to_status AS status,
                           h.date AS entry_date,
                           h.left_date,
                           h.responsible_id,
                           h.duration_hours AS hours_avg,
                           h.duration_hours AS hours_median,
                           h.duration_hours AS hours_p90
                      FROM sale_fulfillment_history h
                     WHERE h.left_date IS NOT NULL
                       AND h.duration_hours IS NOT NULL
                )
                """,
                view=SQL.identifier(self._table),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if func not in PERCENTILE_AGGREGATORS:
            return super()._read_group_select(aggregate_spec, query)
        if fname not in self._fields or self._fields[fname].type != "float":
            raise ValueError(
                f"Invalid aggregate {aggregate_spec!r} on model {self._name!r}."
            )
        return SQL(
            "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
            PERCENTILE_AGGREGATORS[func],
            self._field_to_sql(self._table, fname, query),
        )
