"""50 simultaneous attempts on one object, each thread with its own database connection: the
recommendation (or edition) row lock decides, exactly one succeeds, the others get 409."""

from __future__ import annotations

from core.models import Activity
from publication import services as publication
from publication.models import Edition, EditionEntry, Endorsement
from recommendations import services
from recommendations.models import Event, Recommendation
from tests.helpers import run_together
from tests.publication.helpers import approved, final


def test_fifty_simultaneous_endorsements_by_one_organisation_exactly_one_succeeds(
    committed_db, drafter, moderator, representative, lead_org
):
    rec = approved(drafter, moderator)
    seq = Recommendation.objects.get(pk=rec.pk).last_event_seq

    def endorse(i):
        try:
            publication.endorse(
                Recommendation.objects.get(pk=rec.pk),
                organisation=lead_org,
                statement=f"attempt {i}",
                actor=representative,
            )
            return "ok"
        except services.Conflict:
            return "conflict"

    results = run_together(50, endorse)
    assert results.count("ok") == 1 and results.count("conflict") == 49
    assert Endorsement.objects.filter(recommendation=rec).count() == 1
    assert Activity.objects.filter(recommendation=rec, verb="endorsed").count() == 1
    assert Event.objects.filter(recommendation=rec, seq__gt=seq).count() == 1


def test_fifty_simultaneous_publications_of_one_edition_exactly_one_succeeds(
    committed_db, drafter, moderator, secretariat
):
    final(drafter, moderator, secretariat, title="Final one")
    edition = publication.create_edition(title="Beirut", preamble="Intro.", actor=secretariat)

    def publish(_i):
        try:
            publication.publish_edition(Edition.objects.get(pk=edition.pk), actor=secretariat)
            return "ok"
        except services.Conflict:
            return "conflict"

    results = run_together(50, publish)
    assert results.count("ok") == 1 and results.count("conflict") == 49
    edition.refresh_from_db()
    assert edition.number == 1 and EditionEntry.objects.filter(edition=edition).count() == 1
    assert Activity.objects.filter(verb="edition_published").count() == 1


def test_two_secretariat_members_confirming_the_same_draft_at_once_make_one_edition(
    committed_db, drafter, moderator, secretariat
):
    """Two people confirmed what they saw (1 recommendation, 1 warning) and press Publish at
    the same moment: one edition, with one PDF; the other is told it is published already."""
    from accounts.models import SECRETARIAT
    from tests.factories import with_role

    colleague = with_role(SECRETARIAT, "secretariat-2")
    rec = final(drafter, moderator, secretariat, title="Final one")
    edition = publication.create_edition(title="Beirut", preamble="Intro.", actor=secretariat)
    publication.choose_recommendations(edition, recommendations=[rec.pk], actor=secretariat)
    people = [secretariat, colleague]

    def publish(i):
        try:
            publication.publish_edition(
                Edition.objects.get(pk=edition.pk),
                actor=people[i % 2],
                confirm_count=1,
                confirm_warnings=1,
            )
            return "ok"
        except services.Conflict:
            return "conflict"

    results = run_together(2, publish)
    assert sorted(results) == ["conflict", "ok"]
    assert Edition.objects.published().count() == 1
    published = Edition.objects.get(pk=edition.pk)
    assert published.number == 1 and published.pdf_sha256
    assert Activity.objects.filter(verb="edition_published").count() == 1
