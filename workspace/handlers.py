"""Django's ASGI handler with a fixed set of view threads instead of one new thread a request.

Django's ``ASGIHandler`` runs each request's synchronous code (middleware, view, template,
ORM) in a ``ThreadSensitiveContext`` of its own: asgiref starts a thread for the request and
joins it afterwards from yet another thread. Django's database connections belong to a
thread, so every request also opened a new database connection and, on SQLite, re-prepared
every statement (the statement cache is per connection), whatever ``CONN_MAX_AGE`` said. The
connections of finished threads stayed open until the garbage collector found them: after a
minute of load, Daphne held over a hundred SQLite file handles. Measured under Daphne, that was
about 7 ms of the 9 ms of ``/healthz`` and 15 ms more on home (docs/performance.md).

``PooledASGIHandler`` lends each request one of ``size`` single-thread executors instead
(asgiref's ``ThreadSensitiveContext(executor=...)``, made for this). A request's synchronous
code still runs on one thread from start to finish, as Django requires; the thread, and with
it the database connection that ``CONN_MAX_AGE`` keeps, serve the next request. Django's own
``request_started``/``request_finished`` handling closes a connection that is too old, broken
or left in a transaction, as it does under WSGI's reused threads.

When every thread is busy a request waits for the first one free: at most ``size`` threads,
and so at most ``size`` database connections, exist at once. A thread whose request was
abandoned by its client (Django cancels the task, the synchronous code runs to its end) goes
back to the pool at once; the next request it is lent to starts when that code has finished.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

Scope = dict[str, Any]


class ExecutorPool:
    """Up to ``size`` single-thread executors, created when first needed and lent in turn."""

    def __init__(self, size: int, name: str = "view") -> None:
        if size < 1:
            raise ValueError("a pool needs at least one thread")
        self.size = size
        self.name = name
        self.created = 0
        self._idle: deque[ThreadPoolExecutor] = deque()
        self._waiting: deque[asyncio.Future[ThreadPoolExecutor]] = deque()

    async def take(self) -> ThreadPoolExecutor:
        """An idle executor, a new one while fewer than ``size`` exist, or the next freed."""
        if self._idle:
            return self._idle.popleft()
        if self.created < self.size:
            self.created += 1
            return ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"{self.name}-{self.created}"
            )
        waiter: asyncio.Future[ThreadPoolExecutor] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give(waiter.result())  # handed over just as we were cancelled: pass it on
            else:
                self._waiting.remove(waiter)
            raise

    def give(self, executor: ThreadPoolExecutor) -> None:
        """Back to the pool: to the longest waiting request, or idle."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done() and not waiter.get_loop().is_closed():
                waiter.set_result(executor)
                return
        self._idle.append(executor)

    @property
    def idle(self) -> int:
        return len(self._idle)

    @property
    def waiting(self) -> int:
        return len(self._waiting)


class PooledASGIHandler(ASGIHandler):
    """``ASGIHandler`` whose requests borrow a view thread from an ``ExecutorPool``."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.pool = ExecutorPool(threads)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = await self.pool.take()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.pool.give(executor)


def get_asgi_application(threads: int) -> PooledASGIHandler:
    """As ``django.core.asgi.get_asgi_application``, with ``threads`` view threads."""
    import django

    django.setup(set_prefix=False)
    return PooledASGIHandler(threads)
