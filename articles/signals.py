from django.db import transaction


def article_changed(sender, **kwargs):
    """Keep the "Did you mean" vocabulary in step with published titles and headings."""
    if kwargs.get("raw"):
        return
    from articles.search import rebuild_vocabulary

    transaction.on_commit(rebuild_vocabulary)
