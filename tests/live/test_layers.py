"""The in-memory channel layer (``live.layers``): the stock semantics, kept fast.

The tests of shared semantics run against both our layer and Channels' stock one, so a
difference between them shows as a failure of one parametrization only.
"""

from __future__ import annotations

import asyncio
import time

import channels.layers
import pytest
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as StockLayer

import live.layers
from live.layers import InMemoryChannelLayer as LiveLayer

NOTHING = 0.05  # how long "nothing arrives" is waited for


class FakeClock:
    """``time.time`` and ``time.monotonic`` as the layers read them, moved on by ``advance``."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    """Both layers' modules read this clock (the stock ``group_add`` too); the event loop
    keeps the real one."""
    fake = FakeClock()
    monkeypatch.setattr(live.layers, "time", fake)
    monkeypatch.setattr(channels.layers, "time", fake)
    return fake


@pytest.fixture(params=["live", "stock"])
def make_layer(request):
    """A factory of layers of one kind (a short clean interval for ours)."""

    def make(**config):
        if request.param == "live":
            return LiveLayer(clean_interval=0.01, **config)
        return StockLayer(**config)

    return make


@pytest.fixture
def layer(make_layer):
    return make_layer()


async def nothing_on(layer, channel: str) -> bool:
    """True if no message arrives on ``channel`` within NOTHING seconds."""
    try:
        message = await asyncio.wait_for(layer.receive(channel), NOTHING)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected message on {channel}: {message}")


async def receive(layer, channel: str) -> dict:
    return await asyncio.wait_for(layer.receive(channel), 1)


# --- order and capacity -------------------------------------------------------------------
async def test_messages_on_a_channel_arrive_in_order(layer):
    channel = await layer.new_channel()
    for i in range(50):
        await layer.send(channel, {"type": "m", "n": i})
    assert [(await receive(layer, channel))["n"] for _ in range(50)] == list(range(50))
    assert await nothing_on(layer, channel)


async def test_a_full_channel_refuses_more_and_other_channels_still_accept(make_layer):
    layer = make_layer(capacity=3)
    full, other = await layer.new_channel(), await layer.new_channel()
    for i in range(3):
        await layer.send(full, {"type": "m", "n": i})
    with pytest.raises(ChannelFull):
        await layer.send(full, {"type": "m", "n": 3})
    await layer.send(other, {"type": "m", "n": 0})  # capacity is per channel
    assert (await receive(layer, full))["n"] == 0
    await layer.send(full, {"type": "m", "n": 4})  # room again after one receive
    assert [(await receive(layer, full))["n"] for _ in range(3)] == [1, 2, 4]


async def test_group_send_skips_a_full_member_and_reaches_the_others(make_layer):
    layer = make_layer(capacity=1)
    full, free = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", full)
    await layer.group_add("room", free)
    await layer.send(full, {"type": "first"})
    await layer.group_send("room", {"type": "broadcast"})  # no ChannelFull raised
    assert (await receive(layer, free))["type"] == "broadcast"
    assert (await receive(layer, full))["type"] == "first"
    assert await nothing_on(layer, full)  # the broadcast was dropped for the full one


# --- expiry -------------------------------------------------------------------------------
async def test_a_message_older_than_expiry_is_not_delivered(make_layer, clock):
    layer = make_layer(expiry=10)
    old, young = await layer.new_channel(), await layer.new_channel()
    await layer.send(old, {"type": "old"})
    clock.advance(6)
    await layer.send(young, {"type": "young"})
    clock.advance(6)  # "old" is 12 s old, "young" 6 s
    assert await nothing_on(layer, old)
    assert (await receive(layer, young))["type"] == "young"


async def test_an_expired_message_drops_its_channel_from_its_groups(make_layer, clock):
    layer = make_layer(expiry=10)
    stuck, alive = await layer.new_channel(), await layer.new_channel()
    for channel in (stuck, alive):
        await layer.group_add("room", channel)
    await layer.send(stuck, {"type": "unread"})  # its consumer never reads it
    clock.advance(11)
    await layer.group_send("room", {"type": "broadcast"})
    assert (await receive(layer, alive))["type"] == "broadcast"
    assert await nothing_on(layer, stuck)
    assert stuck not in layer.groups.get("room", {})


async def test_group_membership_expires_after_group_expiry(make_layer, clock):
    layer = make_layer(group_expiry=100)
    old, recent = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", old)
    clock.advance(60)
    await layer.group_add("room", recent)
    clock.advance(60)  # old joined 120 s ago, recent 60 s ago
    await layer.group_send("room", {"type": "broadcast"})
    assert (await receive(layer, recent))["type"] == "broadcast"
    assert await nothing_on(layer, old)


async def test_our_layer_enforces_expiry_within_one_clean_interval(clock):
    """The scan for expired messages runs at most once per clean_interval (the point of the
    layer), so a message may outlive its expiry by up to that much, never more."""
    layer = LiveLayer(expiry=10, clean_interval=5)
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "old"})
    clock.advance(9)
    await layer.group_send("nobody", {"type": "tick"})  # a clean runs 1 s before expiry
    clock.advance(6)  # expired 5 s ago: the next clean is due
    assert await nothing_on(layer, channel)


# --- groups -------------------------------------------------------------------------------
async def test_group_discard_stops_delivery_to_that_channel_only(layer):
    gone, staying = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", gone)
    await layer.group_add("room", staying)
    await layer.group_discard("room", gone)
    await layer.group_send("room", {"type": "broadcast"})
    assert (await receive(layer, staying))["type"] == "broadcast"
    assert await nothing_on(layer, gone)
    await layer.group_discard("room", staying)
    assert "room" not in layer.groups  # an empty group is dropped


async def test_two_hundred_members_each_receive_one_group_send_exactly_once(layer):
    channels_ = [await layer.new_channel() for _ in range(200)]
    for channel in channels_:
        await layer.group_add("room", channel)
    sent = {"type": "broadcast", "data": {"n": 1}}
    await layer.group_send("room", sent)
    received = await asyncio.gather(*(receive(layer, c) for c in channels_))
    assert all(m == sent for m in received)
    assert all(await asyncio.gather(*(nothing_on(layer, c) for c in channels_)))
    # Each member has its own top-level dict: one consumer's change is not another's.
    received[0]["type"] = "changed"
    received[0]["extra"] = True
    assert received[1] == sent and sent == {"type": "broadcast", "data": {"n": 1}}
    assert len({id(m) for m in received}) == 200


async def test_a_sent_message_is_a_copy_of_the_senders_dict(layer):
    channel = await layer.new_channel()
    message = {"type": "m", "n": 1}
    await layer.send(channel, message)
    message["n"] = 2
    assert (await receive(layer, channel))["n"] == 1


# --- waiting receivers --------------------------------------------------------------------
async def test_a_receiver_waiting_before_the_send_gets_the_message(layer):
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)  # now waiting
    assert not waiting.done()
    await layer.send(channel, {"type": "m"})
    assert (await asyncio.wait_for(waiting, 1)) == {"type": "m"}
    assert await nothing_on(layer, channel)


async def test_a_waiting_receiver_is_handed_the_message_directly():
    layer = LiveLayer()
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.send(channel, {"type": "m"})
    assert not layer.channels[channel].messages  # never queued
    assert (await asyncio.wait_for(waiting, 1)) == {"type": "m"}


async def test_a_receive_cancelled_while_waiting_does_not_swallow_the_next_message(layer):
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await layer.send(channel, {"type": "m"})
    assert (await receive(layer, channel)) == {"type": "m"}


async def test_a_send_between_a_cancel_and_its_cleanup_is_not_lost(layer):
    """The receive is cancelled, and a message is sent before the cancelled task has run
    again: the cancelled waiter must not take it."""
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()
    await layer.send(channel, {"type": "m"})
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert (await receive(layer, channel)) == {"type": "m"}


async def test_a_receive_cancelled_just_after_being_handed_a_message_keeps_it(layer):
    """The message reached the waiter, but its task is cancelled before it resumes: the
    message stays for the next receive, ahead of later ones."""
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.send(channel, {"type": "m", "n": 1})
    waiting.cancel()  # before the task has run again
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await layer.send(channel, {"type": "m", "n": 2})
    assert [(await receive(layer, channel))["n"] for _ in range(2)] == [1, 2]


async def test_cancelled_receivers_leave_no_channel_behind(layer):
    """A thousand sockets closing must not leave a thousand idle channels."""
    names = [await layer.new_channel() for _ in range(100)]
    tasks = [asyncio.create_task(layer.receive(n)) for n in names]
    await asyncio.sleep(0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert layer.channels == {}


# --- flush and names ----------------------------------------------------------------------
async def test_flush_empties_channels_and_groups(layer):
    channel, member = await layer.new_channel(), await layer.new_channel()
    await layer.send(channel, {"type": "queued"})
    await layer.group_add("room", member)
    await layer.flush()
    assert layer.channels == {} and layer.groups == {}
    assert await nothing_on(layer, channel)
    await layer.group_send("room", {"type": "broadcast"})
    assert await nothing_on(layer, member)


async def test_flush_releases_our_waiting_receivers():
    layer = LiveLayer()
    channel = await layer.new_channel()
    waiting = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.flush()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, 1)


async def test_new_channel_names_are_unique_and_valid(layer):
    names = {await layer.new_channel() for _ in range(1000)}
    assert len(names) == 1000
    for name in names:
        layer.require_valid_channel_name(name)
        assert name.startswith("specific.")


# --- several groups at once (a socket joins its text's, its person's and its session's) ---
async def test_joining_and_leaving_several_groups_at_once():
    layer = LiveLayer()
    member, other = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("text", other)
    await layer.group_add_many(["text", "person", "session"], member)
    for group in ("text", "person", "session"):
        await layer.group_send(group, {"type": "m", "group": group})
        assert (await receive(layer, member))["group"] == group
    assert (await receive(layer, other))["group"] == "text"
    await layer.group_discard_many(["text", "person", "session"], member)
    await layer.group_send("text", {"type": "m"})
    assert await nothing_on(layer, member)
    assert (await receive(layer, other))["type"] == "m"  # the others stay in the group


async def test_redis_joins_several_groups_in_one_round_trip_as_group_add_would():
    from uuid import uuid4

    import redis.asyncio as aioredis
    from channels_redis.core import RedisChannelLayer as StockRedisLayer

    from live.layers import RedisChannelLayer
    from tests.helpers import need_redis

    url = need_redis()
    prefix = f"test-layers-{uuid4().hex[:8]}"
    layer = RedisChannelLayer(hosts=[url], prefix=prefix, group_expiry=600)
    stock = StockRedisLayer(hosts=[url], prefix=prefix + "-stock", group_expiry=600)
    client = aioredis.Redis.from_url(url)
    round_trips = 0
    connection = layer.connection(0)
    single = connection.execute_command

    async def counted(*args, **kwargs):
        nonlocal round_trips
        round_trips += 1
        return await single(*args, **kwargs)

    connection.execute_command = counted
    try:
        member = await layer.new_channel()
        groups = ["text.1", "person.2", "session.abc"]
        await layer.group_add_many(groups, member)
        await stock.group_add("text.1", member)
        assert round_trips == 0  # one pipeline, not a command per join
        for group in groups:
            key = layer._group_key(group)
            assert await client.zscore(key, member) is not None
            assert 0 < await client.ttl(key) <= 600  # expires as the stock join's key does
        stock_key = stock._group_key("text.1")
        assert await client.ttl(stock_key) == await client.ttl(layer._group_key("text.1"))

        await layer.group_send("session.abc", {"type": "closed"})
        assert (await asyncio.wait_for(layer.receive(member), 5))["type"] == "closed"

        await layer.group_discard_many(groups, member)
        for group in groups:
            assert await client.zscore(layer._group_key(group), member) is None
    finally:
        connection.execute_command = single
        await layer.flush()
        await stock.flush()
        await client.aclose()
