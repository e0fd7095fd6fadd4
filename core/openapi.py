# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status API, described once: the OpenAPI document is built from it.

``OPERATIONS`` lists every endpoint (path relative to ``API_BASE``, method,
parameters, body, answers); ``SCHEMAS`` the JSON objects they exchange and the
webhook events. A test checks that the controller serves exactly these
operations and that the serializers return exactly these fields.
"""

from .api import DEFAULT_LIMIT, MAX_LIMIT
from .catalog import BILLING_STATUSES, FULFILLMENT_TYPES, SHIPMENT_STATUSES, STATUSES
from .catalog import TRIGGERS as STATUS_TRIGGERS
from .webhook import (
    EVENT_ID_HEADER,
    EVENT_TYPES,
    SIGNATURE_HEADER,
)

API_BASE = "/api/fulfillment/v1"
API_VERSION = "1.0.0"
OPENAPI_VERSION = "3.1.0"


def _codes(vocabulary):
    return [code for code, _label in vocabulary]


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _object(description, properties):
    """An object whose properties are all present (null when empty)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


STRING = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
DATETIME = {"type": "string", "format": "date-time"}
STATUS = {"type": "string", "enum": _codes(STATUSES)}

SCHEMAS = {
    "Error": _object(
        "An error answer; no detail about data the key may not see.",
        {
            "error": _object(
                "What went wrong.",
                {
                    "code": {
                        "type": "string",
                        "description": "Stable code: unauthorized, forbidden, "
                        "not_found, invalid_parameter, invalid_json, "
                        "unsupported_media_type, unknown_product, "
                        "quantity_exceeded, nothing_to_ship, order_on_hold, "
                        "order_closed, conflict, validation_failed, "
                        "internal_error.",
                    },
                    "message": {
                        "type": "string",
                        "description": "Explanation, in the key user's language.",
                    },
                },
            )
        },
    ),
    "Customer": _object(
        "The customer company of the order.",
        {"id": INTEGER, "name": STRING},
    ),
    "Product": _object(
        "An ordered product.",
        {
            "id": INTEGER,
            "default_code": _nullable(
                {"type": "string", "description": "Internal reference (SKU)."}
            ),
            "name": STRING,
        },
    ),
    "OrderLine": _object(
        "An order line with its goods: quantities in the line's unit.",
        {
            "product": _ref("Product"),
            "ordered": NUMBER,
            "shipped": {
                "type": "number",
                "description": "Left for the customer, net of returns.",
            },
            "remaining": NUMBER,
            "uom": STRING,
        },
    ),
    "Shipment": _object(
        "A shipment to the customer (or a return from them).",
        {
            "name": STRING,
            "state": {
                "type": "string",
                "enum": ["draft", "waiting", "confirmed", "assigned", "done", "cancel"],
            },
            "shipment_status": _nullable(
                {"type": "string", "enum": [*_codes(SHIPMENT_STATUSES), None]}
            ),
            "carrier": _nullable(STRING),
            "tracking_number": _nullable(STRING),
            "tracking_url": _nullable(STRING),
            "date": _nullable(
                {
                    "type": "string",
                    "format": "date-time",
                    "description": "Shipping date when shipped, else the "
                    "scheduled date.",
                }
            ),
        },
    ),
    "HistoryEntry": _object(
        "A status change. Customer keys see the statuses as customers see "
        "them: changes customers do not see are left out.",
        {
            "from": _nullable({"type": "string", "enum": [*_codes(STATUSES), None]}),
            "to": STATUS,
            "date": DATETIME,
            "trigger": _nullable(
                {"type": "string", "enum": [*_codes(STATUS_TRIGGERS), None]}
            ),
        },
    ),
    "Order": _object(
        "The fulfillment status of a sales order.",
        {
            "reference": {"type": "string", "description": "Order reference."},
            "client_order_ref": _nullable(
                {"type": "string", "description": "The customer's PO reference."}
            ),
            "customer": _ref("Customer"),
            "status": {
                **STATUS,
                "description": "Status code. Customer (portal) keys get the "
                "status customers see, equal to customer_status.",
            },
            "customer_status": {
                **STATUS,
                "description": "The status whose label customers see.",
            },
            "customer_label": {
                "type": "string",
                "description": "The status as customers read it, in the "
                "requested language.",
            },
            "status_date": _nullable(DATETIME),
            "fulfillment_type": _nullable(
                {"type": "string", "enum": [*_codes(FULFILLMENT_TYPES), None]}
            ),
            "expected_date": _nullable(DATETIME),
            "billing_status": _nullable(
                {"type": "string", "enum": [*_codes(BILLING_STATUSES), None]}
            ),
            "updated_at": DATETIME,
            "lines": {"type": "array", "items": _ref("OrderLine")},
            "shipments": {"type": "array", "items": _ref("Shipment")},
            "history": {
                "type": "array",
                "items": _ref("HistoryEntry"),
                "description": "Oldest first.",
            },
        },
    ),
    "OrderList": _object(
        "A page of orders, oldest first.",
        {
            "orders": {"type": "array", "items": _ref("Order")},
            "count": {
                "type": "integer",
                "description": "Orders matching the filters, on all pages.",
            },
            "limit": INTEGER,
            "offset": INTEGER,
        },
    ),
    "ShipmentConfirmation": {
        "type": "object",
        "description": "A 3PL confirms what it shipped for an order.",
        "required": ["order", "confirmation_id", "lines"],
        "additionalProperties": False,
        "properties": {
            "order": {"type": "string", "description": "Order reference."},
            "confirmation_id": {
                "type": "string",
                "maxLength": 128,
                "description": "The 3PL's id of this confirmation: a repeat with "
                "the same id changes nothing and answers the same.",
            },
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["quantity"],
                    "description": "Give product_id or default_code.",
                    "properties": {
                        "product_id": INTEGER,
                        "default_code": STRING,
                        "quantity": {"type": "number", "exclusiveMinimum": 0},
                    },
                },
            },
            "carrier": {"type": "string", "description": "Carrier name."},
            "tracking_numbers": {"type": "array", "items": STRING},
            "shipping_date": DATETIME,
        },
    },
    "ShipmentConfirmationResult": _object(
        "What the confirmation did.",
        {
            "confirmation_id": STRING,
            "validated": {
                "type": "array",
                "items": STRING,
                "description": "Shipments validated.",
            },
            "backorders": {
                "type": "array",
                "items": STRING,
                "description": "Shipments created for what is still to ship.",
            },
            "order": _ref("Order"),
        },
    ),
    "WebhookEvent": _object(
        "The JSON body POSTed to a webhook subscription.",
        {
            "id": {
                "type": "string",
                "format": "uuid",
                "description": f"Unique event id, also in {EVENT_ID_HEADER}: "
                "ignore an id you already processed.",
            },
            "type": {"type": "string", "enum": _codes(EVENT_TYPES)},
            "created_at": DATETIME,
            "sequence": {
                "type": "integer",
                "description": "1, 2, 3... per order and subscription, in the "
                "order the events happened; they are delivered in that order.",
            },
            "data": {
                "type": "object",
                "description": "Event details: from/to/trigger (status changes), "
                "previous_date/expected_date/reason (delays), exception "
                "(exceptions).",
            },
            "order": _ref("Order"),
        },
    ),
}

