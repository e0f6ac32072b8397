"""ASGI entry point: HTTP through Django, WebSockets through Channels.

What an HTTP request sends to live groups goes out after its response (live.broadcast). Its
views run on a fixed set of threads that keep their database connections (workspace.handlers).

WebSockets pass the origin check (scheme, host and port: live.security) and session
authentication; each
consumer then checks the user's permission on its object before accepting.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")

from django.conf import settings

from workspace.handlers import get_asgi_application

django_asgi_app = get_asgi_application(settings.WORKSPACE_VIEW_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from accounts.middleware import TwoFactorSocketGate  # noqa: E402
from live.broadcast import AfterResponse  # noqa: E402
from live.routing import websocket_urlpatterns  # noqa: E402
from live.security import OriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": AfterResponse(django_asgi_app),
        "websocket": OriginValidator(
            AuthMiddlewareStack(TwoFactorSocketGate(URLRouter(websocket_urlpatterns())))
        ),
    }
)
