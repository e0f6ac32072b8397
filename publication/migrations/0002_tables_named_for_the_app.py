# The moved tables (and the endorsement index) take the names of their new app.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("publication", "0001_initial"),
        ("recommendations", "0005_move_publication_out"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="endorsement",
            new_name="publication_organis_ece2fe_idx",
            old_name="recommendat_organis_d9bd18_idx",
        ),
        migrations.AlterModelTable(name="edition", table=None),
        migrations.AlterModelTable(name="editionentry", table=None),
        migrations.AlterModelTable(name="endorsement", table=None),
    ]
