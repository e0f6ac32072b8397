"""Presence (``live.presence``): the stores, the summary, and the throttle of its sends.

The store tests run against the in-process store and, in the Redis pass (REDIS_URL set),
against the Redis one too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid

import pytest

import live.consumers
import live.presence
from live.consumers import announce_presence, presence_message
from live.presence import MemoryPresence, RedisPresence, safe, summarise
from tests.helpers import need_redis

TIMEOUT = 10


class FakeClock:
    """``time.time`` as ``live.presence`` reads it, moved on by ``advance``."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch, settings):
    settings.PRESENCE_TIMEOUT = TIMEOUT
    fake = FakeClock()
    monkeypatch.setattr(live.presence, "time", fake)
    return fake


@pytest.fixture(params=["memory", "redis"])
async def store(request):
    if request.param == "memory":
        yield MemoryPresence()
        return
    url = need_redis()
    redis_store = RedisPresence(url)
    redis_store.prefix = f"test-presence-{uuid.uuid4().hex}"  # this test's keys only
    try:
        yield redis_store
    finally:
        keys = [k async for k in redis_store.redis.scan_iter(f"{redis_store.prefix}:*")]
        if keys:
            await redis_store.redis.delete(*keys)
        await redis_store.redis.aclose()


def info(user: str, state: str = "viewing", name: str | None = None) -> dict:
    return {"user": user, "name": name or user.title(), "organisation": "Org", "state": state}


def users(entries: list[dict]) -> list[str]:
    return sorted(e["user"] for e in entries)


# --- the stores ---------------------------------------------------------------------------
async def test_touch_adds_one_entry_per_channel_and_updates_it(store, clock):
    await store.touch("recommendation.1", "ch-a", info("ana"))
    await store.touch("recommendation.1", "ch-b", info("ben"))
    await store.touch("recommendation.1", "ch-a", info("ana", "editing"))
    entries = await store.entries("recommendation.1")
    assert sorted(entries, key=lambda e: e["user"]) == [info("ana", "editing"), info("ben")]


async def test_leave_removes_that_channel_only(store, clock):
    await store.touch("recommendation.1", "ch-a", info("ana"))
    await store.touch("recommendation.1", "ch-a2", info("ana"))  # a second tab
    await store.touch("recommendation.1", "ch-b", info("ben"))
    await store.leave("recommendation.1", "ch-a")
    assert users(await store.entries("recommendation.1")) == ["ana", "ben"]
    await store.leave("recommendation.1", "ch-a2")
    await store.leave("recommendation.1", "ch-never-there")
    assert users(await store.entries("recommendation.1")) == ["ben"]


async def test_an_entry_not_refreshed_within_the_timeout_expires(store, clock):
    await store.touch("recommendation.1", "ch-gone", info("gone"))
    await store.touch("recommendation.1", "ch-beating", info("beating"))
    clock.advance(TIMEOUT - 4)
    await store.touch("recommendation.1", "ch-beating", info("beating"))  # heartbeat
    await store.touch("recommendation.1", "ch-new", info("new"))
    assert users(await store.entries("recommendation.1")) == ["beating", "gone", "new"]
    clock.advance(5)  # "gone" last seen TIMEOUT + 1 s ago, the others 5 s ago
    assert users(await store.entries("recommendation.1")) == ["beating", "new"]
    clock.advance(TIMEOUT + 1)
    assert await store.entries("recommendation.1") == []


async def test_rooms_are_independent(store, clock):
    await store.touch("recommendation.1", "ch-a", info("ana"))
    await store.touch("recommendation.2", "ch-b", info("ben"))
    await store.leave("recommendation.2", "ch-a")  # not in that room: nothing happens
    assert users(await store.entries("recommendation.1")) == ["ana"]
    assert users(await store.entries("recommendation.2")) == ["ben"]
    await store.leave("recommendation.1", "ch-a")
    assert await store.entries("recommendation.1") == []
    assert users(await store.entries("recommendation.2")) == ["ben"]
    assert await store.entries("recommendation.3") == []


async def test_the_memory_store_forgets_an_empty_room(clock):
    store = MemoryPresence()
    await store.touch("recommendation.1", "ch-a", info("ana"))
    await store.leave("recommendation.1", "ch-a")
    assert store.rooms == {}


