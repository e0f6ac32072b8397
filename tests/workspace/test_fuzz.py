"""Property-based: every API operation of the OpenAPI schema, and the WebSocket endpoint, fed
random and hostile input by three kinds of caller, never answers a server error (issue 10).

The operations come from the live schema, so an endpoint added tomorrow is fuzzed too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from comments import services as comments
from tests.factories import make_recommendation

HOSTILE_TEXT = [
    "",
    "²",
    "١٢",
    "-1",
    "1e9",
    "0x10",
    " 1",
    "99999999999999999999999999",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "🙂" * 50,
    "a" * 5000,
    "=cmd|' /C calc'!A0",
]
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=50),
    st.sampled_from(HOSTILE_TEXT),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
text_params = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_TEXT), st.integers().map(str))


@cache
def operations() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(method, path template, query parameter names, body field names) of every operation."""
    from drf_spectacular.generators import SchemaGenerator

    schema = json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
    )
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, item in sorted(schema["paths"].items()):
        for method, op in sorted(item.items()):
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "query")
            body_schema = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            ref = body_schema.get("$ref", "")
            fields = (
                tuple(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
                if ref
                else ()
            )
            found.append((method, path, query, fields))
    return found


def _ids() -> list[str]:
    from django.conf import settings as django_settings

    django_settings.ALLOWED_HOSTS  # noqa: B018 - settings ready
    return [f"{m.upper()} {p}" for m, p, _q, _f in operations()]


@pytest.fixture
def world(drafter, moderator, representative, lead_org):
    rec = make_recommendation(drafter, status="in_review")
    approved = make_recommendation(
        drafter, status="approved", moderator=moderator, title="Approved"
    )
    comment = comments.post_comment(rec, actor=drafter, body="A comment.")
    return {
        "ids": [rec.pk, approved.pk, comment.pk, 1, 0],
        "slugs": ["lisbon", "tunis", "no-such-org"],
        "callers": {"anonymous": AnonymousUser(), "drafter": drafter, "moderator": moderator},
    }


def _fill(path: str, draw: Any, world: dict) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "slug":
            return draw(
                st.one_of(
                    st.sampled_from(world["slugs"]),
                    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
                )
            )
        return str(draw(st.one_of(st.sampled_from(world["ids"]), st.integers(0, 2**70))))

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", range(len(operations())), ids=_ids())
@SETTINGS
@given(data=st.data())
def test_no_api_operation_answers_a_server_error(world, operation, data):
    method, template, query_names, fields = operations()[operation]
    caller = data.draw(st.sampled_from(sorted(world["callers"])), label="caller")
    client = APIClient()
    user = world["callers"][caller]
    if user.is_authenticated:
        client.force_authenticate(user)
    path = _fill(template, data.draw, world)
    query = {
        name: data.draw(text_params, label=name) for name in query_names if data.draw(st.booleans())
    }
    body: Any = None
    if method in ("post", "put", "patch"):
        body = data.draw(
            st.one_of(
                json_values,
                st.fixed_dictionaries({}, optional={f: json_values for f in fields}),
                st.just("[" * 3000 + "]" * 3000),
            ),
            label="body",
        )
    raw = body if isinstance(body, str) else json.dumps(body)
    if method == "get":
        response = client.get(path, query)
    else:
        response = getattr(client, method)(
            path + ("?" + "&".join(f"{k}=x" for k in query) if query else ""),
            data=raw,
            content_type="application/json",
        )
    assert response.status_code < 500, (method, path, query, body, response.content[:300])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@SETTINGS
@given(
    suffix=st.one_of(
        st.text(max_size=40).map(lambda s: s.replace("\x00", "")),
        st.sampled_from(
            ["recommendations/abc/", "recommendations/-1/", "recommendations/1/2/", "overview/x/"]
        ),
    )
)
async def test_no_websocket_path_fails_at_the_handshake(fresh_layer, suffix):
    from workspace.asgi import application

    communicator = WebsocketCommunicator(
        application,
        "/ws/" + suffix,
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")],
    )
    connected, _code = await communicator.connect(timeout=3)
    if connected:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@SETTINGS
@given(
    frame=st.one_of(
        st.text(min_size=1, max_size=200),
        json_values.map(json.dumps),
        st.binary(min_size=1, max_size=50),
    )
)
async def test_no_frame_breaks_a_socket_with_a_traceback(fresh_layer, drafter, frame):
    from tests.live.test_consumers import connect

    rec = await database_sync_to_async(make_recommendation)(drafter, status="in_review")
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter)
    assert connected
    if isinstance(frame, bytes):
        await ws.send_to(bytes_data=frame)
    else:
        await ws.send_to(text_data=frame)
    await ws.send_to(text_data='{"type": "ping"}')
    while True:
        output = await ws.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            assert output["code"] == 4400
            break
        if '"pong"' in output.get("text", ""):
            break
    await ws.disconnect()
