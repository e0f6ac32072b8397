"""Work done off the request path by the task worker (``django-tasks``, database queue):
sending each message, writing the immediate e-mails of new notifications, invitations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django_tasks import task

from accounts.invitations import token_for
from accounts.models import Invitation

from . import delivery, display
from .access import accessible
from .models import Notification


@task()
def deliver(mail_id: int) -> str:
    return delivery.deliver(mail_id)


@task()
def mail_notifications(notification_ids: list[int]) -> int:
    """The immediate e-mails of these notifications, each checked again now (the one access
    check): one the reader may no longer see is left out, never sent."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, mail=Notification.Mail.PENDING)
        .select_related("recipient", "actor", "organisation", "recommendation", "comment")
        .order_by("pk")
    )
    written = 0
    by_user: dict[int, list[Notification]] = {}
    for n in pending:
        by_user.setdefault(n.recipient_id, []).append(n)
    user_model = get_user_model()
    for user_id, items in by_user.items():
        user = user_model.objects.filter(pk=user_id).first()
        kept, _left_out = accessible(user, items)
        kept_ids = {n.pk for n in kept}
        left = [n.pk for n in items if n.pk not in kept_ids]
        if left:
            Notification.objects.filter(pk__in=left).update(mail=Notification.Mail.LEFT_OUT)
        for n in kept:
            if not user.email:
                Notification.objects.filter(pk=n.pk).update(mail="")
                continue
            with translation.override(delivery.language_of(user)):
                context = {
                    "user": user,
                    "notification": n,
                    "text": display.text(n),
                    "url": delivery.absolute(display.path(n)),
                    "comment_text": _comment_text(n),
                }
            delivery.compose(
                key=f"notification:{n.pk}",
                to=user.email,
                user=user,
                template="notifications/email/notification",
                context=context,
                unsubscribe_kind=n.kind,
            )
            Notification.objects.filter(pk=n.pk).update(
                mail=Notification.Mail.SENT, mailed_at=timezone.now()
            )
            written += 1
    return written


def _comment_text(n: Notification) -> str:
    """The comment's own words, for the e-mail (never a hidden one's: the access check has
    left those out already, and this checks again)."""
    comment = n.comment
    if comment is None or comment.hidden:
        return ""
    return comment.body


@task()
def mail_invitation(invitation_id: int) -> bool:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return False
    from django.urls import reverse

    url = delivery.absolute(reverse("invitation_accept", args=[token_for(invitation)]))
    mail = delivery.compose(
        key=f"invitation:{invitation.pk}",
        to=invitation.email,
        user=None,
        template="notifications/email/invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "url": url,
            "expires_at": invitation.expires_at,
        },
        language=invitation.language or None,
    )
    return mail is not None
