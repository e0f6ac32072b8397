"""What the benchmarks share (bench/ws_fanout.py, bench/http_pages.py): a throwaway database,
Daphne processes on free ports, CPU and memory readings, percentiles, the machine's description.

Only services on 127.0.0.1 are touched; the PostgreSQL database and the Redis keys a run makes
are its own and are removed at the end.
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
now = time.monotonic  # CLOCK_MONOTONIC: one clock for every process on the machine (Linux)


PACKAGES = (
    "django", "channels", "channels-redis", "daphne", "twisted", "autobahn", "redis",
    "websockets", "msgpack", "psycopg",
)  # fmt: skip


# --- helpers ------------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_socket(backlog: int = 1024) -> socket.socket:
    """A socket listening on a free loopback port, to be shared by several servers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already in user
    return total - idle, total


def process_ticks(pid: int) -> int:
    """User + system clock ticks of a process (all its threads)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    return 0


class CpuMeter:
    """CPU used over a phase, in cores: the whole machine, the servers, the client processes."""

    def __init__(self, servers: list[int], clients: list[int]) -> None:
        self.servers, self.clients = servers, clients
        self.start = self._read()
        self.t = now()

    def _read(self) -> tuple[int, int, int]:
        busy, _ = machine_ticks()
        return (
            busy,
            sum(process_ticks(p) for p in self.servers),
            sum(process_ticks(p) for p in self.clients),
        )

    def stop(self) -> dict[str, float]:
        end, seconds = self._read(), max(now() - self.t, 1e-6)
        hz = os.sysconf("SC_CLK_TCK")
        used = [(b - a) / hz / seconds for a, b in zip(self.start, end, strict=True)]
        return {
            "machine": round(used[0], 2),
            "servers": round(used[1], 2),
            "clients": round(used[2], 2),
            "others": round(max(used[0] - used[1] - used[2], 0.0), 2),
        }


# --- the database -------------------------------------------------------------------------
@dataclass
class Database:
    kind: str
    env: dict[str, str]
    name: str = ""
    admin_url: str = ""

    def drop(self) -> None:
        if self.kind == "postgres":
            postgres_admin(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def postgres_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def make_database(kind: str, workdir: Path, pg_url: str) -> Database:
    if kind == "sqlite":
        return Database("sqlite", {"WORKSPACE_SQLITE_PATH": str(workdir / "bench.sqlite3")})
    base, _, name = pg_url.rstrip("/").rpartition("/")
    admin = f"{base}/postgres"
    postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_admin(admin, f'CREATE DATABASE "{name}"')
    return Database("postgres", {"DATABASE_URL": pg_url}, name=name, admin_url=admin)


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    return env


# --- Redis --------------------------------------------------------------------------------
def redis_info(url: str) -> str | None:
    """The Redis server's version, or None when it does not answer."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        try:
            return str(client.info("server")["redis_version"])
        finally:
            client.close()
    except Exception:
        return None


def redis_clear(url: str, prefix: str) -> int:
    """Delete this benchmark's keys (and only those): ``prefix*`` in the given database."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    deleted = 0
    try:
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    finally:
        client.close()
    return deleted


# --- servers ------------------------------------------------------------------------------
class Daphne:
    """One Daphne process on a free port, its log in the work directory."""

    def __init__(
        self,
        app: str,
        env: dict[str, str],
        log_dir: Path,
        name: str,
        listener: socket.socket | None = None,
    ) -> None:
        """``listener``: a listening socket shared by several processes (the kernel hands each
        connection to one of them, as gunicorn's workers share theirs); else a free port."""
        if listener is None:
            self.port = free_port()
            where = ["-b", "127.0.0.1", "-p", str(self.port)]
            fds: tuple[int, ...] = ()
        else:
            self.port = listener.getsockname()[1]
            where = ["--fd", str(listener.fileno())]
            fds = (listener.fileno(),)
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = f"{name}-{self.port}"
        self.log_path = log_dir / f"{self.name}.log"
        self._log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", *where, app],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            pass_fds=fds,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = now() + timeout
        while now() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"daphne did not start: {self.log_path.read_text()[-2000:]}")

    def rss_kib(self) -> int:
        return rss_kib(self.process.pid)

    def profile(self, directory: Path, phase: str) -> subprocess.Popen:
        """Start py-spy on this process (sampling stacks until it is sent SIGINT)."""
        directory.mkdir(parents=True, exist_ok=True)
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        output = directory / f"{self.name}-{phase}.txt"
        command = [spy, "record", "--pid", str(self.process.pid), "--nonblocking", "--threads"]
        command += ["--rate", "100", "--format", "raw", "-o", str(output)]
        return subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()


def machine(
    db_kinds: set[str],
    redis_url: str | None = None,
    packages: tuple[str, ...] = PACKAGES,
) -> dict[str, Any]:
    """The machine, Python and package versions, for the report and the JSON."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    versions = {}
    for name in packages:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    info: dict[str, Any] = {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "packages": versions,
        "databases": sorted(db_kinds),
    }
    if redis_url:
        info["redis_server"] = redis_info(redis_url)
    return info
