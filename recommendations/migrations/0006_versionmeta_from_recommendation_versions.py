"""The text versions move into django-reversion: one revision per version, with a VersionMeta.

Every RecommendationVersion row becomes a Revision (date_created = the row's created_at,
user = its author, comment = its note) holding a Version of the recommendation (the row's
title, summary and body with the recommendation's other registered fields, ``version`` set to
the row's number) and a VersionMeta (number, note, author, organisation, merged_with,
restored_from, the rendered HTML and paragraphs, created_at). The revisions written on every
save beside the old table (status changes, approvals, drafters; they have no meta) are
deleted. 0005 then drops the old table.

Reversible: going back writes the RecommendationVersion rows again from the meta and the
serialized text (the revisions stay, as the old code kept revisions of its own).
"""

import json

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core import serializers
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast

# What recommendations/models.py registers with django-reversion when this was written (a
# migration keeps its own copy; the cached HTML and the counters stay out).
REGISTERED_FIELDS = [
    "title",
    "theme",
    "addressed",
    "summary",
    "body",
    "status",
    "lead_organisation",
    "co_drafters",
    "version",
    "approved_version",
    "final_version",
    "reason",
]
RECOMMENDATION = {"app_label": "recommendations", "model": "recommendation"}
OF_RECOMMENDATION = {f"content_type__{k}": v for k, v in RECOMMENDATION.items()}
CHUNK = 500


def versions_into_revisions(apps, schema_editor):
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    RecommendationVersion = apps.get_model("recommendations", "RecommendationVersion")
    VersionMeta = apps.get_model("recommendations", "VersionMeta")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")

    rows = RecommendationVersion.objects.using(db).order_by("recommendation_id", "number")
    if rows.exists():
        content_type, _created = ContentType.objects.using(db).get_or_create(**RECOMMENDATION)
        recs = Recommendation.objects.using(db).prefetch_related("co_drafters").in_bulk()
        for row in rows.iterator(chunk_size=CHUNK):
            rec = recs[row.recommendation_id]
            # The registered fields as this version had them: its own text and number, the
            # recommendation's other fields as they are now.
            rec.title, rec.summary, rec.body = row.title, row.summary, row.body
            rec.version = row.number
            revision = Revision.objects.using(db).create(
                date_created=row.created_at, user_id=row.author_id, comment=row.note
            )
            Version.objects.using(db).create(
                revision=revision,
                content_type=content_type,
                object_id=str(rec.pk),
                db=db,
                format="json",
                serialized_data=serializers.serialize("json", [rec], fields=REGISTERED_FIELDS),
                object_repr=row.title,
            )
            VersionMeta.objects.using(db).create(
                revision=revision,
                recommendation_id=row.recommendation_id,
                number=row.number,
                body_html=row.body_html,
                paragraphs=row.paragraphs,
                footnotes_html=row.footnotes_html,
                author_id=row.author_id,
                organisation_id=row.organisation_id,
                note=row.note,
                restored_from=row.restored_from,
                merged_with=row.merged_with,
                created_at=row.created_at,
            )

    # The old per-save revisions of recommendations: no meta, duplicates of the rows above or
    # status changes that the Activity rows record.
    stale = list(
        Revision.objects.using(db)
        .filter(recommendation_version__isnull=True, **{f"version__{k}": v for k, v in OF_RECOMMENDATION.items()})
        .values_list("pk", flat=True)
        .distinct()
    )
    for start in range(0, len(stale), CHUNK):
        chunk = stale[start : start + CHUNK]
        Version.objects.using(db).filter(revision_id__in=chunk, **OF_RECOMMENDATION).delete()
        # A revision that held something else too keeps that.
        Revision.objects.using(db).filter(pk__in=chunk, version__isnull=True).delete()


def revisions_into_versions(apps, schema_editor):
    db = schema_editor.connection.alias
    RecommendationVersion = apps.get_model("recommendations", "RecommendationVersion")
    VersionMeta = apps.get_model("recommendations", "VersionMeta")
    Version = apps.get_model("reversion", "Version")

    serialized = Version.objects.using(db).filter(
        revision=OuterRef("revision"),
        object_id=Cast(OuterRef("recommendation_id"), models.CharField()),
        **OF_RECOMMENDATION,
    )
    metas = (
        VersionMeta.objects.using(db)
        .annotate(serialized_data=Subquery(serialized.values("serialized_data")[:1]))
        .order_by("recommendation_id", "number")
    )
    for meta in metas.iterator(chunk_size=CHUNK):
        fields = json.loads(meta.serialized_data)[0]["fields"] if meta.serialized_data else {}
        row = RecommendationVersion.objects.using(db).create(
            recommendation_id=meta.recommendation_id,
            number=meta.number,
            title=fields.get("title", ""),
            summary=fields.get("summary", ""),
            body=fields.get("body", ""),
            body_html=meta.body_html,
            paragraphs=meta.paragraphs,
            footnotes_html=meta.footnotes_html,
            author_id=meta.author_id,
            organisation_id=meta.organisation_id,
            note=meta.note,
            restored_from=meta.restored_from,
            merged_with=meta.merged_with,
        )
        # created_at is auto_now_add on the old model: set it afterwards.
        RecommendationVersion.objects.using(db).filter(pk=row.pk).update(created_at=meta.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('recommendations', '0005_move_publication_out'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='VersionMeta',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('body_html', models.TextField()),
                ('paragraphs', models.JSONField(default=list)),
                ('footnotes_html', models.TextField(default='')),
                ('note', models.CharField(blank=True, max_length=300)),
                ('restored_from', models.PositiveIntegerField(blank=True, null=True)),
                ('merged_with', models.PositiveIntegerField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organisation')),
                ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='recommendations.recommendation')),
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='recommendation_version', to='reversion.revision')),
            ],
            options={
                'verbose_name': 'version',
                'verbose_name_plural': 'versions',
                'ordering': ['-number'],
            },
        ),
        migrations.AddConstraint(
            model_name='versionmeta',
            constraint=models.UniqueConstraint(fields=('recommendation', 'number'), name='one_text_version_per_number'),
        ),
        migrations.RunPython(versions_into_revisions, revisions_into_versions),
    ]
