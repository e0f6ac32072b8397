"""One runner for the role x action x interface permission matrices of docs/permissions.md.

Each domain keeps its table in ``tests/<app>/test_permission_matrix.py`` and builds a
:class:`Matrix` from it::

    MATRIX = Matrix(
        roles=ROLES,  # the columns of the table in docs/permissions.md, in order
        actions=ACTIONS,  # {action: Action(setup, page=Call(...) | None, api=Call(...) | None)}
        expected=EXPECTED,  # {action: [one outcome per role, in the order of ROLES]}
        url_prefixes=("comments:", "comments_api:"),  # the named URLs the table must cover
    )

    @pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
    def test_matrix(world, row):
        MATRIX.check(row, world["users"], functools.partial(_request, world))

A :class:`Cell` is one (role, action, interface, expected outcome). The cells of one action on
one interface form a :class:`Row`, which is one test: every role is tried (each on a fresh state
and a fresh client) and the failure message shows the whole row, as in the documentation.

What stays in the domain's module: its roles' users (the ``world`` fixture), ``Action.setup``
(a state name, a function...: only the domain reads it), the payloads that depend on what was
set up (a ``str`` as ``Call.data`` names one), and ``_request(world, cell, action, call)``,
which prepares a fresh state for the cell and answers the :class:`Request` to send (the URL,
reversed with the new objects' ids, and the payload).

What the runner does: log the role in (anonymous: nobody), send the request the way a browser
or an API client would (pages: form-encoded with the ``csrfmiddlewaretoken`` field; API: JSON
with the ``X-CSRFToken`` header; CSRF checks enforced, so a request the CSRF check refuses
answers ``"csrf"``, never a "denied" that a cell expects), and map the answer to an outcome:

========== ======================================================================
outcome    answer
========== ======================================================================
ok         page: 200, or a redirect (not to the login page); API: 200 or 201
denied     403: may see it, may not do this
hidden     404: may not see it, answered exactly like a missing object
conflict   409: not in this state
invalid    400: refused input
login      page: a redirect to the login page; API: "credentials were not provided"
========== ======================================================================

Any other answer becomes ``"http <status>"`` (or ``"csrf"``), which no cell expects.

Adding a cell
-------------
- A new role for an existing action on an existing interface: a role is a column; add it to
  ``ROLES``, to every row of ``EXPECTED`` and to the ``world`` users (and to the table in
  docs/permissions.md).
- A new interface for an existing action (the API gained the page's action): give the action
  its ``page=`` or ``api=`` :class:`Call`; its row of ``EXPECTED`` already holds the answers,
  for both interfaces alike (an action whose answers differ by interface is two actions).
- A new action (or an existing one in another state): add an ``Action`` to ``ACTIONS`` (its
  setup, its page and/or API call) and its answers to ``EXPECTED``, one per role; if
  ``_request`` does not know how to reverse the URL, or the payload names something new,
  teach it there.
- A new named URL under the module's ``url_prefixes`` fails ``assert_covers_every_url`` until
  an action calls it.

Hidden = missing: :func:`assert_hidden_like_missing` proves that a 404 for "may not see it" is
byte for byte the 404 of an id that does not exist (once :func:`normalise` removed what differs
per request anyway: the CSRF token, the ``next`` path of the login form).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.shortcuts import resolve_url
from django.test import Client
from django.utils.crypto import get_random_string

from tests.helpers import url_names

Interface = Literal["page", "api"]
PAGE: Interface = "page"
API: Interface = "api"
INTERFACES: tuple[Interface, ...] = (PAGE, API)

Outcome = Literal["ok", "denied", "hidden", "conflict", "invalid", "login"]
OK: Outcome = "ok"
DENIED: Outcome = "denied"
HIDDEN: Outcome = "hidden"
CONFLICT: Outcome = "conflict"
INVALID: Outcome = "invalid"
LOGIN: Outcome = "login"
OUTCOMES: frozenset[str] = frozenset({OK, DENIED, HIDDEN, CONFLICT, INVALID, LOGIN})
# Answers that no cell may expect: the CSRF check refused the request (the runner's fault).
CSRF_REFUSED = "csrf"

BY_STATUS: dict[int, Outcome] = {400: INVALID, 403: DENIED, 404: HIDDEN, 409: CONFLICT}
OK_STATUS: dict[Interface, frozenset[int]] = {
    PAGE: frozenset({200, 302}),
    API: frozenset({200, 201}),
}
METHODS = frozenset({"get", "head", "options", "post", "put", "patch", "delete"})
SAFE_METHODS = frozenset({"get", "head", "options"})

# A payload, or the name of one the domain builds from what it set up (``"edit"``, ``"reply"``).
Payload = Mapping[str, Any] | str | None
User = Any  # a user model instance; None is the anonymous visitor


@dataclass(frozen=True)
class Call:
    """How an action is called on one interface: the HTTP method, the URL name, the payload
    (for ``get``: the query string), and, where the name does not say it, what the URL's
    arguments are taken from (``target``, in the domain's words: ``"rec+slug"``...)."""

    method: str
    name: str
    data: Payload = None
    target: str | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"{self.name}: unknown HTTP method {self.method!r}")


