"""The WebSocket routes, one per registered topic (read once the apps are ready)."""

from __future__ import annotations

from django.urls import URLPattern, path

from .consumers import consumer_for
from .registry import topics


def websocket_urlpatterns() -> list[URLPattern]:
    return [path(topic.route, consumer_for(topic).as_asgi()) for topic in topics]
