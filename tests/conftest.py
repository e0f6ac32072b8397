"""Shared fixtures: role fixtures named for who they are, services that fail in CI when gone."""

from __future__ import annotations

import inspect
import os
from unittest import mock

import pytest
from channels.testing import WebsocketCommunicator

from accounts.models import MODERATOR, SECRETARIAT
from workspace.roles import ensure_roles

from .factories import OrganisationFactory, UserFactory, member_of, representative_of, with_role
from .helpers import need


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No abuse limits unless a test sets them (tests/workspace/test_rate_limits.py).
    settings.RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def _english_in_utc():
    """Each test starts in English and UTC, as outside a request: a page served in French (or
    in a person's zone) leaves its language active in the thread after the response."""
    from django.conf import settings
    from django.utils import timezone, translation

    from core import zones
    from recommendations.subscriptions import forget_submitted

    translation.activate("en")
    timezone.deactivate()
    # The conference a previous test made is gone with its transaction: start from the
    # setting (without a query, so that query counts do not depend on the test's order).
    zones.forget(assume=settings.WORKSPACE_TIME_ZONE)
    # Ids of a rolled-back test come back in the next one: the submitted texts a process
    # remembers for handshakes (committed rows only, outside tests) start empty.
    forget_submitted()
    yield
    translation.activate("en")
    timezone.deactivate()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "obj", None)):
            item.fixturenames.append("_sockets_closed")


@pytest.fixture
async def _sockets_closed():
    """Closes, one at a time, every socket a test opened and left open (a refused handshake
    leaves its consumer waiting for the disconnect Daphne would send). Left to the event
    loop's shutdown, they were all cancelled at once, and on the Redis layer the receive
    they shared then never finished: the test hung until its timeout, one run in three."""
    opened: list[WebsocketCommunicator] = []
    original = WebsocketCommunicator.__init__

    def tracked(self, *args, **kwargs):
        original(self, *args, **kwargs)
        opened.append(self)

    with mock.patch.object(WebsocketCommunicator, "__init__", tracked):
        yield
    for communicator in opened:
        if communicator.future.done():
            continue
        try:
            await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
            await communicator.wait(timeout=1)
        except Exception:  # the test is over: its socket only has to end
            pass


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def lead_org(db):
    return OrganisationFactory(name="Lisbon", slug="lisbon", country="Portugal")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Tunis", slug="tunis", country="Tunisia")


@pytest.fixture
def drafter(lead_org):
    return member_of(lead_org, "drafter")


@pytest.fixture
def representative(lead_org):
    return representative_of(lead_org, "lisbon-rep")


@pytest.fixture
def other_participant(other_org):
    return member_of(other_org, "other")


@pytest.fixture
def other_representative(other_org):
    return representative_of(other_org, "tunis-rep")


@pytest.fixture
def observer(db):
    return UserFactory(username="observer")


@pytest.fixture
def moderator(roles):
    return with_role(MODERATOR)


@pytest.fixture
def secretariat(roles):
    return with_role(SECRETARIAT)


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- real servers and browsers --------------------------------------------------------------
@pytest.fixture
def fresh_layer():
    """A channel layer of its own for the test (each async test runs its own event loop, and
    a layer keeps the loop it was made on). Modules of socket tests use it for every test."""
    from channels.layers import channel_layers

    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


@pytest.fixture(scope="session")
def daphne(django_db_setup, django_db_blocker):
    """One Daphne process serving the test database, for browser tests."""
    from .servers import DaphneProcess

    with django_db_blocker.unblock():
        server = DaphneProcess()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(serialized_contents):
    """Chromium for one test module. Module scope: Playwright's sync API keeps an event loop
    running in this thread while it lives, which the async tests of other modules cannot share."""
    from .servers import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    need(path is not None, "Chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras bring it
        need(False, "playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def serialized_contents(django_db_setup, django_db_blocker):
    """The database as migrated, serialized by the test set-up (taken before any browser runs)."""
    from django.db import connections

    return getattr(connections["default"], "_test_serialized_contents", None)


@pytest.fixture
def committed_db(serialized_contents, transactional_db, django_db_serialized_rollback):
    """Data committed for other processes to see. Restored from the serialized copy after each
    test, so content types and permissions keep their ids: a server process caches them.

    Under Playwright's sync API an event loop runs in this thread, and Django then hands out a
    context-local connection object that lacks the serialized copy; give it the copy (so the
    flush after the test keeps ids) and restore now if the previous flush left nothing.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connection = connections["default"]
    if serialized_contents and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = serialized_contents
    if serialized_contents and not ContentType.objects.exists():
        connection.creation.deserialize_db_from_string(serialized_contents)
        ContentType.objects.clear_cache()
    ensure_roles()


@pytest.fixture
def live(daphne, committed_db):
    """The Daphne URL, serving the database the test writes to."""
    return daphne.url


@pytest.fixture
def new_page(browser, live):
    """Open a fresh browser context (its own cookies) logged in as a user, or anonymous."""
    contexts = []

    def open_page(username: str | None = None, password: str = "pw", *, coedit: bool = True):
        """``coedit=False``: the editor page as a browser without the co-editing script has
        it (the plain form, posting the whole text with its base version)."""
        context = browser.new_context(base_url=live)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if not coedit:
            context.route(
                "**/static/js/coedit.bundle.js",
                lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
            )
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                if msg.type == "error" and "Failed to load resource" not in msg.text
                else None
            ),
        )
        # Failed loads are recorded with their address (the console message has none).
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}")
                if r.status >= 400
                and r.request.resource_type in ("script", "stylesheet", "image", "fetch")
                else None
            ),
        )
        page.console_errors = errors  # type: ignore[attr-defined]
        if username:
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def api_as(live):
    """An HTTP client of the live server acting as a user (token auth): changes made through
    it go through the server process, so its live events reach the browsers."""
    import httpx
    from rest_framework.authtoken.models import Token

    clients = []

    def make(user):
        token, _created = Token.objects.get_or_create(user=user)
        client = httpx.Client(
            base_url=live, headers={"Authorization": f"Token {token.key}"}, timeout=30
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free port, and the workspace sending to it."""
    from .mailserver import smtp_server

    yield from smtp_server(settings)
