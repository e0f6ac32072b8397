"""Demo comments: realistic threads on the open demo recommendations, made once."""

from __future__ import annotations

import pytest

from comments.demo import THREADS, seed_comments
from comments.models import Comment, CommentResponse
from workspace.demo import seed_accounts, seed_recommendations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    seed_accounts()
    seed_recommendations()


def test_seed_comments_makes_threads_with_a_reply_a_response_and_a_resolved_one(demo):
    assert seed_comments() == len(THREADS)
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(status="resolved").exists()
    assert CommentResponse.objects.filter(status="partly_accepted").exists()
    quoted = Comment.objects.exclude(quote="").first()
    assert quoted.anchor and quoted.quote == "main languages of arrival"
    assert Comment.objects.filter(anchor="", parent=None).exists()  # a general comment


def test_seed_comments_twice_changes_nothing(demo):
    seed_comments()
    before = sorted(Comment.objects.values_list("pk", "body", "status"))
    assert seed_comments() == 0
    assert sorted(Comment.objects.values_list("pk", "body", "status")) == before


def test_seed_comments_skips_what_is_missing_or_closed(db):
    assert seed_comments() == 0
    assert not Comment.objects.exists()