async def test_the_redis_store_deletes_expired_entries_and_lets_the_hash_expire(clock):
    url = need_redis()
    store = RedisPresence(url)
    store.prefix = f"test-presence-{uuid.uuid4().hex}"
    key = f"{store.prefix}:recommendation.1"
    try:
        await store.touch("recommendation.1", "ch-gone", info("gone"))
        clock.advance(TIMEOUT + 1)
        await store.touch("recommendation.1", "ch-here", info("here"))
        assert users(await store.entries("recommendation.1")) == ["here"]
        assert await store.redis.hkeys(key) == [b"ch-here"]
        assert 0 < await store.redis.ttl(key) <= TIMEOUT * 10
    finally:
        await store.redis.delete(key)
        await store.redis.aclose()


def test_store_is_in_process_without_redis(settings):
    settings.REDIS_URL = ""
    assert live.presence.store() is live.presence._memory


# --- the summary --------------------------------------------------------------------------
def test_summarise_counts_a_person_once_across_tabs_and_editing_wins():
    entries = [
        info("ana", "viewing", "Ana"),
        info("ben", "viewing", "Ben"),
        info("ana", "editing", "Ana"),  # Ana's second tab edits
        info("ana", "viewing", "Ana"),
        info("ben", "viewing", "Ben"),
    ]
    summary = summarise(entries)
    person = {"organisation": "Org"}
    assert summary == {
        "viewing": [
            person | {"user": "ana", "name": "Ana"},
            person | {"user": "ben", "name": "Ben"},
        ],
        "editing": [person | {"user": "ana", "name": "Ana"}],
    }


def test_summarise_sorts_by_name_ignoring_case():
    entries = [
        info("z", "editing", "zoë"),
        info("b", "viewing", "Bruno"),
        info("a", "editing", "ada"),
        info("c", "editing", "Carla"),
    ]
    summary = summarise(entries)
    assert [p["name"] for p in summary["viewing"]] == ["ada", "Bruno", "Carla", "zoë"]
    assert [p["name"] for p in summary["editing"]] == ["ada", "Carla", "zoë"]


def test_summarise_of_nobody():
    assert summarise([]) == {"viewing": [], "editing": []}


# --- safe ---------------------------------------------------------------------------------
async def test_safe_returns_the_result_or_the_default_and_logs(caplog):
    async def works():
        return ["someone"]

    async def fails():
        raise ConnectionError("redis is gone")

    assert await safe(works(), default=[]) == ["someone"]
    with caplog.at_level(logging.WARNING, logger="live.presence"):
        assert await safe(fails(), default=[]) == []
        assert await safe(fails()) is None
    records = [r for r in caplog.records if r.name == "live.presence"]
    assert len(records) == 2
    assert records[0].message == "presence store unavailable"
    assert isinstance(records[0].exc_info[1], ConnectionError)


async def test_safe_does_not_swallow_cancellation():
    async def cancelled():
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await safe(cancelled(), default=[])


# --- the throttle of presence sends ---------------------------------------------------------
INTERVAL = 0.05
SLACK = 0.005  # timer precision


