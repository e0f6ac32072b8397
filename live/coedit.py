"""Co-edited documents: the numbered update log in the database, and each process's copy.

The database is the truth. Every CRDT update a browser sends is stored (``DocumentUpdate``,
the next ``seq`` of its key) **before** the process applies it to its copy or broadcasts it;
a process that misses a broadcast (Redis dropped it, the process was restarting) reads the
rows after the last ``seq`` it applied. A document is created once, on the server, from the
current text (``initial_text`` of its ``CoeditDocument``): a second process that races to
create it loses on the unique ``(key, seq)`` and reads the winner's row, so the text is never
seeded twice. Compaction merges stored updates into one row, and only a run of them that
leaves nothing pending (``live.yupdate``), never a state that could lack an update still on
its way.

Text positions: pycrdt (Yrs) counts UTF-8 bytes, Yjs in the browser UTF-16 units; the server
edits the text only in ``apply_text`` and converts there. The updates themselves are the
same binary format on both sides.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.db import IntegrityError, transaction
from pycrdt import Doc, Text, get_state

from . import yupdate
from .broadcast import send
from .handshake import HandshakeChecks
from .models import DocumentUpdate

logger = logging.getLogger(__name__)

TEXT_NAME = "body"  # the shared Y.Text of a document, in the browser too
EMPTY_UPDATE = b"\x00\x00"
# Compact a key's log once it has this many rows: one merged row replaces them.
COMPACT_AFTER_ROWS = 500
# The log's writes run on a thread of their own (with its own database connection), not on
# Channels' one database thread behind every session load and handshake: a keystroke waits
# for its commit only.
log_writer = HandshakeChecks(threads=1)
# Broadcasts of updates stored at once by several sockets or processes overtake each other:
# a hole in the numbers is read from the log only if it is still open after this long.
GAP_WAIT_SECONDS = 0.5
# The writer gathers what this process's sockets send for this long, stores it in one
# transaction and broadcasts it as one message: with 20 people typing, one message and one
# frame per socket per window instead of one per keystroke (bench/coedit.py; at one per
# keystroke the process spent its time dispatching and latency grew to seconds).
BATCH_WINDOW_SECONDS = 0.03


def document_key(name: str, pk: int) -> str:
    """The log's key of one document: ``recommendation.12`` (primary keys only)."""
    return f"{name}.{int(pk)}"


def coedit_group(key: str) -> str:
    """The channel-layer group of one document's sockets, in every process."""
    return f"coedit.{key}"


def is_valid_update(update: bytes) -> bool:
    """Whether ``update`` decodes as a Yjs update (a malformed one is never stored: every
    later load of the document would fail on it)."""
    try:
        get_state(update)
    except (ValueError, TypeError):
        return False
    return True


def integrate(doc: Doc, updates: list[bytes], waiting: list[bytes] | None = None) -> list[bytes]:
    """Apply ``updates`` to ``doc``, then those still waiting for a predecessor again while
    that makes progress; the updates still waiting. pycrdt (Yrs) can leave an update pending
    after its missing predecessor has arrived when several are pending at once (the randomized
    convergence test found text a fresh load lacked until the log was applied a second time),
    so nothing relies on its own retry."""
    for update in updates:
        doc.apply_update(update)
    waiting = [*(waiting or []), *updates]
    while waiting:
        state = doc.get_state()
        waiting = [u for u in waiting if not yupdate.covered_by([u], state)]
        if not waiting:
            break
        for update in waiting:
            doc.apply_update(update)
        if doc.get_state() == state:
            break
    return waiting


def new_doc(updates: list[bytes]) -> Doc:
    """A document holding ``updates`` (applied until nothing more integrates)."""
    doc = Doc()
    doc.get(TEXT_NAME, type=Text)
    integrate(doc, updates)
    return doc


# --- the log (synchronous: called on Django's database threads) ---------------------------------
def rows_after(key: str, after: int = 0) -> list[tuple[int, bytes]]:
    """``(seq, update)`` of every stored row of ``key`` after ``after``, in order."""
    return [
        (seq, bytes(data))
        for seq, data in DocumentUpdate.objects.filter(key=key, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "data")
    ]


def last_seq(key: str) -> int:
    row = DocumentUpdate.objects.filter(key=key).order_by("-seq").values_list("seq").first()
    return row[0] if row else 0


