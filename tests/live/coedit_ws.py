"""A co-editing client over a real WebSocket (the websockets library), speaking what the
browser's static/js/coedit.bundle.js speaks: the multi-process tests and bench/coedit.py type
through it. Like the browser, it keeps what it typed while disconnected and sends it when a
socket is back (its answer to the server's step 1)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable

import websockets
from pycrdt import Doc, Text, YMessageType, YSyncMessageType

from live.coedit import EMPTY_UPDATE, TEXT_NAME
from live.coedit_consumer import parse_message, split_frame, sync_message


class WsClient:
    def __init__(self, name: str, urls: list[str], path: str, cookie: str) -> None:
        self.name = name
        self.urls = urls  # tried in turn: a killed process's clients move to another
        self.path = path
        self.cookie = cookie
        self.doc = Doc()
        self.text = self.doc.get(TEXT_NAME, type=Text)
        self.ws = None
        self.sent = 0
        self.acked = 0
        self.dirty = False
        self.writes: bool | None = None
        self.connects = 0
        self.connected_to: list[str] = []  # the server of each connection, in order
        self.closed_codes: list[int | None] = []
        self.on_remote: Callable[[], None] | None = None
        self._applying = False
        self._task: asyncio.Task | None = None
        self._stopped = False
        self._open = asyncio.Event()
        self.doc.observe(self._local_change)

    # --- typing -------------------------------------------------------------------------------
    def value(self) -> str:
        return str(self.text)

    def insert(self, index: int, token: str) -> None:
        value = self.value()
        self.text.insert(len(value[:index].encode()), token)

    def _local_change(self, event) -> None:
        if self._applying:
            return
        if self.ws is not None:
            asyncio.get_running_loop().create_task(
                self._send_update(sync_message(YSyncMessageType.SYNC_UPDATE, event.update))
            )
        else:
            self.dirty = True

    async def _send_update(self, data: bytes) -> None:
        ws = self.ws
        if ws is None:
            self.dirty = True
            return
        try:
            self.sent += 1
            await ws.send(data)
        except websockets.ConnectionClosed:
            self.dirty = True

    def saved(self) -> bool:
        return self.ws is not None and not self.dirty and self.acked >= self.sent

    # --- the connection -----------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def wait_open(self, timeout: float = 20) -> None:
        await asyncio.wait_for(self._open.wait(), timeout)

    async def stop(self) -> None:
        self._stopped = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self) -> None:
        attempt = 0
        while not self._stopped:
            url = self.urls[(self.connects + attempt) % len(self.urls)]
            try:
                async with websockets.connect(
                    url.replace("http", "ws", 1) + self.path,
                    additional_headers={"Cookie": self.cookie},
                    origin=url,
                    open_timeout=20,
                    max_size=None,
                ) as ws:
                    self.ws = ws
                    self.sent = self.acked = 0
                    self.connects += 1
                    self.connected_to.append(url)
                    attempt = 0
                    await ws.send(sync_message(YSyncMessageType.SYNC_STEP1, self.doc.get_state()))
                    self._open.set()
                    async for data in ws:
                        await self._receive(ws, data)
                    self.closed_codes.append(ws.close_code)
            except (TimeoutError, OSError, websockets.WebSocketException):
                attempt += 1
            finally:
                if self.ws is not None and self.acked < self.sent:
                    self.dirty = True
                self.ws = None
                self._open.clear()
            if not self._stopped:
                await asyncio.sleep(min(0.2 * (attempt + 1), 2))

    async def _receive(self, ws, data) -> None:
        if isinstance(data, str):
            message = json.loads(data)
            if message["type"] == "hello":
                self.writes = message["write"]
            elif message["type"] == "saved":
                self.acked = max(self.acked, message["acked"])
            return
        for message in split_frame(data):  # a frame may carry several, as the browser reads
            await self._receive_one(ws, message)

    async def _receive_one(self, ws, data: bytes) -> None:
        kind, sub, payload = parse_message(data)
        if kind != YMessageType.SYNC:
            return
        if sub == YSyncMessageType.SYNC_STEP1:
            self.sent += 1
            await ws.send(sync_message(YSyncMessageType.SYNC_STEP2, self.doc.get_update(payload)))
            self.dirty = False
        elif payload != EMPTY_UPDATE:
            self._applying = True
            try:
                self.doc.apply_update(payload)
            finally:
                self._applying = False
            if self.on_remote is not None:
                self.on_remote()

    async def resync(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(websockets.ConnectionClosed):
                await self.ws.send(sync_message(YSyncMessageType.SYNC_STEP1, self.doc.get_state()))


async def until(predicate: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()
