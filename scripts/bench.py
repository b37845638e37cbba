"""`make bench`: load the real site under gunicorn with production settings and compare pages to a baseline.

For each caching mode (off, then on) it starts gunicorn (sync workers = cores, DEBUG off) on a free
127.0.0.1 port, then runs wrk (1, then 16 connections) against every target in turn, several rounds, so drift
on the machine hits every target alike. With the page cache on it also starts the shipped nginx site
(deploy/nginx/lawsite.conf through scripts/edge.py: loopback, plain HTTP, one worker per core as Debian's
nginx.conf has it) in front of the same gunicorn and measures the article through it ("edge_article"). It
prints req/s, p50/p99 latency, queries per request and the ratio to a trivial Django view, and writes the
figures to var/bench/. Every process it starts is stopped.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from scripts import processes
from scripts.edge import SITE_HOST, Edge

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
TARGETS = {  # name -> path; "article" is filled in with a published demo article
    "baseline": "/__bench__/baseline",
    "article": None,
    "article_list": "/articles/",
    "home": "/",
    "search": "/search/?q=medical+malpractice",
    # Answers of /time-limits/ (never cached: they are personal). The fullest: every flag, "not sure who" (24
    # of the 31 rules, earliest first); and a common one: a fall on a city sidewalk (4 rules).
    "time_limits": "/time-limits/?what=car&who=unsure&date=2026-11-02&minor=1&died=1",
    "time_limits_city": "/time-limits/?what=fall&who=city&date=2026-10-20",
}
# Measured at RATIO_CONNECTIONS, as a ratio to the trivial view in the same run. Page cache off means "the
# first view after an edit" (every edit makes every page uncached once per process): article, list, home and
# the time-limits answers at 0.35x, search at 0.25x. Search and /time-limits/ answers are never cached, so
# they are held to the same ratio with the cache on. Cached: the article from gunicorn, and through nginx.
TARGET_RATIOS = {
    "article": {"off": 0.35, "on": 0.8},
    "article_list": {"off": 0.35},
    "home": {"off": 0.35},
    "search": {"off": 0.25, "on": 0.25},
    "time_limits": {"off": 0.35, "on": 0.35},
    "time_limits_city": {"off": 0.35, "on": 0.35},
    "edge_article": {"on": 20.0},
}
RATIO_CONNECTIONS = 16
# Tail latency, p99 in ms by connection count (2-core machine): the cached article from gunicorn, and
# through the edge.
TAIL_TARGETS = {"article": {"on": {1: 5.0, 16: 40.0}}, "edge_article": {"on": {1: 1.0}}}
EDGE_TARGET = "edge_article"  # the article, through nginx


def production_env(cache: str) -> dict:
    return processes.production_env(
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,{SITE_HOST}",
        DJANGO_BENCH_ENDPOINT="1",
        DJANGO_PAGE_CACHE="1" if cache == "on" else "0",
        DJANGO_LOG_LEVEL="WARNING",
    )


def measure_queries(env: dict, paths: dict) -> dict:
    """Queries for a warm request to each path, counted in a separate Django process."""
    code = (
        "import json, sys, django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "out = {}\n"
        "for name, path in json.loads(sys.argv[1]).items():\n"
        "    client.get(path)\n"
        "    with CaptureQueriesContext(connection) as ctx:\n"
        "        status = client.get(path).status_code\n"
        "    out[name] = {'queries': len(ctx.captured_queries), 'status': status}\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(paths)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def find_article_path(env: dict, language: str = "en") -> str | None:
    """The newest published article in that language (English unless asked: the benchmark's page)."""
    code = (
        "import django; django.setup()\n"
        "from articles.models import Article\n"
        f"a = Article.objects.published().filter(language={language!r}).order_by('-published_at').first()\n"
        "print(a.get_absolute_url() if a else '')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    return (
        result.stdout.strip().splitlines()[-1] if result.returncode == 0 and result.stdout.strip() else None
    )


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, seconds: int, connections: int, host: str | None = None) -> dict:
    threads = str(min(2, connections))  # wrk needs at least one connection per thread
    out = subprocess.run(
        [
            "wrk",
            *(["-H", f"Host: {host}"] if host else []),
            "-t",
            threads,
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99_ms": to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def bench_mode(cache: str, args) -> dict:
    """{connections: {target: figures}} for one page-cache mode, all against one gunicorn (and its edge)."""
    env = production_env(cache)
    targets = dict(TARGETS)
    targets["article"] = find_article_path(env)
    targets = {name: path for name, path in targets.items() if path}
    queries = measure_queries(env, targets)
    targets = {name: path for name, path in targets.items() if queries[name]["status"] == 200}
    port = processes.free_port()
    process = processes.start_gunicorn(env, port)
    # name -> (url, Host header); the edge answers only the site's own name.
    urls = {name: (f"http://127.0.0.1:{port}{path}", None) for name, path in targets.items()}
    edge = None
    scratch = tempfile.TemporaryDirectory(prefix="lawsite-bench-edge-")
    try:
        if cache == "on" and "article" in targets:
            edge = Edge(Path(scratch.name), [port], workers="auto").start()
            urls[EDGE_TARGET] = (edge.url + targets["article"], SITE_HOST)
            targets[EDGE_TARGET] = targets["article"]
            queries[EDGE_TARGET] = {"queries": None, "status": 200}
        rounds: dict[tuple[int, str], list[dict]] = {(c, n): [] for c in args.connections for n in urls}
        for url, host in urls.values():  # warm every worker's caches and connections
            run_wrk(url, 1, max(args.connections), host)
        for _ in range(args.rounds):
            for connections in args.connections:
                for name, (url, host) in urls.items():
                    rounds[connections, name].append(run_wrk(url, args.seconds, connections, host))
    finally:
        if edge is not None:
            edge.stop()
        processes.stop(process)
        scratch.cleanup()
    report = {}
    for connections in args.connections:
        results = {}
        for name in urls:
            runs = rounds[connections, name]
            results[name] = {
                "path": targets[name] + (" (through nginx)" if name == EDGE_TARGET else ""),
                "rps": round(sum(r["requests"] for r in runs) / (args.seconds * len(runs)), 1),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
                "p99_ms": round(max(r["p99_ms"] for r in runs), 2),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "queries": queries[name]["queries"],
            }
        base = results["baseline"]["rps"]
        for row in results.values():
            row["ratio"] = round(row["rps"] / base, 3) if base else None
        report[str(connections)] = results
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=4, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all targets")
    parser.add_argument(
        "--connections", default="1,16", help="comma list of wrk connection counts (default 1,16)"
    )
    parser.add_argument("--modes", default="off,on", help="page cache modes to run: off, on or off,on")
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is not installed (the Makefile installs it with apt)")
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "modes": {},
    }
    for mode in args.modes.split(","):
        report["modes"][mode] = bench_mode(mode, args)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (OUT_DIR / name).write_text(json.dumps(report, indent=2) + "\n")
    failed = False
    for mode, by_connections in report["modes"].items():
        for connections, results in by_connections.items():
            print(
                f"\npage cache {mode}: {connections} connection(s), {args.rounds}x{args.seconds}s per target"
            )
            print(f"{'target':<17}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'ratio':>9}  non-2xx")
            for name, row in results.items():
                queries = "-" if row["queries"] is None else row["queries"]
                print(
                    f"{name:<17}{row['rps']:>10.1f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
                    f"{queries:>9}{row['ratio']:>9.3f}  {row['non_2xx']}"
                )
            for name, limits in TAIL_TARGETS.items():
                limit = limits.get(mode, {}).get(int(connections))
                if limit is not None and name in results:
                    p99 = results[name]["p99_ms"]
                    met = p99 <= limit
                    failed |= not met
                    print(
                        f"target: {name} p99 <= {limit} ms at {connections} connection(s) with cache {mode}: "
                        f"{p99:.2f} ms, {'met' if met else 'MISSED'}"
                    )
    failed |= not print_ratio_targets(report["modes"])
    print(f"\nwritten to {OUT_DIR / 'latest.json'}")
    return 1 if failed else 0


def print_ratio_targets(modes: dict) -> bool:
    """The ratio targets at RATIO_CONNECTIONS, the uncached ratio beside the cached one; True when all are met
    (a mode that was not run is not judged)."""
    results = {mode: by_connections.get(str(RATIO_CONNECTIONS), {}) for mode, by_connections in modes.items()}
    if not any(results.values()):
        return True
    print(f"\nratio targets at {RATIO_CONNECTIONS} connections (x the trivial view, same run)")
    print(f"{'target':<17}{'cache off':>10}{'goal':>7}{'cache on':>10}{'goal':>7}  verdict")
    all_met = True
    for name, goals in TARGET_RATIOS.items():
        cells, verdicts = [], []
        for mode in ("off", "on"):
            ratio = results.get(mode, {}).get(name, {}).get("ratio")
            goal = goals.get(mode)
            cells.append(f"{'-' if ratio is None else f'{ratio:.3f}':>10}{'-' if goal is None else goal:>7}")
            if ratio is not None and goal is not None:
                met = ratio >= goal
                all_met &= met
                verdicts.append(f"{mode} {'met' if met else 'MISSED'}")
        print(f"{name:<17}{''.join(cells)}  {', '.join(verdicts) or 'not run'}")
    return all_met


if __name__ == "__main__":
    sys.exit(main())
