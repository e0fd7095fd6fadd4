# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the status API accepts: query parameters, languages, 3PL confirmations.

Every function takes plain values (strings from the query, the decoded JSON
body) and returns plain values, or raises :class:`InvalidInput` with a reason
code and the name of the parameter; the controller turns it into a 400 answer
in the caller's language.
"""

import hashlib
import json
import math
import re
from datetime import datetime, timezone
from typing import NamedTuple

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_REFERENCE_LENGTH = 128
MAX_CONFIRMATION_LINES = 1000
MAX_TRACKING_NUMBERS = 50

# Reason codes of InvalidInput.
INVALID_INTEGER = "invalid_integer"
OUT_OF_RANGE = "out_of_range"
INVALID_DATETIME = "invalid_datetime"
INVALID_CHOICE = "invalid_choice"
UNKNOWN_PARAMETER = "unknown_parameter"
NOT_AN_OBJECT = "not_an_object"
MISSING_FIELD = "missing_field"
INVALID_FIELD = "invalid_field"

CONFIRMATION_FIELDS = frozenset(
    {
        "order",
        "confirmation_id",
        "lines",
        "carrier",
        "tracking_numbers",
        "shipping_date",
    }
)
CONFIRMATION_LINE_FIELDS = frozenset({"product_id", "default_code", "quantity"})


class InvalidInput(ValueError):
    """A parameter or field the API cannot use.

    ``reason`` is one of the reason codes above, ``field`` the parameter or
    JSON path (``lines[2].quantity``), ``details`` the values a message needs.
    """

    def __init__(self, reason, field, **details):
        super().__init__(reason, field)
        self.reason = reason
        self.field = field
        self.details = details


class ConfirmationLine(NamedTuple):
    """One product a 3PL shipped: by id or by internal reference."""

    product_id: int | None
    default_code: str | None
    quantity: float


class Confirmation(NamedTuple):
    """A 3PL's shipment confirmation, validated."""

    order: str
    confirmation_id: str
    lines: tuple
    carrier: str | None = None
    tracking_numbers: tuple = ()
    shipping_date: datetime | None = None


# ----------------------------------------------------------------------
# Query parameters
# ----------------------------------------------------------------------


def check_parameters(given, allowed):
    """Refuse parameters the endpoint does not know (typos filter nothing)."""
    for name in sorted(given):
        if name not in allowed:
            raise InvalidInput(UNKNOWN_PARAMETER, name)


def parse_int(value, field, *, default=None, minimum=None, maximum=None):
    """An integer parameter within [minimum, maximum]; ``default`` if absent."""
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d{1,18}", str(value)):
        raise InvalidInput(INVALID_INTEGER, field)
    number = int(value)
    if (minimum is not None and number < minimum) or (
        maximum is not None and number > maximum
    ):
        raise InvalidInput(OUT_OF_RANGE, field, minimum=minimum, maximum=maximum)
    return number


