from django.db import transaction

from articles.search import rebuild_vocabulary


def article_changed(sender, **kwargs):
    """Keep the "Did you mean" vocabulary in step with published titles and headings."""
    if kwargs.get("raw"):
        return
    transaction.on_commit(rebuild_vocabulary)
