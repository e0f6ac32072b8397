"""Demo data of notifications. Idempotent; called by ``seed_demo`` inside its transaction.

The demo's own actions (comments, replies, responses, approvals...) already notify people
once they commit, through the services, as in real use. Here: every demo person gets an
address at example.org (so that ``make run`` shows the e-mails in ``var/mail/``), and, after
the commit, Lyon comments on a recommendation Beirut co-drafts and mentions Beirut, so that
Beirut's bell shows unread notifications at the first login.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from comments import services as comment_services
from comments.models import Comment
from recommendations.models import Recommendation, Status

from .models import Notification

DEMO_TITLE = "Plan social housing with the people who will live in it"
DEMO_COMMENT = (
    "Lyon's neighbourhood councils could help here: @beirut, would a joint session with "
    "your planning department before the conference be useful?"
)


def seed_notifications() -> int:
    """Returns how many demo addresses were set (the comment follows after commit)."""
    set_count = 0
    for user in User.objects.filter(email=""):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        set_count += 1
    transaction.on_commit(_beirut_has_something_unread)
    return set_count


def _beirut_has_something_unread() -> None:
    beirut = User.objects.filter(username="beirut").first()
    lyon = User.objects.filter(username="lyon").first()
    rec = Recommendation.objects.filter(title=DEMO_TITLE, status=Status.IN_REVIEW).first()
    if beirut is None or lyon is None or rec is None:
        return
    if Comment.objects.filter(recommendation=rec, author=lyon, body=DEMO_COMMENT).exists():
        return
    if Notification.objects.filter(recipient=beirut, read_at__isnull=True).count() >= 3:
        return
    comment_services.post_comment(rec, actor=lyon, body=DEMO_COMMENT)
