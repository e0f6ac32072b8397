"""The WebSocket handshake's origin check: scheme, host and port, like a browser's same-origin.

Channels' ``AllowedHostsOriginValidator`` compares the Origin's host with ``ALLOWED_HOSTS``
only, so ``http://127.0.0.1:9999`` or ``https://127.0.0.1`` passed for a workspace served on
``http://127.0.0.1:8000``, with the victim's cookie. Here an Origin is accepted only when it is
exactly the origin the socket was opened on (the scheme of the connection, or of the trusted
proxy's ``X-Forwarded-Proto``, and the ``Host`` header, which must be an allowed host) or one
of ``CSRF_TRUSTED_ORIGINS``, the same list Django trusts for unsafe HTTP requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin (default port filled in), or None if malformed."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.username or parts.password:
        return None
    return (parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme])


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _is_secure(scope: dict[str, Any]) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, secure_value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = _header(scope, name)
        return value is not None and value.split(",")[0].strip() == secure_value
    return False


def allowed_origins(scope: dict[str, Any]) -> set[tuple[str, str, int]]:
    """The origins a handshake may come from: its own, and the configured trusted ones."""
    allowed = {o for o in map(normalise, settings.CSRF_TRUSTED_ORIGINS) if o is not None}
    host = _header(scope, b"host")
    if host:
        domain, _port = split_domain_port(host)
        if domain and validate_host(domain, settings.ALLOWED_HOSTS):
            own = normalise(f"{'https' if _is_secure(scope) else 'http'}://{host}")
            if own is not None:
                allowed.add(own)
    return allowed


def origin_allowed(scope: dict[str, Any]) -> bool:
    origin = _header(scope, b"origin")
    if origin is None:
        return False  # browsers always send one; a missing Origin is not a browser page of ours
    wanted = normalise(origin)
    return wanted is not None and wanted in allowed_origins(scope)


class OriginValidator:
    """ASGI middleware: refuse a WebSocket handshake (HTTP 403) from any other origin."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
