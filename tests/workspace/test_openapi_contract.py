"""The API's public contract, held against the schema generated before the API views were
restructured (``tests/fixtures/openapi_before_restructure.json``).

For every path and method of that schema the current one must have the same ``operationId``,
the same parameters (name, place, required, schema), the same request body and the same
response codes with the same response schemas. Schemas are compared with every ``$ref``
replaced by the component it names, so a component may be renamed but not reshaped. Paths and
methods may be added, never removed; so may what an existing client does not notice: an
optional parameter, an optional field of a request body, a field of a response (a client
reads the fields it knows), an answer for input the operation did not take before."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "openapi_before_restructure.json"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
REF_PREFIX = "#/components/schemas/"

Schema = dict[str, Any]


def _before() -> Schema:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _now() -> Schema:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, sort_keys=True, default=str))


def _operations(schema: Schema) -> list[tuple[str, str]]:
    return [
        (path, method)
        for path, item in sorted(schema["paths"].items())
        for method in METHODS
        if method in item
    ]


def resolved(node: Any, schema: Schema, _stack: tuple[str, ...] = ()) -> Any:
    """``node`` with each ``$ref`` replaced by its component, recursively. A component that
    contains itself is marked by how many levels up it points, not by its name."""
    if isinstance(node, list):
        return [resolved(item, schema, _stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        name = ref.removeprefix(REF_PREFIX)
        if name in _stack:
            return {"$recursive": len(_stack) - _stack.index(name)}
        target = schema["components"]["schemas"][name]
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return resolved({**target, **siblings}, schema, (*_stack, name))
    return _without_backend_range(
        {key: resolved(value, schema, _stack) for key, value in node.items()}
    )


# drf-spectacular documents a model integer field with the range of the *database backend* in
# use (SQLite: 64-bit, PostgreSQL: 32-bit), so the same code gives other bounds on another
# database. Those bounds are not part of the contract; the field, its type and nullability are.
BACKEND_RANGES = {2**31 - 1, 2**63 - 1}


def _without_backend_range(node: dict[str, Any]) -> dict[str, Any]:
    if node.get("type") == "integer" and node.get("maximum") in BACKEND_RANGES:
        node = {k: v for k, v in node.items() if k not in ("maximum", "format")}
    return node


def _parameters(schema: Schema, path: str, method: str) -> dict[str, Any]:
    item = schema["paths"][path]
    params = [*item.get("parameters", []), *item[method].get("parameters", [])]
    return {
        f"{p['in']}:{p['name']}": {
            "required": p.get("required", False),
            "schema": resolved(p.get("schema"), schema),
        }
        for p in params
    }


def _request_body(schema: Schema, path: str, method: str) -> Any:
    body = schema["paths"][path][method].get("requestBody")
    if body is None:
        return None
    return {
        "required": body.get("required", False),
        "content": {
            media: resolved(content.get("schema"), schema)
            for media, content in body.get("content", {}).items()
        },
    }


def _responses(schema: Schema, path: str, method: str) -> dict[str, Any]:
    return {
        code: {
            media: resolved(content.get("schema"), schema)
            for media, content in response.get("content", {}).items()
        }
        for code, response in schema["paths"][path][method].get("responses", {}).items()
    }


def _extends(old: Any, new: Any, *, request: bool) -> bool:
    """Whether ``new`` is ``old`` with object properties added (in a request body: optional
    ones only), everything else the same."""
    if isinstance(old, dict) and isinstance(new, dict) and "properties" not in new:
        return set(old) == set(new) and all(_extends(old[k], new[k], request=request) for k in old)
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) - set(new):
            return False
        for key in set(new) - set(old):
            if key not in ("properties", "required"):
                return False
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        added = set(new_props) - set(old_props)
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        if request and (new_required - old_required):
            return False
        if not request and (old_required - new_required or (new_required - old_required) - added):
            return False
        return all(
            _extends(old[key], new[key], request=request)
            for key in old
            if key not in ("properties", "required")
        ) and all(_extends(old_props[k], new_props[k], request=request) for k in old_props)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(
            _extends(a, b, request=request) for a, b in zip(old, new, strict=True)
        )
    return old == new


def _parameters_compatible(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(new.get(k) == v for k, v in old.items()) and not any(
        new[k]["required"] for k in set(new) - set(old)
    )


def _request_compatible(old: Any, new: Any) -> bool:
    return _extends(old, new, request=True)


def _response_compatible(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Every answer of before is still given, extended at most (a new error code may appear
    for input the operation did not take before)."""
    return all(
        code in new and _extends(body, new[code], request=False) for code, body in old.items()
    )


