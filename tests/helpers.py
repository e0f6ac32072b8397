"""Helpers shared by the test folders: services that fail in CI when gone, threads that run
together, the named URLs a permission matrix must cover, and the undo forms beside a page's
messages."""

from __future__ import annotations

import html as html_lib
import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import get_resolver

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip with a clear reason outside CI; fail in CI, where every service must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    """Tests of the scaled set-up run in the PostgreSQL pass (DATABASE_URL set)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "runs in the PostgreSQL pass of the suite (set DATABASE_URL to a PostgreSQL database)"
        )


def need_redis() -> str:
    """The Redis URL of this run; tests of several processes run in the Redis pass."""
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("runs in the Redis pass of the suite (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(False, f"Redis at {settings.REDIS_URL} is unreachable: {exc}")
    return settings.REDIS_URL


def run_together(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run ``fn(0..n-1)`` on n threads released at the same instant (each closes its own
    database connection), and return their results in order."""
    barrier = threading.Barrier(n)

    def worker(i: int) -> Any:
        barrier.wait()
        try:
            return fn(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(worker, range(n)))


def url_names(pattern: Any = None, prefix: str = "") -> Iterator[str]:
    """Every named URL, as ``namespace:name``, below ``pattern`` (default: the whole site)."""
    if pattern is None:
        for sub in get_resolver().url_patterns:
            yield from url_names(sub)
        return
    if hasattr(pattern, "url_patterns"):
        ns = f"{pattern.namespace}:" if pattern.namespace else prefix
        for sub in pattern.url_patterns:
            yield from url_names(sub, ns)
    elif pattern.name:
        yield f"{prefix}{pattern.name}"


def project_template_dirs() -> list[Path]:
    """The template folders of this project (settings' DIRS and its own apps'), never those
    of installed packages, even when the virtualenv lives inside the checkout (.venv)."""
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    outside = {".venv", "var", "node_modules"}
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not set(path.relative_to(base).parts) & outside:
            roots.append(path / "templates")
    return roots


# --- the undo offered with a message (core/undo.py) ------------------------------------------
UNDO_FORM = re.compile(
    r'<li class="message message-success">(?P<message>[^<]*)'
    r'<form method="post" action="(?P<action>[^"]*)" class="undo-form inline-form">'
    r"(?P<inside>.*?)<button type=\"submit\">(?P<label>[^<]*)</button></form>",
    re.S,
)


def undo_forms(html: str) -> list[dict]:
    """The undo forms beside the page's messages: message, action, label, hidden fields."""
    found = []
    for match in UNDO_FORM.finditer(html):
        fields = dict(
            re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', match["inside"])
        )
        assert "csrfmiddlewaretoken" in fields
        fields.pop("csrfmiddlewaretoken")
        found.append(
            {
                "message": html_lib.unescape(match["message"]),
                "action": html_lib.unescape(match["action"]),
                "label": html_lib.unescape(match["label"]),
                "fields": {k: html_lib.unescape(v) for k, v in fields.items()},
            }
        )
    return found


def followed(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()
