"""Compliance wording (New York's attorney-advertising rules), kept in one place for the whole site.

It lives in the articles app, the site's public content, so that every page (through
articles/context_processors.py) and the consultation form and its emails (consultations/ builds on
articles/) read the same text. Switches live in settings.COMPLIANCE.

Change a text here and bump its version when counsel revises it: consultation requests store
the version of the disclaimer the visitor acknowledged. The Spanish site (/es/) shows the Spanish wording
below, which has its own disclaimer version; both must be revised together.
"""

from django.utils.html import format_html

ATTORNEY_ADVERTISING = "Attorney Advertising"
# The Spanish pages keep the English words the rule prescribes (Rule 7.1(f)) and add the Spanish; the English
# words are marked as English for screen readers.
ATTORNEY_ADVERTISING_ES = f"{ATTORNEY_ADVERTISING} / Publicidad de abogados"

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

# The Spanish site's wording (same meaning, written for Spanish-speaking New Yorkers, reviewed separately),
# in the same parts as the English notice, with its own version.
FORM_DISCLAIMER_VERSION_ES = "es-2026-12-05"
_NO_RELATIONSHIP_ES = (
    "Enviar este formulario no convierte a Leav & Steinberg LLP en sus abogados, y no existe una relación "
    "entre abogado y cliente hasta que la acordemos por escrito."
)
_NO_CONFIDENTIAL_DETAILS_ES = (
    "Por favor, no incluya todavía detalles confidenciales; una descripción breve es suficiente para que lo "
    "llamemos."
)
_GENERAL_INFORMATION_ES = "Lo que usted lee en este sitio es información general, no asesoramiento legal."
_CONFLICTS_ES = (
    "Antes de hablar de su caso verificamos que no haya conflictos de interés, porque es posible que el bufete "
    "ya represente a otra persona involucrada."
)
# Every text by language: pages and emails read the one for their language (through wording()).
WORDING = {
    "en": {
        "attorney_advertising": ATTORNEY_ADVERTISING,
        "attorney_advertising_html": ATTORNEY_ADVERTISING,
        "prior_results": PRIOR_RESULTS,
        "article_notice": ARTICLE_NOTICE,
        "form_disclaimer": FORM_DISCLAIMER,
        "after_sending_reminder": AFTER_SENDING_REMINDER,
        "form_disclaimer_version": FORM_DISCLAIMER_VERSION,
    },
    "es": {
        "attorney_advertising": ATTORNEY_ADVERTISING_ES,
        "attorney_advertising_html": format_html(
            '<span lang="en">{}</span> / Publicidad de abogados', ATTORNEY_ADVERTISING
        ),
        "prior_results": "Los resultados obtenidos en casos anteriores no garantizan un resultado similar.",
        "article_notice": (
            "Este artículo ofrece información general sobre la ley de Nueva York. No es asesoramiento legal "
            "sobre su situación, y leerlo no lo convierte en nuestro cliente. Los plazos y las reglas cambian "
            "y dependen de los hechos de cada caso, así que le recomendamos hablar con un abogado sobre el suyo."
        ),
        "form_disclaimer": " ".join(
            [_NO_RELATIONSHIP_ES, _NO_CONFIDENTIAL_DETAILS_ES, _GENERAL_INFORMATION_ES, _CONFLICTS_ES]
        ),
        "after_sending_reminder": " ".join([_NO_RELATIONSHIP_ES, _GENERAL_INFORMATION_ES, _CONFLICTS_ES]),
        "form_disclaimer_version": FORM_DISCLAIMER_VERSION_ES,
    },
}


def wording(language: str) -> dict[str, str]:
    """The compliance texts (and the form disclaimer's version) for pages and emails in this language."""
    return WORDING["es" if language == "es" else "en"]
