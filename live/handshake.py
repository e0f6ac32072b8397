"""The permission checks of WebSocket handshakes, on threads of their own."""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections, connections


class HandshakeChecks:
    """Runs the permission checks of handshakes on two threads of their own.

    Not on Channels' single database thread, where each check queued behind every other one
    and behind every session load: a burst of a hundred handshakes waited seconds there, and
    Daphne refused those that waited over its 5-s handshake timeout. And not one database
    connection per check: a thread keeps its connection while other checks are waiting and
    closes it, as Django does after a request, once none is (on PostgreSQL, opening a
    connection cost more than the check's queries). Errors close the connection too.
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._waiting = 0  # submitted and not yet started

    async def run(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="ws-check")
        with self._lock:
            self._waiting += 1
        future = self._executor.submit(self._call, functools.partial(check, *args, **kwargs))
        future.add_done_callback(self._forget_if_cancelled)
        return await asyncio.wrap_future(future)

    def _forget_if_cancelled(self, future: Future) -> None:
        if future.cancelled():  # never started: no longer waiting
            with self._lock:
                self._waiting -= 1

    def _call(self, check: Any) -> Any:
        with self._lock:
            self._waiting -= 1
        try:
            return check()
        except BaseException:
            connections.close_all()
            raise
        finally:
            with self._lock:
                idle = self._waiting == 0
            if idle:
                close_old_connections()


handshake_checks = HandshakeChecks(threads=2)
