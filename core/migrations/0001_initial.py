# The activity rows move from the recommendations app to core without copying: the model is
# created in the migration state only, on the existing table; 0002 renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("recommendations", "0003_endorsements_and_editions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(blank=True, max_length=30)),
                        ("verb", models.CharField(max_length=40)),
                        ("version", models.PositiveIntegerField(blank=True, null=True)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="accounts.organisation")),
                        ("recommendation", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="activities", to="recommendations.recommendation")),
                    ],
                    options={
                        "verbose_name": "activity",
                        "verbose_name_plural": "activities",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "recommendations_activity",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