ERROR_ANSWERS = {
    "400": "Malformed parameter or body.",
    "401": "Missing, wrong or expired API key.",
    "403": "The key's user may not do this (or see this order).",
    "404": "No such order.",
    "409": "The order is on hold, or the confirmation id was used for another content.",
    "415": "The body is not sent as application/json.",
    "422": "Quantities above what is left to ship, or the shipment cannot be "
    "validated as is.",
}


def _query(name, description, schema):
    return {"name": name, "in": "query", "description": description, "schema": schema}


LANG_PARAMETER = _query(
    "lang",
    "Language of the customer labels (ja_JP, en_US...); else Accept-Language, "
    "else the key user's language.",
    STRING,
)

# (path under API_BASE, method): operation. ``auth`` False: no key needed.
OPERATIONS = {
    ("/orders", "get"): {
        "operationId": "listOrders",
        "summary": "Orders the key's user may see, with filters and paging.",
        "parameters": [
            _query("client_order_ref", "The customer's PO reference.", STRING),
            _query("status", "Status codes, comma-separated.", STRING),
            _query(
                "changed_since",
                "Orders whose status changed, or that were modified, at or "
                "after this ISO 8601 date-time (UTC unless an offset is given).",
                DATETIME,
            ),
            _query("customer", "Customer (partner) id.", INTEGER),
            _query(
                "limit",
                f"Page size, 1 to {MAX_LIMIT}.",
                {**INTEGER, "default": DEFAULT_LIMIT, "maximum": MAX_LIMIT},
            ),
            _query("offset", "Orders to skip.", {**INTEGER, "default": 0}),
            LANG_PARAMETER,
        ],
        "responses": {"200": "OrderList"},
        "errors": ("400", "401"),
    },
    ("/orders/{reference}", "get"): {
        "operationId": "getOrder",
        "summary": "One order by its reference.",
        "parameters": [
            {
                "name": "reference",
                "in": "path",
                "required": True,
                "description": "Order reference (URL-encoded).",
                "schema": STRING,
            },
            LANG_PARAMETER,
        ],
        "responses": {"200": "Order"},
        "errors": ("400", "401", "403", "404"),
    },
    ("/shipments", "post"): {
        "operationId": "confirmShipment",
        "summary": "A 3PL confirms a shipment: the matching delivery is "
        "validated (a backorder keeps the rest) and the tracking numbers set. "
        "Needs the key of an internal user with Inventory rights.",
        "requestBody": "ShipmentConfirmation",
        "responses": {"201": "ShipmentConfirmationResult"},
        "errors": ("400", "401", "403", "404", "409", "415", "422"),
    },
    ("/openapi.json", "get"): {
        "operationId": "getOpenApi",
        "summary": "This description.",
        "auth": False,
        "responses": {"200": None},
        "errors": (),
    },
}


