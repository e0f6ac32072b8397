"""The person's own socket: only ever joined by that person; notification.created arrives
there (with the unread count) and nowhere else."""

from __future__ import annotations

import pytest

from accounts.services import set_active
from comments import services as comments
from tests.factories import make_recommendation
from tests.live.test_consumers import connect, in_thread, next_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_layer"),
]


async def test_anonymous_cannot_open_the_notifications_socket():
    _, connected, _ = await connect("/ws/notifications/")
    assert not connected


async def test_the_bell_hears_of_a_comment_at_once_and_only_its_owner_does(
    drafter, other_participant
):
    rec = await in_thread(make_recommendation, drafter, status="in_review")
    mine, connected, _ = await connect("/ws/notifications/", drafter)
    assert connected
    theirs, connected, _ = await connect("/ws/notifications/", other_participant)
    assert connected
    # the path names nobody: a query string or a suffix does not open another person's feed
    _, other_path, _ = await connect(f"/ws/notifications/{other_participant.pk}/", drafter)
    assert not other_path
    comment = await in_thread(comments.post_comment, rec, actor=other_participant, body="Hi")
    message = await next_of(mine, "notification.created")
    assert set(message["data"]) == {"id", "kind", "text", "url", "unread_count"}
    assert message["data"]["kind"] == "comment"
    assert message["data"]["unread_count"] == 1
    assert message["data"]["url"].endswith(f"#comment-{comment.pk}")
    assert await theirs.receive_nothing(timeout=0.5)
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_deactivated_person_is_refused(drafter):
    await in_thread(set_active, drafter, False, actor=None)
    _, connected, _ = await connect("/ws/notifications/", drafter)
    assert not connected
