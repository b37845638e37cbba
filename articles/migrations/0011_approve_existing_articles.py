# Approvals start here. So that nothing already live disappears, every article already set to publish
# gets an approval recorded *by this migration* in the name of its reviewing attorney, with a note that
# says so (it is not a new sign-off). Drafts get none. Every article gets its content hash.

from django.db import migrations
from django.utils import timezone

from articles.models import approval_hash

MIGRATION_NOTE = (
    "Recorded by a migration when approvals were introduced: the reviewing attorney's legal review at that "
    "time stands as the approval. Not a new sign-off."
)


def approve_existing(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleApproval = apps.get_model("articles", "ArticleApproval")
    now = timezone.now()
    for article in Article.objects.all():
        article.content_hash = approval_hash(
            title=article.title,
            summary=article.summary,
            body_html=article.body_html,
            reviewed_by_id=article.reviewed_by_id,
            last_reviewed_on=article.last_reviewed_on,
        )
        if article.status == "published" and article.reviewed_by_id:
            article.approved_version = ArticleApproval.objects.create(
                article=article,
                approved_by_id=article.reviewed_by_id,
                approved_at=now,
                content_hash=article.content_hash,
                note=MIGRATION_NOTE,
                title=article.title,
                summary=article.summary,
                body_html=article.body_html,
                toc=article.toc,
                reading_minutes=article.reading_minutes,
                reviewed_by_id=article.reviewed_by_id,
                last_reviewed_on=article.last_reviewed_on,
                text_updated_at=article.updated_at,
            )
        article.save(update_fields=["content_hash", "approved_version"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_article_approval")]

    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
