# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fulfillment flows: their steps, default transitions and the path finder."""

import unittest

from core import flows
from core.catalog import FINAL_STATUSES, FULFILLMENT_TYPES, ROLES, TRIGGERS
from core.flows import (
    DEFAULT_TRANSITIONS,
    FLOW_STEPS,
    MAIN_STEPS,
    Transition,
    TransitionError,
    check_transition,
    find_path,
    flow_steps,
    is_allowed,
    is_open,
    resolve_trigger,
    slowest_type,
)

T = DEFAULT_TRANSITIONS
FLOWS = tuple(FLOW_STEPS)

# The usual way through each flow: (from, to, trigger) one step at a time.
HAPPY_WALKS = {
    "stock": (
        ("received", "preparing", "goods_ready"),
        ("preparing", "partially_shipped", "partial_shipment"),
        ("partially_shipped", "shipped", "shipment_validated"),
        ("shipped", "done", "delivery_confirmed"),
    ),
    "build (bought)": (
        ("received", "checking", "procurement_requested"),
        ("checking", "arranging", "purchase_confirmed"),
        ("arranging", "preparing", "goods_ready"),
        ("preparing", "shipped", "shipment_validated"),
        ("shipped", "done", "delivery_confirmed"),
    ),
    "build (made)": (
        ("received", "checking", "procurement_requested"),
        ("checking", "manufacturing", "production_confirmed"),
        ("manufacturing", "preparing", "goods_ready"),
        ("preparing", "partially_shipped", "partial_shipment"),
        ("partially_shipped", "shipped", "shipment_validated"),
        ("shipped", "done", "delivery_confirmed"),
    ),
    "dropship": (
        ("received", "arranging", "dropship_requested"),
        ("arranging", "dropship_arranging", "purchase_confirmed"),
        ("dropship_arranging", "partially_shipped", "partial_shipment"),
        ("partially_shipped", "shipped", "shipment_validated"),
        ("shipped", "done", "delivery_confirmed"),
    ),
}


def _codes(vocabulary):
    return {code for code, _label in vocabulary}


class TestFlowSteps(unittest.TestCase):
    """FLOW_STEPS and MAIN_STEPS."""

    def test_flows_are_fulfillment_types_when_read(self):
        """There is one flow per fulfillment type, and no other."""
        self.assertEqual(set(FLOW_STEPS), _codes(FULFILLMENT_TYPES))

    def test_flow_runs_received_to_done_when_read(self):
        """Every flow starts at received and ends at done."""
        for flow, steps in FLOW_STEPS.items():
            with self.subTest(flow=flow):
                self.assertEqual((steps[0], steps[-1]), ("received", "done"))

    def test_split_step_in_every_flow_when_read(self):
        """partially_shipped sits just before shipped in every flow."""
        for flow, steps in FLOW_STEPS.items():
            with self.subTest(flow=flow):
                index = steps.index("partially_shipped")
                self.assertEqual(steps[index + 1], "shipped")

    def test_main_steps_drop_split_step_when_read(self):
        """The main steps are the flow's steps without partially_shipped."""
        for flow, steps in FLOW_STEPS.items():
            with self.subTest(flow=flow):
                self.assertEqual(
                    MAIN_STEPS[flow],
                    tuple(step for step in steps if step != "partially_shipped"),
                )
                self.assertNotIn("partially_shipped", MAIN_STEPS[flow])

    def test_no_hold_or_cancel_step_when_read(self):
        """Hold and cancellation sit on top of the flows, not inside them."""
        for flow, steps in FLOW_STEPS.items():
            with self.subTest(flow=flow):
                self.assertNotIn(flows.HOLD, steps)
                self.assertNotIn(flows.CANCELLED, steps)

    def test_main_steps_when_not_split(self):
        """An order that is not split shows the main steps."""
        self.assertEqual(flow_steps("stock"), MAIN_STEPS["stock"])
        self.assertEqual(flow_steps("build", "manufacturing"), MAIN_STEPS["build"])

    def test_all_steps_when_split(self):
        """A split order shows the partially shipped step too."""
        self.assertEqual(flow_steps("dropship", split=True), FLOW_STEPS["dropship"])

    def test_all_steps_when_current_is_partially_shipped(self):
        """Sitting in partially_shipped shows that step even if not flagged split."""
        self.assertEqual(flow_steps("stock", "partially_shipped"), FLOW_STEPS["stock"])

    def test_current_appended_when_outside_flow(self):
        """A status outside the flow (hold, cancel) is appended once, at the end."""
        for current in ("on_hold", "cancelled", "manufacturing"):
            with self.subTest(current=current):
                steps = flow_steps("stock", current)
                self.assertEqual(steps, MAIN_STEPS["stock"] + (current,))

    def test_current_not_repeated_when_inside_flow(self):
        """A status of the flow is not added a second time."""
        steps = flow_steps("build", "preparing", split=True)
        self.assertEqual(steps.count("preparing"), 1)


