"""Every list and detail page, and every API list or detail, costs the same number of queries
whatever the amount of data (issue 15): the ones not already guarded elsewhere, each counted
at a small data set and again at a larger one (3-10x the rows the page lists).

Already guarded beside their apps (so not repeated here): the home page and the recommendations
API (tests/workspace/test_query_counts.py), the list (tests/recommendations/test_pages.py,
test_list_order.py), a recommendation's page (versions: test_pages.py; comments:
tests/comments/test_pages.py; endorsements: tests/publication/test_endorsements.py;
commitments: tests/commitments/test_followup.py; translations: test_translations.py), its
panels, history, compare and versions API, the comments' action page, list API and the
moderation queue, the notifications page, the programme, the overview, the follow-up, an
organisation's page and a commitment's page.

Three pages grew when these tests were written, and were fixed with them: the API of one
commitment (a query per progress update's author), a reply's fragment (a query per level
above it) and the mention candidates (queries per organisation and per member).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import invitations
from accounts.models import Membership
from comments import services as comments
from comments.models import Comment
from commitments import services as commitments
from conference import services as conference_services
from publication import services as publication
from recommendations import services as recs
from recommendations import translations
from tests.commitments.helpers import commit
from tests.conference.helpers import make_conference
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    member_of,
)
from tests.notifications.helpers import fill_notifications
from tests.publication.helpers import approved, final, org_with_rep, publish, theme
from workspace.scale import build_discussion

pytestmark = pytest.mark.django_db

START = datetime(2017, 11, 7, 8, 30, tzinfo=UTC)
END = datetime(2017, 11, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_pdf():
    """Publishing makes the edition's PDF (WeasyPrint, about a second): not what is counted.
    A stand-in as long as the edition: a larger edition's PDF is larger."""

    def stand_in(edition, entries) -> bytes:
        return b"%PDF-1.7\n" + b"%\n" * len(entries)

    with mock.patch("publication.services.editions.edition_pdf", side_effect=stand_in):
        yield


