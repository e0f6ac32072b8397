"""The co-editing socket: the Yjs sync and awareness protocols over one WebSocket per text.

Unlike the JSON sockets (which only subscribe), this one carries writes: binary CRDT
messages, each checked before it counts (``docs/realtime.md``, "Co-editing"):

- the frame's size is bounded and the socket rate-limited;
- an update is accepted from a socket opened with drafting rights only, and those rights are
  read again (at most ``RIGHTS_TTL_SECONDS`` old, and at once after a lifecycle or drafters
  event or a rights change of the user); a socket that lost them is closed with
  ``CLOSE_READ_ONLY`` and the page reconnects read-only;
- an update is stored in the log before it is applied or broadcast, and the sender is told
  what the server holds (``saved``);
- an awareness message must describe one client, the socket's own, and the identity in it is
  the server's (``user`` is replaced by the session's name and organisation).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from pycrdt import (
    Decoder,
    Encoder,
    YMessageType,
    YSyncMessageType,
    write_var_uint,
)

from . import coedit
from .consumers import CLOSE_ACCESS_LOST, CLOSE_BAD_FRAME, CLOSE_FORBIDDEN, LiveConsumer
from .groups import object_group
from .registry import CoeditDocument

logger = logging.getLogger(__name__)

CLOSE_READ_ONLY = 4409  # the drafting rights are gone: reconnect, read-only
CLOSE_TOO_LARGE = 4413  # a frame over MAX_MESSAGE_BYTES
CLOSE_RATE_LIMITED = 4429  # over the message rate: reconnect after a pause

# A whole document sent at reconnect (100,000 characters of Arabic, with its CRDT overhead)
# fits; a keystroke is a few dozen bytes.
MAX_MESSAGE_BYTES = 512 * 1024
MAX_AWARENESS_BYTES = 2048
# Token bucket per socket: a burst of RATE_BURST messages, RATE_PER_SECOND sustained (fast
# typing with cursor updates is about 20 a second).
RATE_PER_SECOND = 40.0
RATE_BURST = 120.0
RIGHTS_TTL_SECONDS = 1.0
COLOURS = 8  # remote carets are coloured by class: cm-remote-0 ... cm-remote-7


class _Bucket:
    __slots__ = ("at", "tokens")

    def __init__(self) -> None:
        self.tokens = RATE_BURST
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.at) * RATE_PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def sync_message(kind: int, payload: bytes) -> bytes:
    return bytes([YMessageType.SYNC, kind]) + write_var_uint(len(payload)) + payload


def awareness_message(payload: bytes) -> bytes:
    return bytes([YMessageType.AWARENESS]) + write_var_uint(len(payload)) + payload


def encode_awareness(entries: list[tuple[int, int, str]]) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    for client_id, clock, state in entries:
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string(state)
    return encoder.to_bytes()


class BadMessage(Exception):
    """A frame that is not a message of the protocol (closes with CLOSE_BAD_FRAME)."""


def parse_message(data: bytes) -> tuple[int, int | None, bytes]:
    """``(message type, sync subtype or None, payload)`` of one binary frame."""
    try:
        decoder = Decoder(data)
        kind = decoder.read_var_uint()
        if kind == YMessageType.SYNC:
            sub = decoder.read_var_uint()
            payload = decoder.read_message()
            if sub not in (
                YSyncMessageType.SYNC_STEP1,
                YSyncMessageType.SYNC_STEP2,
                YSyncMessageType.SYNC_UPDATE,
            ):
                raise BadMessage
            return kind, sub, payload or b""
        if kind == YMessageType.AWARENESS:
            return kind, None, decoder.read_message() or b""
    except (IndexError, RuntimeError, ValueError) as exc:
        raise BadMessage from exc
    raise BadMessage


def split_frame(data: bytes) -> list[bytes]:
    """The messages of one frame from the server, which may carry several one after the
    other (updates stored together). A browser's frame carries one: ``parse_message``."""
    messages = []
    start = 0
    while start < len(data):
        end = _message_end(data, start)
        messages.append(data[start:end])
        start = end
    return messages


