# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The vocabularies: unique codes, and every code the engine uses exists."""

import itertools
import unittest

from core import catalog, engine, flows
from core.engine import LineFacts, OrderFacts

VOCABULARIES = {
    "STATUSES": catalog.STATUSES,
    "FULFILLMENT_TYPES": catalog.FULFILLMENT_TYPES,
    "ROLES": catalog.ROLES,
    "SHIPMENT_STATUSES": catalog.SHIPMENT_STATUSES,
    "BILLING_STATUSES": catalog.BILLING_STATUSES,
    "TRIGGERS": catalog.TRIGGERS,
    "REASONS": catalog.REASONS,
}


def _codes(vocabulary):
    return {code for code, _label in vocabulary}


def _lines():
    """Single lines over every kind, upstream and quantity situation."""
    quantities = (
        # (qty_ordered, qty_shipped, qty_returned)
        (10.0, 0.0, 0.0),
        (10.0, 4.0, 0.0),
        (10.0, 10.0, 0.0),
        (10.0, 12.0, 0.0),
        (10.0, 0.0, 10.0),
        (10.0, 6.0, 4.0),
        (0.0, 0.0, 0.0),
    )
    for kind, up_kind, upstream, ready, open_delivery, qty in itertools.product(
        catalog.FULFILLMENT_SLOWNESS,
        ("", catalog.UPSTREAM_PURCHASE, catalog.UPSTREAM_PRODUCTION),
        catalog.UPSTREAM_STATES,
        (False, True),
        (False, True),
        quantities,
    ):
        ordered, shipped, returned = qty
        yield LineFacts(
            kind=kind,
            qty_ordered=ordered,
            qty_shipped=shipped,
            qty_returned=returned,
            upstream=upstream,
            upstream_kind=up_kind,
            goods_ready=ready,
            open_delivery=open_delivery,
        )


def _orders():
    """Orders of every state, hold and delivery flag, with one or two lines."""
    lines = list(_lines())
    waiting = LineFacts(qty_ordered=10.0, open_delivery=True)
    shipped = LineFacts(qty_ordered=10.0, qty_shipped=10.0)
    pairs = [()]
    pairs += [(line,) for line in lines]
    pairs += [(line, waiting) for line in lines]
    pairs += [(line, shipped) for line in lines]
    for state, on_hold, delivered, order_lines in itertools.product(
        ("draft", "sent", "sale", "cancel"), (False, True), (False, True), pairs
    ):
        yield OrderFacts(state, order_lines, on_hold, delivered)


class TestVocabularies(unittest.TestCase):
    """Each vocabulary is an ordered tuple of unique (code, label) pairs."""

    def test_codes_unique_when_vocabulary_read(self):
        """No code appears twice in a vocabulary."""
        for name, vocabulary in VOCABULARIES.items():
            with self.subTest(vocabulary=name):
                codes = [code for code, _label in vocabulary]
                self.assertEqual(len(codes), len(set(codes)))

    def test_labels_unique_when_vocabulary_read(self):
        """No label appears twice in a vocabulary (users could not tell them)."""
        for name, vocabulary in VOCABULARIES.items():
            with self.subTest(vocabulary=name):
                labels = [label for _code, label in vocabulary]
                self.assertEqual(len(labels), len(set(labels)))

    def test_pairs_of_text_when_vocabulary_read(self):
        """Every entry is a pair of a non-empty code and a non-empty label."""
        for name, vocabulary in VOCABULARIES.items():
            # a list: Odoo registers and translates only list selections
            self.assertIsInstance(vocabulary, list, name)
            for entry in vocabulary:
                with self.subTest(vocabulary=name, entry=entry):
                    self.assertEqual(len(entry), 2)
                    code, label = entry
                    self.assertTrue(code and isinstance(code, str))
                    self.assertTrue(label and isinstance(label, str))

    def test_status_codes_follow_statuses_when_read(self):
        """STATUS_CODES lists the status codes in catalog order."""
        self.assertEqual(
            catalog.STATUS_CODES, tuple(code for code, _label in catalog.STATUSES)
        )

    def test_upstream_states_unique_when_read(self):
        """The upstream states are distinct codes."""
        self.assertEqual(
            len(catalog.UPSTREAM_STATES), len(set(catalog.UPSTREAM_STATES))
        )


