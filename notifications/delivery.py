"""The outbox: composing each e-mail once (with its key), handing it to the worker, sending it
with retries and back-off, and the signed one-click unsubscribe links.

Delivery is at least once: a message is marked sent when the mail server accepted it; a worker
that crashes between the two leaves it "sending", and ``retry_stalled`` sends that one again
later. The ``Message-ID`` is derived from the key, so a receiving server can drop the copy.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import OutgoingMail

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=90)
MAX_ATTEMPTS = 8
STALLED_AFTER = timedelta(minutes=15)


def absolute(path: str) -> str:
    return urljoin(settings.WORKSPACE_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def base_parts() -> tuple[str, str]:
    """(scheme, host[:port]) of WORKSPACE_BASE_URL, for Django's own e-mail templates."""
    parts = urlsplit(settings.WORKSPACE_BASE_URL)
    return parts.scheme or "http", parts.netloc or "127.0.0.1:8000"


def language_of(user: Any) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failure, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


# --- unsubscribe -----------------------------------------------------------------------------
def unsubscribe_token(user: Any, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind or "all"); ``signing.BadSignature`` (or ``SignatureExpired``) if forged."""
    data = signing.loads(str(token)[:300], salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("malformed")
    return data["u"], str(data.get("k", "all"))


def unsubscribe_url(user: Any, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


# --- composing -------------------------------------------------------------------------------
def compose(
    *,
    key: str,
    to: str,
    user: Any,
    template: str,
    context: dict[str, Any],
    unsubscribe_kind: str | None = None,
    language: str | None = None,
) -> OutgoingMail | None:
    """Write the message once (plain text and HTML, in the reader's language) and queue it;
    None if a message with this key exists already (nothing is sent twice)."""
    if OutgoingMail.objects.filter(key=key).exists():
        return None
    headers: dict[str, str] = {}
    context = {**context, "site_url": absolute("/")}
    if unsubscribe_kind and user is not None:
        url = unsubscribe_url(user, unsubscribe_kind)
        context["unsubscribe_url"] = url
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(language or language_of(user)):
        subject = render_to_string(f"{template}_subject.txt", context).strip().replace("\n", " ")
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return _store(
        key=key, to=to, user=user, subject=subject[:300], text=text, html=html, headers=headers
    )


def compose_raw(
    *,
    key: str,
    to: str,
    user: Any,
    subject_template: str,
    text_template: str,
    context: dict[str, Any],
) -> OutgoingMail | None:
    """A message from Django's own templates (the password reset), in the person's language."""
    with translation.override(language_of(user)):
        subject = "".join(render_to_string(subject_template, context).splitlines())
        text = render_to_string(text_template, context)
    return _store(key=key, to=to, user=user, subject=subject, text=text, html="", headers={})


def _store(**fields: Any) -> OutgoingMail | None:
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, run_after: Any = None) -> None:
    from .tasks import deliver

    try:
        (deliver.using(run_after=run_after) if run_after else deliver).enqueue(mail_id)
    except Exception:  # the queue is the database: if it is down the retry sweep picks it up
        logger.exception("mail %s not queued", mail_id)


def enqueue_notifications(ids: list[int]) -> None:
    from .tasks import mail_notifications

    try:
        mail_notifications.enqueue(ids)
    except Exception:
        logger.exception("notification mails %s not queued", ids)


def enqueue_invitation(invitation_id: int) -> None:
    from .tasks import mail_invitation

    try:
        mail_invitation.enqueue(invitation_id)
    except Exception:
        logger.exception("invitation %s not queued", invitation_id)


# --- sending ---------------------------------------------------------------------------------
def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    domain = settings.WORKSPACE_MAIL_DOMAIN
    safe_key = "".join(c if c.isalnum() or c in "-." else "." for c in mail.key)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={
            **mail.headers,
            "Message-ID": f"<{safe_key}.{mail.pk}@{domain}>",
            "X-Workspace-Key": mail.key,
        },
        connection=get_connection(),
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def deliver(mail_id: int) -> str:
    """Send one queued message: claim it, hand it to the mail server, mark it sent. On failure
    it is retried later with back-off (the attempt and the error recorded), up to
    ``MAX_ATTEMPTS``. Returns the message's state."""
    now = timezone.now()
    with transaction.atomic():
        claimed = OutgoingMail.objects.filter(pk=mail_id, state=OutgoingMail.State.PENDING).update(
            state=OutgoingMail.State.SENDING, next_attempt_at=now
        )
    mail = OutgoingMail.objects.select_related("user").filter(pk=mail_id).first()
    if mail is None or not claimed:
        return mail.state if mail else "missing"
    if mail.user is not None and not mail.user.is_active:
        OutgoingMail.objects.filter(pk=mail.pk).update(
            state=OutgoingMail.State.FAILED, last_error="the recipient's account is deactivated"
        )
        return OutgoingMail.State.FAILED
    try:
        _message(mail).send()
    except Exception as exc:
        attempts = mail.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        retry_at = timezone.now() + backoff(attempts)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            state=OutgoingMail.State.FAILED if failed else OutgoingMail.State.PENDING,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=None if failed else retry_at,
        )
        logger.warning("mail %s not sent (attempt %s): %s", mail.key, attempts, exc)
        if not failed:
            _enqueue(mail.pk, run_after=retry_at)
        return OutgoingMail.State.FAILED if failed else OutgoingMail.State.PENDING
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=OutgoingMail.State.SENT,
        sent_at=timezone.now(),
        attempts=mail.attempts + 1,
        last_error="",
    )
    return OutgoingMail.State.SENT


def retry_stalled(now: Any = None) -> int:
    """Queue again what waits longer than it should: a retry whose task was lost, a message a
    crashed worker left "sending". Run by ``send_digests`` (hourly)."""
    now = now or timezone.now()
    stalled = OutgoingMail.objects.filter(
        state=OutgoingMail.State.SENDING, next_attempt_at__lt=now - STALLED_AFTER
    )
    stalled.update(state=OutgoingMail.State.PENDING)
    late = now - STALLED_AFTER
    due = list(
        OutgoingMail.objects.filter(state=OutgoingMail.State.PENDING)
        .filter(Q(next_attempt_at__lt=late) | Q(next_attempt_at__isnull=True, created_at__lt=late))
        .values_list("pk", flat=True)
    )
    for pk in due:
        _enqueue(pk)
    return len(due)
