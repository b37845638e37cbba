# Articles are rendered when saved. The renderer (articles/markdown.py) now links phone numbers (tel:) and
# keeps table cells out of the snippet text, so render the articles already stored once more. Only the
# derived columns change; the text, "Updated" date and history stay as they are.

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Value

from articles.markdown import render_markdown

SEARCH_CONFIG = "lawsite_english"


def headings_text(toc) -> str:
    return " ".join([item["title"] for item in toc] + [c["title"] for item in toc for c in item["children"]])


def rerender(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "title", "summary", "body").iterator():
        rendered = render_markdown(article.body)
        Article.objects.filter(pk=article.pk).update(
            body_html=rendered.html,
            body_text=rendered.text,
            toc=rendered.toc,
            reading_minutes=rendered.reading_minutes,
            search_vector=SearchVector(Value(article.title), weight="A", config=SEARCH_CONFIG)
            + SearchVector(
                Value(f"{article.summary} {headings_text(rendered.toc)}"), weight="B", config=SEARCH_CONFIG
            )
            + SearchVector(Value(f"{rendered.text} {rendered.table_text}"), weight="C", config=SEARCH_CONFIG),
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_contentstate")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