class TestDefaultTransitions(unittest.TestCase):
    """DEFAULT_TRANSITIONS: the rows the addon ships as data."""

    def test_rows_are_transitions_when_read(self):
        """Every row is a Transition tuple."""
        for row in T:
            with self.subTest(row=row):
                self.assertIsInstance(row, Transition)

    def test_statuses_in_own_flow_when_row_read(self):
        """Each row moves between statuses of its own flow."""
        for row in T:
            with self.subTest(row=row):
                self.assertIn(row.flow, FLOW_STEPS)
                self.assertIn(row.from_status, FLOW_STEPS[row.flow])
                self.assertIn(row.to_status, FLOW_STEPS[row.flow])

    def test_trigger_and_role_known_when_row_read(self):
        """Each row names a known trigger and a known role."""
        triggers, roles = _codes(TRIGGERS), _codes(ROLES)
        for row in T:
            with self.subTest(row=row):
                self.assertIn(row.trigger, triggers)
                self.assertIn(row.role, roles)

    def test_order_changed_when_reopened_without_return(self):
        """A shipped or done order reopening with no return of its goods
        (more ordered) reads order_changed; with a return, returned."""
        for start, end in (
            ("shipped", "partially_shipped"),
            ("done", "partially_shipped"),
            ("shipped", "received"),
        ):
            with self.subTest(start=start, end=end):
                self.assertEqual(
                    resolve_trigger(T, "stock", start, end, returns=False),
                    "order_changed",
                )
                self.assertEqual(
                    resolve_trigger(T, "stock", start, end, returns=True), "returned"
                )
        # other transitions do not depend on returns
        self.assertEqual(
            resolve_trigger(T, "stock", "preparing", "shipped", returns=False),
            "shipment_validated",
        )

    def test_no_reserved_trigger_when_row_read(self):
        """Rows never use the triggers resolve_trigger reserves for itself."""
        reserved = {
            "confirmed",
            "hold",
            "released",
            "cancelled",
            "facts_changed",
            "order_changed",
        }
        for row in T:
            with self.subTest(row=row):
                self.assertNotIn(row.trigger, reserved)

    def test_no_self_loop_when_row_read(self):
        """No row goes from a status to itself."""
        for row in T:
            with self.subTest(row=row):
                self.assertNotEqual(row.from_status, row.to_status)

    def test_no_duplicate_move_when_rows_read(self):
        """A flow has at most one row per (from, to) move."""
        moves = [(t.flow, t.from_status, t.to_status) for t in T]
        self.assertEqual(len(moves), len(set(moves)))

    def test_every_step_reachable_when_from_received(self):
        """Every step of a flow can be reached from received."""
        for flow, steps in FLOW_STEPS.items():
            for step in steps[1:]:
                with self.subTest(flow=flow, step=step):
                    self.assertIsNotNone(find_path(T, flow, "received", step))

    def test_done_reachable_when_from_any_step(self):
        """Every step of a flow can still reach done."""
        for flow, steps in FLOW_STEPS.items():
            for step in steps[:-1]:
                with self.subTest(flow=flow, step=step):
                    self.assertIsNotNone(find_path(T, flow, step, "done"))

    def test_shipping_rows_in_every_flow_when_read(self):
        """Split delivery, delivery and returns are configured in every flow."""
        shared = {
            ("partially_shipped", "shipped", "shipment_validated"),
            ("shipped", "done", "delivery_confirmed"),
            ("shipped", "partially_shipped", "returned"),
            ("done", "partially_shipped", "returned"),
            ("shipped", "received", "returned"),
            ("partially_shipped", "received", "returned"),
            ("done", "received", "returned"),
        }
        for flow in FLOWS:
            with self.subTest(flow=flow):
                rows = {
                    (t.from_status, t.to_status, t.trigger) for t in T if t.flow == flow
                }
                self.assertLessEqual(shared, rows)


