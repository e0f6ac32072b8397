"""``core.users.unwrapped``: the discussion asks the viewer's rights of the user itself."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from comments.display import Viewer
from core.users import unwrapped
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def test_the_lazy_user_is_unwrapped_whether_or_not_it_was_read(drafter):
    loads = []

    def load():
        loads.append(1)
        return drafter

    lazy = SimpleLazyObject(load)
    assert unwrapped(lazy) is drafter and loads == [1]  # read now, once
    assert unwrapped(lazy) is drafter and loads == [1]
    anonymous = AnonymousUser()
    assert unwrapped(SimpleLazyObject(lambda: anonymous)) is anonymous
    assert unwrapped(drafter) is drafter and unwrapped(None) is None


def test_the_viewer_of_a_discussion_is_the_user_itself(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    viewer = Viewer.of(SimpleLazyObject(lambda: other_participant), rec)
    assert type(viewer.user) is type(other_participant) and viewer.user.pk == other_participant.pk
    assert viewer.can_comment and not viewer.is_drafter
    assert Viewer.of(SimpleLazyObject(lambda: drafter), rec).is_drafter
