"""The demo's endorsements and published edition: varied, verifiable, and the same after a
second run of seed_demo."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from accounts.models import User
from publication.models import Edition, EditionEntry, Endorsement
from publication.selectors import reconfirm_prompts
from recommendations import services
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(
            Endorsement.objects.values_list(
                "recommendation__title",
                "organisation__slug",
                "version",
                "statement",
                "withdrawn_at",
            )
        ),
        list(Edition.objects.values_list("title", "number", "published_at", "sha256", "markdown")),
        list(EditionEntry.objects.values_list("edition__number", "position", "title", "version")),
        sorted(Recommendation.objects.values_list("title", "status", "final_version")),
    )


def test_seed_twice_gives_the_same_endorsements_and_edition():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


def test_seed_endorses_from_several_kinds_and_publishes_one_verifiable_edition():
    call_command("seed_demo")
    kinds = set(Endorsement.objects.live().values_list("organisation__kind", flat=True))
    assert {
        "city",
        "region",
        "state",
        "civil_society",
        "international_organisation",
        "donor",
    } <= kinds
    edition = Edition.objects.get()
    assert edition.number == 1
    assert edition.sha256 == hashlib.sha256(edition.markdown.encode("utf-8")).hexdigest()
    titles = set(edition.entries.values_list("title", flat=True))
    assert "Small-scale accommodation before large reception centres" in titles
    assert len(titles) == Recommendation.objects.filter(status="final").count() >= 3
    assert any(entry.endorsements for entry in edition.entries.all())


def test_seed_prepares_the_reconfirm_prompt_for_tangier_and_tunis():
    call_command("seed_demo")
    rec = Recommendation.objects.get(title="Access to basic services regardless of status")
    assert (rec.status, rec.approved_version, rec.version) == ("approved", 2, 3)
    tangier, tunis = User.objects.get(username="tangier"), User.objects.get(username="tunis")
    assert reconfirm_prompts(tangier) == []
    services.approve_version(rec, version=3, actor=User.objects.get(username="moderator"))
    for user, slug in ((tangier, "tangier"), (tunis, "tunis")):
        prompts = reconfirm_prompts(user)
        assert [(p.recommendation_id, p.organisation.slug, p.version) for p in prompts] == [
            (rec.pk, slug, 2)
        ]
