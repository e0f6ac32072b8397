"""Editions: composing, publishing, the canonical Markdown and its SHA-256, the public pages and
JSON (cacheable, revealing nothing unpublished), and that a published edition never changes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import Activity
from publication import services as publication
from publication.canonical import utc_iso
from publication.models import Edition, EditionEntry, FrozenEditionError
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import make_recommendation
from tests.publication.helpers import (
    approve_latest,
    approved,
    final,
    new_version,
    org_with_rep,
    publish,
    theme,
)

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ("publication:latest", "pub-api-published")
MOMENT = datetime(2017, 11, 8, 16, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture
def themes(db):
    return {
        "inclusion": theme("social-inclusion", "Social inclusion", 0),
        "education": theme("education", "Education", 5),
    }


@pytest.fixture
def two_final(themes, drafter, moderator, secretariat, representative, lead_org):
    """Two final recommendations in two themes, endorsed by a state, a city and a donor."""
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    donor, donor_rep = org_with_rep("fund", "donor", "The Fund")
    schools = final(
        drafter,
        moderator,
        secretariat,
        title="Language support in schools",
        theme=themes["education"],
        body="Schools should offer **intensive** language support.",
        endorsers=[(donor, donor_rep, "We will fund it."), (lead_org, representative, "")],
    )
    welcome = final(
        drafter,
        moderator,
        secretariat,
        title="One front door",
        theme=themes["inclusion"],
        body="Cities should open a single welcome point.",
        endorsers=[(state, state_rep, "Agreed\nwith all our heart.")],
    )
    return welcome, schools


def _public(url_name, *args):
    return Client().get(reverse(url_name, args=args))


# --- composing and publishing ----------------------------------------------------------------
def test_secretariat_composes_a_draft_edition_without_a_number(secretariat):
    edition = publication.create_edition(title=" Beirut ", preamble="**Hello**", actor=secretariat)
    assert (edition.title, edition.number, edition.is_published) == ("Beirut", None, False)
    assert edition.preamble_html == "<p><strong>Hello</strong></p>"
    assert Activity.objects.get(verb="edition_created").describe() == (
        "Secretariat composed a new edition: Beirut"
    )


@pytest.mark.parametrize(
    "role", ["drafter", "representative", "moderator", "observer", "anonymous"]
)
def test_only_the_secretariat_composes_editions(request, role):
    with pytest.raises(PermissionDenied):
        publication.create_edition(title="T", actor=request.getfixturevalue(role))
    assert not Edition.objects.exists()


def test_an_edition_needs_a_title(secretariat):
    with pytest.raises(ValidationError) as exc:
        publication.create_edition(title="  ", actor=secretariat)
    assert "title" in exc.value.message_dict


def test_publishing_copies_the_final_recommendations_in_order_by_theme(two_final, secretariat):
    _welcome, schools = two_final
    edition = publish(secretariat)
    assert (edition.number, edition.published_by) == (1, secretariat)
    assert edition.sha256 == hashlib.sha256(edition.markdown.encode("utf-8")).hexdigest()
    entries = list(edition.entries.all())
    assert [(e.position, e.title, e.theme_name, e.version) for e in entries] == [
        (1, "One front door", "Social inclusion", 1),
        (2, "Language support in schools", "Education", 1),
    ]
    assert entries[1].addressed_to == ["city", "state"]
    assert entries[1].text_html.startswith("<p>Schools should offer <strong>intensive")
    # Endorsers ordered by kind (cities first ... donors last), each a copy.
    assert entries[1].endorsements == [
        {"organisation": "lisbon", "name": "Lisbon", "kind": "city", "statement": "", "version": 1},
        {
            "organisation": "fund",
            "name": "The Fund",
            "kind": "donor",
            "statement": "We will fund it.",
            "version": 1,
        },
    ]
    assert "Secretariat published version 1 in edition 1" in [
        a.describe() for a in Activity.objects.filter(recommendation=schools)
    ]


@pytest.mark.parametrize("role", ["drafter", "representative", "moderator", "observer"])
def test_publishing_by_anyone_but_the_secretariat_is_refused(two_final, secretariat, request, role):
    edition = publication.create_edition(title="Beirut", actor=secretariat)
    with pytest.raises(PermissionDenied):
        publication.publish_edition(edition, actor=request.getfixturevalue(role))
    edition.refresh_from_db()
    assert (edition.number, edition.published_at, edition.markdown) == (None, None, "")
    assert not EditionEntry.objects.exists()


def test_publishing_twice_is_a_conflict(two_final, secretariat):
    edition = publish(secretariat)
    with pytest.raises(services.Conflict, match="never changes"):
        publication.publish_edition(edition, actor=secretariat)
    assert Edition.objects.get().number == 1 and EditionEntry.objects.count() == 2


def test_publishing_with_nothing_final_is_a_conflict(secretariat, drafter, moderator):
    approved(drafter, moderator)
    edition = publication.create_edition(title="Too early", actor=secretariat)
    with pytest.raises(services.Conflict, match="nothing to publish"):
        publication.publish_edition(edition, actor=secretariat)
    assert Edition.objects.get().number is None


def test_a_draft_can_be_changed_but_a_published_edition_cannot(two_final, secretariat):
    draft = publication.create_edition(title="Draft", actor=secretariat)
    draft = publication.update_edition(draft, title="Better", preamble="New", actor=secretariat)
    assert (draft.title, draft.preamble_html) == ("Better", "<p>New</p>")
    publication.publish_edition(draft, actor=secretariat)
    with pytest.raises(services.Conflict):
        publication.update_edition(draft, title="Changed", actor=secretariat)
    assert Edition.objects.get().title == "Better"


def test_the_models_refuse_to_change_a_published_edition(two_final, secretariat):
    edition = publish(secretariat)
    edition.title = "Tampered"
    with pytest.raises(FrozenEditionError):
        edition.save()
    with pytest.raises(FrozenEditionError):
        edition.delete()
    entry = edition.entries.first()
    entry.text = "Tampered"
    with pytest.raises(FrozenEditionError):
        entry.save()
    with pytest.raises(FrozenEditionError):
        entry.delete()
    assert Edition.objects.get().title == "Beirut 2017"


def test_editions_are_numbered_in_publication_order_without_gaps(two_final, secretariat):
    unused = publication.create_edition(title="Never published", actor=secretariat)
    first = publish(secretariat, title="First")
    second = publish(secretariat, title="Second")
    assert (first.number, second.number) == (1, 2)
    unused.refresh_from_db()
    assert unused.number is None


# --- the canonical Markdown ------------------------------------------------------------------
CANONICAL = """---
edition: 1
date: 2017-11-08T16:30:05Z
language: en
---