class TestHappyPath(unittest.TestCase):
    """Each flow reaches done from received with the expected triggers."""

    def test_trigger_per_step_when_walking_flow(self):
        """Each step of the usual walk resolves to its trigger."""
        for walk, steps in HAPPY_WALKS.items():
            flow = walk.split()[0]
            for from_status, to_status, trigger in steps:
                with self.subTest(walk=walk, step=(from_status, to_status)):
                    self.assertEqual(
                        resolve_trigger(T, flow, from_status, to_status), trigger
                    )
                    self.assertTrue(is_allowed(T, flow, from_status, to_status))

    def test_walk_reaches_done_when_followed(self):
        """Each walk starts at received, is contiguous, and ends at done."""
        for walk, steps in HAPPY_WALKS.items():
            with self.subTest(walk=walk):
                self.assertEqual(steps[0][0], "received")
                self.assertEqual(steps[-1][1], "done")
                for before, after in zip(steps, steps[1:], strict=False):
                    self.assertEqual(before[1], after[0])

    def test_shortest_path_to_done_when_from_received(self):
        """find_path takes the shortest way from received to done."""
        expected = {
            "stock": ["goods_ready", "shipment_validated", "delivery_confirmed"],
            "build": ["goods_ready", "shipment_validated", "delivery_confirmed"],
            "dropship": [
                "dropship_requested",
                "purchase_confirmed",
                "shipment_validated",
                "delivery_confirmed",
            ],
        }
        for flow, triggers in expected.items():
            with self.subTest(flow=flow):
                path = find_path(T, flow, "received", "done")
                self.assertEqual([t.trigger for t in path], triggers)

    def test_delivery_confirmed_when_jumping_received_to_done(self):
        """A jump from received to done is explained by its last step."""
        for flow in FLOWS:
            with self.subTest(flow=flow):
                self.assertEqual(
                    resolve_trigger(T, flow, "received", "done"), "delivery_confirmed"
                )


class TestFindPath(unittest.TestCase):
    """find_path: the shortest chain of configured transitions."""

    def test_empty_path_when_same_status(self):
        """Staying in a status needs no transition."""
        self.assertEqual(find_path(T, "stock", "preparing", "preparing"), [])

    def test_single_step_when_direct_transition(self):
        """A direct transition is a path of one."""
        path = find_path(T, "build", "received", "manufacturing")
        self.assertEqual(
            path,
            [
                Transition(
                    "build",
                    "received",
                    "manufacturing",
                    "production_confirmed",
                    "production",
                )
            ],
        )

    def test_several_steps_when_no_direct_transition(self):
        """received to arranging in build goes through checking."""
        path = find_path(T, "build", "received", "arranging")
        self.assertEqual(
            [(t.from_status, t.to_status) for t in path],
            [("received", "checking"), ("checking", "arranging")],
        )

    def test_path_contiguous_when_found(self):
        """Every found path starts, chains and ends where asked."""
        for flow, steps in FLOW_STEPS.items():
            for start in steps:
                for end in steps:
                    path = find_path(T, flow, start, end)
                    if not path:
                        continue
                    with self.subTest(flow=flow, start=start, end=end):
                        self.assertEqual(path[0].from_status, start)
                        self.assertEqual(path[-1].to_status, end)
                        for before, after in zip(path, path[1:], strict=False):
                            self.assertEqual(before.to_status, after.from_status)
                        self.assertTrue(all(t.flow == flow for t in path))

    def test_none_when_status_outside_flow(self):
        """A stock order has no path to manufacturing."""
        self.assertIsNone(find_path(T, "stock", "received", "manufacturing"))

    def test_none_when_flow_unknown(self):
        """An unknown flow has no transitions, hence no path."""
        self.assertIsNone(find_path(T, "unknown", "received", "done"))

    def test_none_when_no_transitions_configured(self):
        """With no transitions configured, no move has a path."""
        self.assertIsNone(find_path((), "stock", "received", "preparing"))

    def test_other_flow_ignored_when_searching(self):
        """Transitions of another flow are not used."""
        transitions = (
            Transition("build", "received", "preparing", "goods_ready", "warehouse"),
        )
        self.assertIsNone(find_path(transitions, "stock", "received", "preparing"))

    def test_configured_rows_used_when_custom_table(self):
        """A table configured in the database is followed, not the defaults."""
        transitions = (
            Transition("stock", "received", "shipped", "shipment_validated", "sales"),
            Transition("stock", "shipped", "done", "delivery_confirmed", "sales"),
        )
        path = find_path(transitions, "stock", "received", "done")
        self.assertEqual(path, list(transitions))


