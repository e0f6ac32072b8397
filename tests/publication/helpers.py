"""Helpers of the endorsement and publication tests: organisations with representatives,
recommendations brought to a state, editions published, all through the services."""

from __future__ import annotations

from publication import services as publication
from recommendations import services
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    representative_of,
)


def org_with_rep(slug: str, kind: str = "city", name: str | None = None):
    """An organisation of ``kind`` and its representative (username ``<slug>-rep``)."""
    org = OrganisationFactory(slug=slug, name=name or slug.replace("-", " ").title(), kind=kind)
    return org, representative_of(org, f"{slug}-rep")


def approved(drafter, moderator, *, title="Welcome points", versions=1, theme=None, body=None):
    kwargs = {"body": body} if body else {}
    return make_recommendation(
        drafter,
        status="approved",
        versions=versions,
        moderator=moderator,
        title=title,
        theme=theme,
        **kwargs,
    )


def new_version(rec, author, addition="A later addition."):
    """Save a new version of ``rec`` (its approved version stays as it is)."""
    return services.edit_recommendation(
        rec, actor=author, base_version=rec.version, body=f"{rec.body}\n\n{addition}"
    ).recommendation


def approve_latest(rec, moderator):
    return services.approve_version(rec, version=rec.version, actor=moderator)


def final(drafter, moderator, secretariat, *, title, theme=None, body=None, endorsers=()):
    """A final recommendation, endorsed before finalising by ``endorsers``
    ``[(organisation, representative, statement)]``."""
    rec = approved(drafter, moderator, title=title, theme=theme, body=body)
    for org, rep, statement in endorsers:
        publication.endorse(rec, organisation=org, statement=statement, actor=rep)
    return services.finalise_recommendation(rec, actor=secretariat)


def publish(secretariat, title="Beirut 2017", preamble="The *conference* text."):
    edition = publication.create_edition(title=title, preamble=preamble, actor=secretariat)
    return publication.publish_edition(edition, actor=secretariat)


def theme(slug: str, name: str, position: int):
    t = ThemeFactory(slug=slug, name=name)
    t.position = position
    t.save()
    return t
