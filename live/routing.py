"""The WebSocket routes, one per registered topic (read once the apps are ready), and a last
route that refuses every other path cleanly (a handshake to ``/ws/recommendations/abc/`` gets
a refusal, not a server error)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from .coedit_consumer import coedit_consumer_for
from .consumers import NotFoundConsumer, consumer_for
from .registry import documents, topics


def websocket_urlpatterns() -> list[URLPattern]:
    routes = [path(doc.route, coedit_consumer_for(doc).as_asgi()) for doc in documents]
    routes += [path(topic.route, consumer_for(topic).as_asgi()) for topic in topics]
    return [*routes, re_path(r"", NotFoundConsumer.as_asgi())]