class TestResolveTrigger(unittest.TestCase):
    """resolve_trigger: the trigger that explains a change."""

    def test_confirmed_when_no_previous_status(self):
        """The first status of an order comes from its confirmation."""
        for previous in (None, False, ""):
            with self.subTest(previous=previous):
                self.assertEqual(
                    resolve_trigger(T, "stock", previous, "received"), "confirmed"
                )

    def test_cancelled_when_moving_to_cancelled(self):
        """Any move to cancelled is a cancellation, even from hold."""
        for previous in ("received", "shipped", "on_hold"):
            with self.subTest(previous=previous):
                self.assertEqual(
                    resolve_trigger(T, "stock", previous, "cancelled"), "cancelled"
                )

    def test_hold_when_moving_to_on_hold(self):
        """Any move to on_hold is a hold."""
        self.assertEqual(
            resolve_trigger(T, "build", "manufacturing", "on_hold"), "hold"
        )

    def test_released_when_leaving_hold(self):
        """Leaving on_hold, to any status, is a release."""
        for status in ("received", "preparing", "done"):
            with self.subTest(status=status):
                self.assertEqual(
                    resolve_trigger(T, "stock", "on_hold", status), "released"
                )

    def test_last_trigger_when_several_steps(self):
        """A jump over several steps takes the trigger of the last one."""
        self.assertEqual(
            resolve_trigger(T, "stock", "received", "shipped"), "shipment_validated"
        )
        self.assertEqual(
            resolve_trigger(T, "build", "received", "arranging"), "purchase_confirmed"
        )

    def test_returned_when_goods_come_back(self):
        """Moving back from shipped or done is explained by a return."""
        for flow in FLOWS:
            for start, end in (
                ("done", "received"),
                ("done", "partially_shipped"),
                ("shipped", "partially_shipped"),
                ("partially_shipped", "received"),
            ):
                with self.subTest(flow=flow, start=start, end=end):
                    self.assertEqual(resolve_trigger(T, flow, start, end), "returned")

    def test_procurement_cancelled_when_upstream_cancelled(self):
        """A cancelled procurement explains the move back to checking."""
        self.assertEqual(
            resolve_trigger(T, "build", "manufacturing", "checking"),
            "procurement_cancelled",
        )
        self.assertEqual(
            resolve_trigger(T, "dropship", "dropship_arranging", "arranging"),
            "procurement_cancelled",
        )

    def test_facts_changed_when_flow_has_no_path(self):
        """A change the flow does not describe is flagged facts_changed."""
        self.assertEqual(
            resolve_trigger(T, "stock", "received", "manufacturing"), "facts_changed"
        )
        self.assertEqual(
            resolve_trigger((), "stock", "received", "preparing"), "facts_changed"
        )


