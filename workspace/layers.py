"""An in-memory channel layer that stays fast with a thousand subscribers in one process.

Channels' ``InMemoryChannelLayer`` scans every channel and every group member for expired
entries on *each* ``receive`` and ``group_send``: with N connected clients one broadcast
costs O(N^2) work (37% of the samples of a 1000-client profile). Here the scan runs at most
once per ``clean_interval`` seconds, and a group send puts the message on each member's
queue directly instead of creating a task per member and deep-copying the message for each.
Messages are treated as immutable once sent (our consumers never mutate them); each member
gets its own shallow copy of the top-level dict. Expiry semantics are otherwise unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as StockInMemoryChannelLayer


class InMemoryChannelLayer(StockInMemoryChannelLayer):
    def __init__(self, *args, clean_interval: float = 1.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clean_interval = clean_interval
        self._next_clean = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now < self._next_clean:
            return
        self._next_clean = now + self.clean_interval
        super()._clean_expired()

    def _put(self, channel: str, message: dict) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
        try:
            queue.put_nowait((time.time() + self.expiry, dict(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def send(self, channel: str, message: dict) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message)

    async def group_send(self, group: str, message: dict) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            # As in the stock layer, a full channel misses group messages.
            with contextlib.suppress(ChannelFull):
                self._put(channel, message)