def _message_end(data: bytes, start: int) -> int:
    """Where the message starting at ``start`` ends: its type (and sync subtype) as varints,
    then a length-prefixed payload."""
    position = start
    kind, position = _read_var_uint(data, position)
    if kind == YMessageType.SYNC:
        _sub, position = _read_var_uint(data, position)
    elif kind != YMessageType.AWARENESS:
        raise BadMessage
    length, position = _read_var_uint(data, position)
    if position + length > len(data):
        raise BadMessage
    return position + length


def _read_var_uint(data: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if position >= len(data) or shift > 63:
            raise BadMessage
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7


def parse_awareness(payload: bytes) -> tuple[int, int, Any]:
    """The one ``(client id, clock, state)`` an awareness message from a browser may carry."""
    try:
        decoder = Decoder(payload)
        if decoder.read_var_uint() != 1:
            raise BadMessage
        client_id = decoder.read_var_uint()
        clock = decoder.read_var_uint()
        state = json.loads(decoder.read_var_string())
    except (IndexError, RuntimeError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadMessage from exc
    if state is not None and not isinstance(state, dict):
        raise BadMessage
    return client_id, clock, state


class CoeditConsumer(LiveConsumer):
    """One socket on one co-edited text (built per registered ``CoeditDocument``)."""

    document: CoeditDocument

    async def connect(self) -> None:
        try:
            self.pk = int(self.scope["url_route"]["kwargs"]["pk"])
        except (KeyError, TypeError, ValueError):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        access = await self._check_on_connect(self.document.access, self.pk)
        if access is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.access = access
        self.rights_at = time.monotonic()
        self.key = coedit.document_key(self.document.name, self.pk)
        self.bucket = _Bucket()
        self.client_id: int | None = None
        self.clock = 0
        self.acked = 0  # update messages (step 2 or update) taken on this socket
        pk, initial_text = self.pk, self.document.initial_text
        self.live = await coedit.open_document(self.key, lambda: initial_text(pk))
        self.sent_seq = self.live.seq
        self.ahead: set[int] = set()
        self.gap_check: asyncio.Task | None = None
        await self._join(coedit.coedit_group(self.key), object_group(self.document.name, self.pk))
        await self.accept()
        await self.send_json({"type": "hello", "write": self.writes, "user": self._identity()})
        await self.send(
            bytes_data=sync_message(YSyncMessageType.SYNC_STEP1, self.live.doc.get_state())
        )
        if self.live.awareness:
            entries = [(cid, clock, state) for cid, (clock, state) in self.live.awareness.items()]
            await self.send(bytes_data=awareness_message(encode_awareness(entries)))

    @property
    def writes(self) -> bool:
        return bool(getattr(self, "access", None) and self.access.get("write"))

    def _identity(self) -> dict[str, Any]:
        info = self.access.get("info", {})
        return {
            "name": info.get("name"),
            "organisation": info.get("organisation"),
            "colour": (self._user_id() or 0) % COLOURS,
        }

    async def disconnect(self, code: int) -> None:
        if getattr(self, "gap_check", None) is not None:
            self.gap_check.cancel()
        live = getattr(self, "live", None)
        if live is not None:
            if self.client_id is not None:
                live.awareness.pop(self.client_id, None)
                gone = encode_awareness([(self.client_id, self.clock + 1, "null")])
                await self._broadcast({"type": "coedit.awareness", "data": gone})
            coedit.close_document(live)
        await super().disconnect(code)

    async def _broadcast(self, message: dict[str, Any]) -> None:
        try:
            await self.channel_layer.group_send(
                coedit.coedit_group(self.key), {**message, "sender": self.channel_name}
            )
        except Exception:  # the update is stored: other processes catch up from the log
            logger.warning("co-editing message not broadcast", exc_info=True)

    # --- from the browser ---------------------------------------------------------------------
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kw):
        if bytes_data is None:
            # Text frames are pings only: {"type": "ping"}.
            if text_data is not None and len(text_data) <= 64:
                try:
                    content = json.loads(text_data)
                except ValueError:
                    content = None
                if isinstance(content, dict) and content.get("type") == "ping":
                    await self.send_json({"type": "pong"})
                    return
            await self.close(code=CLOSE_BAD_FRAME)
            return
        if len(bytes_data) > MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_TOO_LARGE)
            return
        if not self.bucket.take():
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        try:
            kind, sub, payload = parse_message(bytes_data)
            if kind == YMessageType.AWARENESS:
                await self._awareness(payload)
            elif sub == YSyncMessageType.SYNC_STEP1:
                await self._sync_step1(payload)
            else:
                await self._update(payload)
        except BadMessage:
            await self.close(code=CLOSE_BAD_FRAME)

    async def _sync_step1(self, state: bytes) -> None:
        """Answer with everything the browser lacks, read from the log first (so a broadcast
        this process missed is never missing from the answer)."""
        await self.live.catch_up()
        try:
            missing = self.live.doc.get_update(state)
        except ValueError as exc:
            raise BadMessage from exc
        self.sent_seq = max(self.sent_seq, self.live.seq)
        self.ahead = {n for n in self.ahead if n > self.sent_seq}
        await self.send(bytes_data=sync_message(YSyncMessageType.SYNC_STEP2, missing))
        await self._saved()

    async def _may_write(self) -> bool:
        """Whether this socket may still write; closes it if the rights are gone."""
        if not self.writes:
            return False
        if time.monotonic() - self.rights_at > RIGHTS_TTL_SECONDS:
            return await self._recheck()
        return True

    async def _recheck(self) -> bool:
        access = await self._check_again(self.document.access, self.pk)
        if access is None:
            return False  # closed with CLOSE_ACCESS_LOST
        self.rights_at = time.monotonic()
        was_writing, self.access = self.writes, access
        if was_writing and not self.writes:
            await self.close(code=CLOSE_READ_ONLY)
            return False
        return self.writes

    async def _update(self, update: bytes) -> None:
        self.acked += 1
        if update == coedit.EMPTY_UPDATE or not update:
            await self._saved()
            return
        if not self.writes:
            return  # a read-only socket's edits are not taken (the page shows it read-only)
        if not coedit.is_valid_update(update):
            raise BadMessage
        if not await self._may_write():
            return
        # Stored, then broadcast to the others with what else was sent meanwhile (coedit.py).
        seq = await self.live.store(update, self._user_id(), self.channel_name)
        self._delivered(seq)  # the browser has it: it wrote it
        await self._saved()
        if seq % coedit.COMPACT_AFTER_ROWS == 0:
            await database_sync_to_async(coedit.compact_if_long)(self.key)

    async def _saved(self) -> None:
        """Tell the browser what the server holds: how many of its update messages on this
        socket are stored (``acked``; the page says "All changes saved" when that is all it
        sent and it typed nothing since) and the server's state vector (``state``: what the
        browser must send again after a reconnect)."""
        state = base64.b64encode(self.live.doc.get_state()).decode()
        await self.send_json({"type": "saved", "state": state, "acked": self.acked})

    async def _awareness(self, payload: bytes) -> None:
        if len(payload) > MAX_AWARENESS_BYTES:
            raise BadMessage
        client_id, clock, state = parse_awareness(payload)
        if self.client_id is None:
            self.client_id = client_id
        elif client_id != self.client_id:
            raise BadMessage  # one socket speaks for its own browser only
        if not self.writes:
            return  # readers are not shown as co-authors
        if not await self._may_write():
            return
        if state is not None:
            cursor = state.get("cursor")
            state = {
                "user": self._identity(),
                "cursor": cursor if isinstance(cursor, dict) else None,
            }
        encoded = json.dumps(state)
        self.clock = clock
        self.live.awareness[client_id] = (clock, encoded)
        data = encode_awareness([(client_id, clock, encoded)])
        await self._broadcast({"type": "coedit.awareness", "data": data})

    # --- from the group -----------------------------------------------------------------------
    async def coedit_update(self, message: dict[str, Any]) -> None:
        seq, update = message["seq"], message["update"]
        await self.live.receive(seq, update)
        if message.get("sender") != self.channel_name:
            await self.send(bytes_data=sync_message(YSyncMessageType.SYNC_UPDATE, update))
        self._delivered(seq)

    async def coedit_updates(self, message: dict[str, Any]) -> None:
        """Updates stored together (``coedit.updates_message``): the ones this browser did
        not write go to it in one frame, one message after the other (not merged into one
        update: ``pycrdt.merge_updates`` drops text of updates out of order)."""
        frame = bytearray()
        for seq, update, sender in message["items"]:
            await self.live.receive(seq, update)
            if sender != self.channel_name:
                frame += sync_message(YSyncMessageType.SYNC_UPDATE, update)
        if frame:
            await self.send(bytes_data=bytes(frame))
        for seq, _update, _sender in message["items"]:
            self._delivered(seq)

    def _delivered(self, seq: int) -> None:
        """The browser has update ``seq`` (sent to it, or typed there). A hole in the numbers
        still open after ``GAP_WAIT_SECONDS`` (a lost broadcast) is filled from the log."""
        if seq <= self.sent_seq:
            return
        self.ahead.add(seq)
        while self.sent_seq + 1 in self.ahead:
            self.sent_seq += 1
            self.ahead.discard(self.sent_seq)
        if self.ahead and self.gap_check is None:
            self.gap_check = asyncio.get_running_loop().create_task(self._fill_gap())

    async def _fill_gap(self) -> None:
        try:
            await asyncio.sleep(coedit.GAP_WAIT_SECONDS)
            if not self.ahead:
                return
            rows = await database_sync_to_async(coedit.rows_after)(self.key, self.sent_seq)
            for number, data in rows:
                if number not in self.ahead:
                    await self.send(bytes_data=sync_message(YSyncMessageType.SYNC_UPDATE, data))
                self.sent_seq = max(self.sent_seq, number)
            self.ahead = {n for n in self.ahead if n > self.sent_seq}
        except Exception:  # the socket closed meanwhile
            logger.debug("gap not filled", exc_info=True)
        finally:
            self.gap_check = None

    async def coedit_awareness(self, message: dict[str, Any]) -> None:
        if message.get("sender") == self.channel_name:
            return
        data = message["data"]
        try:
            client_id, clock, state = parse_awareness(data)
        except BadMessage:
            return
        if state is None:
            self.live.awareness.pop(client_id, None)
        else:
            self.live.awareness[client_id] = (clock, json.dumps(state))
        await self.send(bytes_data=awareness_message(data))

    async def live_event(self, message: dict[str, Any]) -> None:
        """Events of the text's object: a lifecycle or drafters change may take rights away."""
        if message["event"].get("type") in self.document.recheck_on:
            await self._recheck_or_close()

    async def presence_changed(self, message: dict[str, Any]) -> None:
        return  # the object's presence is the JSON socket's business

    async def access_changed(self, message: dict[str, Any]) -> None:
        await self._recheck_or_close()

    async def _recheck_or_close(self) -> None:
        if self.writes:
            await self._recheck()
            return
        access = await self._check_again(self.document.access, self.pk)
        if access is not None:
            self.access = access
            if self.writes:
                # Rights granted while reading: reconnect to write (the page does so).
                await self.close(code=CLOSE_READ_ONLY)


def coedit_consumer_for(document: CoeditDocument) -> type[CoeditConsumer]:
    name = "".join(part.title() for part in document.name.split("_")) + "CoeditConsumer"
    return type(name, (CoeditConsumer,), {"document": document})


__all__ = [
    "CLOSE_ACCESS_LOST",
    "CLOSE_BAD_FRAME",
    "CLOSE_FORBIDDEN",
    "CLOSE_RATE_LIMITED",
    "CLOSE_READ_ONLY",
    "CLOSE_TOO_LARGE",
    "CoeditConsumer",
    "coedit_consumer_for",
]
