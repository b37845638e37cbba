"""Save the HTML of every public page, in English and Spanish, to compare two versions of the templates.

    DATABASE_URL=... .venv/bin/python -m scripts.html_snapshot var/html-before
    ... change the templates ...
    DATABASE_URL=... .venv/bin/python -m scripts.html_snapshot var/html-after
    diff -r var/html-before var/html-after     # no output: the same HTML

Run it on a database with the demo content (`DJANGO_DEBUG=1 manage.py migrate && manage.py setup_site`). It
uses production settings (DEBUG off, so 404 and 500 are the site's own pages) with the page cache off, Django's
test client (HTTP_HOST 127.0.0.1) and a pinned clock (the footer's year, the form's timer, days left before a
deadline). The article list is paginated by 3 here so that "?page=2" exists with the demo's few articles.
Values that differ on every request are masked: CSRF tokens, CSP nonces, the form's signed timer and the
request number on the thanks page (its consultation is stored and then rolled back). Each page is one file,
named after the page; a page whose status is not the one expected is reported and the script fails.
"""

import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from scripts import processes

# Noon in New York on a weekday, after the demo content went live: far from midnight, so no date differs
# between the two runs.
NOW = datetime(2027, 1, 14, 17, 0, tzinfo=UTC)
MASKS = (
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
    (re.compile(r'(name="started" value=")[^"]*'), r"\1TIMER"),
    (re.compile(r"R-\d{6}"), "R-NUMBER"),
)


def mask(html: str) -> str:
    for pattern, replacement in MASKS:
        html = pattern.sub(replacement, html)
    return html


def pages(client) -> dict[str, tuple[str, str, dict | None, int]]:
    """name -> (method, path, POST data, expected status), for both languages."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from articles.models import Article, Person, PracticeArea

    found = {}
    for language in ("en", "es"):
        with translation.override(language):
            article = Article.objects.published().filter(language=language).order_by("slug").first()
            # An article of the other language with no published counterpart in this one.
            others = Article.objects.published().exclude(language=language).order_by("slug")
            untranslated = next((a for a in others if a.public_counterpart is None), None)
            # The area with the most articles, so that it has a second page too.
            area = (
                PracticeArea.objects.public().annotate(n=Count("articles")).order_by("-n", "slug_en").first()
            )
            person = Person.objects.public().order_by("slug").first()
            search, limits, consult = (
                reverse("articles:search"),
                reverse("articles:time_limits"),
                reverse("consultations:create"),
            )
            articles = reverse("articles:list")
            paths = {
                "home": reverse("home"),
                "articles": articles,
                "articles-page-2": articles + "?page=2",
                "articles-area": articles + f"?area={area.slug}",
                "articles-area-page-2": articles + f"?area={area.slug}&page=2",
                "article": article.get_absolute_url(),
                "practice-areas": reverse("articles:practice_areas"),
                "practice-area": area.get_absolute_url(),
                "people": reverse("articles:people"),
                "person": person.get_absolute_url(),
                "search": search
                + ("?q=medical+malpractice" if language == "en" else "?q=negligencia+medica"),
                "search-suggestion": search + ("?q=malpractise" if language == "en" else "?q=negligensia"),
                "search-nothing": search + "?q=zzqx+wibble",
                "search-empty": search + "?q=",
                "search-bare": search,
                "time-limits": limits,
                "time-limits-answer": limits + "?what=car&who=unsure&date=2026-11-02&minor=1&died=1",
                "time-limits-city": limits + "?what=fall&who=city&date=2026-10-20",
                "time-limits-no-date": limits + "?what=medical&who=private",
                "time-limits-passed": limits + "?what=medical&who=city&date=2020-01-10",
                "time-limits-errors": limits + "?what=nonsense&date=2099-01-01",
                "time-limits-required": limits + "?what=&who=&date=",
                "time-limits-bad-date": limits + "?what=work&who=state&date=2026-13-40&minor=on",
                "time-limits-quotes": limits + "?what=%22%3E%3Cb%3E%27&who=city&date=%22%27%3C&died=0",
                "time-limits-minor": limits + "?what=other&who=port-authority&date=2026-12-30&minor=1",
                "time-limits-died": limits + "?what=work&who=transit&date=2025-06-30&died=1",
                "time-limits-federal": limits + "?what=medical&who=federal&date=2026-07-04&minor=1&died=1",
                "consultation": consult,
                "consultation-from-article": consult + f"?article={article.slug}",
                "thanks": reverse("consultations:thanks"),
                "about": reverse("about"),
                "disclaimer": reverse("disclaimer"),
                "privacy": reverse("privacy"),
                "404": "/no-such-page/" if language == "en" else "/es/no-existe/",
            }
            if untranslated:
                paths["not-translated"] = reverse("articles:not_translated", args=[untranslated.slug])
        for name, path in paths.items():
            status = 404 if name == "404" else 200
            found[f"{language}/{name}"] = ("GET", path, None, status)
        found[f"{language}/consultation-errors"] = ("POST", consult, {"name": "<Tom & 'Jerry'>"}, 200)
        found[f"{language}/consultation-sent"] = ("POST", consult, valid_request(client, consult), 303)
    return found


def valid_request(client, path: str) -> dict:
    token = re.search(r'name="started" value="([^"]*)"', client.get(path).content.decode()).group(1)
    return {
        "started": token,
        "article": "",
        "name": "Ana O'Neil",
        "contact_method": "phone",
        "phone": "212-555-0100",
        "email": "ana@example.org",
        "what": "fall",
        "who": "city",
        "what_happened": "I fell on a broken sidewalk & hurt my wrist.",
        "incident_date": "2026-11-20",
        "other_parties": "",
        "consent": "on",
    }


def staff_previews() -> dict[str, str]:
    """What an editor sees at an article's public address: a draft, and an article whose edit waits for an
    attorney (the edit is made here and rolled back with everything else)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from articles.models import Article

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.filter(is_superuser=True).order_by("pk").first())
    found = {}
    draft = Article.objects.exclude(status=Article.Status.PUBLISHED).order_by("slug").first()
    if draft is not None:
        found[f"{draft.language}/preview-draft"] = client.get(draft.get_absolute_url()).content.decode()
    edited = Article.objects.published().order_by("slug").first()
    edited.title += " (edited)"
    edited.save()
    found[f"{edited.language}/preview-edited"] = client.get(edited.get_absolute_url()).content.decode()
    return found


