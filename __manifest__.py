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
    "maintainers": [],
    "license": "LGPL-3",
    "installable": True,
    "depends": ["sale_stock"],
    "data": [],
    "demo": [],
}
