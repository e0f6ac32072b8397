"""Co-editing across two Daphne processes sharing Redis, one of them killed while four
co-authors type: the texts converge, and nothing typed is lost (docs/realtime.md)."""

from __future__ import annotations

import asyncio
import random
import re
import signal

import pytest

from live import coedit
from recommendations.services import live_key
from tests.factories import make_recommendation, member_of
from tests.helpers import need_redis
from tests.servers import DaphneProcess

from .coedit_ws import WsClient, until
from .test_scale import _cookie

pytestmark = [pytest.mark.daphne, pytest.mark.redis]

TOKEN = re.compile(r"\[[a-z]\d+\]")


def test_a_process_killed_while_four_co_authors_type_loses_nothing(committed_db, lead_org):
    redis_url = need_redis()
    users = [member_of(lead_org, f"author{i}") for i in range(4)]
    rec = make_recommendation(users[0], body="Start.")
    cookies = [_cookie(user) for user in users]
    servers = [DaphneProcess({"REDIS_URL": redis_url}), DaphneProcess({"REDIS_URL": redis_url})]
    path = f"/ws/recommendations/{rec.pk}/text/"
    try:

        async def scenario() -> tuple[list[str], list[str]]:
            # Two co-authors on each process; those of the first fall back to the second.
            clients = [
                WsClient(
                    "abcd"[i], [servers[i % 2].url, servers[(i + 1) % 2].url], path, cookies[i]
                )
                for i in range(4)
            ]
            for client in clients:
                client.start()
            for client in clients:
                await client.wait_open()
            assert await until(lambda: all(c.value() == "Start." for c in clients), 10)
            on_killed = [c for c in clients if c.connected_to[-1] == servers[0].url]
            assert on_killed  # someone types through the process that will die
            rng = random.Random(7)
            typed: list[str] = []
            for step in range(240):
                client = clients[step % 4]
                token = f"[{client.name}{step}]"
                value = client.value()
                points = [0, len(value), *(m.end() for m in TOKEN.finditer(value))]
                client.insert(rng.choice(points), token)
                typed.append(token)
                if step == 120:
                    servers[0].process.send_signal(signal.SIGKILL)  # mid-typing, no goodbye
                await asyncio.sleep(0.02)
            import time as _t

            _t0 = _t.monotonic()
            converged = await until(
                lambda: len({c.value() for c in clients}) == 1 and all(c.saved() for c in clients),
                60,
                step=0.25,
            )
            print(
                "converge took",
                _t.monotonic() - _t0,
                [(c.name, c.saved(), c.dirty, c.sent, c.acked) for c in clients],
            )
            for client in clients:  # ask once more for anything a dead socket swallowed
                await client.resync()
            await asyncio.sleep(1)
            texts = [c.value() for c in clients]
            for client in clients:
                await client.stop()
            assert converged, [(c.name, c.saved(), c.connects) for c in clients]
            assert all(c.connected_to[-1] == servers[1].url for c in on_killed)  # they moved
            return texts, typed

        texts, typed = asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()
    final = texts[0]
    assert set(texts) == {final}
    for token in typed:
        assert final.count(token) == 1, token
    assert final.count("Start.") == 1
    assert coedit.current_text(live_key(rec)) == final
