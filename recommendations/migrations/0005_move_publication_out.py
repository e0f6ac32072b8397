# Endorsements and editions now live in the publication app (publication.0001 took the tables
# over in the state). The rows stay where they are; the content types follow, and with them
# the "publish edition" and "add edition" permissions the secretariat's group holds.

from django.db import migrations

from core.migration_helpers import relabel_content_types

MOVED = ["endorsement", "edition", "editionentry"]


def forwards(apps, schema_editor):
    relabel_content_types(apps, "recommendations", "publication", MOVED)


def backwards(apps, schema_editor):
    relabel_content_types(apps, "publication", "recommendations", MOVED)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("publication", "0001_initial"),
        ("recommendations", "0004_move_activity_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EditionEntry"),
                migrations.DeleteModel(name="Endorsement"),
                migrations.DeleteModel(name="Edition"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
