# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sale Fulfillment Status",
    "summary": "One shared order status from order receipt through shipment to "
    "billing, for staff and portal customers",
    "version": "19.0.1.0.0",
    "development_status": "Alpha",
    "category": "Sales/Sales",
    "website": "https://github.com/sale-fulfillment-status/sale_fulfillment_status",
    "author": "sale_fulfillment_status authors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["sale_stock"],
    "data": [
        "security/sale_fulfillment_status_groups.xml",
        "security/ir.model.access.csv",
        "security/sale_fulfillment_status_security.xml",
        "data/mail_message_subtype_data.xml",
        "data/sale_fulfillment_status_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_fulfillment_status_views.xml",
        "views/sale_fulfillment_history_views.xml",
        "views/res_company_views.xml",
        "views/res_partner_views.xml",
        "views/crm_team_views.xml",
        "views/sale_portal_templates.xml",
        "wizard/sale_order_hold_views.xml",
        "views/sale_fulfillment_status_menus.xml",
    ],
}
