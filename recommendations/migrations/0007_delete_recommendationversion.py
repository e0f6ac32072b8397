"""The versions live in django-reversion now (0004 copied them): the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0006_versionmeta_from_recommendation_versions'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RecommendationVersion',
        ),
    ]
