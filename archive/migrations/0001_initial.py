"""The advertising archive becomes an app of its own (archive/): its four models, with their rows, now belong here.
The tables keep their names (articles_archive...) and nothing in the database changes;
articles/migrations/0022_archive_moves_out.py lets go of them and moves their content types (and so the Editors'
"view" permissions) to this app."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # The tables as the articles app left them.
    dependencies = [("articles", "0020_archive_run_status_and_manifest_digest")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ArchiveRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('trigger', models.CharField(choices=[('change', 'Content changed or went live'), ('command', 'By hand (archive_site)'), ('periodic', 'Periodic (90 days)')], max_length=10)),
                        ('reason', models.CharField(max_length=200)),
                        ('page_count', models.PositiveIntegerField(default=0)),
                        ('stored_count', models.PositiveIntegerField(default=0, help_text='Pages that differed from their latest copy.')),
                        ('status', models.CharField(choices=[('done', 'Done: every page captured'), ('failed', 'Failed: some pages did not answer')], default='done', max_length=10)),
                        ('error', models.TextField(blank=True, help_text='For a failed run: the pages that did not answer, and how.')),
                        ('manifest_sha256', models.CharField(blank=True, help_text="sha256 of this run's manifest (its pages and their sha256), as written into every export.", max_length=64, verbose_name='manifest sha256')),
                    ],
                    options={
                        'verbose_name': 'archive run',
                        'db_table': 'articles_archiverun',
                        'ordering': ['-started_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ArchiveCapture',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.CharField(max_length=500)),
                        ('captured_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('reason', models.CharField(max_length=200)),
                        ('sha256', models.CharField(max_length=64)),
                        ('html_gzip', models.BinaryField()),
                        ('size', models.PositiveIntegerField(help_text='Bytes of HTML before compression.')),
                        ('approved_by', models.CharField(blank=True, help_text='For an article: who approved the text shown.', max_length=200, verbose_name='approving attorney')),
                        ('run', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='captures', to='archive.archiverun')),
                    ],
                    options={
                        'verbose_name': 'archived page',
                        'db_table': 'articles_archivecapture',
                        'ordering': ['-captured_at', 'url'],
                    },
                ),
                migrations.CreateModel(
                    name='ArchiveRunPage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.CharField(max_length=500)),
                        ('capture', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='run_pages', to='archive.archivecapture')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pages', to='archive.archiverun')),
                    ],
                    options={
                        'db_table': 'articles_archiverunpage',
                        'ordering': ['url'],
                    },
                ),
                migrations.CreateModel(
                    name='ArchiveState',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                        ('content_signature', models.CharField(blank=True, max_length=40)),
                        ('last_periodic_at', models.DateTimeField(blank=True, null=True)),
                        ('failures', models.PositiveIntegerField(default=0, help_text='Failed captures in a row.')),
                        ('retry_at', models.DateTimeField(blank=True, help_text='No automatic capture before this.', null=True)),
                    ],
                    options={
                        'db_table': 'articles_archivestate',
                        'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='archivestate_single_row')],
                    },
                ),
                migrations.AddIndex(
                    model_name='archivecapture',
                    index=models.Index(fields=['url', '-captured_at'], name='archive_url_latest'),
                ),
                migrations.AddConstraint(
                    model_name='archiverunpage',
                    constraint=models.UniqueConstraint(fields=('run', 'url'), name='archive_run_page_once'),
                ),
            ],
        ),
    ]
