#!/usr/bin/env python
"""Co-editing benchmark (issue 17): 20 co-authors type 5 characters a second each into one
draft, through one Daphne process (in-memory layer, SQLite) and through two sharing Redis
(PostgreSQL when it answers at 127.0.0.1:5432, else the same SQLite file).

    make bench-coedit                                  # 60 s per scenario
    .venv/bin/python bench/coedit.py --seconds 20      # a quicker look

Each co-author is a client of the co-editing socket speaking the browser's protocol
(``tests/live/coedit_ws.py``, pycrdt), typing one character every 200 ms at the end of its own
line, the clients spread over the processes. For every keystroke the sender notes its clock;
each other client, on each update it receives, finds which keystrokes its state vector now
holds: the time from a keystroke to **every** other co-author's screen is the latest of those
arrivals. Reported: p50 / p95 / p99 / max of that, keystrokes that never arrived, the log's
rows and bytes after the run (compaction at 500 rows) and per hour at this rate, and the
memory of one server-side copy of the final document (resident-set growth of loading 200
copies, over 200). Clients and servers share the machine's cores: the figures include the
clients' own work. Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AUTHORS = 20
RATE = 5.0  # characters a second each


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SETUP = """
import json
from django.conf import settings
from django.test import Client
from accounts.models import Organisation
from tests.factories import OrganisationFactory, ThemeFactory, member_of
from recommendations import services
org = OrganisationFactory(name="Bench City", slug="bench-city")
users = [member_of(org, f"coauthor{i}") for i in range(%(n)d)]
rec = services.create_recommendation(
    actor=users[0], title="Bench", theme=ThemeFactory(slug="bench"), addressed_to=["city"],
    body="\\n\\n".join(f"Line {i}:" for i in range(%(n)d)),
)
cookies = []
for user in users:
    client = Client()
    client.force_login(user)
    cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
print("BENCH" + json.dumps({"rec": rec.pk, "cookies": cookies}))
"""


def prepare(env: dict[str, str]) -> dict:
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [py, "manage.py", "shell", "-c", SETUP % {"n": AUTHORS}],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("BENCH", 1)[1])


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "workspace.asgi:application"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("daphne did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


async def type_together(urls: list[str], rec: int, cookies: list[str], seconds: float) -> dict:
    from live import yupdate
    from tests.live.coedit_ws import WsClient, until

    path = f"/ws/recommendations/{rec}/text/"
    clients = [WsClient(str(i), [urls[i % len(urls)]], path, c) for i, c in enumerate(cookies)]
    sent: dict[tuple[int, int], float] = {}  # (client id, clock) -> when typed
    arrivals: dict[tuple[int, int], list[float]] = {}
    seen: list[dict[int, int]] = [{} for _ in clients]

    def on_remote(index: int) -> None:
        state = yupdate.decode_state(clients[index].doc.get_state())
        now = time.monotonic()
        for cid, clock in state.items():
            before = seen[index].get(cid, 0)
            for c in range(before, clock):
                if (cid, c) in sent:
                    arrivals.setdefault((cid, c), []).append(now)
            seen[index][cid] = max(before, clock)

    for i, client in enumerate(clients):
        client.on_remote = lambda i=i: on_remote(i)
        client.start()
    for client in clients:
        await client.wait_open(60)
    await until(lambda: all(c.value().count("Line ") == AUTHORS for c in clients), 30)
    for i, client in enumerate(clients):
        seen[i] = dict(yupdate.decode_state(client.doc.get_state()))

    async def author(i: int) -> None:
        client = clients[i]
        await asyncio.sleep(i / AUTHORS / RATE)  # spread over the 200 ms
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            value = client.value()
            head = f"Line {i}:"
            start = value.find(head)
            stop = value.find("\n", start)
            client.insert(len(value) if stop < 0 else stop, "abcdefghij"[n % 10])
            cid = client.doc.client_id
            sent[(cid, yupdate.decode_state(client.doc.get_state())[cid] - 1)] = time.monotonic()
            n += 1
            await asyncio.sleep(1 / RATE)

    await asyncio.gather(*(author(i) for i in range(AUTHORS)))
    await until(lambda: all(len(arrivals.get(k, [])) >= AUTHORS - 1 for k in sent), 30, 0.5)
    lat = [
        (max(arrivals[k]) - t) * 1000
        for k, t in sent.items()
        if len(arrivals.get(k, [])) >= AUTHORS - 1
    ]
    texts = {c.value() for c in clients}
    for client in clients:
        await client.stop()
    return {
        "keystrokes": len(sent),
        "missing": len(sent) - len(lat),
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "p99": pct(lat, 99),
        "max": max(lat) if lat else float("nan"),
        "converged": len(texts) == 1,
    }


def log_and_memory(key: str, seconds: float) -> dict:
    import resource  # noqa: F401  (Linux: /proc is read below)

    from django.db.models import Sum
    from django.db.models.functions import Length

    from live import coedit
    from live.models import DocumentUpdate

    rows = DocumentUpdate.objects.filter(key=key)
    count = rows.count()
    size = rows.aggregate(n=Sum(Length("data")))["n"] or 0
    updates = [u for _s, u in coedit.rows_after(key)]
    before = rss_kib(os.getpid())
    docs = [coedit.new_doc(updates) for _ in range(200)]
    per_doc = (rss_kib(os.getpid()) - before) / len(docs)
    merged = len(coedit.merged(updates))
    return {
        "rows": count,
        "bytes": size,
        "rows_per_hour": count / seconds * 3600,
        "bytes_per_hour": size / seconds * 3600,
        "compacted_bytes": merged,
        "kib_per_document": per_doc,
        "text_chars": len(str(coedit.current_text(key))),
    }


def scenario(name: str, processes: int, env: dict[str, str], seconds: float, work: Path) -> dict:
    info = prepare(env)
    servers = [Server(env, work / f"{name}-{i}.log") for i in range(processes)]
    try:
        result = asyncio.run(
            type_together([s.url for s in servers], info["rec"], info["cookies"], seconds)
        )
        result["server_rss_mib"] = [round(rss_kib(s.process.pid) / 1024) for s in servers]
        result["server_cpu_s"] = [round(cpu_seconds(s.process.pid), 1) for s in servers]
        result["clients_cpu_s"] = round(cpu_seconds(os.getpid()), 1)
    finally:
        for server in servers:
            server.stop()
    from django.db import connections

    connections.close_all()
    result.update(log_and_memory(f"recommendation.{info['rec']}", seconds))
    connections.close_all()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--json", action="store_true", help="write bench/results/coedit-*.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-coedit-"))
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base.update(
        DJANGO_SETTINGS_MODULE="workspace.settings",
        WORKSPACE_VAR_DIR=str(work),
        WORKSPACE_SQLITE_PATH=str(work / "bench.sqlite3"),
        WORKSPACE_RATE_LIMITS="off",
        PYTHONPATH=str(ROOT),
    )
    os.environ.update(base)
    import django

    django.setup()
    results = {}
    results["1 process (memory layer, SQLite)"] = scenario("one", 1, base, args.seconds, work)
    print(json.dumps(results, indent=1), flush=True)
    redis_env = {**base, "REDIS_URL": "redis://127.0.0.1:6379/9", "CHANNELS_PREFIX": "bench-coedit"}
    (work / "bench.sqlite3").unlink(missing_ok=True)
    results["2 processes (Redis, SQLite)"] = scenario("two", 2, redis_env, args.seconds, work)
    print(json.dumps(results, indent=1), flush=True)
    if args.json:
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"coedit-{int(time.time())}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
