"""The data migration that moves the old RecommendationVersion rows into django-reversion.

Runs the real migrations with Django's MigrationExecutor: back to 0003, rows made through the
historical models, forward to the latest. Transactional (migrations cannot run inside the
test's transaction), and it always leaves the database migrated to the latest state.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recommendations import services
from recommendations.models import Recommendation, VersionMeta

BEFORE = [("recommendations", "0003_endorsements_and_editions")]
T0 = datetime(2017, 10, 2, 9, 30, tzinfo=UTC)


def _migrate(targets=None):
    """Migrate to ``targets`` (default: every app's latest) and answer the apps of that state
    (with django-reversion's models, which the recommendations migrations do not all need)."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = targets or leaves
    executor.migrate(targets)
    executor.loader.build_graph()
    reversion = [node for node in leaves if node[0] == "reversion"]
    return executor.loader.project_state([*targets, *reversion]).apps


@pytest.fixture
def old_apps(transactional_db, django_db_serialized_rollback):
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate()


def _paragraphs(*texts):
    return [{"key": f"p-{i}", "html": f"<p>{t}</p>"} for i, t in enumerate(texts)]


def _old_history(apps):
    """Two recommendations with versions in the old table (one with a merge and a restore),
    and the per-save revisions the old code wrote beside them."""
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    Theme = apps.get_model("recommendations", "Theme")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    RecommendationVersion = apps.get_model("recommendations", "RecommendationVersion")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")

    lisbon = Organisation.objects.create(
        name="Lisbon", slug="lisbon", kind="city", group=Group.objects.create(name="org:lisbon")
    )
    tunis = Organisation.objects.create(
        name="Tunis", slug="tunis", kind="city", group=Group.objects.create(name="org:tunis")
    )
    ana = User.objects.create(username="ana", password="!")
    sami = User.objects.create(username="sami", password="!")
    theme = Theme.objects.create(slug="employment", name="Employment")
    rec = Recommendation.objects.create(
        title="Jobs for all",
        theme=theme,
        addressed=",city,state,",
        summary="Work first.",
        body="Open the labour market.\n\nRecognise diplomas.",
        body_html="<p>Open the labour market.</p><p>Recognise diplomas.</p>",
        paragraphs=_paragraphs("Open the labour market.", "Recognise diplomas."),
        status="approved",
        lead_organisation=lisbon,
        version=4,
        approved_version=3,
        created_by=ana,
    )
    rec.co_drafters.add(tunis)
    other = Recommendation.objects.create(
        title="Schools",
        theme=theme,
        body="Every child in school.",
        body_html="<p>Every child in school.</p>",
        paragraphs=_paragraphs("Every child in school."),
        lead_organisation=tunis,
        created_by=sami,
    )
    rows = [
        # (recommendation, number, title, summary, body, author, organisation, note, merged, restored)
        (rec, 1, "Jobs", "", "Open the labour market.", ana, lisbon, "First draft", None, None),
        (rec, 2, "Jobs", "Work.", "Open the labour market.\n\nRecognise diplomas.", sami, tunis,
         "Diplomas", None, None),
        (rec, 3, "Jobs for all", "Work first.", "Open the labour market now.\n\nRecognise "
         "diplomas.", ana, lisbon, "Merged with version 2", 2, None),
        (rec, 4, "Jobs for all", "Work first.", "Open the labour market.\n\nRecognise diplomas.",
         ana, None, "Restored version 2", None, 2),
        (other, 1, "Schools", "", "Every child in school.", sami, tunis, "", None, None),
    ]  # fmt: skip
    expected = []
    for i, (r, number, title, summary, body, author, org, note, merged, restored) in enumerate(
        rows
    ):
        texts = body.split("\n\n")
        row = RecommendationVersion.objects.create(
            recommendation=r,
            number=number,
            title=title,
            summary=summary,
            body=body,
            body_html="".join(f"<p>{t}</p>" for t in texts),
            paragraphs=_paragraphs(*texts),
            footnotes_html=f'<div class="footnote">{number}</div>' if number == 3 else "",
            author=author,
            organisation=org,
            note=note,
            merged_with=merged,
            restored_from=restored,
        )
        created_at = T0 + timedelta(days=i)
        RecommendationVersion.objects.filter(pk=row.pk).update(created_at=created_at)
        expected.append(
            {
                "recommendation": r.pk,
                "number": number,
                "title": title,
                "summary": summary,
                "body": body,
                "body_html": row.body_html,
                "paragraphs": row.paragraphs,
                "footnotes_html": row.footnotes_html,
                "author": author.pk,
                "organisation": org.pk if org else None,
                "note": note,
                "merged_with": merged,
                "restored_from": restored,
                "created_at": created_at,
            }
        )
    # What the old code wrote with every save: one revision per version and per status change.
    rec_type, _ = ContentType.objects.get_or_create(
        app_label="recommendations", model="recommendation"
    )
    for n, comment in enumerate(["First draft", "Edited", "Submitted", "Merged", "Approved"]):
        revision = Revision.objects.create(user=ana, comment=comment, date_created=T0)
        Version.objects.create(
            revision=revision,
            content_type=rec_type,
            object_id=str(rec.pk),
            db="default",
            format="json",
            serialized_data=(
                f'[{{"model": "recommendations.recommendation", "pk": {rec.pk}, '
                f'"fields": {{"title": "old {n}", "version": {n}}}}}]'
            ),
            object_repr="Jobs",
        )
    # A revision of something else is none of this migration's business.
    theme_type, _ = ContentType.objects.get_or_create(app_label="recommendations", model="theme")
    kept = Revision.objects.create(user=ana, comment="A theme", date_created=T0)
    Version.objects.create(
        revision=kept,
        content_type=theme_type,
        object_id=str(theme.pk),
        db="default",
        format="json",
        serialized_data=f'[{{"model": "recommendations.theme", "pk": {theme.pk}, "fields": {{}}}}]',
        object_repr="Employment",
    )
    return expected, kept.pk


def _history():
    return [
        {
            "recommendation": v.recommendation_id,
            "number": v.number,
            "title": v.title,
            "summary": v.summary,
            "body": v.body,
            "body_html": v.body_html,
            "paragraphs": v.paragraphs,
            "footnotes_html": v.footnotes_html,
            "author": v.author_id,
            "organisation": v.organisation_id,
            "note": v.note,
            "merged_with": v.merged_with,
            "restored_from": v.restored_from,
            "created_at": v.created_at,
        }
        for v in VersionMeta.objects.with_text().order_by("recommendation_id", "number")
    ]


def test_old_versions_become_revisions_with_their_meta(old_apps):
    expected, kept_revision = _old_history(old_apps)

    _migrate()

    assert _history() == expected
    from reversion.models import Revision, Version

    assert "recommendations_recommendationversion" not in connection.introspection.table_names()
    # One revision per version (dated, signed and commented as the version), plus the
    # unrelated one; the old per-save revisions are gone.
    revisions = Revision.objects.select_related("recommendation_version").order_by("pk")
    assert sorted(r.pk for r in revisions if not hasattr(r, "recommendation_version")) == [
        kept_revision
    ]
    for revision in revisions:
        meta = getattr(revision, "recommendation_version", None)
        if meta is None:
            continue
        assert revision.date_created == meta.created_at
        assert (revision.user_id, revision.comment) == (meta.author_id, meta.note)
        (version,) = revision.version_set.all()
        fields = version.field_dict
        assert fields["version"] == meta.number and fields["title"] == meta.title
        rec = meta.recommendation
        # The other registered fields are the recommendation's.
        for name in ("theme_id", "addressed", "status", "approved_version", "lead_organisation_id"):
            assert fields[name] == getattr(rec, name)
        assert fields["co_drafters"] == list(rec.co_drafters.values_list("pk", flat=True))
        assert "body_html" not in fields
    assert Version.objects.filter(content_type__model="recommendation").count() == 5

    # The services read the moved history.
    rec = Recommendation.objects.get(title="Jobs for all")
    assert services.get_version(rec, 2).body == "Open the labour market.\n\nRecognise diplomas."
    assert services.get_version(rec, 1).title == "Jobs"


def test_the_move_can_be_undone_and_done_again(old_apps):
    expected, _kept = _old_history(old_apps)
    _migrate()

    back = _migrate(BEFORE)
    RecommendationVersion = back.get_model("recommendations", "RecommendationVersion")
    rows = RecommendationVersion.objects.order_by("recommendation_id", "number")
    assert [
        {
            "recommendation": r.recommendation_id,
            "number": r.number,
            "title": r.title,
            "summary": r.summary,
            "body": r.body,
            "body_html": r.body_html,
            "paragraphs": r.paragraphs,
            "footnotes_html": r.footnotes_html,
            "author": r.author_id,
            "organisation": r.organisation_id,
            "note": r.note,
            "merged_with": r.merged_with,
            "restored_from": r.restored_from,
            "created_at": r.created_at,
        }
        for r in rows
    ] == expected

    _migrate()
    assert _history() == expected
    from reversion.models import Revision

    assert Revision.objects.filter(recommendation_version__isnull=False).count() == 5
    assert Revision.objects.filter(recommendation_version__isnull=True).count() == 1
