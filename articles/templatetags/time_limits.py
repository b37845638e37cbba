from django import template

from articles.i18n import current_language

register = template.Library()


@register.filter
def rule_words(rule, part: str) -> str:
    """{{ rule|rule_words:"period" }}: one part of a time limit's approved wording in the page's language."""
    return rule.words(part, current_language())
