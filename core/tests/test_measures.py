# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""On-time shipping and the first date told to the customer."""

import unittest
from datetime import date, datetime

from core.measures import classify_on_time, fully_shipped_date, track_promised_date

D1 = datetime(2026, 3, 1, 9, 0)
D2 = datetime(2026, 3, 5, 9, 0)
D3 = datetime(2026, 3, 9, 9, 0)


class TestFullyShippedDate(unittest.TestCase):
    def test_latest_shipment_when_order_shipped(self):
        self.assertEqual(fully_shipped_date("shipped", [D2, None, D1]), D2)

    def test_latest_shipment_when_order_done(self):
        self.assertEqual(fully_shipped_date("done", [D1, D3]), D3)

    def test_none_when_part_remains(self):
        for status in ("partially_shipped", "preparing", "on_hold", "cancelled", False):
            with self.subTest(status=status):
                self.assertIsNone(fully_shipped_date(status, [D1, D2]))

    def test_none_when_no_shipment_date(self):
        self.assertIsNone(fully_shipped_date("shipped", []))


class TestClassifyOnTime(unittest.TestCase):
    def test_on_time_when_shipped_before_first_date(self):
        self.assertEqual(
            classify_on_time(date(2026, 3, 1), date(2026, 3, 5)), "on_time"
        )

    def test_on_time_when_shipped_on_first_date(self):
        self.assertEqual(
            classify_on_time(date(2026, 3, 5), date(2026, 3, 5)), "on_time"
        )

    def test_late_when_shipped_after_first_date(self):
        self.assertEqual(classify_on_time(date(2026, 3, 6), date(2026, 3, 5)), "late")

    def test_none_when_not_shipped_or_never_told(self):
        self.assertIsNone(classify_on_time(None, date(2026, 3, 5)))
        self.assertIsNone(classify_on_time(date(2026, 3, 5), None))


class TestTrackPromisedDate(unittest.TestCase):
    def test_first_set_when_date_told_first(self):
        self.assertEqual(track_promised_date(None, None, D1), (D1, False))

    def test_moved_when_date_changes(self):
        self.assertEqual(track_promised_date(D1, D1, D2), (D1, True))

    def test_moved_again_when_changed_twice(self):
        self.assertEqual(track_promised_date(D1, D2, D3), (D1, True))

    def test_not_moved_when_same_date_written(self):
        self.assertEqual(track_promised_date(D1, D2, D2), (D1, False))

    def test_not_moved_when_date_cleared(self):
        self.assertEqual(track_promised_date(D1, D2, None), (D1, False))

    def test_moved_when_set_again_after_clearing(self):
        self.assertEqual(track_promised_date(D1, None, D2), (D1, True))

    def test_not_moved_when_set_again_to_first_after_clearing(self):
        self.assertEqual(track_promised_date(D1, None, D1), (D1, False))

    def test_current_taken_as_first_when_first_unknown(self):
        """Orders dated before the first date was recorded keep their date."""
        self.assertEqual(track_promised_date(None, D1, D2), (D1, True))
