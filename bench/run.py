"""`make bench`: time the main pages per role against the floor, on the large generated board.

Usage: python -m bench.run [--repeat 30] [--warmup 3] [--fresh] [--only NAME] [--no-import]

Times are server-side: time.perf_counter around the test client's get(), in process, so they
hold the whole Django stack (every middleware, the view, the template) and no network.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Timing:
    role: str
    name: str
    path: str
    samples_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    status: int | None = None
    bytes: int | None = None  # the size of the page: a page that rendered nothing shows here
    error: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else math.nan

    @property
    def p95_ms(self) -> float:
        # Nearest rank: the smallest sample that at least 95 % of the samples do not exceed.
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else math.nan

    def as_dict(self, floor: Timing | None) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "path": self.path,
            "status": self.status,
            "bytes": self.bytes,
            "error": self.error,
            "median_ms": _round(self.median_ms),
            "p95_ms": _round(self.p95_ms),
            # CPU time of the request's thread: the part of the time a busy machine does not inflate
            # (with SQLite it holds the queries too; with PostgreSQL they run in the server).
            "cpu_median_ms": _round(statistics.median(self.cpu_ms)) if self.cpu_ms else None,
            "min_ms": _round(min(self.samples_ms)) if self.samples_ms else None,
            "max_ms": _round(max(self.samples_ms)) if self.samples_ms else None,
            "ratio_to_floor": _round(self.median_ms / floor.median_ms) if floor and floor.samples_ms else None,
            "queries": self.queries,
            "samples": len(self.samples_ms),
        }


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)


def _setup_django() -> None:
    # The bench always runs on its own settings and database, never the development one.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BEKWAAM_ENV", "test")
    import django

    django.setup()


def _client_for(person: Any) -> Any:
    from django.test import Client

    from bekwaam.accounts.testing import sign_in

    client = Client()
    sign_in(client, person)
    return client


def measure(client: Any, timings: list[Timing], *, repeat: int, warmup: int) -> None:
    """Warm up and count the queries of each page, then time them in turns, `repeat` rounds.

    Taking turns (floor, page, page, …, floor, page, …) spreads whatever else the machine is
    doing over the floor and the pages alike, so their ratio stays steady on a busy machine.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ready: list[Timing] = []
    for timing in timings:
        for _ in range(warmup):
            client.get(timing.path)
        # Query counting records every statement, which costs time: it runs on its own request.
        with CaptureQueriesContext(connection) as captured:
            response = client.get(timing.path)
        timing.status = response.status_code
        timing.bytes = len(response.content)
        timing.queries = len(captured.captured_queries)
        if response.status_code == 200:
            ready.append(timing)
        else:
            location = response.get("Location", "")
            timing.error = f"HTTP {response.status_code}" + (f" → {location}" if location else "")
    gc.collect()
    for _ in range(repeat):
        for timing in ready:
            started, cpu_started = time.perf_counter(), time.thread_time()
            client.get(timing.path)
            timing.samples_ms.append((time.perf_counter() - started) * 1000)
            timing.cpu_ms.append((time.thread_time() - cpu_started) * 1000)


