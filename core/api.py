"""The one API error handler: service errors mapped to HTTP, in one JSON shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict, StepUpRequired
from .ratelimit import RateLimited, hit_by_person

# The schema of every error answer: {"detail": "..."} (field errors name their fields).
ERROR = inline_serializer("Error", {"detail": serializers.CharField()})


def valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated data of ``data``, or a 400 naming each bad field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError as 400 with field messages and a
    service's Conflict as 409 with its message and what the client needs to recover."""
    if isinstance(exc, RateLimited):
        response = Response({"detail": exc.message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, **exc.payload}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StepUpRequired):
        return Response(
            {"detail": exc.message, "code": exc.code, "verify_url": exc.verify_url},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, ValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class TokenUseThrottle(BaseThrottle):
    """Requests made with an API token count against their person's ``api-token`` limit
    (sessions in the browser are limited where they act: posting, reporting, endorsing)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if isinstance(request.auth, Token):
            hit_by_person("api-token", request.user)  # raises RateLimited -> 429
        return True
