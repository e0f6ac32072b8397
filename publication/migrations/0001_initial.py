# Endorsements and editions move from the recommendations app to publication without copying:
# the models are created in the migration state only, on the existing tables (0002 renames
# them); recommendations.0005 removes them from its state and relabels their content types,
# so the secretariat keeps its permission to publish.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('recommendations', '0004_move_activity_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Edition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('preamble', models.TextField(blank=True, verbose_name='preamble (Markdown)')),
                        ('preamble_html', models.TextField(default='', editable=False)),
                        ('number', models.PositiveIntegerField(blank=True, null=True, unique=True, verbose_name='number')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('markdown', models.TextField(default='', editable=False)),
                        ('sha256', models.CharField(default='', editable=False, max_length=64)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'recommendations_edition',
                        'verbose_name': 'edition',
                        'verbose_name_plural': 'editions',
                        'ordering': ['-published_at', '-pk'],
                        'permissions': [('publish_edition', 'Publish editions')],
                    },
                ),
                migrations.CreateModel(
                    name='EditionEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField()),
                        ('title', models.CharField(max_length=200)),
                        ('theme_name', models.CharField(max_length=200)),
                        ('theme_slug', models.SlugField(max_length=80)),
                        ('addressed_to', models.JSONField(default=list)),
                        ('version', models.PositiveIntegerField()),
                        ('text', models.TextField()),
                        ('text_html', models.TextField()),
                        ('endorsements', models.JSONField(default=list)),
                        ('edition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='publication.edition')),
                        ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='edition_entries', to='recommendations.recommendation')),
                    ],
                    options={
                        'db_table': 'recommendations_editionentry',
                        'ordering': ['edition', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('edition', 'position'), name='one_entry_per_position')],
                    },
                ),
                migrations.CreateModel(
                    name='Endorsement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='version endorsed')),
                        ('statement', models.TextField(blank=True, verbose_name='statement')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='endorsements', to='accounts.organisation', verbose_name='organisation')),
                        ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='endorsements', to='recommendations.recommendation', verbose_name='recommendation')),
                        ('representative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='representative')),
                        ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'recommendations_endorsement',
                        'verbose_name': 'endorsement',
                        'verbose_name_plural': 'endorsements',
                        'ordering': ['recommendation', 'organisation__name', 'pk'],
                        'indexes': [models.Index(fields=['organisation', 'withdrawn_at'], name='recommendat_organis_d9bd18_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('recommendation', 'organisation'), name='one_live_endorsement_per_organisation')],
                    },
                ),
            ],
        ),
    ]