def text_update(text: str) -> bytes:
    """The update that creates a document holding ``text``."""
    doc = Doc()
    body = doc.get(TEXT_NAME, type=Text)
    if text:
        body.insert(0, text)
    return doc.get_update()


def ensure_created(key: str, initial_text: Callable[[], str]) -> None:
    """Create the document of ``key`` from the current text, once: if it has no row yet,
    store the update that writes the text as row 1 (a concurrent creator's row wins)."""
    if DocumentUpdate.objects.filter(key=key).exists():
        return
    update = text_update(initial_text())
    try:
        with transaction.atomic():
            DocumentUpdate.objects.create(key=key, seq=1, first_seq=1, data=update, authors=[])
    except IntegrityError:
        pass  # another process created it first: its text is the document's


def append(key: str, update: bytes, author_id: int | None) -> int:
    """Store one update as the next row of ``key``; its ``seq``."""
    return append_many(key, [(update, author_id)])[0]


def append_many(key: str, items: list[tuple[bytes, int | None]]) -> list[int]:
    """Store updates as the next rows of ``key``, in one transaction (one commit for a burst
    of keystrokes from several sockets); their numbers. Concurrent writers (other processes)
    each get their own numbers: taken ones are tried again."""
    for _attempt in range(50):
        first = last_seq(key) + 1
        rows = [
            DocumentUpdate(
                key=key,
                seq=first + i,
                first_seq=first + i,
                data=update,
                authors=[author] if author is not None else [],
            )
            for i, (update, author) in enumerate(items)
        ]
        try:
            with transaction.atomic():
                DocumentUpdate.objects.bulk_create(rows)
            return [row.seq for row in rows]
        except IntegrityError:
            continue
    raise RuntimeError(f"no free seq for {key}")


def load(key: str) -> tuple[Doc, int]:
    """A fresh copy of the document from its log, and the last ``seq`` in it."""
    rows = rows_after(key)
    return new_doc([update for _seq, update in rows]), (rows[-1][0] if rows else 0)


def current(key: str) -> tuple[str, int] | None:
    """The live text of ``key`` as stored (every update in the log) and the last ``seq`` it
    includes, read together; None if the document was never opened."""
    doc, seq = load(key)
    if seq == 0:
        return None
    return str(doc.get(TEXT_NAME, type=Text)), seq


def current_text(key: str) -> str | None:
    found = current(key)
    return found[0] if found else None


def authors_since(key: str, seq: int, upto: int | None = None) -> list[int]:
    """The user ids that wrote updates after ``seq`` (up to ``upto``), in order of their
    first update (a compacted row counts its authors at its last number)."""
    seen: dict[int, None] = {}
    rows = DocumentUpdate.objects.filter(key=key, seq__gt=seq)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    for authors in rows.order_by("seq").values_list("authors"):
        for user_id in authors[0]:
            seen.setdefault(int(user_id), None)
    return list(seen)


def _state_of(updates: list[bytes]) -> bytes:
    return new_doc(updates).get_state()


def complete_rows(updates: list[bytes]) -> list[int]:
    """The indices of the ``updates`` that, applied together without the others, leave
    nothing pending: those a compaction may merge (``live.yupdate``). An update that arrived
    before its predecessor (or one that builds on such an update) stays out until the
    predecessor is stored."""
    chosen = list(range(len(updates)))
    while chosen:
        state = _state_of([updates[i] for i in chosen])
        kept = [i for i in chosen if yupdate.covered_by([updates[i]], state)]
        if kept == chosen:
            break
        chosen = kept
    return chosen


def merged(updates: list[bytes]) -> bytes:
    """The one update equal to ``updates`` (which must leave nothing pending)."""
    return new_doc(updates).get_update()


