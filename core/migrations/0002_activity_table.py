# The moved activity table takes the name of its app (recommendations_activity -> core_activity).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("recommendations", "0004_move_activity_to_core"),
    ]

    operations = [
        migrations.AlterModelTable(name="activity", table=None),
    ]