def _json_content(schema_name):
    return {"application/json": {"schema": _ref(schema_name)}}


def _operation(spec):
    operation = {
        key: spec[key]
        for key in ("operationId", "summary", "parameters")
        if key in spec
    }
    if spec.get("requestBody"):
        operation["requestBody"] = {
            "required": True,
            "content": _json_content(spec["requestBody"]),
        }
    responses = {}
    for code, schema_name in spec["responses"].items():
        answer = {"description": "OK"}
        if schema_name:
            answer["content"] = _json_content(schema_name)
        else:
            answer["content"] = {"application/json": {"schema": {"type": "object"}}}
        responses[code] = answer
    for code in spec["errors"]:
        responses[code] = {
            "description": ERROR_ANSWERS[code],
            "content": _json_content("Error"),
        }
    operation["responses"] = responses
    if spec.get("auth", True) is False:
        operation["security"] = []
    return operation


def openapi_document(server_url=""):
    """The OpenAPI 3.1 description of the API, as a JSON-ready dict."""
    paths = {}
    for (path, method), spec in OPERATIONS.items():
        paths.setdefault(API_BASE + path, {})[method] = _operation(spec)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Sale Fulfillment Status API",
            "version": API_VERSION,
            "description": "Order fulfillment statuses for EC sites, ordering "
            "systems and 3PL warehouses. Authenticate with an Odoo API key: "
            "`Authorization: Bearer <key>`. Customer (portal) keys see their "
            "company's orders only.",
        },
        "servers": [{"url": server_url or "/"}],
        "security": [{"apiKey": []}],
        "paths": paths,
        "webhooks": {
            code: {
                "post": {
                    "summary": f"{label}. Signed: {SIGNATURE_HEADER}: "
                    "sha256=<hex HMAC-SHA256 of the raw body with the secret>.",
                    "requestBody": {"content": _json_content("WebhookEvent")},
                    "responses": {
                        "200": {"description": "Any 2xx: delivered."},
                        "500": {"description": "5xx, 429 or no answer: retried."},
                    },
                }
            }
            for code, label in EVENT_TYPES
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An Odoo user API key (Preferences > Account "
                    "Security > New API Key).",
                }
            },
        },
    }


# ----------------------------------------------------------------------
# Checking a value against the schemas (used by the tests)
# ----------------------------------------------------------------------

_JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _type_matches(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _JSON_TYPES[name])


def conformance_problems(value, schema, path="$"):
    """Where ``value`` differs from ``schema``: missing or extra keys, types.

    Covers what ``SCHEMAS`` uses: $ref, type (or a list of types), enum,
    properties with required and additionalProperties, items.
    """
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    problems = []
    types = schema.get("type")
    if types:
        types = types if isinstance(types, list) else [types]
        if not any(_type_matches(value, name) for name in types):
            return [f"{path}: {type(value).__name__} is not {'/'.join(types)}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in enum")
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(f"{path}: missing {key}")
        if schema.get("additionalProperties") is False:
            problems += [
                f"{path}: extra {key}" for key in value if key not in properties
            ]
        for key, item in value.items():
            if key in properties:
                problems += conformance_problems(item, properties[key], f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conformance_problems(item, schema["items"], f"{path}[{index}]")
    return problems
