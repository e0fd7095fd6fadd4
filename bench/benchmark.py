# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark the addon against Odoo's own delivery status, side by side.

Run through ``bench/run`` (which makes the throwaway cluster and the two
databases), or directly inside a prepared setup::

    python bench/benchmark.py --odoo-src ~/src/odoo19 -c odoo.conf \\
        --addon-db sfs_bench_addon --base-db sfs_bench_base \\
        --sizes 1000,10000 --runs 5

Both databases hold sale_stock, mrp, purchase_stock and stock_dropshipping;
only the first one has the addon. The same data set (same seed, same steps)
is generated in both, growing from one size to the next; every figure is
the median of ``--runs`` runs, each one rolled back so that the next run
does the same work. Output: a Markdown table, PASS/MISS per target.
"""

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from contextlib import contextmanager

LINES_PER_ORDER = 5
BATCH = 100
GEN_CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_auto_subscribe_no_notify": True,
    "fulfillment_no_email": True,
}
PORTAL_LOGIN = "bench_portal"
PORTAL_PASSWORD = "bench_portal_pw"  # noqa: S105 - throwaway database
# A page request or a validation takes milliseconds, and the machine's
# speed varies by as much from one to the next: more samples than the other
# figures, 50 per database at --runs 5. A portal page: its spread (±15 to
# ±30 ms around 45 to 85 ms) moved a median of 20 by more than the 10 % the
# target allows. A validation (another shipment each time): with 20, the
# ratio of the two medians read from -1.5 % to +20.7 % between identical
# measures (docs/benchmark_log.md), for a target of +5 %.
PORTAL_REQUESTS_PER_RUN = 10
VALIDATIONS_PER_RUN = 10
# Share of orders per kind (cumulative thresholds on a random draw)
MIX = (
    (0.50, "stock"),  # one-step delivery from stock
    (0.62, "multistep"),  # pick + pack + ship warehouse
    (0.74, "build"),  # build to order (manufactured line + stock lines)
    (0.86, "dropship"),  # drop-shipped by the vendor
    (1.00, "split"),  # stock, shipped in two parts
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--addon-db", required=True)
    parser.add_argument("--base-db", required=True)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--late-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: grow the two databases side by side, one process each "
        "(on two cores or more; the measures never overlap)",
    )
    # internal: what one process of --jobs 2 does (DB:FROM_LINES:TO_LINES)
    parser.add_argument("--grow-only", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def log(msg):
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def out(text):
    """The table goes to stdout (progress to stderr)."""
    sys.stdout.write(text)
    sys.stdout.flush()


# ----------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------


@contextmanager
def counting():
    """Wall time (s) and SQL queries of the block, via Odoo's thread counter
    (``odoo.sql_db.Cursor.execute`` counts every query of this thread)."""
    thread = threading.current_thread()
    thread.query_count = 0
    result = {}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["time"] = time.perf_counter() - start
        result["queries"] = thread.query_count


@contextmanager
def profiling():
    """The Python function calls of the block, counted by cProfile."""
    profile = cProfile.Profile()
    result = {}
    profile.enable()
    try:
        yield result
    finally:
        profile.disable()
        result["calls"] = pstats.Stats(profile).total_calls


def spread(values):
    """(median, half the range): the figure and its spread."""
    values = sorted(values)
    return statistics.median(values), (values[-1] - values[0]) / 2.0


# ----------------------------------------------------------------------------
# Data set
# ----------------------------------------------------------------------------


class Database:
    """One benchmark database (with or without the addon) and its data set."""

    def __init__(self, odoo, name, seed):
        self.odoo = odoo
        self.name = name
        self.registry = odoo.modules.registry.Registry(name)
        self.addon = "sale.fulfillment.status" in self.registry
        self.seed = seed
        self.lines = 0

    @contextmanager
    def env(self, context=None, commit=True):
        api = self.odoo.api
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, context or {})
            yield env
            if commit:
                cr.commit()
            else:
                cr.rollback()

    # -- master data ---------------------------------------------------------

    def setup(self):
        with self.env(GEN_CONTEXT) as env:
            if env["res.partner"].search_count([("ref", "=like", "BENCH-%")]):
                return
            env.ref("stock.route_warehouse0_mto").active = True
            company = env.company
            wh1 = env["stock.warehouse"].search([("company_id", "=", company.id)])[0]
            wh2 = env["stock.warehouse"].create({"name": "Bench 3-step", "code": "B3S"})
            wh2.delivery_steps = "pick_pack_ship"
            env["res.partner"].create(
                [
                    {"name": f"Bench Customer {i:03d}", "ref": f"BENCH-{i:03d}"}
                    for i in range(200)
                ]
            )
            portal_partner = env["res.partner"].create(
                {
                    "name": "Bench Portal Customer",
                    "ref": "BENCH-PORTAL",
                    "email": "portal@bench.example.com",
                }
            )
            env["res.users"].create(
                {
                    "name": portal_partner.name,
                    "login": PORTAL_LOGIN,
                    "password": PORTAL_PASSWORD,
                    "partner_id": portal_partner.id,
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
            )
            vendor = env["res.partner"].create(
                {"name": "Bench Vendor", "ref": "BENCH-VENDOR"}
            )
            # shipped within a week, as customers are told (sale_delay):
            # deliveries are not late the day the order is confirmed
            product_vals = {
                "type": "consu",
                "is_storable": True,
                "list_price": 10,
                "sale_delay": 5,
            }
            stock_products = env["product.product"].create(
                [
                    dict(
                        product_vals, name=f"Bench Item {i:02d}", default_code=f"BI{i}"
                    )
                    for i in range(40)
                ]
            )
            component = env["product.product"].create(
                dict(product_vals, name="Bench Component", default_code="BCOMP")
            )
            routes = [
                env.ref("stock.route_warehouse0_mto").id,
                env.ref("mrp.route_warehouse0_manufacture").id,
            ]
            build_products = env["product.product"].create(
                [
                    dict(
                        product_vals,
                        name=f"Bench Built {i}",
                        default_code=f"BB{i}",
                        route_ids=[(6, 0, routes)],
                    )
                    for i in range(5)
                ]
            )
            env["mrp.bom"].create(
                [
                    {
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "product_qty": 1,
                        "bom_line_ids": [
                            (0, 0, {"product_id": component.id, "product_qty": 2})
                        ],
                    }
                    for product in build_products
                ]
            )
            dropship = env.ref("stock_dropshipping.route_drop_shipping")
            env["product.product"].create(
                [
                    dict(
                        product_vals,
                        name=f"Bench Dropship {i}",
                        default_code=f"BD{i}",
                        route_ids=[(6, 0, dropship.ids)],
                        seller_ids=[(0, 0, {"partner_id": vendor.id, "price": 5})],
                    )
                    for i in range(5)
                ]
            )
            quant = env["stock.quant"]
            for warehouse in wh1 | wh2:
                for product in stock_products | component:
                    quant._update_available_quantity(
                        product, warehouse.lot_stock_id, 10_000_000
                    )
            log(f"{self.name}: master data created")

    def _master(self, env):
        partners = env["res.partner"].search(
            [("ref", "=like", "BENCH-___")], order="ref"
        )
        portal = env["res.partner"].search([("ref", "=", "BENCH-PORTAL")])
        products = {
            kind: env["product.product"].search(
                [("default_code", "=like", f"{prefix}%")], order="default_code"
            )
            for kind, prefix in (("stock", "BI"), ("build", "BB"), ("dropship", "BD"))
        }
        warehouses = env["stock.warehouse"].search([], order="id")
        return partners, portal, products, warehouses

    # -- orders --------------------------------------------------------------

    def grow(self, lines):
        """Add orders until the data set has ``lines`` order lines."""
        rng = random.Random(f"{self.seed}-{self.lines}-{lines}")
        with self.env(GEN_CONTEXT) as env:
            partners, portal, products, warehouses = self._master(env)
            wh1, wh3 = warehouses[0], warehouses[-1]
            todo = (lines - self.lines) // LINES_PER_ORDER
            done = 0
            started = time.perf_counter()
            while done < todo:
                count = min(BATCH, todo - done)
                plans = [
                    self._plan(rng, partners, portal, products) for _ in range(count)
                ]
                vals_list = []
                for kind, partner, line_products in plans:
                    vals_list.append(
                        {
                            "partner_id": partner.id,
                            "warehouse_id": (wh3 if kind == "multistep" else wh1).id,
                            "order_line": [
                                (
                                    0,
                                    0,
                                    {
                                        "product_id": product.id,
                                        "product_uom_qty": rng.randint(2, 10),
                                    },
                                )
                                for product in line_products
                            ],
                        }
                    )
                orders = env["sale.order"].create(vals_list)
                self._subscribe_salespeople(orders)
                orders.action_confirm()
                self._progress(env, rng, orders, [plan[0] for plan in plans])
                env.flush_all()
                env.cr.commit()
                env.invalidate_all()
                done += count
                if done % 1000 == 0 or done == todo:
                    rate = done / (time.perf_counter() - started)
                    log(f"{self.name}: {done}/{todo} orders ({rate:.1f}/s)")
            self.lines = lines
        log(f"{self.name}: {lines} lines in {time.perf_counter() - started:.0f} s")

    @staticmethod
    def _subscribe_salespeople(orders):
        """Make each order's salesperson and creator follow it, as Odoo does
        for an order created with tracking on (``_message_auto_subscribe``
        of the tracked ``user_id``). The generator creates orders with
        tracking off, for speed, which skips it: without it, the first alert
        on an order would subscribe its responsible, work a real database
        does once, when the order is entered."""
        creator = orders.env.user.partner_id
        for user, user_orders in orders.grouped("user_id").items():
            user_orders.message_subscribe(partner_ids=(user.partner_id | creator).ids)

    def _plan(self, rng, partners, portal, products):
        draw = rng.random()
        kind = next(name for limit, name in MIX if draw < limit)
        partner = portal if rng.random() < 0.1 else rng.choice(partners)
        if kind == "dropship":
            line_products = [rng.choice(products["dropship"]) for _ in range(5)]
        elif kind == "build":
            line_products = [rng.choice(products["build"])] + [
                rng.choice(products["stock"]) for _ in range(4)
            ]
        else:
            line_products = rng.sample(list(products["stock"]), LINES_PER_ORDER)
        return kind, partner, line_products

    def _progress(self, env, rng, orders, kinds):
        """Move part of the new orders on: ship, split, confirm purchases."""
        ship = env["stock.picking"]
        split = env["stock.picking"]
        picks = env["stock.picking"]
        purchases = env["purchase.order"]
        for order, kind in zip(orders, kinds, strict=True):
            draw = rng.random()
            if kind == "stock" and draw < 0.3:
                ship |= order.picking_ids
            elif kind == "split":
                split |= order.picking_ids
            elif kind == "multistep" and draw < 0.5:
                picks |= order.picking_ids.filtered(
                    lambda p: p.picking_type_id.warehouse_id.pick_type_id
                    == p.picking_type_id
                )
            elif kind == "dropship" and draw < 0.5:
                purchases |= order.order_line.purchase_line_ids.order_id
        purchases = purchases.filtered(lambda po: po.state in ("draft", "sent"))
        if purchases:
            purchases.button_confirm()
        for pickings, share in ((ship | picks, 1.0), (split, 0.5)):
            pickings = pickings.filtered(lambda p: p.state == "assigned")
            if not pickings:
                continue
            for move in pickings.move_ids:
                move.write(
                    {
                        "quantity": max(1, math.floor(move.product_uom_qty * share)),
                        "picked": True,
                    }
                )
            pickings.with_context(skip_backorder=True).button_validate()

    def make_late(self, share):
        """Backdate the status of ``share`` of the open orders, so that their
        time budget ran out (as if they had entered their status long ago)."""
        if not self.addon:
            return 0
        with self.env() as env:
            env.cr.execute(
                """
                SELECT so.id, st.time_budget_hours
                  FROM sale_order so
                  JOIN sale_fulfillment_status st ON st.id = so.fulfillment_status_id
                 WHERE so.fulfillment_status NOT IN ('done', 'cancelled')
                   AND st.time_budget_hours > 0
                   AND so.fulfillment_deadline > now() at time zone 'UTC'
                 ORDER BY so.id
                """
            )
            rows = env.cr.fetchall()
            rng = random.Random(f"{self.seed}-late-{self.lines}")
            domain = [("fulfillment_status", "not in", ("done", "cancelled", False))]
            orders = env["sale.order"]
            open_count = orders.search_count(domain)
            already = orders.search_count(
                domain
                + [("fulfillment_deadline", "<", self.odoo.fields.Datetime.now())]
            )
            wanted = int(open_count * share) - already
            rng.shuffle(rows)
            late = rows[: max(wanted, 0)]
            for order_id, hours in late:
                env.cr.execute(
                    """
                    UPDATE sale_order
                       SET fulfillment_status_date = now() at time zone 'UTC'
                               - make_interval(hours => %(h)s + 24),
                           fulfillment_deadline = now() at time zone 'UTC'
                               - interval '24 hours'
                     WHERE id = %(id)s;
                    UPDATE sale_fulfillment_history
                       SET date = now() at time zone 'UTC'
                               - make_interval(hours => %(h)s + 24)
                     WHERE order_id = %(id)s AND left_date IS NULL
                    """,
                    {"id": order_id, "h": int(hours)},
                )
            return open_count


# ----------------------------------------------------------------------------
# The measures
# ----------------------------------------------------------------------------


def measure_recompute(db, runs, fname, batch_sizes):
    """Recompute ``fname`` of every confirmed order, from a cold cache, as
    after a bulk change of their facts; also of batches of a given size."""
    out = {}
    with db.env(commit=False) as env:
        orders = env["sale.order"].search([("state", "=", "sale")], order="id")
        field = env["sale.order"]._fields[fname]
        for label, records in [("all", orders)] + [
            (size, orders[:size]) for size in batch_sizes
        ]:
            out[f"{label}_count"] = len(records)
            samples = []
            for run in range(runs + 1):
                env.invalidate_all()
                env.add_to_compute(field, records)
                with counting() as sample:
                    env.flush_all()
                if run:  # the first run warms Odoo's caches
                    samples.append(sample)
                env.cr.rollback()
            out[label] = samples
        out["orders"] = len(orders)
    return out


def pick_shipments(db, count):
    """Open one-step deliveries of stock orders, ready to validate as they
    are: every move fully reserved, nothing marked picked yet (same ones in
    both databases)."""
    with db.env(commit=False) as env:
        wh1 = env["stock.warehouse"].search([], order="id", limit=1)
        pickings = env["stock.picking"].search(
            [
                ("picking_type_id", "=", wh1.out_type_id.id),
                ("state", "=", "assigned"),
                ("backorder_id", "=", False),
                ("sale_id", "!=", False),
            ],
            order="id",
        )
        ready = pickings.filtered(
            lambda p: all(
                not move.picked and move.quantity >= move.product_uom_qty
                for move in p.move_ids
            )
        )
        return ready[:count].mapped("name")


def validate_once(db, name, notify_job=False, probe=counting):
    """Validate one whole shipment (and its transaction's precommit work),
    then roll back: the same shipment can be validated again. ``probe`` is
    the context manager measuring it (``counting``: time and queries).

    ``notify_job=True`` (addon only, for information): measure instead what
    the scheduled action 'Fulfillment: status notifications' does after the
    commit for that validation (the chatter post of the status change and
    the customer's 'Shipped' email), out of the validating transaction.
    """
    with db.env(commit=False) as env:
        # As a warehouse user does it: Validate on a ready delivery, which
        # Odoo marks picked. Nothing is written before in this transaction:
        # rows it updated would weigh on the measured statements (PostgreSQL
        # checks all foreign keys of a row the same transaction wrote).
        picking = env["stock.picking"].search([("name", "=", name)])
        env.invalidate_all()
        if notify_job:
            picking.button_validate()
            env.flush_all()
            env.cr.precommit.run()
            env.invalidate_all()
        with probe() as sample:
            if notify_job:
                env["sale.fulfillment.history"]._cron_notify_status_changes()
            else:
                picking.button_validate()
            env.flush_all()
            env.cr.precommit.run()
        assert picking.state == "done", picking.state
        env.cr.rollback()
    return sample


def in_turn(items, run):
    """``(position, item)`` of ``items`` in the order of turn ``run``: the
    first one alternates, so that neither side always goes first."""
    turn = list(enumerate(items))
    return turn if run % 2 else turn[::-1]


def measure_validation(dbs, names):
    """The same shipments validated in each database, side by side: for
    each shipment the databases take turns, so that a slower moment of the
    machine weighs on both (the first shipment once more to warm up).
    :return: [samples] per database."""
    samples = [[] for _db in dbs]
    for index, name in enumerate([names[0]] + names):
        for position, db in in_turn(dbs, index):
            sample = validate_once(db, name)
            if index:
                samples[position].append(sample)
    return samples


def count_validation_calls(dbs, names):
    """Python function calls of a validation in each database, counted by
    cProfile (after one validation to warm up): the same shipment makes the
    same calls from one time to the next, so the figure reads the addon's
    Python work without the machine's noise. Not timed: profiling slows it.
    :return: [mean calls per validation] per database."""
    counts = [[] for _db in dbs]
    for index, name in enumerate([names[0]] + names):
        for position, db in enumerate(dbs):
            sample = validate_once(db, name, probe=profiling)
            if index:
                counts[position].append(sample["calls"])
    return [statistics.mean(values) for values in counts]


def measure_notify_job(db, names):
    """The after-commit job of each validation (addon only, for information;
    the first shipment once more to warm up)."""
    samples = [validate_once(db, name, notify_job=True) for name in [names[0]] + names]
    return samples[1:]


def measure_scan(db, runs):
    """The delay scan over the open orders (not in cron mode: no commit)."""
    samples = []
    with db.env(commit=False) as env:
        orders = env["sale.order"]
        open_count = orders.search_count(
            [("fulfillment_status", "not in", ("done", "cancelled", False))]
        )
        late_count = orders.search_count(orders._fulfillment_scan_domain())
        batch_size = 500
        for run in range(runs + 1):
            env.invalidate_all()
            with counting() as sample:
                orders._cron_fulfillment_delay_scan(batch_size=batch_size)
                env.flush_all()
            if run:
                samples.append(sample)
            env.cr.rollback()
        env.invalidate_all()
        tracemalloc.start()
        orders._cron_fulfillment_delay_scan(batch_size=batch_size)
        env.flush_all()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        env.cr.rollback()
        late_pickings = env["stock.picking"].search_count(
            env["stock.picking"]._fulfillment_late_domain()
        )
    batches = math.ceil(late_count / batch_size) + math.ceil(late_pickings / batch_size)
    return {
        "samples": samples,
        "open": open_count,
        "late": late_count,
        "late_pickings": late_pickings,
        "batches": max(batches, 1),
        "peak_mb": peak / 2**20,
    }


class Portal:
    """Requests through Odoo's WSGI application, in this process."""

    def __init__(self, odoo):
        from werkzeug.test import Client

        self.odoo = odoo
        self.client = Client(odoo.http.root)

    def login(self, db):
        odoo = self.odoo
        session = odoo.http.root.session_store.new()
        session.update(odoo.http.get_default_session(), db=db.name)
        session["_trace_disable"] = True
        with db.env() as env:
            user = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
            session.uid = user.id
            session.login = PORTAL_LOGIN
            session.session_token = odoo.service.security.compute_session_token(
                session, env
            )
            session.context = dict(user.context_get())
            order = env["sale.order"].search(
                [("partner_id", "=", user.partner_id.id), ("state", "=", "sale")],
                order="id",
                limit=1,
            )
            order._portal_ensure_token()
            count = env["sale.order"].search_count(
                [("partner_id", "=", user.partner_id.id)]
            )
        odoo.http.root.session_store.save(session)
        return session.sid, order.id, count

    def measure(self, dbs, runs):
        """Each page requested ``PORTAL_REQUESTS_PER_RUN * runs`` times per
        database (after one warm-up request), the databases taking turns
        request by request. :return: [results] per database."""
        logins = [self.login(db) for db in dbs]
        results = [{"orders": count} for _sid, _order_id, count in logins]
        for label, path in (("list", "/my/orders"), ("page", "/my/orders/%d")):
            for result in results:
                result[label] = []
            for run in range(runs * PORTAL_REQUESTS_PER_RUN + 1):
                for position, (sid, order_id, _count) in in_turn(logins, run):
                    result = results[position]
                    url = path % order_id if "%d" in path else path
                    self.client.set_cookie("session_id", sid)
                    start = time.perf_counter()
                    response = self.client.get(url)
                    elapsed = time.perf_counter() - start
                    queries = threading.current_thread().query_count
                    assert response.status_code == 200, (url, response.status_code)
                    if run:
                        result[label].append({"time": elapsed, "queries": queries})
        return results


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def fmt_time(samples):
    median, half = spread([s["time"] for s in samples])
    return f"{median * 1000:.1f} ms ± {half * 1000:.1f}"


def fmt_queries(samples):
    median, half = spread([s["queries"] for s in samples])
    return f"{median:.0f} ± {half:.0f}" if half else f"{median:.0f}"


def med(samples, key):
    return statistics.median(s[key] for s in samples)


def paired(mine, theirs):
    """(median of the pairwise time differences, that median over Odoo's
    median time): the samples of the two sides come in pairs, the same
    shipment or page taken in turn, so that each difference is measured at
    one moment of the machine."""
    diffs = [a["time"] - b["time"] for a, b in zip(mine, theirs, strict=True)]
    diff = statistics.median(diffs)
    return diff, diff / med(theirs, "time")


def paired_row(mine, theirs):
    """The cells (with addon, Odoo alone, ratio) of a paired row."""
    diff, share = paired(mine, theirs)
    return f"{diff * 1000:+.1f} ms", "-", f"{share:+.1%}"


def verdict(ok):
    """PASS/MISS of a target; '-' for a figure without one of its own."""
    if ok is None:
        return "-"
    return "PASS" if ok else "MISS"


def report(figures, runs):
    rows = []

    def row(size, figure, addon, odoo, ratio, target, ok):
        rows.append(
            f"| {size} | {figure} | {addon} | {odoo} | {ratio} | {target} | "
            f"{verdict(ok)} |"
        )

    scans = {}
    for size, fig in figures.items():
        rec, base = fig["recompute"], fig["recompute_odoo"]
        t_ratio = med(rec["all"], "time") / med(base["all"], "time")
        row(
            size,
            f"1. status recompute, {rec['orders']} orders: time",
            fmt_time(rec["all"]),
            fmt_time(base["all"]),
            f"×{t_ratio:.2f}",
            "≤ ×1.00",
            t_ratio <= 1.0,
        )
        q_ratio = med(rec["all"], "queries") / max(med(base["all"], "queries"), 1)
        row(
            size,
            "1. status recompute: queries (all orders)",
            fmt_queries(rec["all"]),
            fmt_queries(base["all"]),
            f"×{q_ratio:.2f}",
            "-",
            None,
        )
        small, big = (
            min(k for k in rec if isinstance(k, int)),
            max(k for k in rec if isinstance(k, int)),
        )
        q_small, q_big = med(rec[small], "queries"), med(rec[big], "queries")
        row(
            size,
            f"1. status recompute: queries, batch of {rec[f'{small}_count']} → "
            f"{rec[f'{big}_count']} orders",
            f"{q_small:.0f} → {q_big:.0f}",
            f"{med(base[small], 'queries'):.0f} → {med(base[big], 'queries'):.0f}",
            f"+{q_big - q_small:.0f}",
            "+0 (flat in N)",
            q_big <= q_small,
        )
        val, val_base = fig["validation"], fig["validation_odoo"]
        dt = med(val, "time") / med(val_base, "time") - 1
        dq = med(val, "queries") - med(val_base, "queries")
        row(
            size,
            f"2. validate one shipment ({len(val)} shipments): time",
            fmt_time(val),
            fmt_time(val_base),
            f"{dt:+.1%}",
            "≤ +5%",
            dt <= 0.05,
        )
        row(
            size,
            "2. (information) validate one shipment: median of the paired "
            "differences (each shipment in turn in both databases)",
            *paired_row(val, val_base),
            "-",
            None,
        )
        row(
            size,
            "2. validate one shipment: queries",
            fmt_queries(val),
            fmt_queries(val_base),
            f"{dq:+.0f}",
            "≤ +5",
            dq <= 5,
        )
        calls = fig.get("validation_calls")
        if calls:
            row(
                size,
                "2. (information) validate one shipment: Python function calls "
                "(cProfile, 5 shipments, the same at every run)",
                f"{calls[0]:,.0f}",
                f"{calls[1]:,.0f}",
                f"{calls[0] / calls[1] - 1:+.1%}",
                "-",
                None,
            )
        job = fig["validation_notify_job"]
        row(
            size,
            "2. (information) after the commit: the notification job's chatter "
            "post and 'Shipped' email for that validation",
            f"{fmt_time(job)}, {fmt_queries(job)} queries",
            "-",
            "-",
            "-",
            None,
        )
        scan = fig["scan"]
        scans[size] = scan
        per_batch = med(scan["samples"], "queries") / scan["batches"]
        row(
            size,
            f"3. delay scan, {scan['open']} open orders ({scan['late']} late or "
            f"delayed, {scan['late_pickings']} late shipments): time",
            fmt_time(scan["samples"]),
            "-",
            "-",
            "(see 100k below)",
            None,
        )
        row(
            size,
            f"3. delay scan: queries per batch ({scan['batches']} batches)",
            f"{per_batch:.1f}",
            "-",
            "-",
            "constant (see growth)",
            None,
        )
        for key, label in (("list", "order list"), ("page", "order page")):
            mine, theirs = fig["portal"][key], fig["portal_odoo"][key]
            dt = med(mine, "time") / med(theirs, "time") - 1
            dq = med(mine, "queries") - med(theirs, "queries")
            row(
                size,
                f"4. portal {label} ({fig['portal']['orders']} orders): server time",
                fmt_time(mine),
                fmt_time(theirs),
                f"{dt:+.1%}",
                "≤ +10%",
                dt <= 0.10,
            )
            row(
                size,
                f"4. (information) portal {label}: median of the paired "
                "differences (requests in turn)",
                *paired_row(mine, theirs),
                "-",
                None,
            )
            row(
                size,
                f"4. portal {label}: queries",
                fmt_queries(mine),
                fmt_queries(theirs),
                f"{dq:+.0f}",
                "≤ +3",
                dq <= 3,
            )
        row(
            size,
            "5. delay scan: peak memory (tracemalloc)",
            f"{scan['peak_mb']:.1f} MiB",
            "-",
            "-",
            "flat in N (see growth)",
            None,
        )
    growth = []
    sizes = sorted(scans)
    if sizes:
        big = scans[sizes[-1]]
        seconds = med(big["samples"], "time")
        if big["open"] >= 100_000:
            label, value = "measured", seconds
        else:
            label = f"projected linearly from {big['open']} open orders"
            value = seconds * 100_000 / max(big["open"], 1)
        growth.append(
            f"| {sizes[-1]} | 3. delay scan over 100k open orders ({label}) | "
            f"{value:.1f} s | - | - | < 20 s | {verdict(value < 20)} |"
        )
    if len(sizes) > 1:
        # the growth between the two largest sizes (10k -> 100k by default):
        # at small sizes the late orders fill one batch partly, so a smaller
        # size compares partial batches with full ones
        sizes = sizes[-2:]
        first, last = scans[sizes[0]], scans[sizes[-1]]
        n_ratio = last["open"] / max(first["open"], 1)
        t_ratio = med(last["samples"], "time") / med(first["samples"], "time")
        qb_first = med(first["samples"], "queries") / first["batches"]
        qb_last = med(last["samples"], "queries") / last["batches"]
        mem_ratio = last["peak_mb"] / max(first["peak_mb"], 0.001)
        growth.append(
            f"| {sizes[0]} → {sizes[-1]} | 3. delay scan growth: open orders "
            f"×{n_ratio:.1f}, time ×{t_ratio:.1f} | queries per batch "
            f"{qb_first:.1f} → {qb_last:.1f} | - | - | constant per batch | "
            f"{verdict(qb_last <= qb_first * 1.1 + 1)} |"
        )
        growth.append(
            f"| {sizes[0]} → {sizes[-1]} | 5. delay scan memory growth | "
            f"{first['peak_mb']:.1f} → {last['peak_mb']:.1f} MiB | - | "
            f"×{mem_ratio:.2f} | flat in N (≤ ×1.5) | {verdict(mem_ratio <= 1.5)} |"
        )
    header = [
        f"Median of {runs} runs ± half the range (spread). Sizes are order "
        "lines; figures side by side: with the addon | Odoo alone.",
        "",
        "| Lines | Figure | With addon | Odoo alone / baseline | Ratio or Δ | "
        "Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    return "\n".join(header + rows + growth)


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------


def grow_all(dbs, size, args):
    """Grow each database to ``size`` lines: one after the other, or with
    ``--jobs 2`` side by side, one child process of this script each (the
    ORM generation is bound to one core per process). The data set is the
    same either way: each database draws from its own seeded generator."""
    if args.jobs == 1:
        for db in dbs:
            db.grow(size)
        return
    started = time.perf_counter()
    running = []
    for db in dbs:
        command = [
            sys.executable,
            os.path.abspath(__file__),
            "--odoo-src",
            args.odoo_src,
            "-c",
            args.config,
            "--addon-db",
            args.addon_db,
            "--base-db",
            args.base_db,
            "--seed",
            str(args.seed),
            "--grow-only",
            f"{db.name}:{db.lines}:{size}",
        ]
        running.append((db, subprocess.Popen(command)))  # noqa: S603
    while running:
        time.sleep(1)
        for db, child in list(running):
            code = child.poll()
            if code is None:
                continue
            running.remove((db, child))
            if code:
                # no use growing the other one for an hour: stop it too
                for _other, other_child in running:
                    other_child.terminate()
                    other_child.wait()
                raise SystemExit(
                    f"bench: growing {db.name} to {size} lines failed "
                    "(its error is above)"
                )
    for db in dbs:
        db.lines = size
    log(f"both databases: {size} lines in {time.perf_counter() - started:.0f} s")


def grow_only(odoo, spec, seed):
    """One process of ``--jobs 2``: grow one database, from the lines the
    parent says it has to ``TO_LINES``."""
    name, start, end = spec.split(":")
    db = Database(odoo, name, seed)
    db.lines = int(start)
    db.grow(int(end))
    return 0


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    sys.path.insert(0, args.odoo_src)
    import odoo.cli  # noqa: F401 - sets Odoo up as odoo-bin does
    import odoo.fields
    import odoo.http
    import odoo.modules.registry
    import odoo.service.security
    from odoo.tools import config

    config.parse_config(["-c", args.config, "--log-level=warn"], setup_logging=True)
    config["dbfilter"] = ""
    odoo.service.server.load_server_wide_modules()
    if args.grow_only:
        return grow_only(odoo, args.grow_only, args.seed)
    sizes = [int(size) for size in args.sizes.split(",")]
    addon = Database(odoo, args.addon_db, args.seed)
    base = Database(odoo, args.base_db, args.seed)
    assert addon.addon and not base.addon, "the first database must have the addon"
    portal = Portal(odoo)
    figures = {}
    for db in (addon, base):
        db.setup()
    for size in sizes:
        grow_all([addon, base], size, args)
        addon.make_late(args.late_share)
        log(f"measuring at {size} lines")
        batches = [100, 1000]
        fig = {
            "recompute": measure_recompute(
                addon, args.runs, "fulfillment_status", batches
            ),
            "recompute_odoo": measure_recompute(
                addon, args.runs, "delivery_status", batches
            ),
        }
        names = pick_shipments(addon, args.runs * VALIDATIONS_PER_RUN)
        assert names == pick_shipments(base, args.runs * VALIDATIONS_PER_RUN), (
            "data sets differ"
        )
        fig["validation"], fig["validation_odoo"] = measure_validation(
            [addon, base], names
        )
        fig["validation_calls"] = count_validation_calls([addon, base], names[:5])
        fig["validation_notify_job"] = measure_notify_job(addon, names)
        fig["scan"] = measure_scan(addon, args.runs)
        fig["portal"], fig["portal_odoo"] = portal.measure([addon, base], args.runs)
        figures[size] = fig
        out(f"\n## {size} lines\n\n{report({size: fig}, args.runs)}\n")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump({str(k): v for k, v in figures.items()}, handle, default=str)
    out(f"\n## All sizes\n\n{report(figures, args.runs)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
