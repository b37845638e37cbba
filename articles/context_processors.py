from functools import cache

from django.conf import settings

from articles import compliance


@cache
def site_context() -> dict:
    """The firm's identity (settings.FIRM) and compliance wording, for every template and email.

    Built once per process from settings: no database query per request."""
    firm = {
        **settings.FIRM,
        "phone_href": "tel:+1" + "".join(c for c in settings.FIRM["phone"] if c.isdigit())[-10:],
    }
    return {
        "firm": firm,
        "legal_service": {
            "@context": "https://schema.org",
            "@type": "LegalService",
            "name": firm["name"],
            "url": settings.SITE_URL + "/",
            "telephone": "+1-" + firm["phone"],
            "email": firm["email"],
            "address": {"@type": "PostalAddress", "streetAddress": firm["address"], "addressCountry": "US"},
            "hasMap": firm["map_url"],
            "areaServed": "New York",
            "knowsAbout": ["Personal injury", "Medical malpractice"],
        },
        "compliance": {
            "show": settings.COMPLIANCE,
            "attorney_advertising": compliance.ATTORNEY_ADVERTISING,
            "prior_results": compliance.PRIOR_RESULTS,
            "article_notice": compliance.ARTICLE_NOTICE,
            "form_disclaimer": compliance.FORM_DISCLAIMER,
            "after_sending_reminder": compliance.AFTER_SENDING_REMINDER,
        },
        "site_url": settings.SITE_URL,
    }


def firm(request):
    """Context processor (settings.TEMPLATES): the firm and compliance text on every page."""
    return {**site_context(), "canonical_url": settings.SITE_URL + request.path}
