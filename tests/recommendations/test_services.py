"""The lifecycle and the no-lost-edit rules, at the service level."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from core.models import Activity
from recommendations import services
from recommendations.models import Event, Status, VersionMeta
from tests.factories import BODY, ThemeFactory, make_recommendation

pytestmark = pytest.mark.django_db


def test_create_makes_version_one_led_by_the_authors_organisation(drafter, lead_org):
    rec = make_recommendation(drafter)
    assert (rec.version, rec.status, rec.lead_organisation) == (1, Status.DRAFT, lead_org)
    v1 = VersionMeta.objects.get(recommendation=rec, number=1)
    assert v1.body == BODY and v1.author == drafter and v1.organisation == lead_org
    assert [p["key"] for p in rec.paragraphs] == v1.paragraph_keys
    assert len(rec.paragraphs) == 3 and "<p>Cities should" in rec.paragraphs[0]["html"]
    assert Activity.objects.get(recommendation=rec).describe() == "Lisbon created version 1"


def test_create_needs_an_organisation(observer):
    with pytest.raises(PermissionDenied):
        make_recommendation(observer)


def test_create_for_an_organisation_one_does_not_belong_to_is_refused(drafter, other_org):
    with pytest.raises(PermissionDenied):
        services.create_recommendation(
            actor=drafter,
            title="x",
            theme=ThemeFactory(),
            addressed_to=["city"],
            body="y",
            organisation=other_org,
        )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": "   "}),
        ("body", {"body": ""}),
        ("addressed_to", {"addressed_to": []}),
        ("addressed_to", {"addressed_to": ["planet"]}),
    ],
)
def test_create_with_bad_input_names_the_field(drafter, field, kwargs):
    data = {"title": "T", "theme": ThemeFactory(), "addressed_to": ["city"], "body": "B"}
    with pytest.raises(ValidationError) as err:
        services.create_recommendation(actor=drafter, **{**data, **kwargs})
    assert field in err.value.message_dict


def test_every_edit_is_a_new_version_with_a_revision(drafter):
    rec = make_recommendation(drafter)
    result = services.edit_recommendation(
        rec, actor=drafter, base_version=1, body=BODY + "\n\nMore.", note="Added a line"
    )
    rec = result.recommendation
    assert rec.version == 2 and result.saved and result.merged_with is None
    versions = Version.objects.get_for_object(rec)
    assert versions.count() == 2  # one revision for the creation, one for the edit
    latest = versions.first()
    assert latest.revision.user == drafter and latest.revision.comment == "Added a line"
    assert "body_html" not in latest.field_dict and latest.field_dict["version"] == 2


def test_unchanged_edit_makes_no_version(drafter):
    rec = make_recommendation(drafter)
    result = services.edit_recommendation(rec, actor=drafter, base_version=1, body=BODY)
    assert not result.saved and result.recommendation.version == 1


def test_paragraph_keys_survive_edits_elsewhere_and_light_edits(drafter):
    rec = make_recommendation(drafter)
    keys = [p["key"] for p in rec.paragraphs]
    body = "A new first paragraph.\n\n" + BODY.replace("single welcome", "single, friendly welcome")
    rec = services.edit_recommendation(rec, actor=drafter, base_version=1, body=body).recommendation
    new_keys = [p["key"] for p in rec.paragraphs]
    assert new_keys[1:] == keys and new_keys[0] not in keys


def test_stale_edit_of_another_paragraph_is_merged(drafter, representative):
    rec = make_recommendation(drafter)
    paragraphs = BODY.split("\n\n")
    mine = "\n\n".join([paragraphs[0] + " Today.", *paragraphs[1:]])
    theirs = "\n\n".join([*paragraphs[:2], paragraphs[2] + " For five years."])
    services.edit_recommendation(rec, actor=representative, base_version=1, body=theirs)
    result = services.edit_recommendation(rec, actor=drafter, base_version=1, body=mine)
    rec = result.recommendation
    assert rec.version == 3 and result.merged_with == 2
    assert "Today." in rec.body and "For five years." in rec.body
    assert Activity.objects.filter(recommendation=rec, verb="merged").get().describe() == (
        "Lisbon saved version 3, merged with version 2"
    )


def test_stale_edit_of_the_same_paragraph_is_refused_without_losing_text(drafter, representative):
    rec = make_recommendation(drafter)
    theirs = BODY.replace("single welcome point", "single welcome office")
    mine = BODY.replace("single welcome point", "one-stop shop")
    services.edit_recommendation(rec, actor=representative, base_version=1, body=theirs)
    with pytest.raises(services.EditConflict) as err:
        services.edit_recommendation(rec, actor=drafter, base_version=1, body=mine)
    rec.refresh_from_db()
    assert rec.version == 2 and rec.body == theirs
    conflict = err.value.payload["conflicts"][0]
    assert "one-stop shop" in conflict["mine"] and "welcome office" in conflict["theirs"]
    assert VersionMeta.objects.filter(recommendation=rec).count() == 2


def test_stale_title_change_on_both_sides_conflicts(drafter, representative):
    rec = make_recommendation(drafter)
    services.edit_recommendation(rec, actor=representative, base_version=1, title="Theirs")
    with pytest.raises(services.EditConflict):
        services.edit_recommendation(rec, actor=drafter, base_version=1, title="Mine")


@pytest.mark.parametrize("base", [0, 5, "abc", None])
def test_edit_with_an_impossible_base_version_is_bad_input(drafter, base):
    rec = make_recommendation(drafter)
    with pytest.raises(ValidationError):
        services.edit_recommendation(rec, actor=drafter, base_version=base, body="x")


def test_restore_makes_a_new_version_with_the_old_text(drafter):
    rec = make_recommendation(drafter, versions=3)
    rec = services.restore_version(rec, actor=drafter, version=1)
    assert rec.version == 4 and rec.body == BODY
    v4 = VersionMeta.objects.get(recommendation=rec, number=4)
    assert v4.restored_from == 1
    assert VersionMeta.objects.filter(recommendation=rec).count() == 4


def test_restore_of_the_current_or_a_missing_version_is_refused(drafter):
    rec = make_recommendation(drafter, versions=2)
    for number in (2, 9):
        with pytest.raises(ValidationError):
            services.restore_version(rec, actor=drafter, version=number)


def test_lifecycle_submit_approve_newer_version_finalise(drafter, moderator, secretariat):
    rec = make_recommendation(drafter)
    rec = services.submit_for_review(rec, actor=drafter)
    assert rec.status == Status.IN_REVIEW and rec.submitted_at
    rec = services.approve_version(rec, version=1, actor=moderator)
    assert (rec.status, rec.approved_version) == (Status.APPROVED, 1)
    rec = services.edit_recommendation(
        rec, actor=drafter, base_version=1, body=BODY + "\n\nX."
    ).recommendation
    assert (rec.version, rec.approved_version, rec.status) == (2, 1, Status.APPROVED)
    rec = services.approve_version(rec, version=2, actor=moderator)
    assert rec.approved_version == 2
    rec = services.edit_recommendation(
        rec, actor=drafter, base_version=2, body=BODY + "\n\nY."
    ).recommendation
    rec = services.finalise_recommendation(rec, actor=secretariat)
    assert rec.status == Status.FINAL and rec.final_version == 2
    sentences = [a.describe() for a in Activity.objects.filter(recommendation=rec).order_by("pk")]
    assert "Lisbon submitted this for review" in sentences
    assert "Moderator approved version 2" in sentences
    assert "Secretariat finalised version 2" in sentences


def test_final_text_is_frozen(drafter):
    rec = make_recommendation(drafter, status="final")
    with pytest.raises(services.Conflict):
        services.edit_recommendation(rec, actor=drafter, base_version=1, body="changed")
    with pytest.raises(services.Conflict):
        services.withdraw_recommendation(rec, reason="late", actor=drafter)


def test_approving_an_older_or_the_same_version_again_conflicts(drafter, moderator):
    rec = make_recommendation(drafter, status="approved", versions=2, moderator=moderator)
    with pytest.raises(services.Conflict):
        services.approve_version(rec, version=2, actor=moderator)
    with pytest.raises(services.Conflict):
        services.approve_version(rec, version=1, actor=moderator)


def test_approving_a_draft_conflicts(drafter, moderator):
    rec = make_recommendation(drafter)
    with pytest.raises(services.Conflict):
        services.approve_version(rec, version=1, actor=moderator)


def test_reject_and_withdraw_need_a_reason(drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    with pytest.raises(ValidationError):
        services.reject_recommendation(rec, reason=" ", actor=moderator)
    with pytest.raises(ValidationError):
        services.withdraw_recommendation(rec, reason="", actor=drafter)
    rec = services.reject_recommendation(rec, reason="Duplicate", actor=moderator)
    assert (rec.status, rec.reason) == (Status.REJECTED, "Duplicate")
    with pytest.raises(services.Conflict):
        services.submit_for_review(rec, actor=drafter)


def test_only_the_lead_organisation_manages_co_drafters(drafter, other_org, other_participant):
    rec = make_recommendation(drafter)
    services.add_co_drafter(rec, organisation=other_org, actor=drafter)
    # The co-drafter can now edit, but cannot invite or remove anyone.
    services.edit_recommendation(rec, actor=other_participant, base_version=1, body=BODY + "\n\nZ.")
    with pytest.raises(PermissionDenied):
        services.remove_co_drafter(rec, organisation=other_org, actor=other_participant)
    services.remove_co_drafter(rec, organisation=other_org, actor=drafter)
    with pytest.raises(PermissionDenied):
        services.edit_recommendation(rec, actor=other_participant, base_version=2, body="gone")


def test_inviting_twice_conflicts_and_the_lead_cannot_be_removed(drafter, lead_org, other_org):
    rec = make_recommendation(drafter, co_drafters=[other_org])
    with pytest.raises(services.Conflict):
        services.add_co_drafter(rec, organisation=other_org, actor=drafter)
    with pytest.raises(ValidationError):
        services.remove_co_drafter(rec, organisation=lead_org, actor=drafter)


def test_events_have_consecutive_seq_per_recommendation(
    drafter, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rec = make_recommendation(drafter, status="approved", versions=2, moderator=moderator)
    events = list(Event.objects.filter(recommendation=rec).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.type for e in events] == [
        "recommendation.created",
        "recommendation.updated",
        "recommendation.status",
        "recommendation.status",
    ]
    rec.refresh_from_db()
    assert rec.last_event_seq == len(events)


def test_a_failed_save_leaves_nothing_half_written(drafter, monkeypatch):
    rec = make_recommendation(drafter)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_on_recommendation", boom)
    with pytest.raises(RuntimeError):
        services.edit_recommendation(rec, actor=drafter, base_version=1, body="New text")
    rec.refresh_from_db()
    assert rec.version == 1 and rec.body == BODY
    assert VersionMeta.objects.filter(recommendation=rec).count() == 1
    assert Event.objects.filter(recommendation=rec).count() == 1
