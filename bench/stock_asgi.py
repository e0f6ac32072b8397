"""The framework's floor for bench/ws_fanout.py: a stock Channels consumer, as in the docs.

HTTP is the workspace's own Django application, so a change is the very same write
(``PATCH /api/recommendations/<id>/``, saved, then broadcast with ``group_send`` on commit
before the response). WebSockets go through the same stack as the workspace
(``AllowedHostsOriginValidator`` and ``AuthMiddlewareStack``: the session is loaded on each
handshake) to a stock ``AsyncJsonWebsocketConsumer`` that joins the recommendation's group in
``connect`` and ``send_json``s each event: no permission check, no presence, no extra groups,
Channels' own ``dispatch``. The layer is Channels' ``InMemoryChannelLayer`` or the same
channels_redis configuration as the workspace (``bench/stock_settings.py``).
Only for the benchmark: never part of the deployed application.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.stock_settings"
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402


class StockConsumer(AsyncJsonWebsocketConsumer):
    """Joins the group on connect and forwards each group message with ``send_json``."""

    async def connect(self) -> None:
        self.group = f"recommendation.{int(self.scope['url_route']['kwargs']['pk'])}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_event(self, message: dict) -> None:
        await self.send_json(message["event"])


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter([path("ws/recommendations/<int:pk>/", StockConsumer.as_asgi())])
            )
        ),
    }
)