class TestIsAllowed(unittest.TestCase):
    """is_allowed: explicit moves, plus hold, release and cancel on top."""

    def test_allowed_when_status_unchanged(self):
        """Staying in the same status is always allowed."""
        for status in ("received", "done", "on_hold", "cancelled"):
            with self.subTest(status=status):
                self.assertTrue(is_allowed((), "stock", status, status))

    def test_allowed_when_no_previous_status(self):
        """The first status of an order is always allowed."""
        for status in ("received", "shipped", "done"):
            with self.subTest(status=status):
                self.assertTrue(is_allowed((), "stock", False, status))

    def test_cancel_allowed_when_status_open(self):
        """Every open status, hold included, can be cancelled."""
        for flow, steps in FLOW_STEPS.items():
            for status in steps[:-1] + (flows.HOLD,):
                with self.subTest(flow=flow, status=status):
                    self.assertTrue(is_allowed((), flow, status, "cancelled"))

    def test_cancel_refused_when_status_final(self):
        """A done order cannot be cancelled."""
        for flow in FLOWS:
            with self.subTest(flow=flow):
                self.assertFalse(is_allowed(T, flow, "done", "cancelled"))

    def test_hold_allowed_when_status_open(self):
        """Every open status can be put on hold."""
        for flow, steps in FLOW_STEPS.items():
            for status in steps[:-1]:
                with self.subTest(flow=flow, status=status):
                    self.assertTrue(is_allowed((), flow, status, "on_hold"))

    def test_hold_refused_when_status_final(self):
        """A done or cancelled order cannot be put on hold."""
        for flow in FLOWS:
            for status in sorted(FINAL_STATUSES):
                with self.subTest(flow=flow, status=status):
                    self.assertFalse(is_allowed(T, flow, status, "on_hold"))

    def test_release_allowed_when_to_status_of_flow(self):
        """A hold is released to any status of the order's flow."""
        for flow, steps in FLOW_STEPS.items():
            for status in steps:
                with self.subTest(flow=flow, status=status):
                    self.assertTrue(is_allowed((), flow, "on_hold", status))

    def test_release_allowed_when_to_final_status(self):
        """A hold is released to done or cancelled."""
        for status in sorted(FINAL_STATUSES):
            with self.subTest(status=status):
                self.assertTrue(is_allowed((), "dropship", "on_hold", status))

    def test_release_refused_when_to_status_of_other_flow(self):
        """A hold is not released to a status outside the flow."""
        cases = (
            ("stock", "checking"),
            ("stock", "manufacturing"),
            ("stock", "dropship_arranging"),
            ("dropship", "preparing"),
            ("build", "dropship_arranging"),
        )
        for flow, status in cases:
            with self.subTest(flow=flow, status=status):
                self.assertFalse(is_allowed(T, flow, "on_hold", status))

    def test_release_refused_when_flow_unknown(self):
        """An unknown flow only releases to a final status."""
        self.assertFalse(is_allowed(T, "unknown", "on_hold", "received"))
        self.assertTrue(is_allowed(T, "unknown", "on_hold", "done"))

    def test_allowed_when_transition_configured(self):
        """Every configured row is an allowed move in its flow."""
        for row in T:
            with self.subTest(row=row):
                self.assertTrue(is_allowed(T, row.flow, row.from_status, row.to_status))

    def test_refused_when_reverse_not_configured(self):
        """A move back that no row describes is refused."""
        self.assertFalse(is_allowed(T, "stock", "shipped", "preparing"))
        self.assertFalse(is_allowed(T, "build", "preparing", "manufacturing"))

    def test_refused_when_move_belongs_to_other_flow(self):
        """A move configured for build is not allowed in stock."""
        self.assertTrue(is_allowed(T, "build", "received", "checking"))
        self.assertFalse(is_allowed(T, "stock", "received", "checking"))

    def test_refused_when_move_skips_steps(self):
        """An explicit move must be one configured step, not a chain."""
        self.assertIsNotNone(find_path(T, "stock", "received", "shipped"))
        self.assertFalse(is_allowed(T, "stock", "received", "shipped"))

    def test_refused_when_no_transitions_configured(self):
        """With no configured rows, only the implicit moves are allowed."""
        self.assertFalse(is_allowed((), "stock", "received", "preparing"))


class TestCheckTransition(unittest.TestCase):
    """check_transition raises TransitionError on a refused move."""

    def test_true_when_move_allowed(self):
        """An allowed move passes and returns True."""
        self.assertIs(check_transition(T, "stock", "received", "preparing"), True)

    def test_raises_when_move_refused(self):
        """A refused move raises TransitionError naming flow, from and to."""
        with self.assertRaises(TransitionError) as caught:
            check_transition(T, "stock", "done", "cancelled")
        error = caught.exception
        self.assertEqual(
            (error.flow, error.from_status, error.to_status),
            ("stock", "done", "cancelled"),
        )
        self.assertEqual(str(error), "stock: done -> cancelled")

    def test_error_is_value_error_when_raised(self):
        """TransitionError is a ValueError, so generic handlers catch it."""
        with self.assertRaises(ValueError):
            check_transition(T, "build", "cancelled", "on_hold")


class TestHelpers(unittest.TestCase):
    """slowest_type and is_open."""

    def test_build_when_mixed_with_build(self):
        """Build is the slowest type."""
        self.assertEqual(slowest_type(["stock", "dropship", "build"]), "build")

    def test_dropship_when_mixed_with_stock(self):
        """Drop-ship is slower than stock."""
        self.assertEqual(slowest_type(["stock", "dropship"]), "dropship")

    def test_stock_when_only_stock(self):
        """Stock alone stays stock."""
        self.assertEqual(slowest_type(["stock", "stock"]), "stock")

    def test_default_when_no_known_type(self):
        """No known type gives the default, stock unless told."""
        self.assertEqual(slowest_type([]), "stock")
        self.assertEqual(slowest_type(["unknown"]), "stock")
        self.assertEqual(slowest_type([], default="build"), "build")

    def test_same_result_when_types_is_iterator(self):
        """Any iterable of types works, not only lists."""
        self.assertEqual(slowest_type(iter(("dropship", "stock"))), "dropship")

    def test_open_when_status_not_final(self):
        """A set status that is not final is open."""
        for status in ("received", "shipped", "on_hold"):
            with self.subTest(status=status):
                self.assertTrue(is_open(status))

    def test_not_open_when_final_or_empty(self):
        """Final and missing statuses are not open."""
        for status in ("done", "cancelled", "", False, None):
            with self.subTest(status=status):
                self.assertFalse(is_open(status))


if __name__ == "__main__":
    unittest.main()
