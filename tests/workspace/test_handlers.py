"""Django's HTTP views under ASGI run on a fixed set of threads that keep their database
connections (workspace.handlers.PooledASGIHandler), instead of a new thread, and a new
database connection, for every request."""

from __future__ import annotations

import asyncio
import threading

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from workspace import handlers
from workspace.asgi import django_asgi_app
from workspace.handlers import ExecutorPool, PooledASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


async def get(app, path: str) -> tuple[int, bytes]:
    """One GET through ``app`` as Daphne calls it: (status, body)."""
    pending = [{"type": "http.request", "body": b"", "more_body": False}]
    status, body = 0, []

    async def receive():
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)  # the client stays: Django cancels this when it is done

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await app(scope, receive, send)
    return status, b"".join(body)


@pytest.fixture
def seen():
    """(phase, thread, database connection) of each request's start and finish."""
    noted: list[tuple[str, int, int | None]] = []

    def started(**kwargs):
        noted.append(("started", threading.get_ident(), None))

    def finished(**kwargs):
        raw = connection.connection
        noted.append(("finished", threading.get_ident(), id(raw) if raw else None))

    request_started.connect(started, dispatch_uid="test-handlers-started")
    request_finished.connect(finished, dispatch_uid="test-handlers-finished")
    yield noted
    request_started.disconnect(dispatch_uid="test-handlers-started")
    request_finished.disconnect(dispatch_uid="test-handlers-finished")


def test_the_workspace_serves_http_with_the_pooled_handler(settings):
    assert isinstance(django_asgi_app, PooledASGIHandler)
    assert django_asgi_app.pool.size == settings.WORKSPACE_VIEW_THREADS


async def test_requests_one_after_another_reuse_one_thread_and_its_database_connection(seen):
    app = PooledASGIHandler(threads=4)
    for _ in range(5):
        status, body = await get(app, "/healthz")
        assert (status, body) == (200, b'{"status": "ok"}')
    finished = [entry for entry in seen if entry[0] == "finished"]
    assert len(finished) == 5
    assert len({thread for _, thread, _ in finished}) == 1
    assert len({conn for _, _, conn in finished}) == 1  # opened once, kept (CONN_MAX_AGE)
    assert app.pool.created == 1
    assert threading.get_ident() not in {thread for _, thread, _ in seen}


async def test_a_requests_whole_synchronous_work_runs_on_the_one_thread_it_borrowed(seen):
    app = PooledASGIHandler(threads=3)
    await asyncio.gather(*(get(app, "/healthz") for _ in range(6)))
    # Each request's start and finish ran on a pool thread; never more threads than the pool.
    threads = {thread for _, thread, _ in seen}
    assert 1 <= len(threads) <= 3
    assert app.pool.created <= 3
    names = {t.name for t in threading.enumerate() if t.ident in threads}
    assert names and all(name.startswith("view-") for name in names)


async def test_more_requests_than_threads_wait_and_are_all_served():
    app = PooledASGIHandler(threads=2)
    results = await asyncio.gather(*(get(app, "/healthz") for _ in range(12)))
    assert [status for status, _ in results] == [200] * 12
    assert app.pool.created == 2
    assert app.pool.idle == 2 and app.pool.waiting == 0


async def test_a_failing_view_gives_its_thread_back():
    app = PooledASGIHandler(threads=1)
    status, _ = await get(app, "/no-such-page-here/")
    assert status == 404
    status, _ = await get(app, "/healthz")
    assert status == 200
    assert app.pool.idle == 1


def test_a_pool_needs_a_thread():
    with pytest.raises(ValueError):
        ExecutorPool(0)


async def test_the_pool_lends_at_most_size_and_hands_a_freed_executor_to_the_first_waiting():
    pool = ExecutorPool(2, name="t")
    first, second = await pool.take(), await pool.take()
    assert first is not second and pool.created == 2
    third = asyncio.create_task(pool.take())
    fourth = asyncio.create_task(pool.take())
    await asyncio.sleep(0)
    assert not third.done() and pool.waiting == 2
    pool.give(second)
    assert await third is second
    assert not fourth.done()
    pool.give(first)
    assert await fourth is first
    for executor in (first, second):
        executor.shutdown()


async def test_a_cancelled_wait_loses_no_executor():
    pool = ExecutorPool(1, name="t")
    only = await pool.take()
    waiting = asyncio.create_task(pool.take())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert pool.waiting == 0
    pool.give(only)
    assert pool.idle == 1
    # Handed over at the moment the waiter was cancelled: it goes on to the next, not lost.
    again = await pool.take()
    late = asyncio.create_task(pool.take())
    await asyncio.sleep(0)
    pool.give(again)  # late's future now holds the executor
    late.cancel()
    with pytest.raises(asyncio.CancelledError):
        await late
    assert pool.idle == 1 and await pool.take() is only
    only.shutdown()


def test_the_view_threads_are_configurable(monkeypatch):
    app = handlers.get_asgi_application(3)
    assert app.pool.size == 3