class TestStatusGroups(unittest.TestCase):
    """The status groups only hold catalog statuses, and do not overlap."""

    def test_final_statuses_known_when_read(self):
        """Final statuses are done and cancelled, both in the catalog."""
        self.assertEqual(catalog.FINAL_STATUSES, {"done", "cancelled"})
        self.assertLessEqual(catalog.FINAL_STATUSES, set(catalog.STATUS_CODES))

    def test_pre_shipment_statuses_known_when_read(self):
        """Pre-shipment statuses are catalog statuses, in catalog order."""
        codes = catalog.STATUS_CODES
        self.assertLessEqual(set(catalog.PRE_SHIPMENT_STATUSES), set(codes))
        self.assertEqual(
            list(catalog.PRE_SHIPMENT_STATUSES),
            sorted(catalog.PRE_SHIPMENT_STATUSES, key=codes.index),
        )

    def test_shipment_started_known_when_read(self):
        """Shipment-started statuses are catalog statuses."""
        self.assertLessEqual(
            catalog.SHIPMENT_STARTED_STATUSES, set(catalog.STATUS_CODES)
        )

    def test_groups_disjoint_when_read(self):
        """No status is both before shipment and shipment-started or final."""
        pre = set(catalog.PRE_SHIPMENT_STATUSES)
        self.assertFalse(pre & catalog.SHIPMENT_STARTED_STATUSES)
        self.assertFalse(pre & catalog.FINAL_STATUSES)

    def test_every_status_grouped_when_read(self):
        """Every catalog status is pre-shipment, shipment-started, hold or final."""
        grouped = (
            set(catalog.PRE_SHIPMENT_STATUSES)
            | catalog.SHIPMENT_STARTED_STATUSES
            | catalog.FINAL_STATUSES
            | {flows.HOLD}
        )
        self.assertEqual(grouped, set(catalog.STATUS_CODES))

    def test_slowness_covers_types_when_read(self):
        """FULFILLMENT_SLOWNESS ranks each fulfillment type exactly once."""
        self.assertEqual(
            sorted(catalog.FULFILLMENT_SLOWNESS),
            sorted(_codes(catalog.FULFILLMENT_TYPES)),
        )


class TestFlowsUseCatalog(unittest.TestCase):
    """Every status the flows use exists in the catalog."""

    def test_flow_steps_in_catalog_when_read(self):
        """Every step of every flow is a catalog status."""
        for flow, steps in flows.FLOW_STEPS.items():
            for step in steps:
                with self.subTest(flow=flow, step=step):
                    self.assertIn(step, catalog.STATUS_CODES)

    def test_hold_and_cancel_in_catalog_when_read(self):
        """The hold and cancel statuses of the flows are catalog statuses."""
        self.assertIn(flows.HOLD, catalog.STATUS_CODES)
        self.assertIn(flows.CANCELLED, catalog.STATUS_CODES)

    def test_every_status_in_some_flow_when_read(self):
        """Each catalog status is a flow step, or hold or cancel."""
        used = {step for steps in flows.FLOW_STEPS.values() for step in steps}
        used |= {flows.HOLD, flows.CANCELLED}
        self.assertEqual(used, set(catalog.STATUS_CODES))

    def test_resolve_trigger_codes_known_when_returned(self):
        """The triggers resolve_trigger makes up itself are catalog triggers."""
        triggers = _codes(catalog.TRIGGERS)
        for trigger in (
            "confirmed",
            "cancelled",
            "hold",
            "released",
            "facts_changed",
            "order_changed",
        ):
            with self.subTest(trigger=trigger):
                self.assertIn(trigger, triggers)


