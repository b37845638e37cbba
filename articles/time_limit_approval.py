"""Approving a time limit, and with it every article that quotes it.

An article quotes a rule with the Markdown short form ({{limit:KEY}}), rendered when the article is saved
(articles/markdown.py). When an attorney approves a new wording of a rule, one approval covers the rule and
the new rendering of every article that quotes it, so readers see the new words everywhere at once:

- the approval screen (articles/admin/time_limits.py) shows the rule's changes and, for each quoting article,
  the words its rendered text gains and loses;
- the hash the screen carries covers the rule and the current text of each of those articles, so an edit of
  either after the screen was opened is refused (checked under row locks);
- on approval every quoting article's row is re-rendered; one that was approved before gets a new Approval
  in the same attorney's name, noting that it comes from the rule's approval. A change to such an article
  that waits in its draft keeps waiting (its screen renders it with the new wording).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from articles import textdiff
from articles.approval import record_rerendering, record_rule_approval
from articles.markdown import ShortFormError
from articles.models import Article, TimeLimitRule, short_form_rules
from articles.models.approved_content import drafts_of
from articles.models.time_limits import rule_from_snapshot

STALE_MESSAGE = (
    "Not approved: the rule, or an article that quotes it, changed after you opened this page, so nothing "
    "went live. The current text is below: read it, and approve it if it is right."
)


def quoting_articles(rule: TimeLimitRule):
    """Articles whose Markdown quotes the rule (any part of it)."""
    return Article.objects.filter(body__contains="{{limit:" + rule.key).filter(
        body__regex=r"\{\{limit:" + rule.key.replace("-", r"\-") + r"(\||\}\})"
    )


def bundle_hash(proposed: TimeLimitRule, articles) -> str:
    """What the approval screen shows: the rule's proposed text (``rule.proposed()``: its draft, if a change
    waits) and each quoting article's current text."""
    parts = [
        proposed.compute_hash(),
        *(f"{a.pk}:{a.content_hash}" for a in sorted(articles, key=lambda a: a.pk)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def proposed_rules(rule: TimeLimitRule, proposed: TimeLimitRule) -> dict:
    """The short-form rules as they will be once this rule's proposed text (``rule.proposed()``) is approved."""
    rules = short_form_rules()
    rules[rule.key] = rule_from_snapshot(proposed.snapshot())
    return rules


def article_changes(rule: TimeLimitRule, proposed: TimeLimitRule, articles) -> list[dict]:
    """For the approval screen: each quoting article (``articles``, in the order shown), what readers see of it
    now, and the words that change. One query says which of them have a change waiting in a draft."""
    rules = proposed_rules(rule, proposed)
    approved = [article.pk for article in articles if article.approved_version_id is not None]
    with_draft = set(drafts_of(Article).filter(object_id__in=approved).values_list("object_id", flat=True))
    changes = []
    for article in articles:
        live = article.body_html
        try:
            new = article.render_body(rules).html
        except ShortFormError as error:
            new = ""
            problem = " ".join(error.problems)
        else:
            problem = ""
        changes.append(
            {
                "article": article,
                "diff": textdiff.word_diff(live, new) if new else "",
                "changed": textdiff.has_changes(live, new) if new else False,
                "covered": article.approved_version_id is not None,
                "draft_waits": article.pk in with_draft,
                "never_approved": article.approved_version_id is None,
                "problem": problem,
            }
        )
    return changes


def approve_rule(*, rule: TimeLimitRule, person, user, shown_hash: str, note: str = "") -> list[Article]:
    """Approve the rule's current text and re-render the articles that quote it, as one change. Returns the
    articles whose new rendering this approval covers. Callers check that `person` may approve."""
    with transaction.atomic():
        locked = TimeLimitRule.objects.select_for_update().get(pk=rule.pk)
        articles = list(quoting_articles(locked).select_for_update(of=("self",)))
        proposed = locked.proposed()
        if bundle_hash(proposed, articles) != shown_hash:
            raise ValidationError(STALE_MESSAGE, code="stale")
        record_rule_approval(
            locked, user=user, name=person.name, note=note, shown_hash=proposed.compute_hash()
        )
        covered = []
        for article in articles:
            # The row re-rendered with the rule's newly approved wording (a waiting draft keeps waiting).
            if record_rerendering(
                obj=article,
                approved_by=person,
                user=user,
                note=f"Covered by the approval of the time limit “{locked.name}” ({locked.key}), which "
                "changed this article's rendering of it; nothing else in the article changed.",
            ):
                covered.append(article)
    rule.refresh_from_db()
    return covered
