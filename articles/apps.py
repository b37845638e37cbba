from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.models.signals import post_delete, post_save

        from articles import emails, signals
        from articles.context_processors import forget_site_context
        from articles.models import Approval, Article
        from articles.page_cache import connect_invalidation

        post_save.connect(signals.article_changed, sender=Article, dispatch_uid="articles-vocabulary-save")
        post_delete.connect(
            signals.article_changed, sender=Article, dispatch_uid="articles-vocabulary-delete"
        )
        # An approval can put an article live, which changes the "Did you mean" vocabulary too.
        post_save.connect(
            signals.article_changed, sender=Approval, dispatch_uid="articles-vocabulary-approval"
        )
        signals.connect_file_cleanup(Article)  # a replaced or removed social image leaves no public file
        emails.register()  # approval requests and review reminders, sent through the outbox
        # Every model marked changes_public_pages, in any app, clears the page cache when it changes.
        connect_invalidation()
        setting_changed.connect(forget_site_context, dispatch_uid="articles-site-context")
