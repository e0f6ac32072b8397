"""Sign-ins, failed sign-ins and lock-outs in the audit log (``core.activity``), with the
address of the request (recorded by ``core.middleware``)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed

from core.activity import record_activity

MAX_USERNAME = 150


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_activity(None, actor=user, verb="signed_in", role="participant")


def _failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:MAX_USERNAME]
    record_activity(None, actor=None, verb="sign_in_failed", role="anonymous", username=username)


def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    record_activity(
        None,
        actor=None,
        verb="locked_out",
        role="anonymous",
        username=str(username or "")[:MAX_USERNAME],
    )


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.audit.signed_in")
    user_login_failed.connect(_failed, dispatch_uid="accounts.audit.failed")
    user_locked_out.connect(_locked_out, dispatch_uid="accounts.audit.locked_out")
