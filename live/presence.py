"""Who is viewing and who is editing an object (a "room": its group), shared by every process.

Entries are keyed by the socket's channel name and refreshed by the client's heartbeat; an
entry older than PRESENCE_TIMEOUT seconds is someone who vanished without closing. With
REDIS_URL the entries live in a Redis hash per recommendation (so every Daphne process sees
the same people), otherwise in this process. A Redis failure degrades presence, never the
socket: it is logged and an empty list is reported.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)


class MemoryPresence:
    def __init__(self) -> None:
        self.rooms: dict[str, dict[str, tuple[float, dict]]] = {}

    async def touch(self, room: str, channel: str, info: dict) -> None:
        self.rooms.setdefault(room, {})[channel] = (time.time(), info)

    async def leave(self, room: str, channel: str) -> None:
        entries = self.rooms.get(room, {})
        entries.pop(channel, None)
        if not entries:
            self.rooms.pop(room, None)

    async def entries(self, room: str) -> list[dict]:
        cutoff = time.time() - settings.PRESENCE_TIMEOUT
        entries = self.rooms.get(room, {})
        for channel in [c for c, (ts, _) in entries.items() if ts < cutoff]:
            entries.pop(channel, None)
        return [info for _, info in entries.values()]


class RedisPresence:
    def __init__(self, url: str) -> None:
        import redis.asyncio as aioredis

        self.redis = aioredis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self.prefix = f"{settings.CHANNEL_LAYERS['default']['CONFIG'].get('prefix', 'ws')}:presence"

    def _key(self, room: str) -> str:
        return f"{self.prefix}:{room}"

    async def touch(self, room: str, channel: str, info: dict) -> None:
        key = self._key(room)
        payload = json.dumps({"ts": time.time(), "info": info})
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(key, channel, payload)
            pipe.expire(key, settings.PRESENCE_TIMEOUT * 10)
            await pipe.execute()

    async def leave(self, room: str, channel: str) -> None:
        await self.redis.hdel(self._key(room), channel)

    async def entries(self, room: str) -> list[dict]:
        key = self._key(room)
        raw = await self.redis.hgetall(key)
        cutoff = time.time() - settings.PRESENCE_TIMEOUT
        alive, stale = [], []
        for channel, value in raw.items():
            record = json.loads(value)
            (alive if record["ts"] >= cutoff else stale).append((channel, record["info"]))
        if stale:
            await self.redis.hdel(key, *[c for c, _ in stale])
        return [info for _, info in alive]


_memory = MemoryPresence()
_redis: dict[int, Any] = {}


def store() -> MemoryPresence | RedisPresence:
    """The process's presence store (a Redis client per event loop, as its connections are)."""
    if not settings.REDIS_URL:
        return _memory
    import asyncio

    loop = id(asyncio.get_running_loop())
    if loop not in _redis:
        _redis[loop] = RedisPresence(settings.REDIS_URL)
    return _redis[loop]


def summarise(entries: list[dict]) -> dict[str, list[dict]]:
    """One line per person (several tabs count once); editing wins over viewing."""
    people: dict[str, dict] = {}
    for info in entries:
        person = people.setdefault(
            info["user"],
            {k: info[k] for k in ("user", "name", "organisation")} | {"editing": False},
        )
        person["editing"] = person["editing"] or info.get("state") == "editing"
    ordered = sorted(people.values(), key=lambda p: p["name"].lower())
    strip = lambda p: {k: p[k] for k in ("user", "name", "organisation")}  # noqa: E731
    return {
        "viewing": [strip(p) for p in ordered],
        "editing": [strip(p) for p in ordered if p["editing"]],
    }


async def safe(coro, default=None):
    try:
        return await coro
    except Exception:
        logger.warning("presence store unavailable", exc_info=True)
        return default
