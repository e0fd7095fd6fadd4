# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transition diagrams of the fulfillment flows, drawn as SVG.

Pure layout, stdlib only: the statuses of a flow stand in one column in flow
order, one box each. A transition to the next status is a straight arrow
down; a transition that skips statuses goes round the column on the right, a
transition back (returns, cancelled procurement) on the left, each in its own
lane so that no two lanes share a stretch. Every arrow carries its trigger.
Side branches (hold, cancellation) stand beside the flow: a bracket marks the
statuses they can be entered from, an arrow leads to their box, and an arrow
leads back when the branch can be left (a hold is released).

The same input always gives the same SVG (no randomness, no dict order that
depends on anything but the input), so documents can be compared.
"""

import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import NamedTuple

SVG_NS = "http://www.w3.org/2000/svg"

FONT_FAMILY = "DejaVu Sans, Noto Sans CJK JP, Noto Sans JP, sans-serif"
FONT_SIZE = 11
SMALL_FONT_SIZE = 9
LABEL_FONT_SIZE = 10
LABEL_HEIGHT = 13
MARGIN = 12
BOX_MIN_WIDTH = 190
BOX_HEIGHT = 40
BOX_PADDING = 12
ROW_GAP = 46
LANE_OFFSET = 14  # first lane, from the box edge
LANE_PITCH = 14  # between two lanes
BRACKET_OFFSET = 24  # bracket of the side branches, from the right extent
BRANCH_GAP = 34  # between two side-branch boxes
HEAD_LENGTH = 8
HEAD_WIDTH = 7

COLORS = {
    "box_fill": "#eef4fb",
    "box_stroke": "#3f6fa8",
    "text": "#1f2933",
    "muted": "#6b7785",
    "arrow": "#44505c",
    "branch_fill": "#fff4e5",
    "branch_stroke": "#c77700",
    "label_bg": "#ffffff",
}


class Branch(NamedTuple):
    """A side branch of a flow (hold, cancellation).

    ``from_codes`` are the statuses it can be entered from; ``back_trigger``
    labels the arrow back into the flow (empty: a branch without return).
    """

    code: str
    label: str
    trigger: str
    from_codes: tuple = ()
    back_trigger: str = ""


class _Edge(NamedTuple):
    order: int
    src: int
    dst: int
    label: str


def text_width(text, size=LABEL_FONT_SIZE):
    """Estimated width of ``text`` in px: wide (CJK) characters count double."""
    return sum(
        size * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6)
        for char in text or ""
    )


def _num(value):
    value = round(value, 1)
    return str(int(value)) if value == int(value) else str(value)


def _safe_id(prefix):
    return re.sub(r"[^A-Za-z0-9_-]", "-", prefix or "sfs") or "sfs"


def assign_lanes(intervals):
    """Lane index of each ``(low, high)`` interval, innermost first.

    Shorter intervals get the inner lanes; an interval never shares a lane
    with one it overlaps or touches, so lanes never run into each other.
    """
    order = sorted(
        range(len(intervals)),
        key=lambda i: (intervals[i][1] - intervals[i][0], intervals[i], i),
    )
    lanes = []  # intervals taken, per lane
    result = [0] * len(intervals)
    for i in order:
        low, high = intervals[i]
        for lane, taken in enumerate(lanes):
            if all(high < t_low or t_high < low for t_low, t_high in taken):
                taken.append((low, high))
                result[i] = lane
                break
        else:
            lanes.append([(low, high)])
            result[i] = len(lanes) - 1
    return result


def _classify(statuses, transitions):
    """Straight, right-lane and left-lane edges between known statuses."""
    index = {code: i for i, (code, _label) in enumerate(statuses)}
    straight, right, left = [], [], []
    for order, (src, dst, label) in enumerate(transitions):
        if src not in index or dst not in index or src == dst:
            continue
        edge = _Edge(order, index[src], index[dst], label or "")
        if edge.dst == edge.src + 1:
            straight.append(edge)
        elif edge.dst > edge.src:
            right.append(edge)
        else:
            left.append(edge)
    return straight, right, left


def _ports(edges, lanes, row_top):
    """Where each lane leaves or enters its boxes on one side of the column.

    On a box side, lanes going up attach above lanes going down; inner lanes
    going up attach higher, outer lanes going down attach higher, so that a
    lane's horizontal stub never crosses another lane's vertical run.

    :return: {(edge.order, row): y}
    """
    by_row = {}
    for edge, lane in zip(edges, lanes, strict=True):
        for row, other in ((edge.src, edge.dst), (edge.dst, edge.src)):
            going_up = other < row
            by_row.setdefault(row, []).append((going_up, lane, edge.order))
    ports = {}
    for row, attached in by_row.items():
        ups = sorted((lane, order) for up, lane, order in attached if up)
        downs = sorted(
            ((lane, order) for up, lane, order in attached if not up),
            key=lambda item: (-item[0], item[1]),
        )
        ordered = ups + downs
        step = BOX_HEIGHT / (len(ordered) + 1)
        for position, (_lane, order) in enumerate(ordered, start=1):
            ports[(order, row)] = row_top(row) + position * step
    return ports


def _place_label(box, placed, low, high):
    """Move a label box up or down within [low, high] until it is free."""
    x0, x1, y0, y1 = box

    def free(dy):
        return all(
            x1 <= p0 or p1 <= x0 or y1 + dy <= q0 or q1 <= y0 + dy
            for p0, p1, q0, q1 in placed
        )

    for step in range(0, 12):
        for dy in (step * LABEL_HEIGHT, -step * LABEL_HEIGHT):
            if low <= y0 + dy and y1 + dy <= high and free(dy):
                return (x0, x1, y0 + dy, y1 + dy)
    return box


class _Canvas:
    def __init__(self, id_prefix, title):
        self.id = _safe_id(id_prefix)
        self.root = ET.Element(
            "svg", {"xmlns": SVG_NS, "version": "1.1", "id": f"{self.id}-diagram"}
        )
        if title:
            ET.SubElement(self.root, "title").text = title
        self.edges = ET.SubElement(self.root, "g", {"class": "sfs-edges"})
        self.nodes = ET.SubElement(self.root, "g", {"class": "sfs-nodes"})
        self.labels = ET.SubElement(self.root, "g", {"class": "sfs-labels"})

    def arrow(self, points, css_class, data, dashed=False):
        """An orthogonal arrow through ``points``, its head on the last one.

        The head is drawn, not a marker: wkhtmltopdf does not draw markers.
        """
        group = ET.SubElement(self.edges, "g", {"class": "sfs-arrow"})
        d = f"M{_num(points[0][0])},{_num(points[0][1])}"
        for (x0, _y0), (x1, y1) in zip(points, points[1:], strict=False):
            d += f" V{_num(y1)}" if x0 == x1 else f" H{_num(x1)}"
        attrs = {
            "class": css_class,
            "d": d,
            "fill": "none",
            "stroke": COLORS["arrow"],
            "stroke-width": "1.2",
        }
        if dashed:
            attrs["stroke-dasharray"] = "5,3"
        attrs.update(data)
        ET.SubElement(group, "path", attrs)
        (x0, y0), (x1, y1) = points[-2], points[-1]
        dx = (x1 > x0) - (x1 < x0)
        dy = (y1 > y0) - (y1 < y0)
        bx, by = x1 - dx * HEAD_LENGTH, y1 - dy * HEAD_LENGTH
        px, py = -dy * HEAD_WIDTH / 2, dx * HEAD_WIDTH / 2
        ET.SubElement(
            group,
            "path",
            {
                "class": "sfs-arrowhead",
                "d": f"M{_num(x1)},{_num(y1)} L{_num(bx + px)},{_num(by + py)} "
                f"L{_num(bx - px)},{_num(by - py)} Z",
                "fill": COLORS["arrow"],
                "stroke": "none",
            },
        )

    def label(self, box, text, anchor, css_class):
        x0, x1, y0, y1 = box
        group = ET.SubElement(self.labels, "g", {"class": css_class})
        ET.SubElement(
            group,
            "rect",
            {
                "class": "sfs-label-bg",
                "x": _num(x0 - 1),
                "y": _num(y0),
                "width": _num(x1 - x0 + 2),
                "height": _num(y1 - y0),
                "fill": COLORS["label_bg"],
                "fill-opacity": "0.9",
            },
        )
        x = {"start": x0, "end": x1, "middle": (x0 + x1) / 2}[anchor]
        node = ET.SubElement(
            group,
            "text",
            {
                "x": _num(x),
                "y": _num(y1 - 3),
                "text-anchor": anchor,
                "font-family": FONT_FAMILY,
                "font-size": str(LABEL_FONT_SIZE),
                "fill": COLORS["text"],
            },
        )
        node.text = text

    def box(self, x, y, width, code, label, css_class, sublabel=""):
        branch = css_class != "sfs-status"
        group = ET.SubElement(
            self.nodes, "g", {"class": f"{css_class}-node", "data-code": code}
        )
        attrs = {
            "class": css_class,
            "data-code": code,
            "x": _num(x),
            "y": _num(y),
            "width": _num(width),
            "height": str(BOX_HEIGHT),
            "rx": "6",
            "fill": COLORS["branch_fill" if branch else "box_fill"],
            "stroke": COLORS["branch_stroke" if branch else "box_stroke"],
            "stroke-width": "1.5",
        }
        if branch:
            attrs["stroke-dasharray"] = "4,2"
        ET.SubElement(group, "rect", attrs)
        text = ET.SubElement(
            group,
            "text",
            {
                "x": _num(x + width / 2),
                "y": _num(y + (17 if sublabel else 24)),
                "text-anchor": "middle",
                "font-family": FONT_FAMILY,
                "font-size": str(FONT_SIZE),
                "font-weight": "bold",
                "fill": COLORS["text"],
            },
        )
        text.text = label
        if sublabel:
            small = ET.SubElement(
                group,
                "text",
                {
                    "x": _num(x + width / 2),
                    "y": _num(y + 31),
                    "text-anchor": "middle",
                    "font-family": FONT_FAMILY,
                    "font-size": str(SMALL_FONT_SIZE),
                    "fill": COLORS["muted"],
                },
            )
            small.text = sublabel

    def bracket(self, x, ys):
        stubs = "".join(f" M{_num(x)},{_num(y)} h-6" for y in ys)
        ET.SubElement(
            self.edges,
            "path",
            {
                "class": "sfs-branch-bracket",
                "d": f"M{_num(x)},{_num(min(ys))} V{_num(max(ys))}{stubs}",
                "fill": "none",
                "stroke": COLORS["branch_stroke"],
                "stroke-width": "1.2",
                "stroke-dasharray": "4,2",
            },
        )

    def tostring(self, width, height):
        self.root.set("width", _num(width))
        self.root.set("height", _num(height))
        self.root.set("viewBox", f"0 0 {_num(width)} {_num(height)}")
        self.root.set("class", "sfs-flow-diagram")
        return ET.tostring(self.root, encoding="unicode")


def flow_diagram(statuses, transitions, branches=(), id_prefix="sfs", title=""):
    """The SVG diagram of one flow.

    :param statuses: ordered ``(code, label)`` of the flow's statuses; a label
        may be a ``(label, sublabel)`` pair to print a second, smaller line
    :param transitions: ``(from code, to code, trigger label)``; transitions
        between statuses not in ``statuses`` are left out
    :param branches: ``Branch`` tuples drawn beside the flow
    :param id_prefix: prefix of the SVG's id (unique per page)
    :param title: the SVG's title
    :return: the SVG document as a string
    """
    rows = []
    for code, label in statuses:
        main, sub = label if isinstance(label, tuple) else (label, "")
        rows.append((code, main or code, sub or ""))
    pitch = BOX_HEIGHT + ROW_GAP
    box_width = max(
        [BOX_MIN_WIDTH]
        + [text_width(main, FONT_SIZE) + 2 * BOX_PADDING for _c, main, _s in rows]
    )
    straight, right, left = _classify([(c, m) for c, m, _s in rows], transitions)
    right_lanes = assign_lanes([(e.src, e.dst) for e in right])
    left_lanes = assign_lanes([(e.dst, e.src) for e in left])

    # horizontal room: left lanes and their labels come before the column
    box_left = MARGIN
    for edge, lane in zip(left, left_lanes, strict=True):
        room = LANE_OFFSET + lane * LANE_PITCH + 4 + text_width(edge.label)
        box_left = max(box_left, MARGIN + room)
    for edge in straight:
        box_left = max(box_left, MARGIN + text_width(edge.label) / 2 - box_width / 2)
    box_right = box_left + box_width
    center = box_left + box_width / 2

    def row_top(row):
        return MARGIN + row * pitch

    canvas = _Canvas(id_prefix, title)
    for row, (code, main, sub) in enumerate(rows):
        canvas.box(box_left, row_top(row), box_width, code, main, "sfs-status", sub)

    placed = []
    right_extent = box_right
    for edge in sorted(straight):
        y0 = row_top(edge.src) + BOX_HEIGHT
        y1 = row_top(edge.dst)
        canvas.arrow(
            [(center, y0), (center, y1)],
            "sfs-transition",
            {"data-from": rows[edge.src][0], "data-to": rows[edge.dst][0]},
        )
        if edge.label:
            width = text_width(edge.label)
            mid = (y0 + y1) / 2
            box = (
                center - width / 2,
                center + width / 2,
                mid - LABEL_HEIGHT / 2,
                mid + LABEL_HEIGHT / 2,
            )
            placed.append(box)
            canvas.label(box, edge.label, "middle", "sfs-transition-label")
            right_extent = max(right_extent, box[1])

    for side, edges, lanes in (
        ("right", right, right_lanes),
        ("left", left, left_lanes),
    ):
        ports = _ports(edges, lanes, row_top)
        edge_x = box_right if side == "right" else box_left
        sign = 1 if side == "right" else -1
        for edge, lane in sorted(zip(edges, lanes, strict=True), key=lambda p: p[1]):
            lane_x = edge_x + sign * (LANE_OFFSET + lane * LANE_PITCH)
            y_src = ports[(edge.order, edge.src)]
            y_dst = ports[(edge.order, edge.dst)]
            canvas.arrow(
                [(edge_x, y_src), (lane_x, y_src), (lane_x, y_dst), (edge_x, y_dst)],
                "sfs-transition",
                {"data-from": rows[edge.src][0], "data-to": rows[edge.dst][0]},
            )
            if not edge.label:
                continue
            width = text_width(edge.label)
            mid = (y_src + y_dst) / 2
            x0 = lane_x + 4 if side == "right" else lane_x - 4 - width
            box = _place_label(
                (x0, x0 + width, mid - LABEL_HEIGHT / 2, mid + LABEL_HEIGHT / 2),
                placed,
                min(y_src, y_dst),
                max(y_src, y_dst),
            )
            placed.append(box)
            canvas.label(
                box,
                edge.label,
                "start" if side == "right" else "end",
                "sfs-transition-label",
            )
            right_extent = max(right_extent, box[1], lane_x)

    height = row_top(len(rows) - 1) + BOX_HEIGHT + MARGIN if rows else 2 * MARGIN
    width = right_extent + MARGIN
    if branches and rows:
        width, height = _draw_branches(
            canvas, rows, branches, row_top, right_extent, height
        )
    return canvas.tostring(width, height)


def _draw_branches(canvas, rows, branches, row_top, right_extent, height):
    """Side branches beside the flow; brackets shared by identical sources."""
    index = {code: i for i, (code, _m, _s) in enumerate(rows)}
    groups = []  # (rows the bracket spans, [branches])
    for branch in branches:
        sources = tuple(sorted({index[c] for c in branch.from_codes if c in index}))
        if not sources:
            sources = tuple(range(len(rows)))
        for group_sources, members in groups:
            if group_sources == sources:
                members.append(branch)
                break
        else:
            groups.append((sources, [branch]))
    bracket_x = right_extent + BRACKET_OFFSET
    arrow_len = 24 + max(
        text_width(text) for b in branches for text in (b.trigger, b.back_trigger)
    )
    box_x = bracket_x + len(groups) * 10 + arrow_len
    box_width = max(
        [BOX_MIN_WIDTH * 0.7]
        + [text_width(b.label, FONT_SIZE) + 2 * BOX_PADDING for b in branches]
    )
    box_y = MARGIN
    for number, (sources, members) in enumerate(groups):
        x = bracket_x + number * 10
        ys = [row_top(row) + BOX_HEIGHT / 2 for row in sources]
        canvas.bracket(x, ys)
        span_mid = (min(ys) + max(ys)) / 2
        stack = len(members) * BOX_HEIGHT + (len(members) - 1) * BRANCH_GAP
        box_y = max(box_y, span_mid - stack / 2)
        for branch in members:
            top = box_y
            canvas.box(box_x, top, box_width, branch.code, branch.label, "sfs-branch")
            y_in = top + 12
            canvas.arrow(
                [(x, y_in), (box_x, y_in)],
                "sfs-branch-arrow",
                {"data-to": branch.code},
                dashed=True,
            )
            if branch.trigger:
                canvas.label(
                    (x + 4, box_x - 8, y_in - LABEL_HEIGHT - 1, y_in - 1),
                    branch.trigger,
                    "middle",
                    "sfs-branch-label",
                )
            if branch.back_trigger:
                y_back = top + BOX_HEIGHT - 10
                canvas.arrow(
                    [(box_x, y_back), (x, y_back)],
                    "sfs-branch-arrow",
                    {"data-from": branch.code},
                    dashed=True,
                )
                canvas.label(
                    (x + 4, box_x - 8, y_back + 1, y_back + LABEL_HEIGHT + 1),
                    branch.back_trigger,
                    "middle",
                    "sfs-branch-label",
                )
            box_y = top + BOX_HEIGHT + BRANCH_GAP
    width = box_x + box_width + MARGIN
    height = max(height, box_y - BRANCH_GAP + BOX_HEIGHT / 2 + MARGIN)
    return width, height
