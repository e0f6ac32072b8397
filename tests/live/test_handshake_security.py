"""What reaches the WebSocket endpoint from outside: origins are compared in full (scheme, host
and port), unknown paths and bad frames get a clean refusal or close code, never a server
error or a traceback."""

from __future__ import annotations

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from live.security import normalise, origin_allowed
from tests.factories import make_recommendation
from tests.live.test_consumers import session_cookie
from workspace.asgi import application

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_layer"),
]


async def _open(path: str, *, host: str, origin: str | None, user=None, scheme: str = "ws"):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["scheme"] = scheme
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


def _scope(host: str, origin: str | None, scheme: str = "ws", **extra: str) -> dict:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.0.0.1:9999", False),  # another port: another origin (issue 10, case 3)
        ("http://localhost:8000", False),  # an allowed host, but not the one served here
        ("https://127.0.0.1:8000", False),  # another scheme
        ("https://127.0.0.1", False),
        ("http://127.0.0.1", False),  # port 80, not 8000
        ("http://evil.example:8000", False),
        ("null", False),
        ("http://127.0.0.1:8000/path", False),
        ("http://user@127.0.0.1:8000", False),
        ("http://127.0.0.1:99999", False),  # malformed port
    ],
)
def test_only_the_exact_origin_of_the_socket_is_accepted(origin, accepted):
    assert origin_allowed(_scope("127.0.0.1:8000", origin)) is accepted


def test_a_missing_origin_or_a_host_that_is_not_allowed_is_refused():
    assert not origin_allowed(_scope("127.0.0.1:8000", None))
    assert not origin_allowed(_scope("evil.example:8000", "http://evil.example:8000"))


def test_default_ports_are_the_same_origin_and_secure_sockets_need_https(settings):
    assert origin_allowed(_scope("127.0.0.1", "http://127.0.0.1:80"))
    assert origin_allowed(_scope("127.0.0.1", "https://127.0.0.1", scheme="wss"))
    assert not origin_allowed(_scope("127.0.0.1", "http://127.0.0.1", scheme="wss"))
    assert normalise("HTTPS://Example.ORG") == ("https", "example.org", 443)


def test_behind_a_tls_proxy_the_forwarded_scheme_counts_only_when_configured(settings):
    scope = _scope("127.0.0.1", "https://127.0.0.1", **{"x-forwarded-proto": "https"})
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not origin_allowed(scope)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope)


def test_configured_trusted_origins_are_accepted(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://workspace.example.org"]
    assert origin_allowed(_scope("127.0.0.1:8000", "https://workspace.example.org"))
    assert not origin_allowed(_scope("127.0.0.1:8000", "https://other.example.org"))


async def test_a_foreign_port_is_refused_even_with_a_valid_session(drafter):
    rec = await database_sync_to_async(make_recommendation)(drafter, status="in_review")
    path = f"/ws/recommendations/{rec.pk}/"
    _, connected, _ = await _open(
        path, host="127.0.0.1:8000", origin="http://127.0.0.1:9999", user=drafter
    )
    assert not connected
    communicator, connected, _ = await _open(
        path, host="127.0.0.1:8000", origin="http://127.0.0.1:8000", user=drafter
    )
    assert connected
    await communicator.disconnect()


@pytest.mark.parametrize(
    "path", ["/ws/recommendations/abc/", "/ws/recommendations/-1/", "/ws/nothing/", "/ws/"]
)
async def test_unknown_socket_paths_are_refused_without_a_server_error(path, caplog):
    caplog.set_level(logging.ERROR)
    _, connected, code = await _open(path, host="127.0.0.1", origin="http://127.0.0.1")
    assert not connected
    assert code == 4404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        ("not json", "text"),
        ("[" * 5000 + "]" * 5000, "text"),
        ('{"type": "ping", "pad": "' + "x" * 10_000 + '"}', "text"),
        (b"\x00\xff binary", "bytes"),
    ],
)
async def test_bad_frames_close_the_socket_with_4400_and_no_traceback(drafter, frame, kind, caplog):
    caplog.set_level(logging.ERROR)
    rec = await database_sync_to_async(make_recommendation)(drafter, status="in_review")
    communicator, connected, _ = await _open(
        f"/ws/recommendations/{rec.pk}/", host="127.0.0.1", origin="http://127.0.0.1", user=drafter
    )
    assert connected
    if kind == "bytes":
        await communicator.send_to(bytes_data=frame)
    else:
        await communicator.send_to(text_data=frame)
    while True:
        output = await communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_good_frame_still_gets_its_answer(drafter):
    rec = await database_sync_to_async(make_recommendation)(drafter, status="in_review")
    communicator, connected, _ = await _open(
        f"/ws/recommendations/{rec.pk}/", host="127.0.0.1", origin="http://127.0.0.1", user=drafter
    )
    assert connected
    await communicator.send_json_to({"type": "ping"})
    types = []
    while "pong" not in types and len(types) < 10:
        types.append((await communicator.receive_json_from(timeout=3))["type"])
    assert "pong" in types
    await communicator.disconnect()
