# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook signatures, delivery outcomes and the backoff schedule."""

import hashlib
import hmac
import unittest

from core.webhook import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_MAX_SECONDS,
    DELIVERED,
    EVENT_CODES,
    REJECTED,
    RETRY,
    backoff_schedule,
    backoff_seconds,
    classify_delivery,
    next_state,
    sign,
    verify,
)


class TestSignature(unittest.TestCase):
    def test_signature_is_hmac_sha256_of_body(self):
        """The header carries sha256=<hex HMAC of the raw body>."""
        body = b'{"id": "1"}'
        expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        self.assertEqual(sign("s3cret", body), f"sha256={expected}")

    def test_verify_accepts_own_signature(self):
        """A receiver with the secret accepts the signature."""
        body = '{"label": "出荷済"}'.encode()
        self.assertTrue(verify("s3cret", body, sign("s3cret", body)))

    def test_verify_refuses_tampering(self):
        """Another body, another secret, or no header: refused."""
        header = sign("s3cret", b"{}")
        for secret, body, value in (
            ("s3cret", b"{ }", header),
            ("other", b"{}", header),
            ("s3cret", b"{}", None),
            ("", b"{}", header),
            ("s3cret", b"{}", header.replace("sha256=", "sha1=")),
        ):
            with self.subTest(secret=secret, body=body, value=value):
                self.assertFalse(verify(secret, body, value))


class TestDeliveryOutcome(unittest.TestCase):
    def test_outcome_per_status(self):
        """2xx delivered; no answer, 429 and 5xx retried; other codes rejected."""
        table = (
            (None, RETRY),
            (200, DELIVERED),
            (204, DELIVERED),
            (299, DELIVERED),
            (301, REJECTED),
            (400, REJECTED),
            (401, REJECTED),
            (404, REJECTED),
            (410, REJECTED),
            (429, RETRY),
            (500, RETRY),
            (502, RETRY),
            (503, RETRY),
        )
        for status, outcome in table:
            with self.subTest(status=status):
                self.assertEqual(classify_delivery(status), outcome)

    def test_next_state_table(self):
        """Sent, retried with backoff, or given up (rejected or out of tries)."""
        table = (
            (DELIVERED, 1, 8, ("sent", None)),
            (DELIVERED, 8, 8, ("sent", None)),
            (RETRY, 1, 8, ("failed", BACKOFF_BASE_SECONDS)),
            (RETRY, 3, 8, ("failed", 4 * BACKOFF_BASE_SECONDS)),
            (RETRY, 7, 8, ("failed", 64 * BACKOFF_BASE_SECONDS)),
            (RETRY, 8, 8, ("given_up", None)),
            (RETRY, 9, 8, ("given_up", None)),
            (REJECTED, 1, 8, ("given_up", None)),
            (RETRY, 1, 1, ("given_up", None)),
        )
        for outcome, tries, max_tries, expected in table:
            with self.subTest(outcome=outcome, tries=tries, max_tries=max_tries):
                self.assertEqual(next_state(outcome, tries, max_tries), expected)


class TestBackoff(unittest.TestCase):
    def test_backoff_doubles_from_base(self):
        """1, 2, 4, 8 ... times the base after each failed try."""
        self.assertEqual(backoff_seconds(0), 0)
        self.assertEqual(backoff_seconds(1), BACKOFF_BASE_SECONDS)
        self.assertEqual(backoff_seconds(2), 2 * BACKOFF_BASE_SECONDS)
        self.assertEqual(backoff_seconds(5), 16 * BACKOFF_BASE_SECONDS)

    def test_backoff_is_capped(self):
        """Waits never exceed the cap, however many tries."""
        self.assertEqual(backoff_seconds(40), BACKOFF_MAX_SECONDS)
        self.assertEqual(backoff_seconds(3, base=10, cap=25), 25)

    def test_schedule_has_one_wait_between_tries(self):
        """8 tries wait 7 times: 1, 2, 4 ... 64 minutes."""
        self.assertEqual(backoff_schedule(8), [60, 120, 240, 480, 960, 1920, 3840])
        self.assertEqual(backoff_schedule(1), [])


class TestVocabulary(unittest.TestCase):
    def test_event_codes(self):
        """The five events a subscription can listen to."""
        self.assertEqual(
            EVENT_CODES,
            ("status_changed", "shipped", "delayed", "exception_opened", "cancelled"),
        )
