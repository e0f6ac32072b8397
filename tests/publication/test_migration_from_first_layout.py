"""A database of the first layout (endorsements, editions and activity inside the
recommendations app) migrated to the layout of apps: nothing is lost or altered, the
published edition still verifies, and the secretariat can still publish.

Runs on SQLite and, in the CI's second pass, on PostgreSQL.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import SECRETARIAT

# The last migrations of each app before the restructure (December 2026).
FIRST_LAYOUT = [
    ("accounts", "0001_initial"),
    ("recommendations", "0003_endorsements_and_editions"),
    ("comments", "0001_initial"),
]
MARKDOWN = "# Beirut 2017\n\nEdition 1, published 2017-11-08T16:30:00Z\n\n## Inclusion\n"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_first_layout(apps) -> dict:
    """Data as the first layout stored it, through its historical models."""
    user_model = apps.get_model("accounts", "User")
    organisation = apps.get_model("accounts", "Organisation")
    group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    content_type = apps.get_model("contenttypes", "ContentType")
    theme = apps.get_model("recommendations", "Theme")
    recommendation = apps.get_model("recommendations", "Recommendation")
    endorsement = apps.get_model("recommendations", "Endorsement")
    edition = apps.get_model("recommendations", "Edition")
    entry = apps.get_model("recommendations", "EditionEntry")
    activity = apps.get_model("recommendations", "Activity")

    # The permission as the first layout's post-migrate step created it, held by the
    # secretariat's group.
    edition_type, _ = content_type.objects.get_or_create(
        app_label="recommendations", model="edition"
    )
    publish, _ = permission.objects.get_or_create(
        content_type=edition_type, codename="publish_edition", defaults={"name": "Publish editions"}
    )
    add, _ = permission.objects.get_or_create(
        content_type=edition_type, codename="add_edition", defaults={"name": "Can add edition"}
    )
    secretariat_group, _ = group.objects.get_or_create(name=SECRETARIAT)
    secretariat_group.permissions.add(publish, add)

    org_group = group.objects.create(name="org:beirut-old")
    beirut = organisation.objects.create(
        name="Beirut (old)", slug="beirut-old", kind="city", country="Lebanon", group=org_group
    )
    rep = user_model.objects.create(username="old-rep")
    secretariat = user_model.objects.create(username="old-secretariat")
    secretariat.groups.add(secretariat_group)
    rec = recommendation.objects.create(
        title="One front door",
        theme=theme.objects.create(slug="old-inclusion", name="Inclusion", position=1),
        body="Text.",
        status="final",
        version=2,
        approved_version=2,
        final_version=2,
        lead_organisation=beirut,
        created_by=rep,
    )
    version = apps.get_model("recommendations", "RecommendationVersion")
    for number, body in ((1, "Draft."), (2, "Text.")):
        version.objects.create(
            recommendation=rec,
            number=number,
            title="One front door",
            body=body,
            body_html=f"<p>{body}</p>",
            paragraphs=[{"key": "p1", "html": f"<p>{body}</p>"}],
            author=rep,
            organisation=beirut,
        )
    live = endorsement.objects.create(
        recommendation=rec, organisation=beirut, representative=rep, version=2, statement="Yes."
    )
    withdrawn = endorsement.objects.create(
        recommendation=rec,
        organisation=beirut,
        representative=rep,
        version=1,
        withdrawn_at=timezone.now(),
        withdrawn_by=rep,
    )
    published = edition.objects.create(
        title="Beirut 2017",
        created_by=secretariat,
        number=1,
        published_at=timezone.now(),
        published_by=secretariat,
        markdown=MARKDOWN,
        sha256=hashlib.sha256(MARKDOWN.encode()).hexdigest(),
    )
    entry.objects.create(
        edition=published,
        recommendation=rec,
        position=1,
        title="One front door",
        theme_name="Inclusion",
        theme_slug="old-inclusion",
        addressed_to=["city"],
        version=2,
        text="Text.",
        text_html="<p>Text.</p>",
        endorsements=[{"organisation": "beirut-old", "name": "Beirut (old)", "kind": "city"}],
    )
    activity.objects.create(recommendation=rec, actor=rep, verb="endorsed", version=2)
    return {
        "rec": rec.pk,
        "endorsements": {live.pk, withdrawn.pk},
        "edition": published.pk,
        "secretariat": secretariat.pk,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_layout_database_keeps_everything_and_the_secretariat_can_still_publish():
    latest = _latest()
    try:
        old_apps = _migrate(FIRST_LAYOUT)
        made = _fill_first_layout(old_apps)
        _migrate(latest)

        from core.models import Activity
        from publication import services
        from publication.models import Edition, EditionEntry, Endorsement

        assert set(Endorsement.objects.values_list("pk", flat=True)) >= made["endorsements"]
        live = Endorsement.objects.live().get(recommendation_id=made["rec"])
        assert (live.version, live.statement) == (2, "Yes.")
        edition = Edition.objects.get(pk=made["edition"])
        assert edition.markdown == MARKDOWN
        assert edition.sha256 == hashlib.sha256(edition.markdown.encode()).hexdigest()
        entry = EditionEntry.objects.get(edition=edition)
        assert (entry.title, entry.version, entry.endorsements[0]["name"]) == (
            "One front door",
            2,
            "Beirut (old)",
        )
        assert Activity.objects.filter(recommendation_id=made["rec"], verb="endorsed").exists()
        assert Edition._meta.db_table == "publication_edition"

        # The secretariat's permission followed the model to its new app.
        group = Group.objects.get(name=SECRETARIAT)
        assert group.permissions.filter(
            content_type__app_label="publication", codename="publish_edition"
        ).exists()
        assert (
            not group.permissions.filter(content_type__app_label="recommendations")
            .exclude(content_type__model="recommendation")
            .exists()
        )
        secretariat = get_user_model().objects.get(pk=made["secretariat"])
        assert secretariat.has_perm("publication.publish_edition")
        draft = services.create_edition(title="Follow-up", preamble="Intro.", actor=secretariat)
        second = services.publish_edition(draft, actor=secretariat)
        assert second.number == 2
        assert second.entries.get(recommendation_id=made["rec"]).text == "Text."
    finally:
        _migrate(latest)
