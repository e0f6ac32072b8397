"""Four people type in one draft for 30 seconds, through two Daphne processes sharing Redis,
while a proxy in the test cuts and stalls their co-editing sockets. Afterwards every page says
all is saved, the pages, the database and the tokens typed agree, a version cut from the
editor equals the live text, and no page logged an error or a CSP violation."""

from __future__ import annotations

import contextlib
import random
import re
import socket
import threading
import time

import pytest
import redis
from django.conf import settings
from playwright.sync_api import expect

from live import coedit
from recommendations.models import Recommendation
from recommendations.services import live_key
from tests.factories import make_recommendation, member_of
from tests.helpers import need
from tests.live.test_scale import _cookie
from tests.servers import DaphneProcess, free_port

pytestmark = [pytest.mark.browser, pytest.mark.daphne]

TYPING_SECONDS = 30
TOKEN = re.compile(r"\[p\d+t\d+\]")


class FlakyProxy:
    """A TCP proxy in front of one server. Page loads pass untouched; the co-editing
    sockets (``GET /ws/.../text/``) are cut now and then, and stalled (nothing forwarded for
    a second or two) now and then, as a bad mobile link does."""

    def __init__(self, port: int, seed: int) -> None:
        self.target = port
        self.port = free_port()
        self.rng = random.Random(seed)
        self.faulty = True
        self.cuts = 0
        self.stalls = 0
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._stopped = True
        self._server.close()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target))
        except OSError:
            client.close()
            return
        first = client.recv(65536)
        coediting = first.startswith(b"GET /ws/") and b"/text/ " in first.split(b"\r\n", 1)[0]
        upstream.sendall(first)
        state = {"open": True, "stall_until": 0.0}

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while state["open"]:
                    data = src.recv(65536)
                    if not data:
                        break
                    while time.monotonic() < state["stall_until"]:
                        time.sleep(0.05)
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                state["open"] = False
                for sock in (client, upstream):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        if coediting:
            threading.Thread(target=self._disturb, args=(state, client), daemon=True).start()
        pump(client, upstream)

    def _disturb(self, state: dict, client: socket.socket) -> None:
        while state["open"]:
            time.sleep(self.rng.uniform(2, 6))
            if not self.faulty or not state["open"]:
                continue
            if self.rng.random() < 0.5:
                self.cuts += 1
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)  # the link drops
                return
            self.stalls += 1
            state["stall_until"] = time.monotonic() + self.rng.uniform(1, 3)


GO_TO_LINE_END = """(i) => {
  const view = document.querySelector('[data-js=coedit]').coedit.view;
  for (let n = 1; n <= view.state.doc.lines; n++) {
    const line = view.state.doc.line(n);
    if (line.text.startsWith(`Line ${i}:`)) {
      view.focus();
      view.dispatch({ selection: { anchor: line.to } });
      return true;
    }
  }
  return false;
}"""

CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


def test_four_people_type_through_cut_and_stalled_links_and_nothing_is_lost(
    browser, committed_db, lead_org
):
    redis_url = f"redis://127.0.0.1:6379/{7 if not settings.REDIS_URL else 8}"
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(False, f"two processes need Redis at {redis_url}: {exc}")
    users = [member_of(lead_org, f"typist{i}") for i in range(4)]
    rec = make_recommendation(
        users[0], body="Opening paragraph.\n\n" + "\n\n".join(f"Line {i}:" for i in range(4))
    )
    servers = [DaphneProcess({"REDIS_URL": redis_url}), DaphneProcess({"REDIS_URL": redis_url})]
    proxies = [FlakyProxy(server.port, seed=i) for i, server in enumerate(servers)]
    pages, errors = [], []
    try:
        for i, user in enumerate(users):
            proxy = proxies[i % 2]
            context = browser.new_context(
                base_url=proxy.url, viewport={"width": 1366, "height": 900}
            )
            context.set_default_timeout(20_000)
            name, value = _cookie(user).split("=", 1)
            context.add_cookies([{"name": name, "value": value, "url": proxy.url}])
            context.add_init_script(CSP_WATCH)
            page = context.new_page()
            page.on(
                "console",
                lambda msg, i=i: (
                    errors.append(f"page {i}: {msg.text}")
                    if msg.type == "error"
                    # The browser's own note that the proxy cut a socket is not the page's error.
                    and not msg.text.startswith("WebSocket connection to")
                    else None
                ),
            )
            page.on("pageerror", lambda exc, i=i: errors.append(f"page {i}: {exc}"))
            page.goto(f"/recommendations/{rec.pk}/edit/")
            expect(page.locator('[data-js="coedit"]')).to_have_attribute("data-state", "saved")
            pages.append(page)

        typed: list[str] = []
        deadline = time.monotonic() + TYPING_SECONDS
        n = 0
        while time.monotonic() < deadline:
            i = n % 4
            page = pages[i]
            token = f"[p{i}t{n}]"
            # Each person writes on their own line (typing at one spot at once interleaves
            # characters, as in any co-editor), at its end wherever the others' text moved it.
            assert page.evaluate(GO_TO_LINE_END, i)
            page.keyboard.type(token + " ", delay=15)
            typed.append(token)
            n += 1

        for proxy in proxies:
            proxy.faulty = False  # the links are good again
        for page in pages:
            expect(page.locator('[data-js="coedit"]')).to_have_attribute(
                "data-state", "saved", timeout=60_000
            )
        texts = [
            page.evaluate("document.querySelector('[data-js=coedit]').coedit.text()")
            for page in pages
        ]
        # Pages catch up within their next sync: wait for them to agree.
        for _ in range(60):
            if len(set(texts)) == 1:
                break
            time.sleep(0.5)
            texts = [
                page.evaluate("document.querySelector('[data-js=coedit]').coedit.text()")
                for page in pages
            ]
        final = texts[0]
        assert set(texts) == {final}
        for token in typed:
            assert final.count(token) == 1, token
        assert final.count("Opening paragraph.") == 1
        for i in range(4):  # each line holds its typist's tokens, in the order typed
            line = next(x for x in final.splitlines() if x.startswith(f"Line {i}:"))
            assert TOKEN.findall(line) == [t for t in typed if t.startswith(f"[p{i}t")]
        assert coedit.current_text(live_key(rec)) == final
        assert sum(p.cuts for p in proxies) > 0 and sum(p.stalls for p in proxies) > 0

        # "Save new version" cuts exactly the live text.
        pages[0].get_by_label("Change note").fill("Written together")
        pages[0].get_by_role("button", name="Save new version").click()
        expect(pages[0].locator(".messages")).to_contain_text("Saved as version 2")
        saved = Recommendation.objects.get(pk=rec.pk)
        assert saved.version == 2 and saved.body == final.strip()
        assert errors == []
    finally:
        for page in pages:
            page.context.close()
        for proxy in proxies:
            proxy.stop()
        for server in servers:
            server.stop()
