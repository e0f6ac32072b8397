#!/usr/bin/env python
"""HTTP benchmark of the main pages (issue 15): req/s, p50/p99 and the ratio to /healthz.

Run it from the repository root with the project's virtualenv; it needs ``wrk`` (Debian:
``apt-get install -y wrk``)::

    make bench-http                                   # the full run
    .venv/bin/python bench/http_pages.py --quick      # a quick look (about a minute)
    .venv/bin/python bench/http_pages.py --postgres --redis --processes 2
    make bench-http BENCH_ARGS="--scale --postgres"   # at conference scale (issue 15)

What it does:

* sets up a throwaway database (a SQLite file in a temporary directory, or with
  ``--postgres`` a PostgreSQL database ``bench_http`` that it creates and drops), runs
  ``migrate`` and ``seed_demo`` as ``make run`` does, then gives "Give newcomers one front door
  to local services" a discussion of 300 comments of about 200 characters in 60 threads
  (``workspace.scale.build_discussion``: bulk inserts, no signals) and signs in a viewer;
* with ``--scale`` (on PostgreSQL unless ``--sqlite``), runs ``seed_demo --scale`` instead:
  the demo plus the conference at full size (``workspace.scale.build_conference``: 2,000
  people, 300 organisations, 10,000 recommendations, 100,000 comments, one text with 500
  versions), and also measures search (the list with ``?q=`` an English, a French and an
  Arabic word found in many texts) and the history and compare (version 1 to 500) pages of
  the 500-version text;
* starts Daphne as ``make run`` does (``workspace.asgi``, ``DJANGO_DEBUG=false``), or
  ``--processes N`` Daphne processes sharing one listening socket, with ``--redis`` on the
  Redis channel layer and cache (its own key prefix in its own database number; only those
  keys are deleted);
* fetches every page once (its status and size), then drives each with ``wrk`` for
  ``--duration`` seconds with ``--connections`` clients (10) and the viewer's session cookie,
  one page after the other, ``/healthz`` (same middleware, one ``SELECT 1``) first and last;
* prints req/s, p50 and p99 (wrk's), the size of the page and its ratio to ``/healthz``
  (healthz req/s over the page's req/s, the mean of the two healthz runs), then each budget of
  issue 15 with its ratio and MET or MISSED.

Pages that this version of the workspace does not have (404) are listed as such, not failed.
Every wait is bounded; only 127.0.0.1 is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ROOT,
    Daphne,
    child_env,
    listening_socket,
    log,
    machine,
    make_database,
    now,
    redis_clear,
    redis_info,
)

RESULTS = ROOT / "bench" / "results"
TITLE = "Give newcomers one front door to local services"
VIEWER = "lisbon"  # drafts TITLE: sees every tool a comment can carry but hide
INSTALL = "wrk is needed: on Debian or Ubuntu, `sudo apt-get install -y wrk`."


@dataclass
class Page:
    key: str
    label: str
    path: str
    accept: str = "text/html"


@dataclass
class Budget:
    label: str
    keys: tuple[str, ...]
    ratio: float
    max_bytes: int | None = None
    scale: bool = False  # measured at conference scale only (``--scale``)


SCALE_KEYS = ("list", "search_en", "search_fr", "search_ar", "history", "compare")
BUDGETS = [
    Budget("recommendation with 300 comments in 60 threads", ("discussion",), 3.0, 250 * 1024),
    Budget(
        "home, list, overview, notifications", ("home", "list", "overview", "notifications"), 2.0
    ),
    Budget("comments API list (the same 300)", ("comments_api",), 2.0),
    Budget(
        "conference scale (10,000 recommendations): list, search, history, compare",
        SCALE_KEYS,
        3.0,
        scale=True,
    ),
]


@dataclass
class Measure:
    key: str
    label: str
    path: str
    status: int
    bytes: int = 0
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    ratio: float | None = None


def pages(prep: dict[str, Any]) -> list[Page]:
    rec = prep["rec"]
    found = [
        Page("home", "home (signed in)", "/"),
        Page("list", "/recommendations/", "/recommendations/"),
        Page("overview", "overview", "/overview/"),
        Page("notifications", "notifications", "/notifications/"),
        Page("discussion", "recommendation, 300 comments", f"/recommendations/{rec}/"),
        Page(
            "comments_api",
            "comments API, 300 comments",
            f"/api/recommendations/{rec}/comments/",
            "application/json",
        ),
    ]
    scale = prep.get("scale")
    if scale:
        many, versions = scale["history_recommendation"], scale["history_versions"]
        for language, word in scale["search_words"].items():
            found.append(
                Page(
                    f"search_{language}",
                    f"search ({language}: {word})",
                    f"/recommendations/?q={quote(word)}",
                )
            )
        found += [
            Page("history", f"history, {versions} versions", f"/recommendations/{many}/history/"),
            Page(
                "compare",
                f"compare, version 1 with {versions}",
                f"/recommendations/{many}/compare/?from=1&to={versions}",
            ),
        ]
    return found


# --- preparing the data -------------------------------------------------------------------
def prepare(env: dict[str, str], comments: int, threads: int, scale: bool) -> dict[str, Any]:
    """migrate + seed_demo (as ``make run``; ``--scale``: with the conference set, its
    progress on stderr) + the discussion and a session, in children."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )
    started = now()
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", *(["--scale"] if scale else [])],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=sys.stderr if scale else subprocess.DEVNULL,
        timeout=3 * 3600 if scale else 600,
    )
    seeded = now() - started
    out = subprocess.run(
        [sys.executable, __file__, "_prepare", str(comments), str(threads)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    prep = json.loads(out.stdout.strip().splitlines()[-1])
    if scale:
        if not prep.get("scale"):
            raise RuntimeError("seed_demo --scale made no conference set")
        prep["scale"]["seconds"] = round(seeded, 1)
    return prep


def _prepare_in_django(comments: int, threads: int) -> None:
    """Child: build the discussion, print the recommendation and the viewer's cookie."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from recommendations.models import Recommendation
    from workspace.scale import build_discussion, conference_facts

    rec = Recommendation.objects.get(title=TITLE)
    build_discussion(rec, comments=comments, threads=threads)
    client = Client()
    client.force_login(User.objects.get(username=VIEWER))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    print(json.dumps({"rec": rec.pk, "cookie": cookie, "scale": conference_facts()}))


# --- measuring ----------------------------------------------------------------------------
def fetch(url: str, cookie: str, accept: str) -> tuple[int, int]:
    """(status, bytes) of one GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept": accept})
    try:
        with opener.open(request, timeout=60) as resp:
            return resp.status, len(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict[str, float]:
    """req/s, p50, p99 (ms) and errors from wrk's ``--latency`` report."""
    found: dict[str, float] = {"errors": 0.0}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            found["rps"] = float(line.split()[1])
        elif re.match(r"^(50|99)%\s", line):
            pct, value = line.split()[:2]
            found[f"p{pct[:-1]}"] = _ms(value)
        elif line.startswith("Non-2xx or 3xx responses:"):
            found["errors"] += float(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            found["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
    return found


def drive(url: str, cookie: str, accept: str, args: argparse.Namespace) -> dict[str, float]:
    command = [
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        "-H",
        f"Accept: {accept}",
        url,
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 60, check=False
    )
    return parse_wrk(out.stdout)


def measure(base: str, prep: dict[str, Any], args: argparse.Namespace) -> list[Measure]:
    cookie = prep["cookie"]
    health = Page("healthz", "/healthz", "/healthz")
    results: list[Measure] = []
    healthz: list[Measure] = []
    for page in [health, *pages(prep), health]:
        if args.only and page.key not in args.only and page.key != "healthz":
            continue
        status, size = fetch(base + page.path, cookie, page.accept)
        m = Measure(page.key, page.label, page.path, status, size)
        if status == 200:
            fetch(base + page.path, cookie, page.accept)  # warm the caches of the servers
            log(f"{page.label}: {size} bytes, {args.duration} s of wrk")
            got = drive(base + page.path, cookie, page.accept, args)
            m.rps, m.p50_ms, m.p99_ms = got.get("rps"), got.get("p50"), got.get("p99")
            if not m.rps:  # wrk counts finished requests only: none finished in the run
                log(f"{page.label}: no request finished within {args.duration} s")
                m.rps = m.p50_ms = m.p99_ms = None
            m.errors = int(got.get("errors", 0))
        else:
            log(f"{page.label}: HTTP {status}, not measured")
        (healthz if page.key == "healthz" else results).append(m)
    rates = [h.rps for h in healthz if h.rps]
    floor = sum(rates) / len(rates) if rates else None
    summary = Measure("healthz", "/healthz (mean of first and last)", "/healthz", 200)
    if rates:
        summary.rps = floor
        summary.p50_ms = max(h.p50_ms or 0 for h in healthz)
        summary.p99_ms = max(h.p99_ms or 0 for h in healthz)
        summary.errors = sum(h.errors for h in healthz)
        summary.bytes = healthz[0].bytes
    for m in results:
        if floor and m.rps:
            m.ratio = floor / m.rps
    return [summary, *results]


# --- reporting ----------------------------------------------------------------------------
def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(measures: list[Measure], budgets: list[Budget]) -> str:
    header = ["page", "status", "KiB", "req/s", "p50 ms", "p99 ms", "x /healthz", "errors"]
    rows = [
        [
            m.label,
            str(m.status),
            fmt(m.bytes / 1024, 1),
            fmt(m.rps, 1),
            fmt(m.p50_ms, 1),
            fmt(m.p99_ms, 1),
            fmt(m.ratio, 2) if m.key != "healthz" else "1.00",
            str(m.errors),
        ]
        for m in measures
    ]
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "Budgets of issue 15 (ratio to /healthz in this run, 10 clients):"]
    by_key = {m.key: m for m in measures}
    for budget in budgets:
        if budget.scale and not any(key in by_key for key in budget.keys if key != "list"):
            out.append(f"  {budget.label}: not measured in this run (needs --scale)")
            continue
        for key in budget.keys:
            m = by_key.get(key)
            if m is None:
                continue
            if m.status != 200:
                out.append(f"  {budget.label} / {m.label}: not available here (HTTP {m.status})")
                continue
            if m.rps is None:
                out.append(f"  {budget.label} / {m.label}: no request finished in the run: MISSED")
                continue
            ok = m.ratio is not None and m.ratio <= budget.ratio and m.errors == 0
            size = ""
            if budget.max_bytes is not None:
                ok = ok and m.bytes <= budget.max_bytes
                size = f", {m.bytes / 1024:.0f} KiB (budget {budget.max_bytes / 1024:.0f})"
            out.append(
                f"  {budget.label} / {m.label}: {fmt(m.ratio, 2)}x (budget {budget.ratio:g}x)"
                f"{size}: {'MET' if ok else 'MISSED'}"
            )
    return "\n".join(out)


# --- main ---------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s per page instead of 10")
    parser.add_argument("--duration", type=int, default=None, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=10, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--processes", type=int, default=1, help="Daphne processes")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="at conference scale (seed_demo --scale); on PostgreSQL unless --sqlite",
    )
    parser.add_argument("--sqlite", action="store_true", help="with --scale: stay on SQLite")
    parser.add_argument("--redis", action="store_true", help="Redis channel layer and cache")
    parser.add_argument("--comments", type=int, default=300)
    parser.add_argument("--threads-of-comments", type=int, default=60, dest="discussion_threads")
    parser.add_argument("--only", default="", help="comma-separated page keys (and healthz)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/bench_http")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--redis-prefix", default="bench-http")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 3 if args.quick else 10
    args.only = {x.strip() for x in args.only.split(",") if x.strip()}
    if args.postgres and args.sqlite:
        parser.error("--postgres or --sqlite, not both")
    if args.scale and not args.sqlite:
        args.postgres = True  # the conference-scale budgets are on PostgreSQL
    for url in (args.pg_url, args.redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error(f"only services on this machine's loopback: {url}")
    args.wrk = shutil.which("wrk")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.wrk is None:
        print(INSTALL, file=sys.stderr)
        return 2
    if args.redis and redis_info(args.redis_url) is None:
        print(f"Redis does not answer at {args.redis_url}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="http-pages-"))
    base = {
        "WORKSPACE_VAR_DIR": str(workdir / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "WORKSPACE_FAST_HASHER": "true",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        # The benchmark's viewer makes thousands of requests a minute: no abuse limits.
        "WORKSPACE_RATE_LIMITS": "off",
    }
    if args.redis:
        base.update({"REDIS_URL": args.redis_url, "CHANNELS_PREFIX": args.redis_prefix})
    kind = "postgres" if args.postgres else "sqlite"
    started = now()
    db = None
    servers: list[Daphne] = []
    measures: list[Measure] = []
    prep: dict[str, Any] = {}
    try:
        log(f"setting up a {kind} database in {workdir}")
        db = make_database(kind, workdir, args.pg_url)
        env = child_env({**base, **db.env})
        prep = prepare(env, args.comments, args.discussion_threads, args.scale)
        listener = listening_socket()
        servers = [
            Daphne("workspace.asgi:application", env, workdir, f"daphne{i}", listener)
            for i in range(args.processes)
        ]
        for server in servers:
            server.wait_ready()
        listener.close()  # the servers hold their copies
        measures = measure(servers[0].url, prep, args)
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        for server in servers:
            server.stop()
        if db is not None:
            with contextlib.suppress(Exception):
                db.drop()
        if args.redis:
            with contextlib.suppress(Exception):
                redis_clear(args.redis_url, args.redis_prefix)
        if args.keep:
            log(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    info = machine({kind}, args.redis_url if args.redis else None)
    wrk_version = subprocess.run(
        [args.wrk, "-v"], capture_output=True, text=True, check=False
    ).stdout.split("\n")[0]
    print(
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']}, Python "
        f"{info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    )
    print(
        f"{kind}, {'Redis' if args.redis else 'in-memory'} layer, {args.processes} Daphne "
        f"process(es); {wrk_version.strip()}, {args.connections} connections, "
        f"{args.duration} s per page; ran in {now() - started:.0f} s; load average at the end "
        f"{os.getloadavg()[0]:.1f} (on {info['cpus']} CPUs: other work on the machine skews "
        "every figure, the ratios less)"
    )
    scale = prep.get("scale")
    if scale:
        print(
            f"Conference scale: seed_demo --scale took {scale['seconds']:.0f} s; the text with "
            f"{scale['history_versions']} versions is #{scale['history_recommendation']}; "
            f"search words: {', '.join(scale['search_words'].values())}"
        )
    print()
    print(report(measures, BUDGETS))
    if args.json:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"http_pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
        payload = {"machine": info, "args": {**vars(args), "only": sorted(args.only)}}
        payload["scale"] = prep.get("scale")
        payload["results"] = [asdict(m) for m in measures]
        path.write_text(json.dumps(payload, indent=1))
        print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0 if measures else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["_prepare"]:
        _prepare_in_django(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(main())
