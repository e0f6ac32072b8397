"""What domain apps plug into the live transport: registries, redactors, routes, group names."""

from __future__ import annotations

import re

import pytest
from channels.layers import BaseChannelLayer

import live.registry
import live.routing
from core.registry import Registry
from live.coedit_consumer import CoeditConsumer
from live.consumers import ListConsumer, NotFoundConsumer, ObjectConsumer, PersonalConsumer
from live.groups import object_group, recommendation_group, session_group, user_group
from live.registry import ListTopic, ObjectTopic, redact


def subscribe(*args, **kwargs):
    return None


def admits(subscription, event):
    return True


# --- core.registry.Registry -----------------------------------------------------------------
def test_register_returns_the_entry_and_the_same_entry_again_is_a_no_op():
    registry: Registry[object] = Registry("things")
    entry = object()
    assert registry.register("a", entry) is entry
    assert registry.register("a", entry) is entry
    assert len(registry) == 1 and list(registry) == [entry]
    # An equal entry (a frozen dataclass built again, as a re-run ready() does) is the same.
    topic = ObjectTopic(name="thing", route="ws/things/<int:pk>/", subscribe=subscribe)
    registry.register("thing", topic)
    registry.register(
        "thing", ObjectTopic(name="thing", route="ws/things/<int:pk>/", subscribe=subscribe)
    )
    assert len(registry) == 2


def test_another_entry_under_a_taken_name_is_an_error_and_keeps_the_first():
    registry: Registry[object] = Registry("things")
    first = registry.register("a", object())
    with pytest.raises(ValueError, match=r"things: 'a' is registered already"):
        registry.register("a", object())
    assert registry.get("a") is first


def test_registration_order_is_kept():
    registry: Registry[str] = Registry("things")
    for key in ("c", "a", "b"):
        registry.register(key, key.upper())
    registry.register("c", "C")  # idempotent: does not move it
    assert list(registry) == ["C", "A", "B"]
    assert registry.items() == [("c", "C"), ("a", "A"), ("b", "B")]
    registry.unregister("a")
    registry.register("a", "other")  # a free name again
    assert list(registry) == ["C", "B", "other"]
    assert "a" in registry and "z" not in registry and registry.get("z", "-") == "-"


# --- redactors ------------------------------------------------------------------------------
def test_redact_applies_every_redactor_in_registration_order(monkeypatch):
    registry: Registry = Registry("event redactors")
    calls = []

    def drop_hidden(user, obj, messages):
        calls.append(("drop_hidden", user, obj, [m["id"] for m in messages]))
        return [m for m in messages if not m.get("hidden")]

    def mark_read(user, obj, messages):
        calls.append(("mark_read", user, obj, [m["id"] for m in messages]))
        return [m | {"read": True} for m in messages]

    registry.register("drop", drop_hidden)
    registry.register("mark", mark_read)
    monkeypatch.setattr(live.registry, "redactors", registry)
    messages = [{"id": 1}, {"id": 2, "hidden": True}, {"id": 3}]
    assert redact("user", "rec", messages) == [{"id": 1, "read": True}, {"id": 3, "read": True}]
    # Each gets what the previous one returned.
    assert calls == [
        ("drop_hidden", "user", "rec", [1, 2, 3]),
        ("mark_read", "user", "rec", [1, 3]),
    ]


def test_redact_without_redactors_returns_the_messages(monkeypatch):
    monkeypatch.setattr(live.registry, "redactors", Registry("event redactors"))
    messages = [{"id": 1}]
    assert redact(None, None, messages) == [{"id": 1}]


# --- routing --------------------------------------------------------------------------------
def test_one_route_per_registered_topic_at_the_documented_paths():
    *patterns, last = live.routing.websocket_urlpatterns()
    assert len(patterns) == len(live.routing.topics) + len(live.routing.documents)
    # The last route refuses every other path cleanly (close 4404, never a server error).
    assert last.callback.consumer_class is NotFoundConsumer and str(last.pattern) == ""
    routes = {str(p.pattern): p.callback.consumer_class for p in patterns}
    assert set(routes) == {
        "ws/recommendations/<int:pk>/",
        "ws/overview/",
        "ws/organisations/<int:pk>/",  # commitments (docs/realtime.md)
        "ws/followup/",
        "ws/notifications/",
        "ws/recommendations/<int:pk>/text/",
    }
    text = routes["ws/recommendations/<int:pk>/text/"]
    assert issubclass(text, CoeditConsumer)
    assert text.document is live.routing.documents.get("recommendation")
    recommendation = routes["ws/recommendations/<int:pk>/"]
    assert issubclass(recommendation, ObjectConsumer)
    assert recommendation.topic is live.routing.topics.get("recommendation")
    assert issubclass(routes["ws/overview/"], ListConsumer)
    assert routes["ws/overview/"].topic.name == "overview"
    assert issubclass(routes["ws/notifications/"], PersonalConsumer)


def test_the_object_route_takes_an_integer_pk_only():
    (route,) = [
        p
        for p in live.routing.websocket_urlpatterns()
        if str(p.pattern) == "ws/recommendations/<int:pk>/"
    ]
    assert route.resolve("ws/recommendations/12/").kwargs == {"pk": 12}
    for path in ("ws/recommendations/abc/", "ws/recommendations/-1/", "ws/recommendations/"):
        assert route.resolve(path) is None


def test_routes_follow_the_registry(monkeypatch):
    registry: Registry = Registry("live topics")
    registry.register(
        "thing", ObjectTopic(name="thing", route="ws/things/<int:pk>/", subscribe=subscribe)
    )
    registry.register(
        "feed", ListTopic(name="feed", route="ws/feed/", subscribe=subscribe, admits=admits)
    )
    monkeypatch.setattr(live.routing, "topics", registry)
    monkeypatch.setattr(live.routing, "documents", Registry("co-edited documents"))
    *patterns, last = live.routing.websocket_urlpatterns()
    assert [str(p.pattern) for p in patterns] == ["ws/things/<int:pk>/", "ws/feed/"]
    assert last.callback.consumer_class is NotFoundConsumer
    consumers = [p.callback.consumer_class for p in patterns]
    assert [c.__name__ for c in consumers] == ["ThingObjectConsumer", "FeedListConsumer"]
    assert [c.topic.name for c in consumers] == ["thing", "feed"]


# --- group names ----------------------------------------------------------------------------
def test_group_names_are_built_from_integers():
    assert recommendation_group(12) == "recommendation.12"
    assert recommendation_group("12") == "recommendation.12"
    assert object_group("recommendation", "7") == "recommendation.7"
    assert user_group("3") == "user.3"


@pytest.mark.parametrize("bad", ["abc", "12; drop", "1.2", "", "12/../13"])
def test_a_non_numeric_key_is_refused(bad):
    with pytest.raises(ValueError):
        recommendation_group(bad)
    with pytest.raises(ValueError):
        user_group(bad)


def test_session_group_never_contains_the_session_key():
    key = "zq8x1v3k9mrt7wyp2hs5uj4nlc6bg0ex"  # 32 characters, as Django's
    group = session_group(key)
    assert key not in group
    assert re.fullmatch(r"session\.[0-9a-f]{40}", group)
    assert session_group(key) == group  # the same for every process
    assert session_group(key[:-1] + "y") != group


def test_every_group_name_is_valid_for_the_channel_layers():
    layer = BaseChannelLayer()
    for name in (
        recommendation_group(10**12),
        user_group(10**12),
        session_group("k" * 40),
        object_group("recommendation", 1),
    ):
        assert layer.require_valid_group_name(name)