def differences(before: Schema, now: Schema, path: str, method: str) -> list[str]:
    """How the operation ``method path`` of ``now`` breaks its contract in ``before``."""
    where = f"{method.upper()} {path}"
    if method not in now["paths"].get(path, {}):
        return [f"{where}: no longer exists"]
    found = []
    old_id = before["paths"][path][method].get("operationId")
    new_id = now["paths"][path][method].get("operationId")
    if old_id != new_id:
        found.append(f"{where}: operationId {old_id!r} became {new_id!r}")
    for label, part, compatible in (
        ("parameters", _parameters, _parameters_compatible),
        ("request body", _request_body, _request_compatible),
        ("responses", _responses, _response_compatible),
    ):
        old, new = part(before, path, method), part(now, path, method)
        if old != new and not compatible(old, new):
            found.append(
                f"{where}: {label} changed\n"
                f"  before: {json.dumps(old, sort_keys=True, default=str)}\n"
                f"  now:    {json.dumps(new, sort_keys=True, default=str)}"
            )
    return found


@pytest.fixture(scope="module")
def now() -> Schema:
    return _now()


@pytest.mark.parametrize(("path", "method"), _operations(_before()))
def test_every_operation_keeps_its_contract(now, path, method):
    problems = differences(_before(), now, path, method)
    assert not problems, "\n".join(problems)


def test_no_path_or_method_was_removed(now):
    missing = set(_operations(_before())) - set(_operations(now))
    assert not missing, f"removed: {sorted(missing)}"


# --- the comparison itself ---------------------------------------------------------------------
def _rename_component(schema: Schema, old: str, new: str) -> Schema:
    text = json.dumps(schema).replace(f'"{REF_PREFIX}{old}"', f'"{REF_PREFIX}{new}"')
    renamed = json.loads(text)
    components = renamed["components"]["schemas"]
    components[new] = components.pop(old)
    return renamed


def test_a_renamed_component_of_the_same_shape_keeps_the_contract():
    before = _before()
    now = _rename_component(before, "CommentOut", "Comment")
    for path, method in _operations(before):
        assert differences(before, now, path, method) == []


def test_a_changed_field_type_or_operation_id_breaks_the_contract():
    before = _before()
    now = copy.deepcopy(before)
    # A field one reference deep (CommentOut.response is a CommentResponseOut).
    now["components"]["schemas"]["CommentResponseOut"]["properties"]["version"] = {"type": "string"}
    now["paths"]["/api/comments/{id}/resolve/"]["post"]["operationId"] = "comments_resolve"
    now["paths"]["/api/editions/{id}/publish/"]["post"]["parameters"][0]["schema"] = {
        "type": "string"
    }
    del now["paths"]["/api/published/"]
    problems = {
        (path, method): differences(before, now, path, method)
        for path, method in _operations(before)
    }
    broken = {key for key, found in problems.items() if found}
    assert ("/api/comments/{id}/resolve/", "post") in broken  # response and operationId
    assert ("/api/recommendations/{id}/comments/", "get") in broken  # the same nested field
    assert ("/api/editions/{id}/publish/", "post") in broken  # a parameter's type
    assert problems[("/api/published/", "get")] == ["GET /api/published/: no longer exists"]
    assert ("/api/editions/", "post") not in broken


def test_additions_a_client_does_not_notice_pass_and_others_do_not():
    obj = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    more = {**obj, "properties": {**obj["properties"], "b": {"type": "string"}}}
    required_more = {**more, "required": ["a", "b"]}
    fewer = {"type": "object", "properties": {}, "required": []}
    json_body = {"required": True, "content": {"application/json": obj}}
    assert _response_compatible(
        {"200": {"application/json": obj}}, {"200": {"application/json": required_more}, "400": {}}
    )
    assert not _response_compatible(
        {"200": {"application/json": obj}}, {"200": {"application/json": fewer}}
    )
    assert not _response_compatible({"200": {}, "404": {}}, {"200": {}})
    assert _request_compatible(json_body, {**json_body, "content": {"application/json": more}})
    assert not _request_compatible(
        json_body, {**json_body, "content": {"application/json": required_more}}
    )
    param = {"required": False, "schema": {"type": "string"}}
    assert _parameters_compatible({}, {"query:lang": param})
    assert not _parameters_compatible({}, {"query:lang": {**param, "required": True}})
    assert not _parameters_compatible({"query:lang": param}, {})
