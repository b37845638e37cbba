# The renderer (articles/markdown.py) now keeps table cells out of the text search snippets are cut from
# (body_text) while still indexing them. Refresh body_text and the search vector of the articles already
# stored. body_html is left alone: what readers see is the attorney-approved HTML, so the new tel: links
# appear in an article when it is next saved and approved.

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Value

from articles.markdown import render_markdown

SEARCH_CONFIG = "lawsite_english"


def headings_text(toc) -> str:
    return " ".join([item["title"] for item in toc] + [c["title"] for item in toc for c in item["children"]])


def refresh_search_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "title", "summary", "body", "toc").iterator():
        rendered = render_markdown(article.body)
        Article.objects.filter(pk=article.pk).update(
            body_text=rendered.text,
            search_vector=SearchVector(Value(article.title), weight="A", config=SEARCH_CONFIG)
            + SearchVector(
                Value(f"{article.summary} {headings_text(article.toc)}"), weight="B", config=SEARCH_CONFIG
            )
            + SearchVector(Value(f"{rendered.text} {rendered.table_text}"), weight="C", config=SEARCH_CONFIG),
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_approve_existing_articles")]

    operations = [migrations.RunPython(refresh_search_text, migrations.RunPython.noop)]
