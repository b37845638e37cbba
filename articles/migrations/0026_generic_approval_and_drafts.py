# The public row becomes the approved one (articles/models/approval.py). ArticleApproval becomes the generic
# Approval record (content type + id, the approved values as JSON; ArticleApproval stays as a proxy of it),
# and edits of approved content wait in a Draft. An article edited after its last approval is not
# grandfathered: its current values move into a draft and the row goes back to the values approved then
# (the approval's copy of the text, and the article's history at that time for the fields the copy lacked).

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models import Value
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models.approved_content import values_hash

SEARCH_CONFIG = {"en": "lawsite_english", "es": "lawsite_spanish"}
FIELDS = (
    "title", "slug", "summary", "seo_title", "social_image", "body", "author", "reviewed_by", "last_reviewed_on",
    "practice_area",
)  # fmt: skip
FROM_HISTORY = ("slug", "seo_title", "social_image", "body", "author", "practice_area")


def dump(row, name):
    value = getattr(row, f"{name}_id") if name in {"author", "reviewed_by", "practice_area"} else getattr(row, name)
    if name == "social_image":
        return value.name or "" if value else ""
    if name == "last_reviewed_on":
        return value.isoformat() if value else None
    return value


def headings_text(toc) -> str:
    return " ".join([item["title"] for item in toc] + [c["title"] for item in toc for c in item["children"]])


def to_generic(apps, schema_editor):
    Approval = apps.get_model("articles", "Approval")
    Article = apps.get_model("articles", "Article")
    Draft = apps.get_model("articles", "Draft")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    for approval in Approval.objects.all():
        approval.content_type = article_type
        approval.object_id = approval.article_id
        approval.data = {
            "title": approval.title,
            "summary": approval.summary,
            "body_html": approval.body_html,
            "toc": approval.toc,
            "reading_minutes": approval.reading_minutes,
            "reviewed_by": approval.reviewed_by_id,
            "last_reviewed_on": approval.last_reviewed_on.isoformat() if approval.last_reviewed_on else None,
            "text_updated_at": approval.text_updated_at.isoformat(),
        }
        approval.save(update_fields=["content_type", "object_id", "data"])
    for article in Article.objects.filter(approved_version__isnull=False).select_related("approved_version"):
        approval = article.approved_version
        current = {name: dump(article, name) for name in FIELDS}
        then = (
            HistoricalArticle.objects.filter(id=article.pk, history_date__lte=approval.approved_at)
            .order_by("-history_date")
            .first()
        )
        approved = {name: dump(then, name) if then else current[name] for name in FROM_HISTORY}
        approved.update(
            title=approval.title,
            summary=approval.summary,
            reviewed_by=approval.reviewed_by_id,
            last_reviewed_on=approval.last_reviewed_on.isoformat() if approval.last_reviewed_on else None,
        )
        if approved == current:
            continue
        Draft.objects.create(
            content_type=article_type, object_id=article.pk, data=current, content_hash=values_hash(current)
        )
        language = article.language
        text = " ".join(strip_tags(approval.body_html).split())  # the approved text as readers read it
        Article.objects.filter(pk=article.pk).update(
            title=approved["title"],
            slug=approved["slug"],
            summary=approved["summary"],
            seo_title=approved["seo_title"],
            social_image=approved["social_image"],
            body=approved["body"],
            author_id=approved["author"],
            reviewed_by_id=approved["reviewed_by"],
            last_reviewed_on=approval.last_reviewed_on,
            practice_area_id=approved["practice_area"],
            body_html=approval.body_html,
            toc=approval.toc,
            reading_minutes=approval.reading_minutes,
            updated_at=approval.text_updated_at or timezone.now(),
            body_text=text,
            search_vector=SearchVector(Value(approved["title"]), weight="A", config=SEARCH_CONFIG[language])
            + SearchVector(
                Value(f"{approved['summary']} {headings_text(approval.toc)}"),
                weight="B",
                config=SEARCH_CONFIG[language],
            )
            + SearchVector(Value(text), weight="C", config=SEARCH_CONFIG[language]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0025_time_limit_translations"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="articleapproval", name="approval_article_latest"),
        migrations.RenameModel("ArticleApproval", "Approval"),
        migrations.AddField(
            model_name="approval",
            name="content_type",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"
            ),
        ),
        migrations.AddField(model_name="approval", name="object_id", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(
            model_name="approval",
            name="data",
            field=models.JSONField(default=dict, help_text="Exactly what was shown and approved.", verbose_name="approved values"),
        ),
        migrations.CreateModel(
            name="Draft",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                ("data", models.JSONField(verbose_name="proposed values")),
                ("content_hash", models.CharField(help_text="sha256 of the proposed values, as they would show.", max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "change waiting for approval",
                "verbose_name_plural": "changes waiting for approval",
                "constraints": [
                    models.UniqueConstraint(fields=("content_type", "object_id"), name="draft_one_per_object")
                ],
            },
        ),
        migrations.RunPython(to_generic, migrations.RunPython.noop),
        migrations.RemoveField(model_name="approval", name="article"),
        migrations.RemoveField(model_name="approval", name="title"),
        migrations.RemoveField(model_name="approval", name="summary"),
        migrations.RemoveField(model_name="approval", name="body_html"),
        migrations.RemoveField(model_name="approval", name="toc"),
        migrations.RemoveField(model_name="approval", name="reading_minutes"),
        migrations.RemoveField(model_name="approval", name="reviewed_by"),
        migrations.RemoveField(model_name="approval", name="last_reviewed_on"),
        migrations.RemoveField(model_name="approval", name="text_updated_at"),
        migrations.AlterField(
            model_name="approval",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"
            ),
        ),
        migrations.AlterField(model_name="approval", name="object_id", field=models.PositiveBigIntegerField()),
        migrations.AlterField(
            model_name="approval",
            name="content_hash",
            field=models.CharField(help_text="sha256 of the approved values, as shown.", max_length=64),
        ),
        migrations.AlterField(
            model_name="approval",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="approvals",
                to="articles.person",
                verbose_name="approving attorney",
            ),
        ),
        migrations.AddIndex(
            model_name="approval",
            index=models.Index(fields=["content_type", "object_id", "-approved_at"], name="approval_object_latest"),
        ),
        migrations.CreateModel(
            name="ArticleApproval",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("articles.approval",),
        ),
    ]