# Beirut 2017

Edition 1, published 2017-11-08T16:30:05Z

The *conference* text.

## Social inclusion

### One front door

Addressed to: Cities, States

Version 1

Cities should open a single welcome point.

Endorsed by:

- Demo State (National government) — Agreed with all our heart.

## Education

### Language support in schools

Addressed to: Cities, States

Version 1

Schools should offer **intensive** language support.

Endorsed by:

- Lisbon (City)
- The Fund (Donor) — We will fund it.
"""


def test_the_canonical_markdown_is_exactly_this_document(two_final, secretariat):
    with mock.patch("publication.services.editions.timezone.now", return_value=MOMENT):
        edition = publish(secretariat)
    assert edition.markdown == CANONICAL
    assert edition.published_at == MOMENT.replace(microsecond=0)
    assert edition.sha256 == hashlib.sha256(CANONICAL.encode("utf-8")).hexdigest()


def test_the_canonical_markdown_does_not_depend_on_the_publishers_language(two_final, secretariat):
    with (
        mock.patch("publication.services.editions.timezone.now", return_value=MOMENT),
        translation.override("fr"),
    ):
        edition = publish(secretariat)
    assert edition.markdown == CANONICAL


def test_an_endorsement_of_an_older_version_is_published_as_such(
    themes, drafter, moderator, secretariat, representative, lead_org
):
    rec = approved(drafter, moderator, theme=themes["inclusion"], title="Old support")
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    services.finalise_recommendation(rec, actor=secretariat)
    edition = publish(secretariat)
    assert "- Lisbon (City), endorsed version 1" in edition.markdown
    assert "Version 2" in edition.markdown
    data = _public("pub-api-published").json()
    assert data["recommendations"][0]["version"] == 2
    assert data["recommendations"][0]["endorsements"][0]["version"] == 1


# --- public pages and JSON -------------------------------------------------------------------
def test_nothing_published_yet_answers_404_on_page_and_json(secretariat, two_final):
    publication.create_edition(title="Draft only", actor=secretariat)
    page = _public("publication:latest")
    assert page.status_code == 404 and "Nothing published yet" in page.content.decode()
    assert "Draft only" not in page.content.decode()
    api = _public("pub-api-published")
    assert api.status_code == 404 and api.json() == {"detail": "Nothing has been published yet."}


def test_published_json_has_the_contract_fields(two_final, secretariat):
    publish(secretariat)
    response = _public("pub-api-published")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert {"title", "published_at", "sha256", "markdown_url", "recommendations"} <= data.keys()
    edition = Edition.objects.get()
    assert (data["title"], data["sha256"], data["number"]) == ("Beirut 2017", edition.sha256, 1)
    assert data["published_at"] == utc_iso(edition.published_at)
    assert data["markdown_url"] == "http://testserver/published/editions/edition-1.md"
    first = data["recommendations"][0]
    assert {"title", "theme", "addressed_to", "text", "version", "endorsements"} <= first.keys()
    assert (first["title"], first["theme"], first["addressed_to"], first["version"]) == (
        "One front door",
        "Social inclusion",
        ["city", "state"],
        1,
    )
    assert first["text"] == "Cities should open a single welcome point."
    assert first["endorsements"] == [
        {
            "organisation": "demo-state",
            "name": "Demo State",
            "kind": "state",
            "statement": "Agreed\nwith all our heart.",
            "version": 1,
        }
    ]


def test_the_sha256_is_that_of_the_exact_bytes_served_at_markdown_url(two_final, secretariat):
    publish(secretariat)
    data = _public("pub-api-published").json()
    download = Client().get(data["markdown_url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == data["sha256"]
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="edition-1.md"'
    assert download["ETag"] == f'"{data["sha256"]}"'
    assert "immutable" in download["Cache-Control"]


def test_the_edition_page_shows_the_text_support_sha256_and_links(two_final, secretariat):
    publish(secretariat)
    response = _public("publication:latest")
    page = response.content.decode()
    edition = Edition.objects.get()
    assert response.status_code == 200
    assert f'<code class="hash" id="sha256">{edition.sha256}</code>' in page
    assert reverse("publication:markdown", args=[1]) in page
    assert reverse("publication:print", args=[1]) in page
    assert "<strong>intensive</strong>" in page and "Agreed<br>with all our heart." in page
    assert 'data-kind="donor">Donors: 1' in page and "The Fund" in page
    assert page.index("Social inclusion") < page.index("Education")
    assert 'class="theme-section"' in page


def test_the_print_page_uses_the_print_stylesheet_and_a_section_per_theme(two_final, secretariat):
    publish(secretariat)
    response = _public("publication:print", 1)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/static/css/print.css" media="print"' in page
    assert page.count('class="theme-section"') == 2 and "js/print.js" in page
    assert " style=" not in page and "<script>" not in page and "<style" not in page


def test_public_pages_set_no_cookie_and_carry_no_csrf_token_or_user(two_final, secretariat):
    publish(secretariat)
    for name, args in (
        ("publication:latest", ()),
        ("publication:edition", (1,)),
        ("publication:print", (1,)),
        ("publication:markdown", (1,)),
        ("pub-api-published", ()),
        ("pub-api-published-edition", (1,)),
    ):
        client = Client()
        client.force_login(secretariat)
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert not response.cookies, name
        body = response.content.decode()
        assert "csrf" not in body and "Secretariat" not in body and "Log out" not in body, name
        assert "public" in response["Cache-Control"], name
        assert response.has_header("ETag") and response.has_header("Last-Modified"), name


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("publication:latest", ()),
        ("publication:edition", (1,)),
        ("publication:markdown", (1,)),
        ("pub-api-published", ()),
    ],
)
def test_public_answers_are_cacheable_and_revalidate_with_304(two_final, secretariat, name, args):
    publish(secretariat)
    client = Client()
    first = client.get(reverse(name, args=args))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(reverse(name, args=args), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(reverse(name, args=args), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert (
        client.get(reverse(name, args=args), HTTP_IF_NONE_MATCH='"something-else"').status_code
        == 200
    )


@pytest.mark.parametrize(
    ("name", "args", "builds"),
    [
        ("publication:latest", (), "publication.views.render"),
        ("publication:edition", (1,), "publication.views.render"),
        ("publication:print", (1,), "publication.views.render"),
        ("publication:markdown", (1,), "publication.views.HttpResponse"),
        ("pub-api-published", (), "publication.api.edition_data"),
        ("pub-api-published-edition", (1,), "publication.api.edition_data"),
    ],
)
def test_a_revalidated_public_answer_is_not_built_again(
    two_final, secretariat, django_assert_max_num_queries, name, args, builds
):
    publish(secretariat)
    client = Client()
    etag = client.get(reverse(name, args=args))["ETag"]
    with mock.patch(builds) as build, django_assert_max_num_queries(2):
        response = client.get(reverse(name, args=args), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and not build.called
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert response["Vary"] == "Accept-Language, Cookie" and response.has_header("Last-Modified")


def test_a_page_has_one_tag_per_language_and_the_json_and_markdown_one_for_all(
    two_final, secretariat
):
    publish(secretariat)
    client = Client()
    for name, args, same in (
        ("publication:edition", (1,), False),
        ("publication:print", (1,), False),
        ("pub-api-published-edition", (1,), True),
        ("publication:markdown", (1,), True),
    ):
        english = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="en")
        french = client.get(
            reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=english["ETag"]
        )
        assert french.status_code == (304 if same else 200), name
        assert (french["ETag"] == english["ETag"]) is same, name


def test_a_newer_edition_changes_the_tags_of_the_pages_listing_it_only(two_final, secretariat):
    publish(secretariat, title="First edition")
    client = Client()
    urls = [
        reverse(name, args=[1])
        for name in (
            "publication:edition",
            "publication:print",
            "publication:markdown",
            "pub-api-published-edition",
        )
    ]
    before = {url: client.get(url)["ETag"] for url in urls}
    publish(secretariat, title="Second edition")
    changed = {url for url in urls if client.get(url)["ETag"] != before[url]}
    assert changed == set(urls[:2])  # the pages list the editions; the documents do not


def test_a_newer_edition_changes_the_latest_page_and_the_old_one_stays_readable(
    two_final, secretariat
):
    publish(secretariat, title="First edition")
    client = Client()
    old_etag = client.get(reverse("publication:latest"))["ETag"]
    publish(secretariat, title="Second edition")
    latest = client.get(reverse("publication:latest"), HTTP_IF_NONE_MATCH=old_etag)
    assert latest.status_code == 200 and "Second edition" in latest.content.decode()
    assert reverse("publication:edition", args=[1]) in latest.content.decode()
    first = client.get(reverse("publication:edition", args=[1])).content.decode()
    assert "First edition" in first and "This is an earlier edition" in first
    assert client.get(reverse("pub-api-published")).json()["title"] == "Second edition"
    assert (
        client.get(reverse("pub-api-published-edition", args=[1])).json()["title"]
        == "First edition"
    )


def test_unknown_editions_are_404(two_final, secretariat):
    publish(secretariat)
    draft = publication.create_edition(title="Secret draft", actor=secretariat)
    for name, args in (
        ("publication:edition", (2,)),
        ("publication:print", (9,)),
        ("publication:markdown", (2,)),
        ("pub-api-published-edition", (2,)),
        ("publication:edition", (draft.pk + 100,)),
    ):
        assert _public(name, *args).status_code == 404, name


# --- nothing unpublished reaches the public ---------------------------------------------------
def _everything_public(client: Client) -> str:
    """Every public answer, as one text (pages, print view, Markdown, JSON)."""
    parts = []
    for edition in Edition.objects.published():
        for name in ("publication:edition", "publication:print", "publication:markdown"):
            parts.append(client.get(reverse(name, args=[edition.number])).content.decode())
        parts.append(
            client.get(reverse("pub-api-published-edition", args=[edition.number])).content.decode()
        )
    parts.append(client.get(reverse("publication:latest")).content.decode())
    parts.append(client.get(reverse("pub-api-published")).content.decode())
    text = "\n".join(parts)
    return text + json.dumps(text)  # JSON escapes too


def test_no_draft_hidden_comment_or_unpublished_text_reaches_a_public_page_or_json(
    themes, drafter, moderator, secretariat, representative, lead_org, other_participant
):
    from comments import services as comments

    secrets = []

    def secret(label):
        secrets.append(label)
        return label

    make_recommendation(drafter, title=secret("DRAFT-TITLE"), body=secret("DRAFT-BODY"))
    make_recommendation(
        drafter, status="in_review", title=secret("REVIEW-TITLE"), body=secret("REVIEW-BODY")
    )
    make_recommendation(
        drafter, status="withdrawn", title=secret("WITHDRAWN-TITLE"), body=secret("WITHDRAWN-BODY")
    )
    make_recommendation(
        drafter,
        status="rejected",
        moderator=moderator,
        title=secret("REJECTED-TITLE"),
        body=secret("REJECTED-BODY"),
    )
    still_approved = approved(drafter, moderator, title=secret("APPROVED-TITLE"))
    publication.endorse(
        still_approved,
        organisation=lead_org,
        statement=secret("APPROVED-STATEMENT"),
        actor=representative,
    )
    # A final recommendation whose later, never approved, version must not be published; with a
    # hidden comment, a withdrawn endorsement and a drafter's note on the way.
    rec = approved(drafter, moderator, title="Published title", theme=themes["inclusion"])
    hidden = comments.post_comment(rec, actor=other_participant, body=secret("HIDDEN-COMMENT"))
    comments.hide_comment(hidden, actor=moderator, reason=secret("HIDING-REASON"))
    publication.endorse(
        rec, organisation=lead_org, statement=secret("WITHDRAWN-STATEMENT"), actor=representative
    )
    publication.withdraw_endorsement(rec, organisation=lead_org, actor=representative)
    services.edit_recommendation(
        rec,
        actor=drafter,
        base_version=1,
        body=secret("UNAPPROVED-LATER-TEXT"),
        title=secret("UNAPPROVED-TITLE"),
        note=secret("CHANGE-NOTE"),
    )
    services.finalise_recommendation(rec, actor=secretariat)
    publication.create_edition(
        title=secret("DRAFT-EDITION"), preamble=secret("DRAFT-PREAMBLE"), actor=secretariat
    )
    publish(secretariat)

    public = _everything_public(Client())
    assert "Published title" in public and "Cities should open a single welcome point" in public
    leaked = [s for s in secrets if s in public]
    assert leaked == []
    # Nor who did what: no representative, moderator or secretariat user is named.
    for username in ("lisbon-rep", "drafter", "moderator", "secretariat"):
        assert username not in public


# --- a published edition never changes --------------------------------------------------------
def _published_state(client: Client) -> tuple:
    edition = Edition.objects.get(number=1)
    markdown = client.get(reverse("publication:markdown", args=[1])).content
    data = client.get(reverse("pub-api-published-edition", args=[1])).json()
    entries = list(
        EditionEntry.objects.filter(edition=edition).values(
            "title", "theme_name", "addressed_to", "version", "text", "text_html", "endorsements"
        )
    )
    return markdown, edition.sha256, edition.markdown, data, entries


def test_a_published_edition_never_changes_when_recommendations_or_endorsements_change(
    two_final, themes, drafter, moderator, secretariat, representative, lead_org
):
    _welcome, schools = two_final
    pending = approved(drafter, moderator, title="Pending", theme=themes["inclusion"])
    publish(secretariat)
    client = Client()
    before = _published_state(client)
    assert hashlib.sha256(before[0]).hexdigest() == before[1]

    # Endorsements change: one withdrawn from a published recommendation, another one made.
    publication.withdraw_endorsement(schools, organisation=lead_org, actor=representative)
    publication.endorse(pending, organisation=lead_org, statement="New", actor=representative)
    # Recommendations change: a newer version approved, another one finalised.
    pending = approve_latest(new_version(pending, drafter), moderator)
    services.finalise_recommendation(pending, actor=secretariat)
    # What an edition copied changes at its source: names of organisations and themes.
    lead_org.name = "Lisboa"
    lead_org.save()
    themes["education"].name = "Schools"
    themes["education"].save()
    Recommendation.objects.filter(pk=schools.pk).update(title="Renamed", addressed=",donor,")
    # Someone tries to change the edition itself.
    edition = Edition.objects.get(number=1)
    with pytest.raises(services.Conflict):
        publication.update_edition(edition, title="Changed", actor=secretariat)
    with pytest.raises(services.Conflict):
        publication.publish_edition(edition, actor=secretariat)
    second = publish(secretariat, title="Second")

    assert _published_state(client) == before
    assert "Lisbon (City)" in before[0].decode() and "Lisboa" not in before[0].decode()
    # The next edition shows the changes.
    assert "Pending" in second.markdown and "Schools" in second.markdown
    assert "- Lisbon (City)" not in second.markdown


def test_user_text_on_public_pages_cannot_run_script(
    themes, drafter, moderator, secretariat, representative, lead_org
):
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    final(
        drafter,
        moderator,
        secretariat,
        title=f"Title {payload}",
        theme=themes["inclusion"],
        body=f"Body {payload} [link](javascript:alert(3))",
        endorsers=[(lead_org, representative, f"Statement {payload}")],
    )
    publish(secretariat, title=f"Edition {payload}", preamble=f"Preamble {payload}")
    client = Client()
    for name, args in (
        ("publication:latest", ()),
        ("publication:edition", (1,)),
        ("publication:print", (1,)),
    ):
        page = client.get(reverse(name, args=args)).content.decode()
        # Escaped text at most: no raw tag or attribute, no script URL.
        assert "<script>alert" not in page and 'onerror="' not in page, name
        assert "javascript:" not in page and "<img" not in page, name
        assert "Statement &lt;script&gt;" in page, name
    data = client.get(reverse("pub-api-published")).json()
    assert data["recommendations"][0]["endorsements"][0]["statement"].startswith("Statement <")
    markdown = client.get(reverse("publication:markdown", args=[1]))
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown["X-Content-Type-Options"] == "nosniff"
    assert markdown["Content-Disposition"].startswith("attachment")
