"""The demo's follow-up: profiles and pilot projects of the cities, a dozen public commitments
in the published edition (its Markdown hashing to the published value), a few with progress;
the same after a second run of seed_demo."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from commitments.demo import PILOTS
from commitments.models import Commitment, PilotProject, ProfileRevision, ProgressUpdate
from publication.models import Edition

pytestmark = pytest.mark.django_db


def test_the_demo_has_profiles_pilots_and_a_dozen_commitments_in_the_edition(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    edition = Edition.objects.published().get()
    assert edition.sha256 == hashlib.sha256(edition.markdown.encode()).hexdigest()
    snapshot = edition.sections["commitments.by_kind"]
    frozen = sum(len(g["items"]) for rec in snapshot for g in rec["kinds"])
    assert frozen == 12 == Commitment.objects.public().count()
    kinds = {g["kind"] for rec in snapshot for g in rec["kinds"]}
    assert {"city", "state", "civil_society", "donor", "international_organisation"} <= kinds
    assert Commitment.objects.filter(is_public=False).count() == 1
    assert ProgressUpdate.objects.values("commitment").distinct().count() >= 3
    assert ProgressUpdate.objects.filter(verified_at__isnull=False).exists()
    assert set(Commitment.objects.values_list("status", flat=True)) >= {
        "not_started",
        "in_progress",
        "done",
        "dropped",
    }
    assert Commitment.objects.overdue().count() == 2
    assert ProfileRevision.objects.values("organisation").distinct().count() == 9
    assert set(PilotProject.objects.values_list("organisation__slug", flat=True)) == set(PILOTS)
    pilots = dict(PilotProject.objects.values_list("organisation__slug", "theme__slug"))
    assert pilots["lisbon"] == "social-inclusion" and pilots["lyon"] == (
        "inter-institutional-coordination"
    )

    before = (
        sorted(Commitment.objects.values_list("pk", "status", "version")),
        ProgressUpdate.objects.count(),
        ProfileRevision.objects.count(),
        edition.sha256,
    )
    call_command("seed_demo")
    after = (
        sorted(Commitment.objects.values_list("pk", "status", "version")),
        ProgressUpdate.objects.count(),
        ProfileRevision.objects.count(),
        Edition.objects.published().get().sha256,
    )
    assert before == after
