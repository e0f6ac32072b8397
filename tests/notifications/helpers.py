"""Set-ups shared by the notification tests and the query-count tests."""

from notifications.models import Notification


def fill_notifications(user, rec, comment, n: int) -> None:
    """``n`` unread comment notifications of ``comment`` for ``user``, in one insert."""
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="comment",
            verb="commented",
            recommendation=rec,
            comment=comment,
            actor=comment.author,
        )
        for _ in range(n)
    )