def compact(key: str, upto: int | None = None) -> int:
    """Replace the rows of ``key`` (up to ``upto``) by one merged row, kept under the last of
    their numbers; the number of rows removed. Only stored rows are merged, and only those
    that leave nothing pending together (``complete_rows``), so an update appended meanwhile,
    or one still waiting for its predecessor, is untouched (it keeps its row and number; the
    log is applied as a set, so its place does not matter). Two compactions at once: the second fails on the unique ``(key, seq)`` and
    changes nothing."""
    try:
        with transaction.atomic():
            rows = list(
                DocumentUpdate.objects.filter(key=key, **({"seq__lte": upto} if upto else {}))
                .order_by("seq")
                .values_list("pk", "seq", "first_seq", "data", "authors")
            )
            updates = [bytes(r[3]) for r in rows]
            chosen = complete_rows(updates)
            if len(chosen) < 2:
                return 0
            rows = [rows[i] for i in chosen]
            data = merged([updates[i] for i in chosen])
            authors: dict[int, None] = {}
            for row in rows:
                for author in row[4]:
                    authors.setdefault(author, None)
            DocumentUpdate.objects.filter(pk__in=[r[0] for r in rows]).delete()
            DocumentUpdate.objects.create(
                key=key,
                seq=rows[-1][1],
                first_seq=min(r[2] for r in rows),
                data=data,
                authors=list(authors),
            )
            return len(rows) - 1
    except IntegrityError:
        return 0


def compact_if_long(key: str) -> int:
    if DocumentUpdate.objects.filter(key=key).count() < COMPACT_AFTER_ROWS:
        return 0
    return compact(key)