@dataclass(frozen=True)
class Action:
    """One line of the table: what to set up (read by the domain only), and the call on the
    page and on the API (``None``: that interface has no such action, so no cell)."""

    setup: Any
    page: Call | None = None
    api: Call | None = None

    def call(self, interface: Interface) -> Call | None:
        return self.page if interface == PAGE else self.api


@dataclass(frozen=True)
class Cell:
    """One answer of the matrix: ``role`` doing ``action`` on ``interface`` gets ``expected``."""

    role: str
    action: str
    interface: Interface
    expected: Outcome


@dataclass(frozen=True)
class Row:
    """The cells of one action on one interface, one per role: one test."""

    action: str
    interface: Interface
    cells: tuple[Cell, ...]

    def __str__(self) -> str:  # the test id
        return f"{self.action}-{self.interface}"


@dataclass(frozen=True)
class Request:
    """What to send for one cell, once its state is set up: the URL and the payload."""

    url: str
    data: Mapping[str, Any] | None = None


# The domain's part of a cell: set up a fresh state, answer what to send.
Prepare = Callable[[Cell, Action, Call], Request]


@dataclass
class Matrix:
    """A domain's table: its roles (columns), actions (lines), the expected answers, and the
    URL name prefixes the table must cover."""

    roles: Sequence[str]
    actions: Mapping[str, Action]
    expected: Mapping[str, Sequence[Outcome]]
    url_prefixes: tuple[str, ...]
    _cells: list[Cell] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if set(self.actions) != set(self.expected):
            raise ValueError(
                f"actions without answers: {sorted(set(self.actions) - set(self.expected))}, "
                f"answers without action: {sorted(set(self.expected) - set(self.actions))}"
            )
        cells = []
        for name, action in self.actions.items():
            answers = self.expected[name]
            if len(answers) != len(self.roles):
                raise ValueError(f"{name}: {len(answers)} answers for {len(self.roles)} roles")
            if unknown := set(answers) - OUTCOMES:
                raise ValueError(f"{name}: unknown outcomes {sorted(unknown)}")
            if action.page is None and action.api is None:
                raise ValueError(f"{name}: neither a page nor an API call")
            for interface in INTERFACES:
                if action.call(interface) is not None:
                    cells += [
                        Cell(role, name, interface, answer)
                        for role, answer in zip(self.roles, answers, strict=True)
                    ]
        self._cells = cells

    def cells(self) -> list[Cell]:
        """Every cell, action by action, page before API, role by role."""
        return list(self._cells)

    def rows(self) -> list[Row]:
        """The cells grouped by (action, interface), in table order: parametrize with these
        (``ids=str`` gives ``<action>-<interface>``)."""
        rows: dict[tuple[str, Interface], list[Cell]] = {}
        for cell in self._cells:
            rows.setdefault((cell.action, cell.interface), []).append(cell)
        return [Row(action, interface, tuple(cells)) for (action, interface), cells in rows.items()]

    def calls(self) -> Iterator[Call]:
        for action in self.actions.values():
            yield from (call for call in (action.page, action.api) if call is not None)

    def check(self, row: Row, users: Mapping[str, User | None], prepare: Prepare) -> None:
        """Try every cell of ``row``: ``prepare`` sets up a fresh state and answers the request,
        the role's user (from ``users``) sends it from a fresh client. Fails with the whole row
        when one answer differs."""
        action = self.actions[row.action]
        call = action.call(row.interface)
        assert call is not None, f"{row} has no call"
        results: dict[str, tuple[str, Outcome]] = {}
        for cell in row.cells:
            request = prepare(cell, action, call)
            response = send(client_for(users[cell.role]), row.interface, call.method, request)
            results[cell.role] = (outcome(response, row.interface), cell.expected)
        wrong = {role: got for role, (got, expected) in results.items() if got != expected}
        assert not wrong, f"{row}: got {wrong}; every role (got, expected): {results}"

    def covered_url_names(self) -> set[str]:
        return {call.name for call in self.calls()}

    def uncovered_url_names(self) -> list[str]:
        """The named URLs under ``url_prefixes`` that no action calls."""
        names = {name for name in url_names() if name.startswith(self.url_prefixes)}
        assert names, f"no named URL starts with {self.url_prefixes}: are they mounted?"
        return sorted(names - self.covered_url_names())

    def assert_covers_every_url(self) -> None:
        missing = self.uncovered_url_names()
        assert not missing, f"not in the permission matrix: {missing}"


