"""The handshake checks' thread pool (``live.handshake``): results, concurrency, connections."""

from __future__ import annotations

import asyncio
import threading

import pytest

import live.handshake
from live.handshake import HandshakeChecks

WAIT = 2  # a bound for anything that should happen at once


@pytest.fixture
def closes(monkeypatch):
    """What the pool closed, in order: "old" (close_old_connections) or "all" (close_all)."""
    calls: list[str] = []
    monkeypatch.setattr(live.handshake, "close_old_connections", lambda: calls.append("old"))
    monkeypatch.setattr(live.handshake.connections, "close_all", lambda: calls.append("all"))
    return calls


@pytest.fixture
def make_checks(closes):
    pools: list[HandshakeChecks] = []

    def make(threads: int) -> HandshakeChecks:
        pools.append(HandshakeChecks(threads))
        return pools[-1]

    yield make
    for pool in pools:
        if pool._executor is not None:
            pool._executor.shutdown(wait=True, cancel_futures=True)


async def wait_until(condition, timeout: float = WAIT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never met"
        await asyncio.sleep(0.005)


async def test_the_result_reaches_the_awaiting_coroutine(make_checks):
    checks = make_checks(2)

    def check(user_id, pk, *, user=None):
        return {"user_id": user_id, "pk": pk, "user": user, "thread": threading.current_thread()}

    result = await checks.run(check, 7, 12, user="u")
    assert result["user_id"] == 7 and result["pk"] == 12 and result["user"] == "u"
    # On a thread of the pool, not on the event loop's thread.
    assert result["thread"] is not threading.current_thread()
    assert result["thread"].name.startswith("ws-check")


async def test_an_exception_reaches_the_awaiting_coroutine(make_checks):
    checks = make_checks(2)

    def check():
        raise LookupError("no such recommendation")

    with pytest.raises(LookupError, match="no such recommendation"):
        await checks.run(check)


async def test_at_most_threads_checks_run_at_once(make_checks):
    checks = make_checks(2)
    both_running = threading.Barrier(2, timeout=WAIT)  # broken unless two run together
    release = threading.Event()
    lock = threading.Lock()
    running = 0
    most = 0
    started = 0

    def check(i):
        nonlocal running, most, started
        with lock:
            running += 1
            started += 1
            most = max(most, running)
        try:
            if i < 2:
                both_running.wait()
            assert release.wait(WAIT)
            return i
        finally:
            with lock:
                running -= 1

    tasks = [asyncio.create_task(checks.run(check, i)) for i in range(6)]
    await wait_until(lambda: started == 2)
    await asyncio.sleep(0.05)  # a third would have started by now if it could
    assert started == 2 and checks._waiting == 4
    release.set()
    assert await asyncio.wait_for(asyncio.gather(*tasks), WAIT) == list(range(6))
    assert most == 2 and not both_running.broken


async def test_waiting_returns_to_zero_after_normal_failing_and_cancelled_checks(make_checks):
    checks = make_checks(1)
    release = threading.Event()

    def blocking():
        assert release.wait(WAIT)
        return "done"

    def failing():
        raise ValueError("boom")

    first = asyncio.create_task(checks.run(blocking))
    cancelled = asyncio.create_task(checks.run(blocking))
    failed = asyncio.create_task(checks.run(failing))
    ok = asyncio.create_task(checks.run(lambda: "ok"))
    await wait_until(lambda: checks._waiting == 3)  # the first runs, three queued behind it
    cancelled.cancel()  # never started: it no longer waits
    await wait_until(lambda: checks._waiting == 2)
    release.set()
    assert await first == "done"
    with pytest.raises(ValueError):
        await failed
    assert await ok == "ok"
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert checks._waiting == 0


async def test_connections_are_closed_once_the_pool_goes_idle_not_between_checks(
    make_checks, closes
):
    checks = make_checks(1)
    release = threading.Event()
    seen: list[list[str]] = []

    def check(i):
        if i == 0:
            assert release.wait(WAIT)
        seen.append(list(closes))  # what had been closed before this check ran
        return i

    tasks = [asyncio.create_task(checks.run(check, i)) for i in range(3)]
    await wait_until(lambda: checks._waiting == 2)
    release.set()
    assert await asyncio.gather(*tasks) == [0, 1, 2]
    # The connection is kept while checks wait, and closed after the last one.
    assert seen == [[], [], []]
    assert closes == ["old"]
    assert await checks.run(check, 3) == 3  # alone: idle again right after it
    assert closes == ["old", "old"]


async def test_an_error_closes_every_connection(make_checks, closes):
    checks = make_checks(1)

    def check():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await checks.run(check)
    assert closes[0] == "all"
    assert closes == ["all", "old"]  # and, idle, the usual close too


async def test_a_cancelled_check_still_lets_the_pool_close_when_idle(make_checks, closes):
    """A check cancelled while queued must not keep the pool "busy" (its connection open)."""
    checks = make_checks(1)
    release = threading.Event()

    def blocking():
        assert release.wait(WAIT)
        return "done"

    first = asyncio.create_task(checks.run(blocking))
    queued = asyncio.create_task(checks.run(blocking))
    await wait_until(lambda: checks._waiting == 1)
    queued.cancel()
    await wait_until(lambda: checks._waiting == 0)
    release.set()
    assert await first == "done"
    assert closes == ["old"]
