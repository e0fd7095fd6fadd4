# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the status API accepts: parameters, languages, 3PL confirmations."""

import unittest
from datetime import date, datetime

from core.api import (
    DEFAULT_LIMIT,
    INVALID_CHOICE,
    INVALID_DATETIME,
    INVALID_FIELD,
    INVALID_INTEGER,
    MAX_LIMIT,
    MISSING_FIELD,
    NOT_AN_OBJECT,
    OUT_OF_RANGE,
    UNKNOWN_PARAMETER,
    InvalidInput,
    OpenMove,
    accept_language,
    allocate,
    check_parameters,
    fingerprint,
    format_datetime,
    openapi_path,
    parse_choices,
    parse_confirmation,
    parse_datetime,
    parse_int,
    parse_paging,
    pick_language,
)


class TestParameters(unittest.TestCase):
    def assertInvalid(self, reason, field, func, *args, **kwargs):
        with self.assertRaises(InvalidInput) as caught:
            func(*args, **kwargs)
        self.assertEqual(
            (caught.exception.reason, caught.exception.field), (reason, field)
        )

    def test_paging_defaults_and_bounds(self):
        """limit 1..200 (default 50), offset >= 0; anything else refused."""
        self.assertEqual(parse_paging(None, None), (DEFAULT_LIMIT, 0))
        self.assertEqual(parse_paging("200", "40"), (MAX_LIMIT, 40))
        self.assertEqual(parse_paging("1", ""), (1, 0))
        for limit, offset, reason, field in (
            ("201", None, OUT_OF_RANGE, "limit"),
            ("0", None, OUT_OF_RANGE, "limit"),
            ("ten", None, INVALID_INTEGER, "limit"),
            ("1.5", None, INVALID_INTEGER, "limit"),
            (None, "-1", OUT_OF_RANGE, "offset"),
            (None, "1e3", INVALID_INTEGER, "offset"),
        ):
            with self.subTest(limit=limit, offset=offset):
                self.assertInvalid(reason, field, parse_paging, limit, offset)

    def test_int_refuses_huge_and_boolean(self):
        """Digits only, at most 18 of them; booleans are not integers."""
        self.assertEqual(parse_int("+7", "x"), 7)
        self.assertInvalid(INVALID_INTEGER, "x", parse_int, "9" * 19, "x")
        self.assertInvalid(INVALID_INTEGER, "x", parse_int, True, "x")

    def test_datetime_forms(self):
        """Z, offsets, naive (UTC) and plain dates all give naive UTC."""
        table = (
            ("2026-11-25T09:30:00Z", datetime(2026, 11, 25, 9, 30)),
            ("2026-11-25T18:30:00+09:00", datetime(2026, 11, 25, 9, 30)),
            ("2026-11-25T09:30:00", datetime(2026, 11, 25, 9, 30)),
            ("2026-11-25", datetime(2026, 11, 25)),
            (" 2026-11-25T09:30:00.123456z ", datetime(2026, 11, 25, 9, 30, 0, 123456)),
        )
        for text, expected in table:
            with self.subTest(text=text):
                self.assertEqual(parse_datetime(text, "changed_since"), expected)

    def test_datetime_refused(self):
        """Anything else is a 400 on the parameter."""
        for value in ("", "yesterday", "2026-13-01", "25/11/2026", None, 3):
            with self.subTest(value=value):
                self.assertInvalid(
                    INVALID_DATETIME,
                    "changed_since",
                    parse_datetime,
                    value,
                    "changed_since",
                )

    def test_format_datetime(self):
        """UTC with a Z, no microseconds; dates as dates; empty as None."""
        self.assertEqual(
            format_datetime(datetime(2026, 1, 2, 3, 4, 5, 999)), "2026-01-02T03:04:05Z"
        )
        self.assertEqual(format_datetime(date(2026, 1, 2)), "2026-01-02")
        self.assertIsNone(format_datetime(False))

    def test_choices(self):
        """Comma-separated codes, each a known one."""
        codes = ("shipped", "done")
        self.assertEqual(parse_choices("shipped,done", "status", codes), codes)
        self.assertEqual(parse_choices(" shipped ", "status", codes), ("shipped",))
        self.assertEqual(parse_choices(None, "status", codes), ())
        self.assertInvalid(
            INVALID_CHOICE, "status", parse_choices, "lost", "status", codes
        )
        self.assertInvalid(
            INVALID_CHOICE, "status", parse_choices, "shipped,", "status", codes
        )

    def test_unknown_parameters_refused(self):
        """A typo (stauts=) is refused instead of filtering nothing."""
        check_parameters({"status", "limit"}, {"status", "limit", "offset"})
        self.assertInvalid(
            UNKNOWN_PARAMETER, "stauts", check_parameters, {"stauts"}, {"status"}
        )