def state_for(world: dict, cell: Cell, action: Action, call: Call) -> Any:
    """The state a cell runs on: fresh for each cell that writes (one role's write must not
    change what the next finds); one for every role of a read, since a GET changes nothing.
    (Each read row of the publication matrix published an edition, PDF included, seven times.)
    ``world`` is the test's own, so a row never shares with another."""
    if call.method != "get":
        return action.setup(world, f"{cell.action} {cell.role}")
    shared = world.setdefault("_read_states", {})
    key = (cell.action, call.name)
    if key not in shared:
        shared[key] = action.setup(world, f"{cell.action} read")
    return shared[key]


def client_for(user: User | None) -> Client:
    """A fresh client that enforces CSRF checks, holds a CSRF cookie (as after any page view)
    and is logged in as ``user`` (``None``: anonymous)."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(
        CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS
    )
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, interface: Interface, method: str, request: Request | str) -> HttpResponse:
    """Send ``request`` (or a bare URL) as a browser would a page, or an API client the API:
    ``get`` data is the query string; a page's write is a form with the CSRF token field, an
    API write is JSON with the CSRF token header (no data: no body)."""
    if isinstance(request, str):
        request = Request(request)
    method = method.lower()
    url, data = request.url, dict(request.data or {})
    if method in SAFE_METHODS:
        return getattr(client, method)(url, data)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    if interface == PAGE:
        data["csrfmiddlewaretoken"] = token
        if method == "post":
            return client.post(url, data)
        form = urlencode(data, doseq=True)
        return client.generic(
            method.upper(), url, form, content_type="application/x-www-form-urlencoded"
        )
    csrf = {settings.CSRF_HEADER_NAME: token}
    if request.data is None:
        return client.generic(method.upper(), url, **csrf)
    return getattr(client, method)(url, data, content_type="application/json", **csrf)


def outcome(response: HttpResponse, interface: Interface) -> str:
    """The outcome a response means on ``interface`` (see the module's table); an answer no
    cell may expect is ``"csrf"`` or ``"http <status>"``."""
    code, body = response.status_code, response.content
    if code == 403 and (b"CSRF verification failed" in body or b"CSRF Failed" in body):
        return CSRF_REFUSED
    if interface == PAGE and code == 302 and _is_login_url(response["Location"]):
        return LOGIN
    if interface == API and code in (401, 403) and b"credentials were not provided" in body:
        return LOGIN
    if code in BY_STATUS:
        return BY_STATUS[code]
    if code in OK_STATUS[interface]:
        return OK
    return f"http {code}"


def _is_login_url(location: str) -> bool:
    return urlsplit(location).path == resolve_url(settings.LOGIN_URL)


_PER_REQUEST = (
    rb'name="csrf-token" content="[^"]*"',
    rb'name="csrfmiddlewaretoken" value="[^"]*"',
    rb'name="next" type="hidden" value="[^"]*"',
)


def normalise(content: bytes) -> bytes:
    """The answer without what differs per request anyway (the CSRF token, the path)."""
    for pattern in _PER_REQUEST:
        content = re.sub(pattern, b"", content)
    return content


def assert_hidden_like_missing(
    client: Client,
    interface: Interface,
    hidden: str,
    missing: str,
    *,
    method: str = "get",
    data: Mapping[str, Any] | None = None,
) -> bytes:
    """``hidden`` (an object the client may not see) answers 404 exactly as ``missing`` (one
    that does not exist), byte for byte once normalised. Answers the normalised body."""
    answers = [send(client, interface, method, Request(url, data)) for url in (hidden, missing)]
    codes = [answer.status_code for answer in answers]
    assert codes == [404, 404], f"{method} {hidden}, {missing}: {codes}"
    bodies = [normalise(answer.content) for answer in answers]
    assert bodies[0] == bodies[1], f"{hidden} answers unlike {missing}"
    return bodies[0]
