# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transition diagrams: valid SVG, one box per status, one arrow per transition."""

import re
import unittest
import xml.etree.ElementTree as ET
from collections import Counter

from core.catalog import STATUSES, TRIGGERS
from core.diagram import Branch, assign_lanes, flow_diagram, text_width
from core.flows import DEFAULT_TRANSITIONS, FLOW_STEPS

NS = {"svg": "http://www.w3.org/2000/svg"}
LABELS = dict(STATUSES)
TRIGGER_LABELS = dict(TRIGGERS)


def _flow_input(flow):
    statuses = [(code, LABELS[code]) for code in FLOW_STEPS[flow]]
    transitions = [
        (t.from_status, t.to_status, TRIGGER_LABELS[t.trigger])
        for t in DEFAULT_TRANSITIONS
        if t.flow == flow
    ]
    return statuses, transitions


def _branches(flow):
    open_steps = tuple(code for code in FLOW_STEPS[flow] if code != "done")
    return (
        Branch("on_hold", "On Hold", "Put on hold", open_steps, "Released"),
        Branch("cancelled", "Cancelled", "Order cancelled", open_steps),
    )


def _parse(svg):
    return ET.fromstring(svg)


def _by_class(root, tag, css_class):
    return [
        el
        for el in root.iter(f"{{{NS['svg']}}}{tag}")
        if css_class in el.get("class", "").split()
    ]


def _points(d):
    """The points an orthogonal path (M x,y / H x / V y) goes through."""
    points = []
    x = y = None
    for command, args in re.findall(r"([MHVh])\s*([-\d.,]+)", d):
        if command == "M":
            x, y = (float(v) for v in args.split(","))
        elif command == "H":
            x = float(args)
        elif command == "V":
            y = float(args)
        else:
            break  # bracket stubs (relative), not arrows
        points.append((x, y))
    return points


def _on_edge(point, rect):
    """Whether ``point`` lies on the border of ``rect``."""
    x, y = point
    x0, y0 = float(rect.get("x")), float(rect.get("y"))
    x1, y1 = x0 + float(rect.get("width")), y0 + float(rect.get("height"))
    on_vertical = x in (x0, x1) and y0 <= y <= y1
    on_horizontal = y in (y0, y1) and x0 <= x <= x1
    return on_vertical or on_horizontal


