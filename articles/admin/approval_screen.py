"""The approval screen: the only way to approve an article (there is no bulk approval).

GET shows the text to approve as readers will get it (rendered, not Markdown) and, for an edit of an approved
article, the words added and removed since the approved version; its form carries the hash of exactly that
text. POST approves only if the text is still the one shown (articles/approval.py checks under a row lock).
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html

from articles import textdiff
from articles.approval import StaleApproval, approve_article, approver_for, editors_since_approval, what_waits
from articles.models import Article


def review_line(reviewed_by, last_reviewed_on) -> str:
    if not reviewed_by:
        return "(no reviewing attorney)"
    when = f" on {last_reviewed_on:%B %-d, %Y}" if last_reviewed_on else ""
    return f"Legally reviewed by {reviewed_by.name}{when}"


def changes(article: Article) -> list[dict]:
    """Each part of the text that differs from the approved version, with its words added and removed."""
    approval = article.approved_version
    if approval is None:
        return []
    before_review = review_line(approval.reviewed_by, approval.last_reviewed_on)
    after_review = review_line(article.reviewed_by, article.last_reviewed_on)
    parts = [
        ("Title", textdiff.text_diff(approval.title, article.title)),
        ("Summary", textdiff.text_diff(approval.summary, article.summary)),
        ("Legal review", textdiff.text_diff(before_review, after_review)),
        ("Body", textdiff.word_diff(approval.body_html, article.body_html)),
    ]
    return [{"label": label, "diff": diff} for label, diff in parts if textdiff.has_words(diff)]


class ApprovalScreenMixin:
    """For ArticleAdmin: the view at <id>/approve/."""

    def approval_screen(self, request, object_id):
        article = self.get_object(request, unquote(object_id))  # None for "abc" or a missing id: a 404
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such article.")
        article = (
            Article.objects.select_related(
                "reviewed_by", "approved_version__reviewed_by", "approved_version__approved_by"
            )
            .defer("body", "body_text", "search_vector")
            .get(pk=article.pk)
        )
        person = approver_for(request.user)
        if request.method == "POST":
            if person is None:
                raise PermissionDenied
            try:
                approve_article(
                    article=article, user=request.user, shown_hash=request.POST.get("content_hash", "")
                )
            except StaleApproval as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:articles_article_approve", article.pk)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"Not approved: {text}", messages.ERROR)
                return redirect("admin:articles_article_approve", article.pk)
            self.message_user(
                request,
                format_html("Approved “{}”. {}", article.title, "Published articles show this text now."),
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", article.pk)
        own_edit = person is not None and request.user.pk in editors_since_approval(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Approve: {article.title}",
            "what_waits": what_waits(article),
            "is_approved": article.is_approved,
            "changes": changes(article) if not article.is_approved else [],
            "review": review_line(article.reviewed_by, article.last_reviewed_on),
            "can_approve": person is not None,
            "own_edit": own_edit,
            "self_allowed": own_edit and self.self_approval_allowed(),
            "show_hash": "hash" in request.GET,
        }
        return TemplateResponse(request, "admin/articles/article/approve.html", context)

    @staticmethod
    def self_approval_allowed() -> bool:
        from django.conf import settings

        return settings.APPROVAL_ALLOW_SELF
