# ContentState now lives in articles (articles/migrations/0009_contentstate.py copies the row first).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lawsite", "0001_content_state"),
        ("articles", "0009_contentstate"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentState"),
    ]
