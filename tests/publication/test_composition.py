"""Composing an edition safely: the secretariat chooses which final recommendations go in and
their order (within each theme), sees a warning for each risky one, confirms the count and
the warnings it saw, writes an introduction; a correction is a new edition saying what it
corrects; the PDF is stored with the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments import services as comments
from core.errors import Conflict
from publication import services as publication
from publication.models import Edition, EditionEntry
from tests.factories import make_recommendation
from tests.matrix import PAGE, Request, client_for, send
from tests.publication.helpers import final, org_with_rep, publish, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def finals(drafter, moderator, secretariat, representative, lead_org):
    inclusion = theme("social-inclusion", "Social inclusion", 0)
    education = theme("education", "Education", 5)
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    both = final(
        drafter,
        moderator,
        secretariat,
        title="Both kinds",
        theme=inclusion,
        endorsers=[(lead_org, representative, ""), (state, state_rep, "")],
    )
    cities = final(
        drafter,
        moderator,
        secretariat,
        title="Cities only",
        theme=inclusion,
        endorsers=[(lead_org, representative, "")],
    )
    nobody = final(drafter, moderator, secretariat, title="Nobody", theme=education)
    return {"both": both, "cities": cities, "nobody": nobody}


@pytest.fixture
def draft(secretariat):
    return publication.create_edition(title="Beirut 2017", preamble="Intro.", actor=secretariat)


def test_the_chosen_recommendations_are_published_in_the_chosen_order(finals, draft, secretariat):
    publication.choose_recommendations(
        draft,
        recommendations=[finals["nobody"].pk, finals["cities"].pk, finals["both"].pk],
        actor=secretariat,
    )
    edition = publication.publish_edition(draft, actor=secretariat)
    titles = list(edition.entries.values_list("title", flat=True))
    # Themes keep their order; within a theme, the secretariat's order.
    assert titles == ["Cities only", "Both kinds", "Nobody"]


def test_leaving_one_out(finals, draft, secretariat):
    publication.choose_recommendations(
        draft, recommendations=[finals["both"].pk], actor=secretariat
    )
    edition = publication.publish_edition(draft, actor=secretariat)
    assert list(edition.entries.values_list("title", flat=True)) == ["Both kinds"]


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ([], "cannot be empty"),
        ("twice", "only once"),
        ("not_final", "is not final"),
        (["x"], "whole number"),
    ],
)
def test_bad_choices_are_refused_and_nothing_saved(
    finals, draft, secretariat, drafter, choice, message
):
    if choice == "twice":
        choice = [finals["both"].pk, finals["both"].pk]
    elif choice == "not_final":
        choice = [finals["both"].pk, make_recommendation(drafter, title="Draft text").pk]
    with pytest.raises(ValidationError, match=message):
        publication.choose_recommendations(draft, recommendations=choice, actor=secretariat)
    draft.refresh_from_db()
    assert draft.chosen == []


def test_warnings_name_each_risk(finals, drafter, secretariat):
    entries = publication.collect_entries()
    warnings = publication.warnings_for(entries)
    assert warnings[finals["nobody"].pk] == ["No organisation endorsed it."]
    assert warnings[finals["cities"].pk] == ["Only one kind of organisation supports it."]
    assert finals["both"].pk not in warnings
    assert publication.warning_count(warnings) == 2


def test_open_comment_threads_are_a_warning(drafter, moderator, secretariat, other_participant):
    rec = make_recommendation(drafter, status="in_review", title="Discussed")
    comments.post_comment(rec, actor=other_participant, body="Is this costed?")
    from recommendations import services

    services.approve_version(rec, version=1, actor=moderator)
    rec = services.finalise_recommendation(rec, actor=secretariat)
    warnings = publication.warnings_for(publication.collect_entries())
    assert "1 comment thread is still open." in warnings[rec.pk]


def test_the_page_shows_the_warnings_and_needs_a_confirmation(finals, draft, secretariat):
    client = client_for(secretariat)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Warning: No organisation endorsed it." in page
    assert "Publishing now makes an edition of 3 recommendations." in page
    assert "It has 2 warnings." in page
    url = reverse("publication:publish", args=[draft.pk])
    unconfirmed = send(client, PAGE, "post", Request(url, {"count": "3", "warnings": "2"}))
    assert unconfirmed.status_code == 400
    assert "Confirm that you checked the edition" in unconfirmed.content.decode()
    stale = send(
        client, PAGE, "post", Request(url, {"confirm": "on", "count": "2", "warnings": "2"})
    )
    assert stale.status_code == 409
    assert "would now publish 3 recommendations with 2 warnings" in stale.content.decode()
    assert not Edition.objects.published().exists()
    done = send(
        client, PAGE, "post", Request(url, {"confirm": "on", "count": "3", "warnings": "2"})
    )
    assert done.status_code == 302
    assert Edition.objects.published().get().entries.count() == 3


def test_the_choice_on_the_page_follows_the_typed_order(finals, draft, secretariat):
    client = client_for(secretariat)
    data = {
        "recommendations": [str(finals["both"].pk), str(finals["cities"].pk)],
        f"position-{finals['both'].pk}": "2",
        f"position-{finals['cities'].pk}": "1",
    }
    response = send(
        client, PAGE, "post", Request(reverse("publication:choose", args=[draft.pk]), data)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.chosen == [finals["cities"].pk, finals["both"].pk]


def test_an_edition_needs_an_introduction(finals, secretariat):
    draft = publication.create_edition(title="No intro", actor=secretariat)
    with pytest.raises(ValidationError, match="introduction"):
        publication.publish_edition(draft, actor=secretariat)
    assert not Edition.objects.published().exists() and not EditionEntry.objects.exists()


def test_a_chosen_text_that_is_no_longer_final_stops_publication(finals, draft, secretariat):
    publication.choose_recommendations(
        draft, recommendations=[finals["both"].pk, finals["nobody"].pk], actor=secretariat
    )
    from recommendations.models import Recommendation

    Recommendation.objects.filter(pk=finals["nobody"].pk).update(status="withdrawn")
    with pytest.raises(Conflict, match="no longer final"):
        publication.publish_edition(draft, actor=secretariat)


def test_a_correction_is_a_new_edition_that_says_what_it_corrects(finals, secretariat):
    first = publish(secretariat)
    with pytest.raises(ValidationError, match="Say what this edition corrects"):
        publication.create_edition(title="Fixed", preamble="x", corrects=first, actor=secretariat)
    second = publication.create_edition(
        title="Beirut 2017 (corrected)",
        preamble="Intro.",
        corrects=first,
        correction_note="A typo in the title of “Nobody”.",
        actor=secretariat,
    )
    second = publication.publish_edition(second, actor=secretariat)
    assert second.number == 2
    assert "\ncorrects: 1\n" in second.markdown
    assert "Corrects edition 1: A typo in the title of “Nobody”." in second.markdown
    first.refresh_from_db()
    assert first.markdown.startswith("---\nedition: 1\n")  # never changed
    page = Client().get(first.get_absolute_url()).content.decode()
    assert "Edition 2 corrects this edition." in page


def test_the_pdf_is_stored_and_its_sha256_is_that_of_the_bytes_served(finals, secretariat):
    edition = publish(secretariat)
    response = Client().get(reverse("publication:pdf", args=[edition.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    digest = hashlib.sha256(response.content).hexdigest()
    assert digest == edition.pdf_sha256 == response["X-Content-SHA256"]
    page = Client().get(edition.get_absolute_url()).content.decode()
    assert f'id="pdf-sha256">{digest}<' in page
    again = Client().get(reverse("publication:pdf", args=[edition.number]))
    assert hashlib.sha256(again.content).hexdigest() == digest


def test_the_pdf_fetches_no_url_from_a_text(drafter, moderator, secretariat):
    final(
        drafter,
        moderator,
        secretariat,
        title="With an image",
        body="![x](http://169.254.169.254/latest/meta-data/) and [a link](http://example.org/)",
    )
    from publication import pdf

    with pytest.raises(pdf.FetchRefused):
        pdf._refuse_fetch("http://169.254.169.254/")
    edition = publish(secretariat)
    assert edition.pdf.startswith(b"%PDF-")
