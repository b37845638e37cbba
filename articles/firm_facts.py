"""Facts about the firm that the site states as facts, each from a setting the firm must choose (README,
"Configuration"), in the reader's language (the Spanish is in locale/es/LC_MESSAGES/django.po).

`facts(language)` is the one place pages and emails get the firm's language-dependent sentences from: the
office hours, what happens to case expenses and who calls a Spanish-speaking visitor back. The compliance
wording, the other text that differs by language, is one table by language in articles/compliance.py.

- Office hours (`FIRM_OFFICE_HOURS`, articles/office_hours.py): worded in each language from the one setting,
  unless `FIRM_HOURS` / `FIRM_HOURS_ES` give the words for a language.

- Case expenses when nothing is recovered (`FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY`): said beside "no fee
  unless we recover" on the home and about pages, and in articles through the short form `{{firm:expenses}}`
  (rendered when the article is saved, like the time limits). The firm pays the expenses as a case goes on
  and they are repaid out of any recovery; the setting says whether a client repays them when there is none.
  New York allows either (Rules of Professional Conduct 1.8(e)), so only the firm can say which. Unset in
  production is an error (`check --deploy`, lawsite.E030) and pages fall back to "the written agreement says".
- Who calls a Spanish-speaking visitor back (`FIRM_SPANISH_SPEAKING_INTAKE`, default off): only a firm with
  Spanish-speaking intake staff may promise that someone who speaks Spanish will call; otherwise the Spanish
  pages say the call may be in English with an interpreter.

Changing a setting changes the pages at once; an article that quotes `{{firm:expenses}}` changes when it is
next saved, and like any edit its new text waits for an attorney's approval.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles import office_hours

EXPENSES_IF_NO_RECOVERY = {
    True: _("If nothing is recovered, you owe no legal fee, but you do have to pay back the case expenses."),
    False: _("If nothing is recovered, you owe nothing: no legal fee and no case expenses."),
    None: _(
        "The written agreement says whether you would have to pay back the case expenses if nothing is recovered."
    ),
}
SPANISH_CALL = {
    True: _("Someone who speaks Spanish will call you."),
    False: _("The call may be in English, with an interpreter."),
}
# `{{firm:NAME}}` in an article's Markdown: replaced by the sentence when the article is saved.
SHORT_FORM = re.compile(r"\{\{firm:([^{}\n]*)\}\}")
SHORT_FORMS = ("expenses",)


def facts(language: str) -> dict[str, str]:
    """The firm's facts as sentences in `language`, from settings.FIRM."""
    with translation.override(language):
        return {
            "hours": settings.FIRM["hours_wording"].get(language) or office_hours.words(language),
            "expenses": str(
                EXPENSES_IF_NO_RECOVERY[settings.FIRM.get("client_pays_expenses_if_no_recovery")]
            ),
            "spanish_call": str(SPANISH_CALL[bool(settings.FIRM.get("spanish_speaking_intake"))]),
        }


def unknown_short_forms(text: str) -> list[str]:
    """The `{{firm:…}}` forms in `text` that name no fact (saving such an article is refused)."""
    return [
        match.group(0) for match in SHORT_FORM.finditer(text) if match.group(1).strip() not in SHORT_FORMS
    ]


def expand(text: str, language: str) -> str:
    """`text` with each `{{firm:NAME}}` replaced by the fact's sentence in `language` (unknown ones are kept,
    for Article.clean to report)."""
    if "{{firm:" not in text:
        return text
    sentences = facts(language)

    def sentence(match):
        name = match.group(1).strip()
        return sentences[name] if name in SHORT_FORMS else match.group(0)

    return SHORT_FORM.sub(sentence, text)
