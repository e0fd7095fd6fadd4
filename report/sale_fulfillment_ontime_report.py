# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models, tools
from odoo.tools import SQL

from ..core.catalog import FULFILLMENT_TYPES
from ..core.measures import ON_TIME_STATES


class SaleFulfillmentOntimeReport(models.Model):
    """Shipped orders against the first date told to the customer."""

    _name = "sale.fulfillment.ontime.report"
    _description = "On-Time Shipping"
    _auto = False
    _order = "shipped_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    flow = fields.Selection(FULFILLMENT_TYPES, readonly=True)
    on_time = fields.Selection(
        ON_TIME_STATES, string="Shipped vs. First Date", readonly=True
    )
    shipped_date = fields.Datetime(string="Fully Shipped On", readonly=True)
    first_promised_date = fields.Datetime(string="First Date Told", readonly=True)
    promised_date = fields.Datetime(string="Last Date Told", readonly=True)
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the orders shipped by the first date told to the customer.",
    )
    date_moves = fields.Integer(
        readonly=True, help="How often the date told to the customer was moved."
    )
    moved_rate = fields.Float(
        string="Date Moved (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the orders whose date told to the customer was moved.",
    )
    days_after_first_date = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Days between the first date told and shipping (negative: early).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT so.id,
                           so.id AS order_id,
                           so.company_id,
                           so.partner_id,
                           so.user_id,
                           so.team_id,
                           so.fulfillment_type AS flow,
                           so.fulfillment_on_time AS on_time,
                           so.fulfillment_shipped_date AS shipped_date,
                           so.fulfillment_first_promised_date AS first_promised_date,
                           so.fulfillment_promised_date AS promised_date,
                           CASE WHEN so.fulfillment_on_time = 'on_time'
                                THEN 100.0 ELSE 0.0 END AS on_time_rate,
                           COALESCE(so.fulfillment_promised_date_changes, 0)
                               AS date_moves,
                           CASE WHEN so.fulfillment_promised_date_changes > 0
                                THEN 100.0 ELSE 0.0 END AS moved_rate,
                           (so.fulfillment_shipped_date::date
                            - so.fulfillment_first_promised_date::date)::float
                               AS days_after_first_date
                      FROM sale_order so
                     WHERE so.fulfillment_on_time IS NOT NULL
                )
                """,
                view=SQL.identifier(self._table),
            )
        )