def _git_commit() -> str:
    try:
        return subprocess.run(  # a fixed, read-only git command
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  (git from PATH, as a developer runs it)
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout.strip()
    except OSError:
        return ""


def _format_table(pages: list[dict[str, Any]], floors: dict[str, dict[str, Any]]) -> str:
    def fmt(value: Any, spec: str) -> str:
        return "–" if value is None else format(value, spec)

    def line(name: str, row: dict[str, Any], ratio: str) -> str:
        failed = f"  FAILED: {row['error']}" if row["error"] else ""
        return (
            f"{name:<18} {row['role']:<16} {fmt(row['median_ms'], '10.2f')} {fmt(row['p95_ms'], '9.2f')} "
            f"{fmt(row['cpu_median_ms'], '7.1f')} {ratio:>7} {fmt(row['queries'], '8d')}  {row['path']}{failed}"
        )

    header = (
        f"{'page':<18} {'role':<16} {'median ms':>10} {'p95 ms':>9} {'cpu ms':>7} {'×floor':>7} {'queries':>8}  path"
    )
    rule = "-" * len(header)
    return "\n".join(
        [
            header,
            rule,
            *(line("floor", floor, "1.00") for floor in floors.values()),
            rule,
            *(line(page["name"], page, fmt(page["ratio_to_floor"], ".2f")) for page in pages),
        ]
    )


def _counts_text(counts: dict[str, int] | None) -> str:
    return ", ".join(f"{n:,} {action}" for action, n in (counts or {}).items() if n)


def _format_import(result: dict[str, Any]) -> str:
    if result["status"] == "skipped":
        return f"Staff import: skipped ({result['reason']})."
    if result["status"] == "error":
        return f"Staff import: FAILED ({result['reason']})."
    load = ", ".join(f"{n:.1f}" for n in result["load_average_before"])
    lines = [
        f"Staff import of {result['rows']:,} rows (budget {result['budget_seconds']:.0f} s for check + apply; "
        f"load average before: {load}):"
    ]
    for run in result["runs"]:
        flag = "  OVER BUDGET" if run["over_budget"] else ""
        lines.append(
            f"  {run['name']:<18} check {run['check_seconds']:6.2f} s  apply {run['apply_seconds']:6.2f} s  "
            f"total {run['total_seconds']:6.2f} s (cpu {run['cpu_seconds']:5.2f} s)  "
            f"{_counts_text(run['counts'])}{flag}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database even if it is current")
    parser.add_argument("--only", default="", help="time only pages whose name or path contains this text")
    parser.add_argument("--no-import", action="store_true", help="skip the staff import timing")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django_scopes import scopes_disabled

    from bench.generate import ensure_dataset
    from bench.imports import import_timing
    from bench.pages import FLOOR_PATH, PAGES, load_world

    started = time.perf_counter()
    dataset = ensure_dataset(fresh=args.fresh)
    if dataset.generated:
        print(f"Generated the bench data in {dataset.seconds:.1f} s.")
    counts = dataset.counts
    print(
        f"Data: {counts['main_board_schools']} schools and {counts['main_board_employments']:,} employments on the "
        f"timed board; {counts['people']:,} people, {counts['change_log_entries']:,} changes and "
        f"{counts['access_log_entries']:,} access log entries in all."
    )

    world = load_world()
    pages = [p for p in PAGES if args.only.lower() in f"{p.name} {p.url(world)}".lower()]
    roles = list(dict.fromkeys(p.role for p in pages))
    print(f"Timing {len(pages)} pages and {len(roles)} floors, {args.repeat} requests each …")

    floors: dict[str, Timing] = {}
    timings: list[Timing] = []
    for role in roles:
        with scopes_disabled():
            client = _client_for(world.personas[role])
        floors[role] = Timing(role, "floor", FLOOR_PATH)
        role_timings = [Timing(role, p.name, p.url(world)) for p in pages if p.role == role]
        measure(client, [floors[role], *role_timings], repeat=args.repeat, warmup=args.warmup)
        timings += role_timings

    import_result: dict[str, Any] = (
        {"status": "skipped", "reason": "--no-import"} if args.no_import else import_timing()
    )

    floor_dicts = {role: t.as_dict(None) for role, t in floors.items()}
    page_dicts = [t.as_dict(floors.get(t.role)) for t in timings]
    db = settings.DATABASES["default"]
    report = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "database": {"vendor": connection.vendor, "name": str(db["NAME"])},
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        # A busy machine (other tests, a browser) shows here: compare ratios, not absolute times, then.
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "repeat": args.repeat,
        "warmup": args.warmup,
        "dataset": {"generated": dataset.generated, "seconds": round(dataset.seconds, 2), "counts": counts},
        "floors": floor_dicts,
        "pages": page_dicts,
        "import": import_result,
        "seconds": round(time.perf_counter() - started, 1),
    }

    print()
    print(_format_table(page_dicts, floor_dicts))
    print()
    print(_format_import(import_result))

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (RESULTS_DIR / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nWrote {RESULTS_DIR / f'bench-{stamp}.json'} (and latest.json) in {report['seconds']} s in all.")

    failed = [t for t in [*floors.values(), *timings] if t.error]
    over_budget = any(run["over_budget"] for run in import_result.get("runs", []))
    if failed:
        print(f"{len(failed)} page(s) did not answer 200: see FAILED above.", file=sys.stderr)
    if import_result["status"] == "error" or over_budget:
        print("The staff import failed or took longer than its budget.", file=sys.stderr)
    return 1 if failed or over_budget or import_result["status"] == "error" else 0


if __name__ == "__main__":
    sys.exit(main())
