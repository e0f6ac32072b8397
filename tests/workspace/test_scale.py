"""The conference-scale data set (workspace.scale.build_conference), built small: what people
would see of it is what the services would have made."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from reversion.models import Version

from accounts.models import Membership, Organisation, User
from comments.models import Comment
from recommendations.models import (
    VERSIONED_FIELDS,
    Recommendation,
    Status,
    VersionMeta,
)
from workspace.demo import seed_accounts
from workspace.scale import (
    HISTORY_TITLE,
    SCALE_PREFIX,
    ConferenceAlreadyBuilt,
    build_conference,
    conference_facts,
)

pytestmark = pytest.mark.django_db

SIZES = {"people": 20, "organisations": 5, "recommendations": 50, "comments": 200, "versions": 12}


@pytest.fixture
def made():
    seed_accounts("demo")  # the demo's themes, organisations and people
    return build_conference(**SIZES)


def scale_recs():
    return Recommendation.objects.filter(lead_organisation__slug__startswith=SCALE_PREFIX)


def member_of(org: Organisation) -> User:
    return Membership.objects.filter(organisation=org).select_related("user").first().user


def test_the_counts_are_what_was_asked_and_it_is_built_once(made):
    orgs = Organisation.objects.filter(slug__startswith=SCALE_PREFIX)
    assert orgs.count() == made["organisations"] == 5
    assert len(set(orgs.values_list("kind", flat=True))) > 1
    people = User.objects.filter(username__startswith=SCALE_PREFIX)
    assert people.count() == made["people"] == 20
    for person in people:  # one organisation each, in its permission group
        (membership,) = person.memberships.select_related("organisation")
        assert list(person.groups.all()) == [membership.organisation.group]
    assert scale_recs().count() == made["recommendations"] == 50
    assert Comment.objects.filter(recommendation__in=scale_recs()).count() == 200
    assert made["comments"] == 200
    history = Recommendation.objects.get(pk=made["history_recommendation"])
    assert history.title == HISTORY_TITLE and history.version == 12
    assert VersionMeta.objects.filter(recommendation=history).count() == 12
    assert Version.objects.get_for_object(history).count() == 12
    statuses = set(scale_recs().values_list("status", flat=True))
    assert {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED} <= statuses
    assert conference_facts()["history_recommendation"] == history.pk
    # Built once: a second build, or seed_demo --scale, is refused.
    with pytest.raises(ConferenceAlreadyBuilt):
        build_conference(**SIZES)
    with pytest.raises(CommandError, match="already"):
        call_command("seed_demo", scale=True)


def test_drafts_are_seen_by_their_drafting_organisations_only(made):
    drafts = list(scale_recs().filter(status=Status.DRAFT).select_related("lead_organisation"))
    assert drafts
    orgs = list(Organisation.objects.filter(slug__startswith=SCALE_PREFIX))
    for org in orgs:
        person = member_of(org)
        seen = set(Recommendation.objects.visible_to(person).values_list("pk", flat=True))
        for draft in drafts:
            drafting = {draft.lead_organisation_id, *draft.co_drafters.values_list("pk", flat=True)}
            assert (draft.pk in seen) == (org.pk in drafting), (org.slug, draft.pk)
        # What was submitted is seen by everyone.
        submitted = scale_recs().filter(submitted_at__isnull=False)
        assert set(submitted.values_list("pk", flat=True)) <= seen
    observer = User.objects.get(username="observer")
    assert not Recommendation.objects.visible_to(observer).filter(status=Status.DRAFT).exists()


def test_history_and_compare_pages_of_the_many_version_text(made, client):
    rec = Recommendation.objects.get(pk=made["history_recommendation"])
    drafting = {rec.lead_organisation_id, *rec.co_drafters.values_list("pk", flat=True)}
    reader = member_of(
        Organisation.objects.filter(slug__startswith=SCALE_PREFIX).exclude(pk__in=drafting)[0]
    )
    client.force_login(reader)
    page = client.get(f"/recommendations/{rec.pk}/history/")
    assert page.status_code == 200
    listed = re.findall(r'data-version="(\d+)"', page.content.decode())
    assert sorted(map(int, listed)) == list(range(1, 13))
    compare = client.get(f"/recommendations/{rec.pk}/compare/?from=1&to=12")
    assert compare.status_code == 200
    assert re.search(r"diff-(changed|added|removed|moved)", compare.content.decode())
    # Each version's text differs from the one before it.
    bodies = [v.body for v in VersionMeta.objects.with_text().filter(recommendation=rec)]
    assert all(a != b for a, b in itertools.pairwise(bodies))


def test_rows_are_as_the_services_write_them(made):
    rec = Recommendation.objects.get(pk=made["history_recommendation"])
    version = Version.objects.get_for_object(rec).first()  # the newest
    serialized = serializers.serialize("json", [rec], fields=list(VERSIONED_FIELDS))
    assert json.loads(version.serialized_data) == json.loads(serialized)
    newest = VersionMeta.objects.get(recommendation=rec, number=rec.version)
    assert newest.body_html == rec.body_html and newest.paragraphs == rec.paragraphs
    for rec in scale_recs():
        assert rec.created_at <= rec.updated_at
        assert (rec.submitted_at is None) == (rec.status == Status.DRAFT) or (
            rec.status == Status.WITHDRAWN
        )
        if rec.approved_version:
            assert rec.submitted_at <= rec.approved_at
        keys = {p["key"] for p in rec.paragraphs}
        for comment in rec.comments.select_related("parent"):
            assert comment.created_at >= rec.created_at
            assert comment.anchor == "" or comment.anchor in keys or rec.version > 1
            if comment.parent is not None:
                assert comment.parent.created_at <= comment.created_at
                assert comment.anchor == comment.parent.anchor
