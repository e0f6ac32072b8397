"""Sections that higher apps add to an edition (core.documents): frozen at publication, part
of the hashed Markdown, shown on the page, and never re-read from live data afterwards."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from core import documents
from publication.canonical import utc_iso
from tests.publication.helpers import final, publish, theme

pytestmark = pytest.mark.django_db

STATE = {"pledges": ["Lyon: a language desk by 2018"]}


@pytest.fixture
def sections():
    documents.register(
        "test.front",
        documents.EditionSection(
            place="front_matter",
            snapshot=lambda edition, entries: {"conference": "Beirut 2017"},
            markdown=lambda data, language: f"conference: {data['conference']}",
        ),
    )
    documents.register(
        "test.pledges",
        documents.EditionSection(
            place="after_recommendations",
            snapshot=lambda edition, entries: {"pledges": list(STATE["pledges"])},
            markdown=lambda data, language: (
                "## Pledges\n\n" + "\n".join(f"- {p}" for p in data["pledges"])
            ),
            template="test_pledges.html",
        ),
    )
    documents.register(
        "test.nothing",
        documents.EditionSection(
            place="before_recommendations",
            snapshot=lambda edition, entries: None,
            markdown=lambda data, language: "## Never shown",
        ),
    )
    yield
    for key in ("test.front", "test.pledges", "test.nothing"):
        documents.registry.unregister(key)


@pytest.fixture
def template_dir(settings, tmp_path):
    (tmp_path / "test_pledges.html").write_text(
        '<section id="pledges">{% for p in data.pledges %}<p>{{ p }}</p>{% endfor %}</section>'
    )
    # Assigned, not mutated in place: the change signal resets the template engines, so a
    # render cached earlier in the run (the PDF, a page) sees the new folder.
    first = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**first, "DIRS": [*first["DIRS"], str(tmp_path)]},
        *settings.TEMPLATES[1:],
    ]


def test_sections_are_frozen_into_the_hashed_markdown_and_the_page(
    sections, template_dir, drafter, moderator, secretariat
):
    final(
        drafter, moderator, secretariat, title="Housing first", theme=theme("housing", "Housing", 0)
    )
    edition = publish(secretariat)
    assert edition.markdown.startswith("---\nconference: Beirut 2017\nedition: 1\ndate: "), (
        "the sections' lines come first, then the edition's own"
    )
    assert "\nlanguage: en\n---\n\n# " in edition.markdown
    assert edition.markdown.endswith("## Pledges\n\n- Lyon: a language desk by 2018\n")
    assert "Never shown" not in edition.markdown
    assert edition.sha256 == hashlib.sha256(edition.markdown.encode()).hexdigest()
    assert set(edition.sections) == {"test.front", "test.pledges"}

    STATE["pledges"] = ["changed after publication"]
    page = Client().get(edition.get_absolute_url())
    assert page.status_code == 200
    assert b"Lyon: a language desk by 2018" in page.content
    assert b"changed after publication" not in page.content


def test_an_edition_without_sections_has_only_its_own_front_matter(drafter, moderator, secretariat):
    final(
        drafter, moderator, secretariat, title="Housing first", theme=theme("housing", "Housing", 0)
    )
    edition = publish(secretariat)
    assert edition.sections == {}
    assert edition.markdown.startswith(
        f"---\nedition: 1\ndate: {utc_iso(edition.published_at)}\nlanguage: en\n---\n\n# "
    )


def test_a_section_in_an_unknown_place_is_refused():
    with pytest.raises(ValueError, match="unknown edition place"):
        documents.register(
            "test.bad",
            documents.EditionSection(place="footer", snapshot=dict, markdown=str),
        )
