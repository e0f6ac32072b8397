"""Several Daphne processes over Redis, and Redis going away: real processes, real sockets."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time

import httpx
import pytest
import websockets
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from recommendations.models import Event
from tests.factories import BODY, make_recommendation
from tests.helpers import need, need_redis
from tests.servers import DaphneProcess, free_port

pytestmark = [pytest.mark.daphne, pytest.mark.redis]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def _receive(ws, type_: str, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=max(remaining, 0.01)))
        if message["type"] == type_:
            return message


def _ws(server: DaphneProcess, path: str, cookie: str):
    return websockets.connect(
        server.url.replace("http", "ws") + path,
        additional_headers={"Cookie": cookie},
        origin=server.url,
        open_timeout=10,
    )


def test_an_event_caused_through_one_process_reaches_clients_of_the_other(
    committed_db, drafter, representative
):
    redis_url = need_redis()
    rec = make_recommendation(drafter, status="in_review")
    token = Token.objects.create(user=drafter).key
    cookies = [_cookie(drafter), _cookie(representative)]
    servers = [DaphneProcess({"REDIS_URL": redis_url}), DaphneProcess({"REDIS_URL": redis_url})]
    try:

        async def scenario():
            async with (
                _ws(servers[0], f"/ws/recommendations/{rec.pk}/", cookies[0]) as a,
                _ws(servers[1], f"/ws/recommendations/{rec.pk}/", cookies[1]) as b,
            ):
                await a.send(json.dumps({"type": "presence", "state": "editing"}))
                # Presence is shared through Redis: B (other process) sees A's user editing.
                for _ in range(10):
                    seen = await _receive(b, "presence")
                    if seen["data"]["editing"]:
                        break
                assert [p["user"] for p in seen["data"]["editing"]] == ["drafter"]
                async with httpx.AsyncClient(base_url=servers[0].url, timeout=30) as http:
                    response = await http.patch(
                        f"/api/recommendations/{rec.pk}/",
                        json={"body": BODY + "\n\nAcross processes.", "base_version": 1},
                        headers={"Authorization": f"Token {token}"},
                    )
                assert response.status_code == 200
                got_a = await _receive(a, "recommendation.updated")
                got_b = await _receive(b, "recommendation.updated")
                assert got_a == got_b and got_b["data"]["version"] == 2

        asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()


def test_with_redis_gone_saves_work_and_clients_catch_up_when_it_is_back(committed_db, drafter):
    need_redis()  # the Redis pass; this test starts its own Redis on a free port
    redis_server = shutil.which("redis-server")
    need(redis_server is not None, "redis-server is not installed")
    port = free_port()
    dead_url = f"redis://127.0.0.1:{port}/0"
    rec = make_recommendation(drafter, status="in_review")
    token = Token.objects.create(user=drafter).key
    headers = {"Authorization": f"Token {token}"}
    server = DaphneProcess({"REDIS_URL": dead_url})
    redis_proc = None
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert (
                http.get(
                    f"/recommendations/{rec.pk}/", headers={"Cookie": _cookie(drafter)}
                ).status_code
                == 200
            )
            saved = http.patch(
                f"/api/recommendations/{rec.pk}/",
                json={"body": BODY + "\n\nWhile Redis was down.", "base_version": 1},
                headers=headers,
            )
            assert saved.status_code == 200 and saved.json()["version"] == 2
            assert Event.objects.filter(recommendation=rec, type="recommendation.updated").exists()
            # The event goes out after the response (live.broadcast.AfterResponse): its
            # failure is logged a moment later, and never held up the write.
            for _ in range(100):
                if "not sent" in server.log_path.read_text():
                    break
                time.sleep(0.05)
            assert "not sent" in server.log_path.read_text()

            redis_proc = subprocess.Popen(
                [
                    redis_server,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            # A client that was offline reconnects and asks for what it missed.
            missed = http.get(
                f"/api/recommendations/{rec.pk}/events/?after=2", headers=headers
            ).json()
            assert [
                e["data"]["version"]
                for e in missed["events"]
                if e["type"] == "recommendation.updated"
            ] == [2]

            cookie = _cookie(drafter)

            async def live_again():
                async with _ws(server, f"/ws/recommendations/{rec.pk}/", cookie) as ws:
                    await _receive(ws, "presence")
                    async with httpx.AsyncClient(base_url=server.url, timeout=30) as ahttp:
                        await ahttp.patch(
                            f"/api/recommendations/{rec.pk}/",
                            json={"body": BODY + "\n\nRedis is back.", "base_version": 2},
                            headers=headers,
                        )
                    return await _receive(ws, "recommendation.updated")

            assert asyncio.run(live_again())["data"]["version"] == 3
    finally:
        server.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
