from django.core.cache import cache
from django.db import transaction


def article_changed(sender, **kwargs):
    """Keep the "Did you mean" vocabulary in step with published titles and headings."""
    if kwargs.get("raw"):
        return
    from articles.search import rebuild_vocabulary

    transaction.on_commit(rebuild_vocabulary)


def synonyms_changed(sender, **kwargs):
    from articles.search import SYNONYMS_CACHE_KEY

    transaction.on_commit(lambda: cache.delete(SYNONYMS_CACHE_KEY))