class TestLanguages(unittest.TestCase):
    def test_accept_language_order(self):
        """Tags by quality, then by position; q=0 and * dropped."""
        self.assertEqual(
            accept_language("en;q=0.5, ja-JP, fr;q=0, *;q=0.1, de;q=0.8"),
            ["ja-JP", "de", "en"],
        )
        self.assertEqual(accept_language(None), [])
        self.assertEqual(accept_language("ja;q=x"), [])

    def test_pick_language(self):
        """Exact code first, then the language alone; None when nothing fits."""
        active = ["en_US", "ja_JP", "en_GB"]
        table = (
            (["ja"], "ja_JP"),
            (["ja-JP"], "ja_JP"),
            (["en-GB"], "en_GB"),
            (["en"], "en_US"),
            (["fr", "en_gb"], "en_GB"),
            (["fr"], None),
            ([], None),
        )
        for tags, expected in table:
            with self.subTest(tags=tags):
                self.assertEqual(pick_language(tags, active), expected)


class TestConfirmation(unittest.TestCase):
    def _body(self, **changes):
        body = {
            "order": "S00042",
            "confirmation_id": "3PL-1",
            "lines": [
                {"default_code": "BRKT-01", "quantity": 3},
                {"product_id": 17, "quantity": 2.5},
            ],
            "carrier": "Yamato",
            "tracking_numbers": ["1234", "5678", "1234"],
            "shipping_date": "2026-11-25T18:30:00+09:00",
        }
        body.update(changes)
        return {key: value for key, value in body.items() if value is not ...}

    def assertInvalid(self, reason, field, body):
        with self.assertRaises(InvalidInput) as caught:
            parse_confirmation(body)
        self.assertEqual(
            (caught.exception.reason, caught.exception.field), (reason, field)
        )

    def test_valid_confirmation(self):
        """Lines by code or id, tracking numbers deduplicated, UTC date."""
        confirmation = parse_confirmation(self._body())
        self.assertEqual(confirmation.order, "S00042")
        self.assertEqual(confirmation.lines[0].default_code, "BRKT-01")
        self.assertEqual(confirmation.lines[1].product_id, 17)
        self.assertEqual(confirmation.lines[1].quantity, 2.5)
        self.assertEqual(confirmation.tracking_numbers, ("1234", "5678"))
        self.assertEqual(confirmation.shipping_date, datetime(2026, 11, 25, 9, 30))

    def test_optional_fields(self):
        """Carrier, tracking numbers and shipping date may be left out."""
        confirmation = parse_confirmation(
            self._body(carrier=..., tracking_numbers=..., shipping_date=...)
        )
        self.assertEqual(
            (
                confirmation.carrier,
                confirmation.tracking_numbers,
                confirmation.shipping_date,
            ),
            (None, (), None),
        )

    def test_refused_bodies(self):
        """Each malformed part is named in the error."""
        table = (
            ([], NOT_AN_OBJECT, "body"),
            (self._body(order=...), MISSING_FIELD, "order"),
            (self._body(order=""), INVALID_FIELD, "order"),
            (self._body(order=42), INVALID_FIELD, "order"),
            (self._body(confirmation_id="x" * 129), INVALID_FIELD, "confirmation_id"),
            (self._body(lines=...), MISSING_FIELD, "lines"),
            (self._body(lines=[]), INVALID_FIELD, "lines"),
            (self._body(lines={"a": 1}), INVALID_FIELD, "lines"),
            (self._body(lines=["x"]), INVALID_FIELD, "lines[0]"),
            (self._body(lines=[{"quantity": 1}]), MISSING_FIELD, "lines[0].product_id"),
            (
                self._body(
                    lines=[{"product_id": 1, "default_code": "A", "quantity": 1}]
                ),
                MISSING_FIELD,
                "lines[0].product_id",
            ),
            (
                self._body(lines=[{"product_id": "1", "quantity": 1}]),
                INVALID_FIELD,
                "lines[0].product_id",
            ),
            (
                self._body(lines=[{"product_id": True, "quantity": 1}]),
                INVALID_FIELD,
                "lines[0].product_id",
            ),
            (self._body(lines=[{"product_id": 1}]), MISSING_FIELD, "lines[0].quantity"),
            (
                self._body(lines=[{"product_id": 1, "quantity": 0}]),
                INVALID_FIELD,
                "lines[0].quantity",
            ),
            (
                self._body(lines=[{"product_id": 1, "quantity": -2}]),
                INVALID_FIELD,
                "lines[0].quantity",
            ),
            (
                self._body(lines=[{"product_id": 1, "quantity": "2"}]),
                INVALID_FIELD,
                "lines[0].quantity",
            ),
            (
                self._body(lines=[{"product_id": 1, "quantity": float("nan")}]),
                INVALID_FIELD,
                "lines[0].quantity",
            ),
            (
                self._body(lines=[{"product_id": 1, "quantity": 1, "lot": "L1"}]),
                UNKNOWN_PARAMETER,
                "lines[0].lot",
            ),
            (self._body(tracking_numbers="1234"), INVALID_FIELD, "tracking_numbers"),
            (self._body(tracking_numbers=[""]), INVALID_FIELD, "tracking_numbers[0]"),
            (self._body(carrier=7), INVALID_FIELD, "carrier"),
            (self._body(shipping_date="soon"), INVALID_DATETIME, "shipping_date"),
            (self._body(tracking_number="1"), UNKNOWN_PARAMETER, "tracking_number"),
        )
        for body, reason, field in table:
            with self.subTest(field=field, reason=reason):
                self.assertInvalid(reason, field, body)

    def test_fingerprint_ignores_key_order(self):
        """The same content in another key order is the same request."""
        self.assertEqual(
            fingerprint({"a": 1, "b": [1, 2]}), fingerprint({"b": [1, 2], "a": 1})
        )
        self.assertNotEqual(fingerprint({"a": 1}), fingerprint({"a": 2}))