def error_pages() -> dict[str, str]:
    """The error pages Django renders outside a view: 400, 403, the CSRF failure, 500 and 503."""
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.utils import translation
    from django.views import defaults

    from lawsite import views

    found = {}
    for language, prefix in (("en", ""), ("es", "/es")):
        request = RequestFactory(HTTP_HOST="127.0.0.1").get(prefix + "/somewhere/")
        with translation.override(language):
            responses = {
                "400": defaults.bad_request(request, ValueError()),
                "403": defaults.permission_denied(request, PermissionDenied()),
                "403-csrf": views.csrf_failure(request),
                "500": views.server_error(request),
                "503": views.database_unavailable(request),
            }
        for name, response in responses.items():
            found[f"{language}/{name}"] = response.content.decode()
    return found


def main() -> int:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = Path(sys.argv[1])
    os.environ.update(processes.production_env(DJANGO_PAGE_CACHE="0", DJANGO_LOG_LEVEL="ERROR"))
    import django

    django.setup()
    import time_machine
    from django.db import transaction
    from django.test import Client

    from articles import views

    views.ArticleListView.paginate_by = 3
    out.mkdir(parents=True, exist_ok=True)
    failures = []
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        client = Client(HTTP_HOST="127.0.0.1")
        html = {}
        for name, (method, path, data, status) in pages(client).items():
            response = client.post(path, data) if method == "POST" else client.get(path)
            if response.status_code != status:
                failures.append(f"{name}: {method} {path} answered {response.status_code}, not {status}")
            if status == 303:  # the thanks page with the request's number and its deadlines
                response = client.get(response["Location"])
            html[name] = response.content.decode()
        html.update(staff_previews())
        html.update(error_pages())
        transaction.set_rollback(True)
    for name, text in html.items():
        target = out / f"{name}.html"
        target.parent.mkdir(exist_ok=True)
        target.write_text(mask(text))
    print(f"{len(html)} pages written to {out}")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
