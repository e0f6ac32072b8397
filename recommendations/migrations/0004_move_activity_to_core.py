# Activity now lives in core (core.0001 took the table over in the state). The rows stay where
# they are; the content type follows, so that nothing pointing at it is orphaned.

from django.db import migrations

from core.migration_helpers import relabel_content_types


def forwards(apps, schema_editor):
    relabel_content_types(apps, "recommendations", "core", ["activity"])


def backwards(apps, schema_editor):
    relabel_content_types(apps, "core", "recommendations", ["activity"])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("recommendations", "0003_endorsements_and_editions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Activity")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