class ReadingStore(MemoryPresence):
    """The in-process store, recording when a send reads it: a send's window starts then
    (its ``group_send`` comes after the read and the encoding, which may take a while)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[float] = []
        self.slow: asyncio.Event | None = None  # when set, reads wait for it (as over Redis)

    async def entries(self, room: str) -> list[dict]:
        self.reads.append(asyncio.get_running_loop().time())
        if self.slow is not None:
            await self.slow.wait()
        return await super().entries(room)


class RecordingLayer:
    """Records each group_send with the loop's time."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[float, str, dict]] = []
        self.fail = fail

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((asyncio.get_running_loop().time(), group, message))
        if self.fail:
            raise ConnectionError("the layer is gone")

    async def wait_sent(self, count: int, timeout: float = 2.0) -> None:
        """Return as soon as ``count`` sends were made (fail after ``timeout``)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.sent) < count:
            assert asyncio.get_running_loop().time() < deadline, f"{len(self.sent)} sends"
            await asyncio.sleep(0.001)
        assert len(self.sent) == count

    def viewers(self, index: int) -> list[str]:
        return [p["user"] for p in self.sent[index][2]["data"]["viewing"]]


@pytest.fixture
def room(monkeypatch):
    """A fresh in-process store read by the throttle, and small throttle constants."""
    memory = ReadingStore()
    monkeypatch.setattr(live.presence, "store", lambda: memory)
    monkeypatch.setattr(live.consumers, "PRESENCE_INTERVAL_SECONDS", INTERVAL)
    monkeypatch.setattr(live.consumers, "PRESENCE_FRAMES_PER_SECOND", 1000)
    return memory


async def test_the_first_change_is_sent_at_once_with_the_encoded_frame(room):
    layer = RecordingLayer()
    await room.touch("recommendation.1", "ch-a", info("ana", "editing"))
    await announce_presence(layer, "recommendation", 1)
    assert len(layer.sent) == 1
    _, group, message = layer.sent[0]
    data = summarise([info("ana", "editing")])
    assert group == "recommendation.1"
    assert message["type"] == "presence.changed" and message["data"] == data
    assert json.loads(message["text"]) == presence_message("recommendation", 1, data)


async def test_changes_within_the_interval_are_sent_together_at_its_end(room):
    layer = RecordingLayer()
    loop = asyncio.get_running_loop()
    await room.touch("recommendation.1", "ch-a", info("ana"))
    await announce_presence(layer, "recommendation", 1)
    for channel, user in (("ch-b", "ben"), ("ch-c", "cleo"), ("ch-d", "dan")):
        await room.touch("recommendation.1", channel, info(user))
        await announce_presence(layer, "recommendation", 1)
    assert len(layer.sent) == 1
    # A change after the last announce, before the send: the send reads the store then.
    await room.leave("recommendation.1", "ch-b")
    await layer.wait_sent(2)
    first, second = room.reads
    assert INTERVAL - SLACK <= second - first < INTERVAL * 3  # at the end of the window
    assert layer.viewers(1) == ["ana", "cleo", "dan"]
    await asyncio.sleep(INTERVAL * 2)
    assert len(layer.sent) == 2  # nothing more without another change
    started = loop.time()
    await announce_presence(layer, "recommendation", 1)  # the window has passed
    assert len(layer.sent) == 3 and layer.sent[2][0] - started < INTERVAL


async def test_a_delayed_send_opens_a_new_window_too(room):
    layer = RecordingLayer()
    await announce_presence(layer, "recommendation", 1)
    await announce_presence(layer, "recommendation", 1)  # delayed send scheduled
    await layer.wait_sent(2)
    await announce_presence(layer, "recommendation", 1)
    assert len(layer.sent) == 2  # within the window the delayed send opened
    await layer.wait_sent(3)
    assert room.reads[2] - room.reads[1] >= INTERVAL - SLACK


async def test_a_change_while_a_send_reads_the_store_waits_for_the_next_window(room):
    """Reading the store (Redis) takes time: a change meanwhile must not start a second
    send at once, but wait for the window the send in progress opened."""
    layer = RecordingLayer()
    room.slow = asyncio.Event()
    first = asyncio.create_task(announce_presence(layer, "recommendation", 1))
    await asyncio.sleep(0)  # the first send is reading the store
    second = asyncio.create_task(announce_presence(layer, "recommendation", 1))
    await asyncio.sleep(0)
    room.slow.set()
    await asyncio.gather(first, second)
    await layer.wait_sent(2)
    assert room.reads[1] - room.reads[0] >= INTERVAL - SLACK


async def test_a_big_room_waits_its_size_over_the_frame_rate(room, monkeypatch):
    monkeypatch.setattr(live.consumers, "PRESENCE_FRAMES_PER_SECOND", 200)
    layer = RecordingLayer()
    for i in range(40):  # 40 / 200 = 0.2 s between sends, four intervals
        await room.touch("recommendation.1", f"ch-{i}", info(f"user{i:02}"))
    await announce_presence(layer, "recommendation", 1)
    await announce_presence(layer, "recommendation", 1)
    await layer.wait_sent(2)
    # Not after the interval alone (0.05 s): after 40 / 200 s.
    assert room.reads[1] - room.reads[0] >= 40 / 200 - SLACK


async def test_objects_are_throttled_independently(room):
    layer = RecordingLayer()
    await announce_presence(layer, "recommendation", 1)
    await announce_presence(layer, "recommendation", 2)
    await announce_presence(layer, "other", 1)
    assert [group for _, group, _ in layer.sent] == [
        "recommendation.1",
        "recommendation.2",
        "other.1",
    ]


async def test_a_failing_layer_is_logged_and_the_throttle_goes_on(room, caplog):
    layer = RecordingLayer(fail=True)
    with caplog.at_level(logging.WARNING, logger="live.consumers"):
        await announce_presence(layer, "recommendation", 1)  # does not raise
        await announce_presence(layer, "recommendation", 1)
        await layer.wait_sent(2)
    assert [r.message for r in caplog.records if r.name == "live.consumers"] == [
        "presence not sent",
        "presence not sent",
    ]


async def test_a_failing_store_sends_an_empty_presence(room, monkeypatch):
    async def broken(room_name):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(room, "entries", broken)
    layer = RecordingLayer()
    await announce_presence(layer, "recommendation", 1)
    assert layer.sent[0][2]["data"] == {"viewing": [], "editing": []}
