"""Old slugs: an article's earlier address answers 301 to its current one (Article.save records them)."""

from django.db import models


class ArticleRedirect(models.Model):
    """A slug an article used to have: /articles/<old_slug>/ answers 301 to the article's current address."""

    changes_public_pages = True

    old_slug = models.SlugField(max_length=160, unique=True)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"/articles/{self.old_slug}/ → {self.article.slug}"