class TestEngineUsesCatalog(unittest.TestCase):
    """Every code the engine returns exists in the catalog."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_results = [engine.classify_order(facts) for facts in _orders()]
        cls.line_results = [engine.classify_line(line) for line in _lines()]

    def test_rule_statuses_pre_shipment_when_read(self):
        """Each PRE_SHIPMENT_RULES status is a pre-shipment status."""
        for row in engine.PRE_SHIPMENT_RULES:
            with self.subTest(row=row):
                self.assertIn(row[3], catalog.PRE_SHIPMENT_STATUSES)

    def test_rule_statuses_in_kind_flow_when_read(self):
        """Each PRE_SHIPMENT_RULES status is a step of its kind's flow."""
        for row in engine.PRE_SHIPMENT_RULES:
            kinds = flows.FLOW_STEPS if row[0] == "*" else (row[0],)
            for kind in kinds:
                with self.subTest(row=row, flow=kind):
                    self.assertIn(row[3], flows.FLOW_STEPS[kind])

    def test_rule_codes_known_when_read(self):
        """Each PRE_SHIPMENT_RULES row uses known kinds, upstreams and reasons."""
        kinds = _codes(catalog.FULFILLMENT_TYPES) | {"*"}
        up_kinds = {catalog.UPSTREAM_PURCHASE, catalog.UPSTREAM_PRODUCTION, "*"}
        up_states = set(catalog.UPSTREAM_STATES) | {"*"}
        reasons = _codes(catalog.REASONS)
        for row in engine.PRE_SHIPMENT_RULES:
            with self.subTest(row=row):
                self.assertIn(row[0], kinds)
                self.assertIn(row[1], up_kinds)
                self.assertIn(row[2], up_states)
                self.assertIn(row[4], reasons)

    def test_order_reasons_in_catalog_when_classified(self):
        """Every reason classify_order returns is a catalog reason."""
        returned = {result.reason for result in self.order_results}
        self.assertLessEqual(returned, _codes(catalog.REASONS))

    def test_every_reason_returned_when_classified(self):
        """Every catalog reason is returned by some order (none is dead)."""
        returned = {result.reason for result in self.order_results}
        self.assertEqual(_codes(catalog.REASONS) - returned, set())

    def test_order_statuses_in_catalog_when_classified(self):
        """Every status classify_order returns is a catalog status (or none)."""
        returned = {result.status for result in self.order_results}
        self.assertLessEqual(returned - {False}, set(catalog.STATUS_CODES))

    def test_line_results_in_catalog_when_classified(self):
        """Every status and reason classify_line returns is in the catalog."""
        for result in set(self.line_results):
            with self.subTest(result=result):
                self.assertIn(result.status, catalog.STATUS_CODES)
                self.assertIn(result.reason, _codes(catalog.REASONS))

    def test_shipment_statuses_in_catalog_when_classified(self):
        """Every status classify_shipment returns is a shipment status."""
        codes = _codes(catalog.SHIPMENT_STATUSES)
        returned = set()
        for state, bound, back, delivered, chain in itertools.product(
            ("draft", "assigned", "done", "cancel"),
            *[(False, True)] * 4,
        ):
            returned.add(
                engine.classify_shipment(
                    state=state,
                    customer_bound=bound,
                    is_return=back,
                    delivered=delivered,
                    chain_step=chain,
                )
            )
        self.assertEqual(returned - {False}, codes)

    def test_billing_statuses_in_catalog_when_classified(self):
        """Every status classify_billing returns is a billing status."""
        returned = {
            engine.classify_billing(
                state=state,
                invoiceable=invoiceable,
                invoiced_any=invoiced_any,
                fully_invoiced=fully,
                paid=paid,
                nothing_to_bill=nothing,
            )
            for state, invoiceable, invoiced_any, fully, paid, nothing in (
                itertools.product(("sale", "draft"), *[(False, True)] * 5)
            )
        }
        self.assertEqual(returned, _codes(catalog.BILLING_STATUSES))

    def test_line_types_in_catalog_when_classified(self):
        """Every type classify_line_type returns is a fulfillment type."""
        returned = {
            engine.classify_line_type(
                dropship=a, manufactured=b, bought_on_order=c, make_to_order=d
            )
            for a, b, c, d in itertools.product(*[(False, True)] * 4)
        }
        self.assertEqual(returned, _codes(catalog.FULFILLMENT_TYPES))


if __name__ == "__main__":
    unittest.main()
