# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The vocabularies of the addon, as data.

Each vocabulary is an ordered list of ``(code, "English label")`` that
``fields.Selection`` consumes directly (Odoo registers, labels and translates
a static selection only when it is a list, not a tuple). Codes are stable: the
engine, the data files and the API key on them. Labels are translated through
Odoo.
"""

# The standard status catalog, in the order an order normally goes through it.
STATUSES = [
    ("received", "Received"),
    ("checking", "Checking"),
    ("arranging", "Arranging"),
    ("manufacturing", "Manufacturing"),
    ("dropship_arranging", "Drop-ship Arranging"),
    ("preparing", "Preparing"),
    ("partially_shipped", "Partially Shipped"),
    ("shipped", "Shipped"),
    ("done", "Done"),
    ("on_hold", "On Hold"),
    ("cancelled", "Cancelled"),
]
STATUS_CODES = tuple(code for code, _label in STATUSES)
FINAL_STATUSES = frozenset({"done", "cancelled"})
# Statuses an order can be in before anything has left for the customer.
PRE_SHIPMENT_STATUSES = (
    "received",
    "checking",
    "arranging",
    "manufacturing",
    "dropship_arranging",
    "preparing",
)
SHIPMENT_STARTED_STATUSES = frozenset({"partially_shipped", "shipped", "done"})

# How an order (or an order line) is fulfilled.
FULFILLMENT_TYPES = [
    ("stock", "Stock Item"),
    ("build", "Build to Order"),
    ("dropship", "Drop-ship"),
]
# An order mixing types follows the slowest one: later in this tuple is slower.
FULFILLMENT_SLOWNESS = ("stock", "dropship", "build")

# Who owns the next step of a status.
ROLES = [
    ("sales", "Sales"),
    ("credit", "Credit / Accounting"),
    ("purchasing", "Purchasing"),
    ("production", "Production"),
    ("warehouse", "Warehouse"),
    ("customer_service", "Customer Service"),
]

# The shipment's own status, on stock.picking.
SHIPMENT_STATUSES = [
    ("preparing", "Preparing"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
    ("returned", "Returned"),
]

# Billing, beside the fulfillment status.
BILLING_STATUSES = [
    ("nothing", "Nothing to Invoice"),
    ("to_invoice", "To Invoice"),
    ("partially_invoiced", "Partially Invoiced"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
]

# State of the document that procures an order line's goods upstream
# (purchase order, manufacturing order, drop-ship purchase order).
UPSTREAM_NONE = "none"
UPSTREAM_DRAFT = "draft"
UPSTREAM_CONFIRMED = "confirmed"
UPSTREAM_PROGRESS = "progress"
UPSTREAM_DONE = "done"
UPSTREAM_CANCEL = "cancel"
UPSTREAM_STATES = (
    UPSTREAM_NONE,
    UPSTREAM_DRAFT,
    UPSTREAM_CONFIRMED,
    UPSTREAM_PROGRESS,
    UPSTREAM_DONE,
    UPSTREAM_CANCEL,
)
UPSTREAM_PURCHASE = "purchase"
UPSTREAM_PRODUCTION = "production"

# The business events that move an order from one status to another.
TRIGGERS = [
    ("confirmed", "Order confirmed"),
    ("procurement_requested", "Procurement requested"),
    ("purchase_confirmed", "Purchase order confirmed"),
    ("production_confirmed", "Manufacturing order confirmed"),
    ("dropship_requested", "Drop-ship request sent to the vendor"),
    ("goods_ready", "Goods ready for the delivery"),
    ("partial_shipment", "Part of the goods shipped"),
    ("shipment_validated", "All goods shipped"),
    ("delivery_confirmed", "Delivery confirmed"),
    ("returned", "Goods returned by the customer"),
    ("order_changed", "More ordered after shipping"),
    ("procurement_cancelled", "Procurement cancelled"),
    ("reservation_released", "Reservation released"),
    ("hold", "Put on hold"),
    ("released", "Released from hold"),
    ("cancelled", "Order cancelled"),
    ("facts_changed", "Facts changed outside the flow"),
]

# Reasons the engine gives with a status; the models turn them into text.
REASONS = [
    ("quotation", "Not confirmed yet"),
    ("cancelled", "Order cancelled"),
    ("on_hold", "Order on hold"),
    ("nothing_to_ship", "Nothing to ship"),
    ("waiting_stock", "Waiting for stock"),
    ("goods_ready", "Goods reserved or being picked"),
    ("awaiting_procurement", "Waiting for procurement"),
    ("rfq_draft", "Request for quotation not confirmed"),
    ("mo_draft", "Manufacturing order not confirmed"),
    ("purchase_confirmed", "Purchase order confirmed, goods on the way"),
    ("in_production", "Being manufactured"),
    ("procured", "Procured goods arrived"),
    ("procurement_cancelled", "Procurement cancelled"),
    ("dropship_rfq", "Drop-ship request for quotation not confirmed"),
    ("dropship_confirmed", "Vendor arranging direct delivery"),
    ("partially_shipped", "Part shipped, remainder scheduled"),
    ("backorder_cancelled", "Part shipped, remainder not scheduled"),
    ("shipped", "All goods shipped, delivery not confirmed"),
    ("delivered", "All goods delivered"),
    ("returned", "Goods came back from the customer"),
]

# What a customer asks about their order (logged by staff).
INQUIRY_KINDS = [
    ("where_is_my_order", "Where Is My Order?"),
    ("delivery_date", "Delivery Date"),
    ("documents", "Documents"),
    ("other", "Other"),
]
# A customer opening the order on the portal, counted beside the inquiries.
PORTAL_VIEW = "portal_view"
INQUIRY_RECORD_KINDS = INQUIRY_KINDS + [(PORTAL_VIEW, "Portal View")]
INQUIRY_CHANNELS = [
    ("phone", "Phone"),
    ("mail", "Mail"),
    ("portal", "Portal"),
]
