"""Where an uncached page's time goes, in-process: N renders of each `make bench` page through Django's test
client with production settings and the page cache off, split into database queries, template rendering and
the rest (middleware, view code, building model instances).

    DATABASE_URL=... .venv/bin/python -m scripts.page_timing [-n 200] [--only article,search] [--profile search]

Queries are timed around the database driver's call (planning, execution, the round trip and fetching rows);
templates are timed around the outermost template render, less the queries run inside it. Figures are
milliseconds per request after a warm-up, at the 20th percentile (the machine's quieter moments: other
processes on a shared machine only ever add time) and, for the total, the median too; "cpu" is this
process's own CPU time (Python's share, which other processes hardly disturb). `make bench` measures throughput under load; this says which
part of a page to work on, with far less noise on a shared machine. `--profile NAME` prints the functions
that page spends most time in (cProfile).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager

from scripts import bench, processes


class Timer:
    """Accumulates time spent in queries and in (outermost) template renders during one request."""

    def __init__(self):
        self.sql = self.template = self.sql_in_template = 0.0
        self.queries = 0
        self.depth = 0

    def execute_wrapper(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            self.sql += spent
            self.queries += 1
            if self.depth:
                self.sql_in_template += spent

    @contextmanager
    def rendering(self):
        self.depth += 1
        start = time.perf_counter()
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth:
                self.template += time.perf_counter() - start


def wrap_template_engines(timer_ref: list) -> None:
    """Time every template backend's render() (Django's, and Jinja2's: Django's backend and ours)."""
    from django.template.backends import django as django_backend

    backends = [django_backend.Template]
    try:
        from django.template.backends import jinja2 as jinja2_backend

        from lawsite import jinja2 as lawsite_jinja2  # the public pages' backend (its own render)

        backends += [jinja2_backend.Template, lawsite_jinja2.Template]
    except ImportError:
        pass
    for cls in backends:
        original = cls.render

        def render(self, *args, _original=original, **kwargs):
            timer = timer_ref[0]
            if timer is None:
                return _original(self, *args, **kwargs)
            with timer.rendering():
                return _original(self, *args, **kwargs)

        cls.render = render


def quantile(values: list[float], q: float) -> float:
    return sorted(values)[int(q * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=200, help="timed requests per page (after 20 warm-ups)")
    parser.add_argument("--only", default="", help="comma list of page names (default: every bench page)")
    parser.add_argument("--profile", default="", help="a page name: print its cProfile top functions")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    os.environ.update(
        processes.production_env(DJANGO_PAGE_CACHE="0", DJANGO_BENCH_ENDPOINT="1", DJANGO_LOG_LEVEL="WARNING")
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    paths = dict(bench.TARGETS)
    paths["article"] = bench.find_article_path(os.environ.copy())
    wanted = [name for name in args.only.split(",") if name]
    paths = {name: path for name, path in paths.items() if path and (not wanted or name in wanted)}
    timer_ref: list = [None]
    wrap_template_engines(timer_ref)
    client = Client(HTTP_HOST="127.0.0.1")
    figures = {}
    print(
        f"{'page':<14}{'total':>8}{'median':>8}{'queries':>9}{'sql':>8}{'template':>10}{'other':>8}{'cpu':>8}"
        "   ms per request, 20th percentile"
    )
    for name, path in paths.items():
        for _ in range(20):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {response.status_code}")
        rows = []
        for _ in range(args.n):
            timer = Timer()
            timer_ref[0] = timer
            with connection.execute_wrapper(timer.execute_wrapper):
                cpu = time.process_time()
                start = time.perf_counter()
                client.get(path)
                total = time.perf_counter() - start
                cpu = time.process_time() - cpu
            timer_ref[0] = None
            template = timer.template - timer.sql_in_template
            rows.append((total, timer.sql, template, total - timer.sql - template, cpu, timer.queries))
        total, sql, template, other, cpu = (1000 * quantile([r[i] for r in rows], 0.2) for i in range(5))
        median = 1000 * statistics.median(r[0] for r in rows)
        figures[name] = {
            "total_ms": round(total, 2),
            "median_ms": round(median, 2),
            "queries": rows[-1][5],
            "sql_ms": round(sql, 2),
            "template_ms": round(template, 2),
            "other_ms": round(other, 2),
            "cpu_ms": round(cpu, 2),
        }
        print(
            f"{name:<14}{total:>8.2f}{median:>8.2f}{rows[-1][5]:>9}{sql:>8.2f}{template:>10.2f}{other:>8.2f}"
            f"{cpu:>8.2f}"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(paths[args.profile])
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