def parse_paging(limit, offset):
    """(limit, offset): limit 1..MAX_LIMIT (default DEFAULT_LIMIT), offset >= 0."""
    return (
        parse_int(limit, "limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT),
        parse_int(offset, "offset", default=0, minimum=0),
    )


def parse_datetime(value, field):
    """An ISO 8601 date or date-time as a naive UTC datetime (Odoo's storage).

    A value without offset is taken as UTC; ``Z`` and ``+09:00`` are honoured.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(INVALID_DATETIME, field)
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(INVALID_DATETIME, field) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def format_datetime(value):
    """A naive UTC datetime (or date) as ISO 8601 text, ``None`` when empty."""
    if not value:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    return value.replace(microsecond=0).isoformat() + "Z"


def parse_choices(value, field, choices):
    """A comma-separated list of codes, each one of ``choices``."""
    if value is None or value == "":
        return ()
    codes = tuple(code.strip() for code in str(value).split(","))
    for code in codes:
        if code not in choices:
            raise InvalidInput(INVALID_CHOICE, field, value=code)
    return codes


def accept_language(header):
    """The language tags of an Accept-Language header, preferred first."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _sep, number = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _quality, _position, tag in sorted(ranked)]


def pick_language(tags, active_codes):
    """The first active Odoo language code matching one of ``tags``.

    ``ja`` and ``ja-JP`` both give ``ja_JP``; an exact match wins over a
    language-only one. ``None`` when nothing matches.
    """
    active = list(active_codes)
    for tag in tags:
        wanted = tag.replace("-", "_").lower()
        for code in active:
            if code.lower() == wanted:
                return code
        base = wanted.split("_")[0]
        for code in active:
            if code.lower().split("_")[0] == base:
                return code
    return None


# ----------------------------------------------------------------------
# 3PL shipment confirmations
# ----------------------------------------------------------------------


def _text(data, field, *, required, maximum=MAX_REFERENCE_LENGTH):
    value = data.get(field)
    if value is None:
        if required:
            raise InvalidInput(MISSING_FIELD, field)
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > maximum:
        raise InvalidInput(INVALID_FIELD, field)
    return value.strip()


def _quantity(value, field):
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInput(INVALID_FIELD, field)
    return float(value)


def _line(data, index):
    path = f"lines[{index}]"
    if not isinstance(data, dict):
        raise InvalidInput(INVALID_FIELD, path)
    for name in sorted(data):
        if name not in CONFIRMATION_LINE_FIELDS:
            raise InvalidInput(UNKNOWN_PARAMETER, f"{path}.{name}")
    product_id = data.get("product_id")
    default_code = data.get("default_code")
    if (product_id is None) == (default_code is None):
        raise InvalidInput(MISSING_FIELD, f"{path}.product_id")
    if product_id is not None and (
        isinstance(product_id, bool)
        or not isinstance(product_id, int)
        or product_id < 1
    ):
        raise InvalidInput(INVALID_FIELD, f"{path}.product_id")
    if default_code is not None:
        default_code = _text(data, "default_code", required=True)
    if "quantity" not in data:
        raise InvalidInput(MISSING_FIELD, f"{path}.quantity")
    return ConfirmationLine(
        product_id, default_code, _quantity(data["quantity"], f"{path}.quantity")
    )


def parse_confirmation(data):
    """Validate the decoded JSON body of a shipment confirmation."""
    if not isinstance(data, dict):
        raise InvalidInput(NOT_AN_OBJECT, "body")
    for name in sorted(data):
        if name not in CONFIRMATION_FIELDS:
            raise InvalidInput(UNKNOWN_PARAMETER, name)
    order = _text(data, "order", required=True)
    confirmation_id = _text(data, "confirmation_id", required=True)
    lines = data.get("lines")
    if lines is None:
        raise InvalidInput(MISSING_FIELD, "lines")
    if not isinstance(lines, list) or not lines or len(lines) > MAX_CONFIRMATION_LINES:
        raise InvalidInput(INVALID_FIELD, "lines")
    numbers = data.get("tracking_numbers")
    if numbers is None:
        numbers = []
    if not isinstance(numbers, list) or len(numbers) > MAX_TRACKING_NUMBERS:
        raise InvalidInput(INVALID_FIELD, "tracking_numbers")
    for index, number in enumerate(numbers):
        if not isinstance(number, str) or not number.strip() or len(number) > 64:
            raise InvalidInput(INVALID_FIELD, f"tracking_numbers[{index}]")
    shipping_date = data.get("shipping_date")
    return Confirmation(
        order=order,
        confirmation_id=confirmation_id,
        lines=tuple(_line(line, index) for index, line in enumerate(lines)),
        carrier=_text(data, "carrier", required=False),
        tracking_numbers=tuple(dict.fromkeys(n.strip() for n in numbers)),
        shipping_date=(
            parse_datetime(shipping_date, "shipping_date")
            if shipping_date is not None
            else None
        ),
    )


def fingerprint(data):
    """A digest of a JSON body that ignores key order and spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class OpenMove(NamedTuple):
    """A customer-bound move still to ship, in the order it should be filled."""

    key: object
    product: object
    open_qty: float
    rounding: float = 0.01


def allocate(open_moves, requested):
    """Spread the shipped quantity of each product over its open moves.

    :param open_moves: [OpenMove], the first ones are filled first
    :param requested: {product: quantity shipped}
    :return: ({move key: quantity}, {product: (requested, open)} for products
        shipped above what is open, [products with no open move])
    """
    allocation = {}
    over = {}
    missing = []
    for product, quantity in requested.items():
        moves = [move for move in open_moves if move.product == product]
        if not moves:
            missing.append(product)
            continue
        available = sum(move.open_qty for move in moves)
        rounding = min(move.rounding for move in moves)
        if quantity - available > rounding / 2:
            over[product] = (quantity, available)
            continue
        left = quantity
        for move in moves:
            take = min(left, move.open_qty)
            if moves[-1] is move:
                take = left  # rounding remainder goes to the last move
            allocation[move.key] = take
            left -= take
    return allocation, over, missing


# ----------------------------------------------------------------------
# Routes
# ----------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def openapi_path(route):
    """A werkzeug route (``/orders/<path:name>``) as an OpenAPI path."""
    return _CONVERTER.sub(r"{\1}", route)
