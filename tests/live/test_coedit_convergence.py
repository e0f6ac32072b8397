"""The core proof of co-editing: simulated browsers type through the server's real consumer
over a network that drops, duplicates, reorders and disconnects, while the channel layer
loses broadcasts and the log is compacted. Afterwards every client holds the same text,
every token typed and not deleted is there exactly once, and the text reloaded from the
database is the same."""

from __future__ import annotations

import random
import re

import pytest
from channels.layers import channel_layers

from live import coedit, coedit_consumer
from recommendations.services import live_key
from tests.factories import make_recommendation, member_of

from .coedit_client import Faults, SimClient, in_thread, settle
from .test_consumers import session_cookie

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOKEN = re.compile(r"\[[a-z]\d+\.\d+\]")
START = "Intro.\n"


@pytest.fixture(autouse=True)
def fresh_layer(monkeypatch):
    channel_layers.backends = {}
    # The simulation sends far faster than anyone types; the rate limit has its own test.
    monkeypatch.setattr(coedit_consumer, "RATE_BURST", 1e9)
    yield
    channel_layers.backends = {}


class LossyLayer:
    """Wraps the channel layer: a share of co-editing broadcasts never arrives (as when Redis
    drops a message or a process restarts), so consumers must fill gaps from the log."""

    def __init__(self, layer, rng: random.Random, drop: float) -> None:
        self.layer, self.rng, self.drop = layer, rng, drop
        self.dropped = 0

    def __getattr__(self, name):
        return getattr(self.layer, name)

    async def group_send(self, group, message):
        if str(message.get("type")).startswith("coedit.update") and self.rng.random() < self.drop:
            self.dropped += 1
            return
        await self.layer.group_send(group, message)


def boundaries(value: str) -> list[int]:
    """Positions between tokens (never inside one), where a client may type a new token."""
    points = [0, len(value)]
    points += [m.end() for m in TOKEN.finditer(value)]
    points += [i + 1 for i, ch in enumerate(value) if ch == "\n"]
    return sorted(set(points))


def _token_diff(stored: str | None, shown: str) -> tuple[set[str], set[str]]:
    a, b = set(TOKEN.findall(stored or "")), set(TOKEN.findall(shown))
    return a - b, b - a


async def heal(clients: list[SimClient], key: str, rounds: int = 100) -> None:
    """The network is good again: every client reconnects and resyncs until all agree and
    the server holds everything each one typed."""
    for client in clients:
        if not client.connected:
            assert await client.connect()
    quiet = Faults()
    for _ in range(rounds):
        for client in clients:
            await client.flush(quiet)
            await client.resync()
        await settle(0.05)
        for client in clients:
            await client.pump(quiet)
            await client.send_unsaved()
        await settle(0.05)
        for client in clients:
            await client.pump(quiet)
        texts = {client.value() for client in clients}
        if (
            len(texts) == 1
            and not any(client.unsaved() for client in clients)
            and await in_thread(coedit.current_text, key) in texts
        ):
            return
    raise AssertionError(
        "the clients never converged: "
        + repr([(c.unsaved(), c.closed_with, c.connected) for c in clients])
        + repr(len({c.value() for c in clients}))
        + repr(_token_diff(await in_thread(coedit.current_text, key), clients[0].value()))
        + repr(
            {k: _token_diff(d.text, clients[0].value()) for k, d in coedit.open_documents().items()}
        )
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_typing_through_a_bad_network_converges_and_loses_nothing(seed, lead_org):
    rng = random.Random(seed)
    users = [await in_thread(member_of, lead_org, f"typist{i}") for i in range(4)]
    rec = await in_thread(make_recommendation, users[0], body=START)
    path = f"/ws/recommendations/{rec.pk}/text/"
    clients = [
        SimClient(
            name="abcd"[i],
            cookie=await in_thread(session_cookie, user),
            path=path,
            rng=random.Random(seed * 100 + i),
        )
        for i, user in enumerate(users)
    ]
    layer = channel_layers["default"]
    lossy = LossyLayer(layer, rng, drop=0.15)
    channel_layers.backends["default"] = lossy
    for client in clients:
        assert await client.connect()
    faults = Faults(drop=0.1, duplicate=0.1, reorder=0.2)
    typed: dict[str, bool] = {}  # token -> still meant to be there
    counter = 0
    compacted = 0
    for step in range(160):
        client = rng.choice(clients)
        if not client.connected and rng.random() < 0.5:
            await client.connect()
        elif client.connected and rng.random() < 0.04:
            await client.disconnect()  # typing goes on offline
        value = client.value()
        mine = [t for t in TOKEN.findall(value) if t.startswith(f"[{client.name}")]
        if mine and rng.random() < 0.2:
            token = rng.choice(mine)
            start = value.index(token)
            client.delete(start, start + len(token))
            typed[token] = False
        else:
            counter += 1
            token = f"[{client.name}{counter}.{step}]"
            client.insert(rng.choice(boundaries(value)), token)
            typed[token] = True
        for other in clients:
            await other.flush(faults)
        if rng.random() < 0.3:
            await client.resync()
        await settle(0.01)
        for other in clients:
            await other.pump(faults)
        if rng.random() < 0.05:
            compacted += await in_thread(coedit.compact, live_key(rec))
    await heal(clients, live_key(rec))

    final = clients[0].value()
    assert {client.value() for client in clients} == {final}
    for token, present in typed.items():
        assert final.count(token) == (1 if present else 0), token
    assert final.count(START.strip()) == 1  # the document was created once, not per client
    assert len(TOKEN.findall(final)) == sum(typed.values())
    assert await in_thread(coedit.current_text, live_key(rec)) == final
    assert lossy.dropped > 0 and compacted > 0  # the gaps and the compactions really happened
    for client in clients:
        await client.disconnect()