class TestDiagramStructure(unittest.TestCase):
    def test_valid_svg_when_default_flows_drawn(self):
        """Each default flow gives an SVG document with a size and a viewBox."""
        for flow in FLOW_STEPS:
            with self.subTest(flow=flow):
                statuses, transitions = _flow_input(flow)
                root = _parse(flow_diagram(statuses, transitions, _branches(flow)))
                self.assertEqual(root.tag, f"{{{NS['svg']}}}svg")
                width, height = float(root.get("width")), float(root.get("height"))
                self.assertGreater(width, 0)
                self.assertGreater(height, 0)
                self.assertEqual(
                    root.get("viewBox"), f"0 0 {root.get('width')} {root.get('height')}"
                )

    def test_one_box_per_status_when_flow_drawn(self):
        """One status rect per status, top to bottom in flow order."""
        for flow in FLOW_STEPS:
            with self.subTest(flow=flow):
                statuses, transitions = _flow_input(flow)
                root = _parse(flow_diagram(statuses, transitions))
                rects = _by_class(root, "rect", "sfs-status")
                self.assertEqual(
                    [r.get("data-code") for r in rects], list(FLOW_STEPS[flow])
                )
                tops = [float(r.get("y")) for r in rects]
                self.assertEqual(tops, sorted(tops))
                self.assertEqual(len(set(tops)), len(tops))

    def test_one_arrow_per_transition_when_flow_drawn(self):
        """One arrow per transition, from its status to its status."""
        for flow in FLOW_STEPS:
            with self.subTest(flow=flow):
                statuses, transitions = _flow_input(flow)
                root = _parse(flow_diagram(statuses, transitions, _branches(flow)))
                arrows = _by_class(root, "path", "sfs-transition")
                self.assertEqual(len(arrows), len(transitions))
                self.assertEqual(
                    Counter((a.get("data-from"), a.get("data-to")) for a in arrows),
                    Counter((src, dst) for src, dst, _label in transitions),
                )

    def test_head_on_tip_when_arrow_drawn(self):
        """Each arrow ends in a drawn head whose point is the arrow's end."""
        statuses, transitions = _flow_input("build")
        root = _parse(flow_diagram(statuses, transitions, _branches("build")))
        groups = _by_class(root, "g", "sfs-arrow")
        self.assertEqual(len(groups), len(transitions) + 3)  # + hold in/out, cancel
        for group in groups:
            line, head = group.findall("svg:path", NS)
            tip = re.match(r"M([-\d.]+),([-\d.]+)", head.get("d")).groups()
            self.assertEqual("sfs-arrowhead", head.get("class"))
            self.assertEqual(tuple(float(v) for v in tip), _points(line.get("d"))[-1])

    def test_arrows_start_and_end_on_their_boxes(self):
        """An arrow leaves its source box and its tip touches the target box."""
        statuses, transitions = _flow_input("build")
        root = _parse(flow_diagram(statuses, transitions))
        rects = {r.get("data-code"): r for r in _by_class(root, "rect", "sfs-status")}
        for arrow in _by_class(root, "path", "sfs-transition"):
            points = _points(arrow.get("d"))
            with self.subTest(d=arrow.get("d")):
                self.assertTrue(_on_edge(points[0], rects[arrow.get("data-from")]))
                self.assertTrue(_on_edge(points[-1], rects[arrow.get("data-to")]))

    def test_every_trigger_labelled_when_flow_drawn(self):
        """Each transition's trigger label is written in the diagram."""
        statuses, transitions = _flow_input("build")
        root = _parse(flow_diagram(statuses, transitions))
        texts = Counter(
            t.text
            for group in _by_class(root, "g", "sfs-transition-label")
            for t in group.iter(f"{{{NS['svg']}}}text")
        )
        self.assertEqual(texts, Counter(label for _s, _d, label in transitions))

    def test_side_branches_when_hold_and_cancel_given(self):
        """Hold and cancel are boxes beside the flow, hold with a way back."""
        statuses, transitions = _flow_input("stock")
        root = _parse(flow_diagram(statuses, transitions, _branches("stock")))
        branches = _by_class(root, "rect", "sfs-branch")
        self.assertEqual(
            [r.get("data-code") for r in branches], ["on_hold", "cancelled"]
        )
        column_right = max(
            float(r.get("x")) + float(r.get("width"))
            for r in _by_class(root, "rect", "sfs-status")
        )
        for rect in branches:
            self.assertGreater(float(rect.get("x")), column_right)
        arrows = _by_class(root, "path", "sfs-branch-arrow")
        self.assertEqual(
            Counter((a.get("data-from"), a.get("data-to")) for a in arrows),
            Counter(
                {(None, "on_hold"): 1, ("on_hold", None): 1, (None, "cancelled"): 1}
            ),
        )
        # identical sources share one bracket
        self.assertEqual(len(_by_class(root, "path", "sfs-branch-bracket")), 1)
        # side-branch arrows are not counted as transitions
        self.assertEqual(
            len(_by_class(root, "path", "sfs-transition")), len(transitions)
        )

    def test_text_escaped_when_labels_hold_markup(self):
        """Labels with markup characters come back verbatim, never as markup."""
        label = 'R&D <check> "quoted"'
        svg = flow_diagram(
            [("a", label), ("b", "B")], [("a", "b", "</text><script>x</script>")]
        )
        self.assertNotIn("<script>", svg)
        root = _parse(svg)
        texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
        self.assertIn(label, texts)
        self.assertIn("</text><script>x</script>", texts)
        self.assertFalse(list(root.iter(f"{{{NS['svg']}}}script")))

    def test_same_svg_when_drawn_twice(self):
        """The drawing is deterministic."""
        statuses, transitions = _flow_input("dropship")
        first = flow_diagram(statuses, transitions, _branches("dropship"), "x")
        second = flow_diagram(statuses, transitions, _branches("dropship"), "x")
        self.assertEqual(first, second)

    def test_unknown_statuses_left_out_when_transition_outside_flow(self):
        """Transitions to statuses outside the flow, or to themselves, are skipped."""
        root = _parse(
            flow_diagram(
                [("a", "A"), ("b", "B")],
                [("a", "b", "go"), ("a", "zz", "lost"), ("b", "b", "loop")],
            )
        )
        self.assertEqual(len(_by_class(root, "path", "sfs-transition")), 1)

    def test_sublabel_printed_when_label_is_a_pair(self):
        """A (label, sublabel) pair prints both lines in the box."""
        root = _parse(flow_diagram([("received", ("Received", "受付"))], []))
        texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
        self.assertEqual(texts, ["Received", "受付"])

    def test_id_prefixed_when_several_diagrams_share_a_page(self):
        """Each diagram carries its own id, made of safe characters."""
        root = _parse(
            flow_diagram([("a", "A"), ("b", "B")], [("a", "b", "go")], (), "build 1")
        )
        self.assertEqual(root.get("id"), "build-1-diagram")

    def test_valid_svg_when_no_status(self):
        """An empty flow still gives a valid, empty SVG."""
        root = _parse(flow_diagram([], [], _branches("stock")))
        self.assertFalse(_by_class(root, "rect", "sfs-status"))


class TestLanes(unittest.TestCase):
    def test_lane_shared_when_intervals_apart(self):
        self.assertEqual(assign_lanes([(0, 1), (2, 3)]), [0, 0])

    def test_new_lane_when_intervals_touch(self):
        self.assertEqual(assign_lanes([(0, 2), (1, 3), (2, 4)]), [0, 1, 2])

    def test_inner_lane_when_interval_shorter(self):
        self.assertEqual(assign_lanes([(0, 4), (1, 2)]), [1, 0])

    def test_no_lane_shared_when_default_flows_drawn(self):
        """Arrows sharing a lane never overlap vertically."""
        for flow in FLOW_STEPS:
            statuses, transitions = _flow_input(flow)
            root = _parse(flow_diagram(statuses, transitions))
            runs = {}
            for arrow in _by_class(root, "path", "sfs-transition"):
                points = _points(arrow.get("d"))
                if len(points) == 4:  # lane: out, along, back in
                    x = points[1][0]
                    low, high = sorted((points[1][1], points[2][1]))
                    runs.setdefault(x, []).append((low, high))
            for x, spans in runs.items():
                spans.sort()
                for (_l0, h0), (l1, _h1) in zip(spans, spans[1:], strict=False):
                    with self.subTest(flow=flow, x=x):
                        self.assertLess(h0, l1)


class TestTextWidth(unittest.TestCase):
    def test_wide_characters_count_double(self):
        self.assertEqual(text_width("受付", 10), 20)
        self.assertEqual(text_width("ab", 10), 12)