class TestAllocation(unittest.TestCase):
    def test_fills_first_moves_first(self):
        """A quantity spans moves of the same product in order."""
        moves = [
            OpenMove("m1", "p1", 3.0),
            OpenMove("m2", "p1", 5.0),
            OpenMove("m3", "p2", 4.0),
        ]
        allocation, over, missing = allocate(moves, {"p1": 4.0, "p2": 4.0})
        self.assertEqual(allocation, {"m1": 3.0, "m2": 1.0, "m3": 4.0})
        self.assertEqual((over, missing), ({}, []))

    def test_partial_leaves_last_moves_empty(self):
        """What is not shipped stays on the later moves (the backorder)."""
        moves = [OpenMove("m1", "p1", 3.0), OpenMove("m2", "p1", 5.0)]
        allocation, _over, _missing = allocate(moves, {"p1": 2.0})
        self.assertEqual(allocation, {"m1": 2.0, "m2": 0.0})

    def test_over_and_missing(self):
        """Above what is open, or a product with no open move: reported."""
        moves = [OpenMove("m1", "p1", 3.0)]
        allocation, over, missing = allocate(moves, {"p1": 3.5, "p9": 1.0})
        self.assertEqual(allocation, {})
        self.assertEqual(over, {"p1": (3.5, 3.0)})
        self.assertEqual(missing, ["p9"])

    def test_within_rounding_is_not_over(self):
        """A difference below half the rounding is not 'above what is left'."""
        moves = [OpenMove("m1", "p1", 3.0, rounding=0.01)]
        allocation, over, _missing = allocate(moves, {"p1": 3.004})
        self.assertEqual(over, {})
        self.assertEqual(allocation, {"m1": 3.004})


class TestRoutes(unittest.TestCase):
    def test_openapi_path(self):
        """werkzeug converters become {name}."""
        self.assertEqual(
            openapi_path("/api/v1/orders/<path:reference>"),
            "/api/v1/orders/{reference}",
        )
        self.assertEqual(openapi_path("/x/<int:id>/<name>"), "/x/{id}/{name}")
        self.assertEqual(openapi_path("/x"), "/x")


if __name__ == "__main__":
    unittest.main()