def _utf8_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` in ``old`` (character indices, in increasing order) that
    turn it into ``new``: lines compared first, then each changed stretch trimmed to the
    characters that differ, so text typed meanwhile on untouched lines is never replaced."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        head = 0
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        edits.append((starts[i1] + head, starts[i2] - tail, b[head : len(b) - tail]))
    return edits


def text_change_update(doc: Doc, new_text: str) -> bytes:
    """Edit ``doc``'s text into ``new_text`` as a text change (only the stretches that differ
    are replaced, so concurrent typing elsewhere survives); the update made."""
    body = doc.get(TEXT_NAME, type=Text)
    old = str(body)
    if old == new_text:
        return EMPTY_UPDATE
    before = doc.get_state()
    with doc.transaction():
        for start, end, replacement in reversed(_edits(old, new_text)):
            a = _utf8_offset(old, start)
            if end > start:
                del body[a : _utf8_offset(old, end)]
            if replacement:
                body.insert(a, replacement)
    return doc.get_update(before)


def apply_text(key: str, new_text: str, *, author_id: int | None = None) -> int | None:
    """Bring the live document of ``key`` to ``new_text`` by a text change (never by replacing
    the document): stored as the next update, then broadcast to every open socket. The seq, or
    None when the document was never opened (it will be created from the saved text)."""
    if not DocumentUpdate.objects.filter(key=key).exists():
        return None
    doc, _seq = load(key)
    update = text_change_update(doc, new_text)
    if update == EMPTY_UPDATE:
        return None
    seq = append(key, update, author_id)
    send(coedit_group(key), update_message(seq, update, sender=""))
    return seq


def update_message(seq: int, update: bytes, *, sender: str) -> dict[str, Any]:
    return {"type": "coedit.update", "seq": seq, "update": update, "sender": sender}


def updates_message(items: list[tuple[int, bytes, str]]) -> dict[str, Any]:
    """Several stored updates in one group message: ``[seq, update, sender channel]`` each."""
    return {"type": "coedit.updates", "items": [[seq, u, sender] for seq, u, sender in items]}


# --- each process's copy (asynchronous: the consumers' event loop) --------------------------
@dataclass
class LiveDocument:
    """One process's copy of a document, shared by its sockets on that document."""

    key: str
    doc: Doc
    seq: int
    sockets: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # client id -> the last awareness entry seen (clock, state JSON), for late joiners.
    awareness: dict[int, tuple[int, str]] = field(default_factory=dict)
    # Numbers above ``seq`` already applied (their predecessors' broadcasts not yet seen).
    ahead: set[int] = field(default_factory=set)
    gap_check: asyncio.Task | None = None
    # Updates applied whose predecessors had not arrived yet (``integrate``).
    pending: list[bytes] = field(default_factory=list)
    # Updates waiting for the log: stored together by one writer task (a group commit), then
    # broadcast together: (update, author id, sender's channel, future of its seq).
    waiting: list[tuple[bytes, int | None, str, asyncio.Future]] = field(default_factory=list)
    writer: asyncio.Task | None = None

    async def store(self, update: bytes, author_id: int | None, sender: str = "") -> int:
        """Store ``update`` in the log and broadcast it to every socket of the document, in
        every process, with whatever else this process's sockets sent within
        ``BATCH_WINDOW_SECONDS`` (one transaction, one group message); apply it to this
        copy; its ``seq``. Stored before it is broadcast, always."""
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.waiting.append((update, author_id, sender, future))
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._write())
        seq = await future
        await self.receive(seq, update)
        return seq

    async def _write(self) -> None:
        try:
            await asyncio.sleep(BATCH_WINDOW_SECONDS)
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    seqs = await log_writer.run(
                        append_many, self.key, [(u, a) for u, a, _s, _f in batch]
                    )
                except Exception as exc:  # the sockets close; their browsers send it again
                    for _u, _a, _s, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (update, _a, _s, _f), seq in zip(batch, seqs, strict=True):
                    await self.receive(seq, update)
                await self._broadcast(
                    [(seq, u, sender) for (u, _a, sender, _f), seq in zip(batch, seqs, strict=True)]
                )
                for (_u, _a, _s, future), seq in zip(batch, seqs, strict=True):
                    if not future.done():
                        future.set_result(seq)
        finally:
            self.writer = None

    async def _broadcast(self, items: list[tuple[int, bytes, str]]) -> None:
        from channels.layers import get_channel_layer

        try:
            await get_channel_layer().group_send(coedit_group(self.key), updates_message(items))
        except Exception:  # stored: the other sockets and processes catch up from the log
            logger.warning("co-editing updates not broadcast", exc_info=True)

    @property
    def text(self) -> str:
        return str(self.doc.get(TEXT_NAME, type=Text))

    def apply_rows(self, rows: Iterable[tuple[int, bytes]]) -> None:
        """Apply rows of the log (from a catch-up: every row after ``seq``)."""
        fresh = []
        for seq, update in rows:
            if seq > self.seq and seq not in self.ahead:
                fresh.append(update)
            self.seq = max(self.seq, seq)
        self.ahead = {n for n in self.ahead if n > self.seq}
        if fresh:
            self.pending = integrate(self.doc, fresh, self.pending)

    async def catch_up(self) -> None:
        """Apply every stored update this copy lacks (one indexed query)."""
        async with self.lock:
            self.apply_rows(await database_sync_to_async(rows_after)(self.key, self.seq))

    async def receive(self, seq: int, update: bytes) -> None:
        """An update of the log, applied at once (a CRDT takes updates in any order). ``seq``
        advances over the numbers seen without a hole; a hole still open after
        ``GAP_WAIT_SECONDS`` (its broadcast was lost, not just overtaken by the next one's)
        is filled from the log."""
        if seq <= self.seq or seq in self.ahead:
            return
        self.pending = integrate(self.doc, [update], self.pending)
        self.ahead.add(seq)
        while self.seq + 1 in self.ahead:
            self.seq += 1
            self.ahead.discard(self.seq)
        if self.ahead and self.gap_check is None:
            self.gap_check = asyncio.get_running_loop().create_task(self._fill_gap())

    async def _fill_gap(self) -> None:
        try:
            await asyncio.sleep(GAP_WAIT_SECONDS)
            if self.ahead:
                await self.catch_up()
        finally:
            self.gap_check = None


# Per event loop (tests run one per test): key -> the process's copy.
_documents: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, LiveDocument]] = (
    weakref.WeakKeyDictionary()
)
_opening: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _create_and_load(key: str, initial_text: Callable[[], str]) -> tuple[Doc, int]:
    ensure_created(key, initial_text)
    return load(key)


async def open_document(key: str, initial_text: Callable[[], str]) -> LiveDocument:
    """This process's copy of ``key`` (loaded from the log, created first if need be), with
    one more socket counted on it."""
    loop = asyncio.get_running_loop()
    documents = _documents.setdefault(loop, {})
    lock = _opening.setdefault(loop, asyncio.Lock())
    async with lock:
        live = documents.get(key)
        if live is None:
            doc, seq = await database_sync_to_async(_create_and_load)(key, initial_text)
            live = documents[key] = LiveDocument(key=key, doc=doc, seq=seq)
        live.sockets += 1
    return live


def close_document(live: LiveDocument) -> None:
    """One socket fewer; the copy is dropped with the last (the log keeps everything)."""
    live.sockets -= 1
    if live.sockets <= 0:
        documents = _documents.get(asyncio.get_running_loop(), {})
        if documents.get(live.key) is live:
            del documents[live.key]


def open_documents() -> dict[str, LiveDocument]:
    """The copies this process holds now (tests and the benchmark read them)."""
    return dict(_documents.get(asyncio.get_running_loop(), {}))
