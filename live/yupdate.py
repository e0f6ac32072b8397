"""Reading what a Yjs update (binary encoding version 1) covers: which clock ranges of which
clients it inserts, and which it deletes. The log's compaction needs it to know that a set of
stored updates leaves nothing pending (``live.coedit.compact``).

Why not ``pycrdt.merge_updates``: merging updates that arrived out of order (a struct whose
predecessor is in a later update) dropped text in the randomized convergence test
(``tests/live/test_coedit_convergence.py``). Applying the updates to a fresh document and
encoding it is exact, but only when nothing in them is still waiting for a missing
predecessor: a document encodes what it has integrated, not what it holds pending. So a
prefix of the log is compacted only when every range it inserts or deletes is covered by the
state vector that applying it produces.

Layout (Yjs ``encoding.js``, ``UpdateEncoderV1``): the structs grouped by client, then the
delete set. Only the content kinds a shared text uses are read (deleted, string, embed,
format); anything else raises ``Unsupported`` and the caller does not compact.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Unsupported(ValueError):
    """An update this reader cannot vouch for."""


@dataclass
class Coverage:
    # client -> list of (clock, end) ranges inserted (skips excluded) / deleted
    inserted: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    deleted: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise Unsupported("unexpected end of update")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def uint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value
            if shift > 70:
                raise Unsupported("varuint too long")

    def string(self) -> str:
        length = self.uint()
        end = self.pos + length
        if end > len(self.data):
            raise Unsupported("unexpected end of update")
        raw = self.data[self.pos : end]
        self.pos = end
        return raw.decode("utf-8")


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def coverage(update: bytes) -> Coverage:
    """The clock ranges ``update`` inserts and deletes, per client."""
    reader = _Reader(update)
    result = Coverage()
    for _client_group in range(reader.uint()):
        count = reader.uint()
        client = reader.uint()
        clock = reader.uint()
        for _struct in range(count):
            info = reader.byte()
            kind = info & 0x1F
            if kind == 0:  # GC: a deleted struct whose content is gone
                length = reader.uint()
            elif kind == 10:  # Skip: a gap in this update, nothing inserted
                clock += reader.uint()
                continue
            else:
                if info & 0x80:  # origin
                    reader.uint(), reader.uint()
                if info & 0x40:  # right origin
                    reader.uint(), reader.uint()
                if not info & 0xC0:  # no origins: the parent is named
                    if reader.uint() == 1:
                        reader.string()
                    else:
                        reader.uint(), reader.uint()
                    if info & 0x20:
                        reader.string()
                length = _content_length(reader, kind)
            result.inserted.setdefault(client, []).append((clock, clock + length))
            clock += length
    for _client in range(reader.uint()):
        client = reader.uint()
        for _range in range(reader.uint()):
            start = reader.uint()
            length = reader.uint()
            result.deleted.setdefault(client, []).append((start, start + length))
    return result


def _content_length(reader: _Reader, kind: int) -> int:
    if kind == 1:  # deleted content
        return reader.uint()
    if kind == 4:  # a string: its length in UTF-16 units, as Yjs counts clocks
        return _utf16_length(reader.string())
    if kind == 5:  # embed (JSON)
        reader.string()
        return 1
    if kind == 6:  # format: key and JSON value
        reader.string()
        reader.string()
        return 1
    raise Unsupported(f"content kind {kind}")


def decode_state(state: bytes) -> dict[int, int]:
    """A state vector: client -> the next clock expected from it."""
    reader = _Reader(state)
    return {reader.uint(): reader.uint() for _ in range(reader.uint())}


def covered_by(updates: list[bytes], state: bytes) -> bool:
    """Whether everything ``updates`` insert and delete lies within ``state`` (so a document
    built from them holds nothing pending); False for what cannot be read."""
    try:
        clocks = decode_state(state)
        for update in updates:
            found = coverage(update)
            for ranges in (found.inserted, found.deleted):
                for client, spans in ranges.items():
                    if any(end > clocks.get(client, 0) for _start, end in spans):
                        return False
    except (Unsupported, UnicodeDecodeError):
        return False
    return True
