"""A simulated co-editing browser: a pycrdt document speaking the Yjs sync protocol to the
server's consumer, as static/js/coedit (the real browser client) does, over a network that
a test may make drop, duplicate, reorder and cut messages."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from pycrdt import Doc, Text, YMessageType, YSyncMessageType, get_state

from live.coedit import EMPTY_UPDATE, TEXT_NAME
from live.coedit_consumer import parse_message, split_frame, sync_message
from workspace.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1")
HOST = (b"host", b"127.0.0.1")


@dataclass
class Faults:
    drop: float = 0.0
    duplicate: float = 0.0
    reorder: float = 0.0  # chance that a message is held back and delivered later

    @property
    def any(self) -> bool:
        return bool(self.drop or self.duplicate or self.reorder)


@dataclass
class SimClient:
    name: str
    cookie: bytes
    path: str
    rng: random.Random
    doc: Doc = field(default_factory=Doc)
    comm: WebsocketCommunicator | None = None
    server_state: bytes = b""
    writes: bool | None = None
    closed_with: int | None = None
    held_out: list[bytes] = field(default_factory=list)  # client -> server, held back
    held_in: list[bytes] = field(default_factory=list)  # server -> client, held back

    def __post_init__(self) -> None:
        self.text = self.doc.get(TEXT_NAME, type=Text)
        self.doc.observe(self._local_change)
        self._applying = False
        self.outbox: list[bytes] = []

    def _local_change(self, event) -> None:
        if not self._applying:
            self.outbox.append(sync_message(YSyncMessageType.SYNC_UPDATE, event.update))

    @property
    def connected(self) -> bool:
        return self.comm is not None

    async def connect(self) -> bool:
        comm = WebsocketCommunicator(
            application, self.path, headers=[HOST, ORIGIN, (b"cookie", self.cookie)]
        )
        ok, code = await comm.connect(timeout=5)
        if not ok:
            self.closed_with = code
            return False
        self.comm = comm
        self.held_out.clear()
        self.held_in.clear()
        await self._send_now(sync_message(YSyncMessageType.SYNC_STEP1, self.doc.get_state()))
        return True

    async def disconnect(self) -> None:
        if self.comm is not None:
            await self.comm.disconnect()
        self.comm = None
        self.held_out.clear()  # what was on the wire is lost
        self.held_in.clear()

    async def _send_now(self, data: bytes) -> None:
        if self.comm is not None:
            await self.comm.send_input({"type": "websocket.receive", "bytes": data})

    async def _send(self, data: bytes, faults: Faults) -> None:
        roll = self.rng.random()
        if roll < faults.drop:
            return
        if roll < faults.drop + faults.reorder:
            self.held_out.append(data)
            return
        await self._send_now(data)
        if self.rng.random() < faults.duplicate:
            await self._send_now(data)

    async def flush(self, faults: Faults) -> None:
        """Send what was typed, through the network's faults; release some held messages."""
        outbox, self.outbox = self.outbox, []
        for data in outbox:
            await self._send(data, faults)
        self.rng.shuffle(self.held_out)
        keep = []
        for data in self.held_out:
            if self.rng.random() < 0.5:
                await self._send_now(data)
            else:
                keep.append(data)
        self.held_out = keep

    async def resync(self) -> None:
        """What the browser does every few seconds while it has unsaved changes: ask for what
        it lacks (step 1); the answer's ``saved`` tells what the server lacks."""
        await self._send_now(sync_message(YSyncMessageType.SYNC_STEP1, self.doc.get_state()))

    async def send_unsaved(self) -> None:
        """Send again whatever the server does not hold (by its last ``saved`` state)."""
        if not self.server_state:
            return
        missing = self.doc.get_update(self.server_state)  # with every deletion
        if missing != EMPTY_UPDATE:
            await self._send_now(sync_message(YSyncMessageType.SYNC_UPDATE, missing))

    def unsaved(self) -> bool:
        """Whether the server lacks text this client typed (by its last ``saved`` state; a
        deletion is not in a state vector: the tests compare texts for those)."""
        if not self.server_state:
            return True
        return get_state(self.doc.get_update(self.server_state)) != b"\x00"

    async def pump(self, faults: Faults) -> None:
        """Handle what the server sent, through the network's faults."""
        if self.comm is None:
            return
        queue = self.comm.output_queue
        incoming = []
        while not queue.empty():
            incoming.append(queue.get_nowait())
        for message in incoming:
            if message["type"] == "websocket.close":
                self.closed_with = message.get("code")
                self.comm = None
                self.held_in.clear()
                return
            if message.get("text") is not None:
                self._control(json.loads(message["text"]))
                continue
            data = message["bytes"]
            roll = self.rng.random()
            if roll < faults.drop:
                continue
            if roll < faults.drop + faults.reorder:
                self.held_in.append(data)
                continue
            await self._receive(data)
            if self.rng.random() < faults.duplicate:
                await self._receive(data)
        self.rng.shuffle(self.held_in)
        held, self.held_in = self.held_in, []
        for data in held:
            if self.rng.random() < 0.5:
                await self._receive(data)
            else:
                self.held_in.append(data)

    def _control(self, content: dict) -> None:
        if content["type"] == "hello":
            self.writes = content["write"]
        elif content["type"] == "saved":
            self.server_state = base64.b64decode(content["state"])

    async def _receive(self, data: bytes) -> None:
        for message in split_frame(data):  # a frame may carry several, as the browser reads
            await self._receive_one(message)

    async def _receive_one(self, data: bytes) -> None:
        kind, sub, payload = parse_message(data)
        if kind != YMessageType.SYNC:
            return
        if sub == YSyncMessageType.SYNC_STEP1:
            await self._send_now(
                sync_message(YSyncMessageType.SYNC_STEP2, self.doc.get_update(payload))
            )
        elif payload != EMPTY_UPDATE:
            self._applying = True
            try:
                self.doc.apply_update(payload)
            finally:
                self._applying = False

    # --- typing ---------------------------------------------------------------------------
    def value(self) -> str:
        return str(self.text)

    def insert(self, index: int, token: str) -> None:
        value = self.value()
        self.text.insert(len(value[:index].encode()), token)

    def delete(self, start: int, end: int) -> None:
        value = self.value()
        a, b = len(value[:start].encode()), len(value[:end].encode())
        del self.text[a:b]


async def settle(seconds: float = 0.02) -> None:
    """Let the server's consumers (and their database threads) work."""
    await asyncio.sleep(seconds)


async def in_thread(fn, *args, **kwargs):
    return await database_sync_to_async(fn)(*args, **kwargs)
