"""Compliance wording (New York's attorney-advertising rules), kept in one place for the whole site.

It lives in the articles app, the site's public content, so that every page (through
articles/context_processors.py) and the consultation form and its emails (consultations/ builds on
articles/) read the same text. Switches live in settings.COMPLIANCE.

Change a text here and bump its version when counsel revises it: consultation requests store
the version of the disclaimer the visitor acknowledged.
"""

ATTORNEY_ADVERTISING = "Attorney Advertising"

PRIOR_RESULTS = "Prior results do not guarantee a similar outcome."

ARTICLE_NOTICE = (
    "This article gives general information about New York law. It is not legal advice about "
    "your situation, and reading it does not make you our client. Deadlines and rules change and "
    "depend on the facts, so please speak with a lawyer about your own case."
)

FORM_DISCLAIMER_VERSION = "2026-11-25"
# The form's notice, in parts: the visitor acknowledges all of it before sending. After sending (thanks
# page, confirmation email) the reminder leaves out the request not to send confidential details, which
# no longer applies.
_NO_RELATIONSHIP = (
    "Sending this form does not make Leav & Steinberg LLP your lawyers, and no attorney-client "
    "relationship exists until we agree to it in writing."
)
_NO_CONFIDENTIAL_DETAILS = (
    "Please do not include confidential details yet; a short description is enough for us to call you back."
)
_GENERAL_INFORMATION = "What you read on this site is general information, not legal advice."
_CONFLICTS = (
    "Before we talk about your case we check for conflicts, because the firm may already represent "
    "someone else involved."
)
FORM_DISCLAIMER = " ".join([_NO_RELATIONSHIP, _NO_CONFIDENTIAL_DETAILS, _GENERAL_INFORMATION, _CONFLICTS])
AFTER_SENDING_REMINDER = " ".join([_NO_RELATIONSHIP, _GENERAL_INFORMATION, _CONFLICTS])
