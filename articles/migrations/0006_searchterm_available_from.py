import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_more_synonyms")]

    operations = [
        migrations.AddField(
            model_name="searchterm",
            name="available_from",
            # Rows already there are words of live articles: available from now on.
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="When the first article using this word went live.",
            ),
            preserve_default=False,
        ),
    ]