# --- the measure -----------------------------------------------------------------------------
def _queries(client, url: str, data: dict | None = None) -> tuple[list[str], int]:
    """The SQL of a GET of ``url`` after a first one (which fills what a process caches once:
    content types, the conference), and the length of the answer."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    size = len(b"".join(response) if response.streaming else response.content)
    return [q["sql"] for q in captured.captured_queries], size


def count_queries(client, url: str, data: dict | None = None) -> int:
    """GET ``url`` (once to fill what a process caches, then counted) and answer how many
    queries the counted GET made; the page must answer 200."""
    return len(_queries(client, url, data)[0])


def assert_same_cost(
    page: str,
    client,
    small_url: str,
    grow: Callable[[], str | None],
    data: dict | None = None,
    *,
    longer: bool = True,
) -> None:
    """Count ``small_url``; ``grow()`` the data (it may answer the URL of the larger object,
    else the same URL is read again); the larger data set must cost the same queries. Unless
    ``longer=False``, the larger answer must also be longer: the page shows what was added."""
    few, few_size = _queries(client, small_url, data)
    large_url = grow() or small_url
    many, many_size = _queries(client, large_url, data)
    assert len(many) == len(few), (
        f"{page}: {len(few)} queries with the small data set, {len(many)} with the large:\n"
        + "\n".join(q[:300] for q in many)
    )
    if longer:
        assert many_size > few_size, (
            f"{page}: the larger data set does not show ({few_size} bytes, then {many_size})"
        )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- the published text, its API, the secretariat's composing pages -------------------------
def _finals(drafter, moderator, secretariat, names: range, endorsers_per: int = 2) -> list:
    """Final recommendations in two themes, each endorsed, each with a public commitment."""
    housing = theme("housing", "Housing", 0)
    education = theme("education", "Education", 1)
    made = []
    for i in names:
        endorsers = []
        for j in range(endorsers_per):
            org, rep = org_with_rep(f"e{i}-{j}", ["city", "state", "donor", "region"][j % 4])
            endorsers.append((org, rep, f"Statement {i}.{j}"))
        rec = final(
            drafter,
            moderator,
            secretariat,
            title=f"Final {i}",
            theme=housing if i % 2 else education,
            endorsers=endorsers,
        )
        org, rep = endorsers[0][:2]
        commit(rec, org, rep, action=f"Act on {i}.")
        made.append(rec)
    return made


PUBLIC = [
    ("publication:latest", False),
    ("publication:edition", True),
    ("publication:print", True),
    ("publication:markdown", True),
    ("publication:pdf", True),
    ("pub-api-published", False),
    ("pub-api-published-edition", True),
]


@pytest.mark.parametrize(("name", "numbered"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_the_published_text_costs_the_same_with_2_and_8_recommendations(
    drafter, moderator, secretariat, name, numbered
):
    _finals(drafter, moderator, secretariat, range(2))
    first = publish(secretariat, title="First")

    def url(edition) -> str:
        return reverse(name, args=[edition.number] if numbered else [])

    def grow() -> str:
        _finals(drafter, moderator, secretariat, range(2, 8), endorsers_per=4)
        return url(publish(secretariat, title="Second"))

    assert_same_cost(name, Client(), url(first), grow)


def test_the_compose_page_costs_the_same_with_1_and_6_editions(drafter, moderator, secretariat):
    _finals(drafter, moderator, secretariat, range(1))
    publish(secretariat, title="First")
    publication.create_edition(title="Draft 0", preamble="", actor=secretariat)

    def grow() -> None:
        for i in range(1, 6):
            publish(secretariat, title=f"Edition {i}")
            publication.create_edition(title=f"Draft {i}", preamble="", actor=secretariat)

    client = signed_in(secretariat)
    assert_same_cost("publication:compose", client, reverse("publication:compose"), grow)


def test_a_draft_edition_costs_the_same_with_2_and_8_candidates(drafter, moderator, secretariat):
    _finals(drafter, moderator, secretariat, range(2))
    draft = publication.create_edition(title="Draft", preamble="", actor=secretariat)

    def grow() -> None:
        _finals(drafter, moderator, secretariat, range(2, 8), endorsers_per=3)

    url = reverse("publication:draft", args=[draft.pk])
    assert_same_cost("publication:draft", signed_in(secretariat), url, grow)


def test_the_endorsements_api_costs_the_same_with_1_and_10_endorsements(
    drafter, moderator, observer
):
    rec = approved(drafter, moderator)
    org, rep = org_with_rep("first", "city")
    publication.endorse(rec, organisation=org, statement="Yes.", actor=rep)

    def grow() -> None:
        for i in range(9):
            org, rep = org_with_rep(f"more-{i}", ["city", "state", "donor", "region"][i % 4])
            publication.endorse(rec, organisation=org, statement=f"Yes {i}.", actor=rep)

    url = reverse("pub-api-endorsements", args=[rec.pk])
    assert_same_cost("pub-api-endorsements", api_for(observer), url, grow)


# --- commitments ---------------------------------------------------------------------------
@pytest.fixture
def pledged(drafter, moderator, secretariat, other_org, other_representative):
    """A published final recommendation with one commitment of Tunis (a city) with one
    progress update, and one commitment of a state."""
    rec = final(drafter, moderator, secretariat, title="Housing first")
    tunis = commit(rec, other_org, other_representative, action="Twenty flats.")
    commitments.post_progress(
        tunis, actor=other_representative, status="in_progress", current_value="1"
    )
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    commit(rec, state, state_rep, action="Fund the flats.")
    publish(secretariat)
    return {"rec": rec, "tunis": tunis}


def _more_commitments(rec, n: int) -> None:
    for i in range(n):
        org, rep = org_with_rep(f"pledge-{i}", ["city", "state", "civil_society", "donor"][i % 4])
        c = commit(rec, org, rep, action=f"Pledge {i}.", is_public=i % 3 != 2)
        commitments.post_progress(c, actor=rep, status="in_progress", current_value=str(i))


def _more_progress(commitment, rep, secretariat, n: int) -> None:
    for value in range(2, 2 + n):
        update = commitments.post_progress(
            commitment, actor=rep, status="in_progress", current_value=str(value), note="More."
        )
        if value % 2:
            commitments.verify_progress(update, actor=secretariat)


@pytest.mark.parametrize(
    "name", ["commitments:followup_recommendation", "cm-api-recommendation-commitments"]
)
def test_a_recommendations_commitments_cost_the_same_with_2_and_10(pledged, observer, name):
    rec = pledged["rec"]
    client = api_for(observer) if name.startswith("cm-api") else Client()
    url = reverse(name, args=[rec.pk])
    assert_same_cost(name, client, url, lambda: _more_commitments(rec, 8))


@pytest.mark.parametrize(
    "name",
    [
        "commitments:detail",
        "cm-api-commitment",
    ],
)
def test_a_commitment_costs_the_same_with_1_and_8_progress_updates(
    pledged, other_representative, secretariat, observer, name
):
    tunis = pledged["tunis"]
    client = api_for(observer) if name.startswith("cm-api") else signed_in(observer)
    url = reverse(name, args=[tunis.pk])
    grow = lambda: _more_progress(tunis, other_representative, secretariat, 7)  # noqa: E731
    assert_same_cost(name, client, url, grow)


def test_the_followup_api_and_csv_cost_the_same_with_2_and_10_commitments(pledged):
    rec = pledged["rec"]
    client = Client()
    few = {name: count_queries(client, reverse(name)) for name in ("cm-api-followup", "cm-api-csv")}
    _more_commitments(rec, 8)
    for name, counted in few.items():
        many = count_queries(client, reverse(name))
        assert many == counted, f"{name}: {counted} queries with 2 commitments, {many} with 10"


def _grow_organisation(org, rep, drafter, moderator, secretariat, n: int) -> None:
    """More commitments of ``org`` on more published texts, profile revisions, a pilot."""
    for i in range(n):
        rec = final(drafter, moderator, secretariat, title=f"Also {i}")
        c = commit(rec, org, rep, action=f"Also {i}.", is_public=i % 2 == 0)
        commitments.post_progress(c, actor=rep, status="in_progress", current_value=str(i))
        commitments.add_profile_revision(
            org, actor=rep, section=["origins", "inclusion"][i % 2], text=f"Revision {i}."
        )
    commitments.save_pilot(
        org, actor=rep, title="Pilot", summary="Welcome desks.", theme=rec.theme, publish=True
    )
    publish(secretariat, title="With more")


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("cm-api-organisation", "anonymous"),
        ("commitments:organisation_edit", "representative"),
        ("commitments:profile_history", "anonymous"),
    ],
)
def test_an_organisations_pages_cost_the_same_with_1_and_6_commitments(
    pledged, other_org, other_representative, drafter, moderator, secretariat, name, who
):
    commitments.add_profile_revision(
        other_org, actor=other_representative, section="origins", text="First."
    )
    args = [other_org.slug, "origins"] if name.endswith("profile_history") else [other_org.slug]
    client = signed_in(other_representative) if who == "representative" else Client()
    grow = lambda: _grow_organisation(  # noqa: E731
        other_org, other_representative, drafter, moderator, secretariat, 5
    )
    assert_same_cost(name, client, reverse(name, args=args), grow)


# --- the conference -------------------------------------------------------------------------
def _session(conference, secretariat, title, *, organisations=(), recommendations=()):
    return conference_services.save_session(
        None,
        actor=secretariat,
        conference=conference,
        title=title,
        starts_at=START,
        ends_at=END,
        speakers="A\nB",
        organisations=organisations,
        recommendations=recommendations,
    )


def _grow_programme(conference, secretariat, drafter, moderator, n: int) -> None:
    """More themes, recommendations of every status, endorsements, sessions."""
    orgs = [OrganisationFactory() for _ in range(3)]
    for i in range(n):
        t = ThemeFactory(slug=f"theme-{i}")
        rec = make_recommendation(
            drafter,
            title=f"Grown {i}",
            theme=t,
            status=["draft", "in_review", "approved"][i % 3],
            moderator=moderator,
        )
        if i % 3 == 2:
            org, rep = org_with_rep(f"supporter-{i}", "donor")
            publication.endorse(rec, organisation=org, actor=rep)
        discussed = [rec] if rec.status != "draft" else []
        _session(
            conference, secretariat, f"Session {i}", organisations=orgs, recommendations=discussed
        )


@pytest.mark.parametrize(
    ("name", "api"),
    [
        ("conference:detail", False),
        ("conference:programme-ics", False),
        ("conf-api-conference", True),
        ("conf-api-programme", True),
        ("conf-api-overview", True),
    ],
)
def test_the_conference_costs_the_same_with_1_and_6_themes_and_sessions(
    drafter, moderator, secretariat, name, api
):
    conference = make_conference(secretariat, drafting_in=timedelta(days=7))
    rec = approved(drafter, moderator, title="Discussed")
    make_recommendation(drafter, title="Not yet", theme=rec.theme)
    org, rep = org_with_rep("supporter", "donor")
    publication.endorse(rec, organisation=org, actor=rep)
    _session(conference, secretariat, "Opening", organisations=[org], recommendations=[rec])
    client = api_for(moderator) if api else signed_in(moderator)
    grow = lambda: _grow_programme(conference, secretariat, drafter, moderator, 6)  # noqa: E731
    assert_same_cost(name, client, reverse(name), grow)


@pytest.mark.parametrize("name", ["conference:session", "conference:session-ics"])
def test_a_session_costs_the_same_with_1_and_6_recommendations_and_organisations(
    drafter, secretariat, observer, name
):
    conference = make_conference(secretariat)
    recs_ = [make_recommendation(drafter, status="in_review", title="First")]
    orgs = [OrganisationFactory()]
    item = _session(conference, secretariat, "Inclusion", organisations=orgs, recommendations=recs_)

    def grow() -> None:
        recs_.extend(
            make_recommendation(drafter, status="in_review", title=f"More {i}") for i in range(5)
        )
        orgs.extend(OrganisationFactory() for _ in range(5))
        conference_services.save_session(
            item,
            actor=secretariat,
            conference=conference,
            title="Inclusion",
            starts_at=START,
            ends_at=END,
            speakers="A\nB\nC",
            organisations=orgs,
            recommendations=recs_,
        )

    assert_same_cost(name, signed_in(observer), reverse(name, args=[item.pk]), grow)


# --- a recommendation: editor, translator, API detail and events ---------------------------
def _edited(rec, drafter, co_drafters: int, versions: int):
    for _ in range(co_drafters):
        rec = recs.add_co_drafter(rec, organisation=OrganisationFactory(), actor=drafter)
    while rec.version < versions:
        rec = recs.edit_recommendation(
            rec, actor=drafter, base_version=rec.version, body=f"{rec.body}\n\nMore {rec.version}."
        ).recommendation
    return rec


@pytest.mark.parametrize(
    ("name", "api"),
    [
        ("recommendations:edit", False),
        ("api-recommendation", True),
        ("api-events", True),
    ],
)
def test_a_recommendation_costs_the_same_with_few_and_many_versions_and_drafters(
    drafter, moderator, name, api
):
    small = make_recommendation(drafter, status="in_review", title="Small")
    comments.post_comment(small, actor=drafter, body="A note.")
    client = api_for(drafter) if api else signed_in(drafter)

    def grow() -> str:
        big = make_recommendation(drafter, status="in_review", title="Big")
        big = _edited(big, drafter, co_drafters=6, versions=12)
        comments.post_comment(big, actor=drafter, body="A note.")
        for i in range(4):
            _org, rep = org_with_rep(f"reader-{i}", "city")
            comments.post_comment(big, actor=rep, body=f"Remark {i}.")
        return reverse(name, args=[big.pk])

    assert_same_cost(name, client, reverse(name, args=[small.pk]), grow)


def test_the_api_detail_of_a_final_text_costs_the_same_with_1_and_8_endorsements(
    drafter, moderator, secretariat, observer
):
    small = final(drafter, moderator, secretariat, title="Small")

    def grow() -> str:
        endorsers = [(*org_with_rep(f"fan-{i}", "region"), "") for i in range(8)]
        big = approved(drafter, moderator, title="Big", versions=6)
        for org, rep, statement in endorsers:
            publication.endorse(big, organisation=org, statement=statement, actor=rep)
        big = recs.finalise_recommendation(big, actor=secretariat)
        return reverse("api-recommendation", args=[big.pk])

    url = reverse("api-recommendation", args=[small.pk])
    assert_same_cost("api-recommendation (final)", api_for(observer), url, grow)


@pytest.mark.parametrize(
    ("name", "status", "who"),
    [
        ("recommendations:submit", "draft", "drafter"),
        ("recommendations:approve", "in_review", "moderator"),
        ("recommendations:reject", "in_review", "moderator"),
        ("recommendations:withdraw", "in_review", "drafter"),
        ("recommendations:finalise", "approved", "secretariat"),
    ],
)
def test_a_confirmation_page_costs_the_same_with_1_and_10_versions(
    drafter, moderator, secretariat, name, status, who
):
    user = {"drafter": drafter, "moderator": moderator, "secretariat": secretariat}[who]

    def made(title: str, versions: int, co_drafters: int):
        rec = make_recommendation(drafter, title=title)
        rec = _edited(rec, drafter, co_drafters=co_drafters, versions=versions)
        if status != "draft":
            rec = recs.submit_for_review(rec, actor=drafter)
        if status == "approved":
            rec = recs.approve_version(rec, version=rec.version, actor=moderator)
            for i in range(co_drafters):
                org, rep = org_with_rep(f"{title}-{i}", "city")
                publication.endorse(rec, organisation=org, actor=rep)
        return rec

    small = made("small", versions=1, co_drafters=1)
    grow = lambda: reverse(name, args=[made("big", versions=10, co_drafters=5).pk])  # noqa: E731
    # Only the approval lists the versions (to choose one); the others ask one question.
    longer = name == "recommendations:approve"
    assert_same_cost(name, signed_in(user), reverse(name, args=[small.pk]), grow, longer=longer)


def test_the_diff_api_costs_the_same_between_2_and_12_versions(drafter, observer):
    small = make_recommendation(drafter, status="in_review", versions=2, title="Small")
    big = make_recommendation(drafter, status="in_review", versions=12, title="Big")
    client = api_for(observer)
    few = count_queries(client, reverse("api-diff", args=[small.pk]), {"from": 1, "to": 2})
    many = count_queries(client, reverse("api-diff", args=[big.pk]), {"from": 1, "to": 12})
    assert many == few, f"api-diff: {few} queries between 2 versions, {many} between 12"


def _translate(rec, drafter, times: int) -> None:
    for i in range(times):
        current = rec.translations.filter(language="fr").first()
        translations.save_translation(
            rec,
            actor=drafter,
            language="fr",
            base_version=rec.version,
            translation_version=current.version if current else None,
            title=f"Guichets {i}",
            body=f"Texte {i}.\n\nDeuxième paragraphe.",
        )


def test_translating_costs_the_same_with_few_and_many_versions(drafter):
    name = "recommendations:translate"
    small = make_recommendation(drafter, status="in_review", title="Small")
    _translate(small, drafter, 1)
    small = recs.edit_recommendation(
        small, actor=drafter, base_version=1, body=f"{small.body}\n\nNew."
    ).recommendation

    def grow() -> str:
        big = make_recommendation(drafter, status="in_review", title="Big")
        _translate(big, drafter, 5)
        big = _edited(big, drafter, co_drafters=4, versions=9)
        return reverse(name, args=[big.pk, "fr"])

    client = signed_in(drafter)
    assert_same_cost(name, client, reverse(name, args=[small.pk, "fr"]), grow)


def test_the_translation_api_detail_costs_the_same_with_1_and_6_versions(drafter, observer):
    rec = make_recommendation(drafter, status="in_review")
    _translate(rec, drafter, 1)
    url = reverse("api-translation", args=[rec.pk, "fr"])
    grow = lambda: _translate(rec, drafter, 5)  # noqa: E731
    # The answer is the current version only: as long with 6 versions as with 1.
    assert_same_cost("api-translation", api_for(observer), url, grow, longer=False)


def test_the_drafting_form_costs_the_same_with_2_and_7_themes_and_organisations(drafter):
    ThemeFactory(slug="first")
    ThemeFactory(slug="second")
    # A member of one organisation is not asked which: the form counted has the choice.
    Membership.objects.create(user=drafter, organisation=OrganisationFactory())

    def grow() -> None:
        for i in range(5):
            ThemeFactory(slug=f"more-{i}")
            Membership.objects.create(user=drafter, organisation=OrganisationFactory())

    url = reverse("recommendations:create")
    assert_same_cost("recommendations:create", signed_in(drafter), url, grow)


# --- comments -------------------------------------------------------------------------------
def test_the_comments_export_costs_the_same_with_3_and_300_comments(drafter):
    small = make_recommendation(drafter, status="in_review", title="Small")
    build_discussion(small, comments=3, threads=1)

    def grow() -> str:
        big = make_recommendation(drafter, status="in_review", title="Big")
        build_discussion(big, comments=300, threads=60)
        return reverse("comments:export", args=[big.pk])

    url = reverse("comments:export", args=[small.pk])
    assert_same_cost("comments:export", signed_in(drafter), url, grow)


def test_a_comments_history_costs_the_same_with_1_and_8_earlier_texts(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=other_participant, body="First.")
    comments.edit_comment(comment, actor=other_participant, body="Second.")

    def grow() -> None:
        for i in range(7):
            comments.edit_comment(comment, actor=other_participant, body=f"Text {i}.")

    url = reverse("comments:history", args=[comment.pk])
    assert_same_cost("comments:history", signed_in(drafter), url, grow)


def _thread(rec, drafter, authors, moderator, replies: int) -> Comment:
    """A thread with ``replies`` replies, answered, reported: its root."""
    root = comments.post_comment(rec, actor=authors[0], body="Root.")
    for i in range(replies):
        comments.post_comment(rec, actor=authors[i % len(authors)], body=f"R{i}.", parent=root)
    comments.respond_to_comment(root, actor=drafter, status="accepted", reason="Yes.")
    comments.report_comment(root, actor=authors[-1], reason="Spam")
    return root


@pytest.mark.parametrize("name", ["comments:fragment", "comments_api:detail"])
def test_a_comment_costs_the_same_in_a_small_and_a_large_discussion(
    drafter, other_participant, observer, moderator, name
):
    authors = [other_participant, observer]
    small = make_recommendation(drafter, status="in_review", title="Small")
    root = _thread(small, drafter, authors, moderator, replies=1)

    def grow() -> str:
        big = make_recommendation(drafter, status="in_review", title="Big")
        build_discussion(big, comments=120, threads=20)
        big_root = _thread(big, drafter, authors, moderator, replies=8)
        return reverse(name, args=[big_root.pk])

    client = api_for(moderator) if name.startswith("comments_api") else signed_in(moderator)
    # One comment is shown (not its replies): the answer is as long in either discussion.
    assert_same_cost(name, client, reverse(name, args=[root.pk]), grow, longer=False)


def test_a_replys_fragment_costs_the_same_at_depth_1_and_6(drafter, other_participant, observer):
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=other_participant, body="Root.")
    chain = []
    for i in range(6):
        parent = comments.post_comment(
            rec, actor=[observer, other_participant][i % 2], body=f"Level {i + 1}.", parent=parent
        )
        chain.append(parent)
    client = signed_in(drafter)
    few = count_queries(client, reverse("comments:fragment", args=[chain[0].pk]))
    many = count_queries(client, reverse("comments:fragment", args=[chain[-1].pk]))
    assert many == few, f"comments:fragment: {few} queries at depth 1, {many} at depth 6"


# --- notifications ----------------------------------------------------------------------------


@pytest.mark.parametrize("unread", [False, True])
def test_the_notifications_api_costs_the_same_with_5_and_50(drafter, other_participant, unread):
    recs_ = [make_recommendation(drafter, status="in_review", title=f"R{i}") for i in range(3)]
    first = comments.post_comment(recs_[0], actor=other_participant, body="Hello")
    fill_notifications(drafter, recs_[0], first, 5)

    def grow() -> None:
        for rec in recs_:
            comment = comments.post_comment(rec, actor=other_participant, body="More")
            fill_notifications(drafter, rec, comment, 15)

    url = reverse("notifications_api:list")
    data = {"unread": 1} if unread else None
    assert_same_cost("notifications_api:list", api_for(drafter), url, grow, data)


@pytest.mark.parametrize("name", ["notifications:preferences", "notifications_api:preferences"])
def test_the_email_choices_cost_the_same_with_few_and_many_notifications(
    drafter, other_participant, name
):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=other_participant, body="Hello")
    fill_notifications(drafter, rec, comment, 5)
    client = api_for(drafter) if "_api" in name else signed_in(drafter)
    grow = lambda: fill_notifications(drafter, rec, comment, 40)  # noqa: E731
    # The choices do not list notifications (the page's bell counts them): no longer answer.
    assert_same_cost(name, client, reverse(name), grow, longer=name.startswith("notifications:"))


def test_the_mention_candidates_cost_the_same_with_1_and_6_organisations(
    drafter, other_participant
):
    rec = make_recommendation(drafter, status="in_review")
    member_of(OrganisationFactory(slug="lyon", name="Lyon"), "lyon-1")

    def grow() -> None:
        for i in range(5):
            org = OrganisationFactory(slug=f"ly-{i}", name=f"Ly {i}")
            for j in range(3):
                member_of(org, f"ly-{i}-{j}")

    url = reverse("notifications_api:mention-candidates", args=[rec.pk])
    assert_same_cost(
        "notifications_api:mention-candidates", api_for(other_participant), url, grow, {"q": "ly"}
    )


# --- accounts and the audit log -------------------------------------------------------------
def test_the_profile_costs_the_same_with_1_and_5_memberships(representative):
    def grow() -> None:
        for _ in range(4):
            Membership.objects.create(
                user=representative,
                organisation=OrganisationFactory(),
                role=Membership.Role.REPRESENTATIVE,
            )

    assert_same_cost("profile", signed_in(representative), reverse("profile"), grow)


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_an_organisations_invitations_cost_the_same_with_1_and_8(lead_org, representative, api):
    invitations.invite(lead_org, email="one@example.org", role="member", actor=representative)

    def grow() -> None:
        for i in range(7):
            made = invitations.invite(
                lead_org,
                email=f"more{i}@example.org",
                role=["member", "representative"][i % 2],
                actor=representative,
            )
            if i % 3 == 0:
                invitations.revoke(made, actor=representative)

    name = "accounts_api:invitations" if api else "invitations"
    client = api_for(representative) if api else signed_in(representative)
    assert_same_cost(name, client, reverse(name, args=[lead_org.slug]), grow)


@pytest.mark.parametrize("name", ["audit:log", "audit:export"])
def test_the_audit_log_costs_the_same_with_few_and_many_rows(
    drafter, other_participant, moderator, name
):
    rec = make_recommendation(drafter, status="in_review")
    recs.record_on_recommendation(rec, actor=drafter, verb="edited", version=1)

    def grow() -> None:
        for i in range(40):
            actor = [drafter, other_participant, moderator][i % 3]
            recs.record_on_recommendation(rec, actor=actor, verb="edited", version=1)
        for i in range(3):
            make_recommendation(other_participant, status="in_review", title=f"More {i}")

    assert_same_cost(name, signed_in(moderator), reverse(name), grow)
