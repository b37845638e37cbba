import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.helpers import assert_page_clean, parse_head

BASE_DIR = Path(__file__).resolve().parent.parent

# Every named public HTML page. Pages that need content say how to make it (and return their URL).
CONTENT_PAGES = {
    "articles:detail": lambda: ArticleFactory().get_absolute_url(),
    "articles:practice_area": lambda: ArticleFactory().practice_area.get_absolute_url(),
}
PUBLIC_URL_NAMES = [
    "home",
    "about",
    "disclaimer",
    "privacy",
    "consultations:create",
    "consultations:thanks",
    "articles:list",
    "articles:practice_areas",
    "articles:search",
    *CONTENT_PAGES,
]


def public_url(name: str) -> str:
    return CONTENT_PAGES[name]() if name in CONTENT_PAGES else reverse(name)


def csp_of(response) -> str:
    return response.headers.get("Content-Security-Policy", "")


def test_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_URL_NAMES)
def test_public_page_has_one_h1_title_description_and_canonical(client, name):
    url = public_url(name)
    response = client.get(url)
    assert response.status_code == 200
    head = parse_head(response.content.decode())
    assert head.h1 == 1
    assert head.title.strip()
    assert len(head.meta.get("description", "")) > 40
    assert head.links.get("canonical", "").endswith(url)
    assert head.meta.get("og:title")


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_URL_NAMES)
def test_public_pages_send_a_strict_csp_without_a_nonce_they_would_not_use(client, name):
    response = client.get(public_url(name))
    csp = csp_of(response)
    # Only the site's own files may run: no inline code is allowed, and no nonce is offered that the
    # page does not use (it would make every response differ and leak one nonce through a shared cache).
    assert "script-src 'self';" in csp and "style-src 'self';" in csp, csp
    assert "nonce-" not in csp
    assert "unsafe-inline" not in csp
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    # The pages need no inline code at all: the only inline <script> is JSON-LD data, and no style="".
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('type="application/ld+json"' in tag for tag in scripts), scripts
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get(reverse("home"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_every_page_shows_the_firm_phone_and_consultation_button(client, settings):
    for name in PUBLIC_URL_NAMES:
        html = client.get(public_url(name)).content.decode()
        assert 'href="tel:+12127665222"' in html
        assert ">Free consultation</a>" in html
        assert settings.FIRM["address"] in html
        assert 'href="#main"' in html and '<main id="main"' in html


@pytest.mark.django_db
def test_home_page_is_labelled_attorney_advertising(client):
    assert "Attorney Advertising" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_site_wide_json_ld_is_valid_legal_service(client):
    html = client.get(reverse("home")).content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "LegalService"
    assert data["telephone"].endswith("212-766-5222")


def test_json_ld_text_cannot_end_its_script_element():
    from lawsite.templatetags.site import jsonld

    html = jsonld({"headline": "Fees & costs </script><script>alert(1)</script>", "é": "ñ"})
    block = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    assert not set("<>&") & set(block)
    assert json.loads(block) == {"headline": "Fees & costs </script><script>alert(1)</script>", "é": "ñ"}


@pytest.mark.django_db
def test_unknown_page_is_a_404_in_the_sites_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert parse_head(html).h1 == 1
    assert "site-header" in html and "We could not find that page" in html


def test_500_page_renders_without_the_database(rf):
    from lawsite.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()


@pytest.mark.django_db
def test_favicons_exist(client):
    assert client.get("/favicon.ico").status_code == 200
    assert client.get("/static/img/favicon.svg").status_code == 200


@pytest.mark.django_db
def test_healthz_is_ok_and_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("status", "cache")} == {"status": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    """Run Python with lawsite's settings in a fresh process and the given environment."""
    import os

    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_URL"))
    }
    full_env.update({"DJANGO_SETTINGS_MODULE": "lawsite.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_healthz_is_503_when_the_database_cannot_be_reached():
    # Nothing listens on port 1; the request must still get a JSON answer, not a crash.
    result = run_django(
        "import django; django.setup();"
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='127.0.0.1');"
        "print(r.status_code, r.content.decode())",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/lawsite?connect_timeout=2",
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["status"] == "unavailable"


@pytest.mark.browser
def test_phone_visitor_sees_phone_and_consultation_button_and_can_skip_to_main(
    live_server, watched_page, artifacts
):
    page = watched_page
    page.goto(live_server.url + "/")
    viewport = page.viewport_size
    for locator in (
        page.locator(".site-header__phone"),
        page.get_by_role("link", name="Free consultation").first,
    ):
        box = locator.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
        assert box["height"] >= 44
    assert page.locator(".site-header__phone").get_attribute("href") == "tel:+12127665222"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")

    page.screenshot(path=artifacts / "home-phone.png", full_page=True)
    assert_page_clean(page)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", None),
        ("/articles/", "Articles"),
        ("/articles/?page=1", "Articles"),
        ("/practice-areas/", "Practice areas"),
        ("/time-limits/", "Deadlines"),
        ("/about/", "About"),
        ("/es/", None),
        ("/es/articulos/", "Artículos"),
        ("/es/plazos/", "Plazos"),
        ("/es/nosotros/", "Nosotros"),
    ],
)
def test_the_main_menu_marks_the_page_it_is_on_whichever_page_came_first(client, db, settings, path, current):
    """The header's bar and main menu are rendered once per process, language and current link
    (lawsite/templatetags/site.py site_wide, with DEBUG off as in production): each page still marks its
    own link, in its language, and only that one, after other pages filled the memory."""
    settings.DEBUG = False
    for other in ("/", "/es/", "/about/", "/es/nosotros/"):
        client.get(other)
    page = client.get(path).content.decode()
    menu = page.split('<ul class="site-nav__list">')[1].split("</ul>")[0]
    marked = re.findall(r'aria-current="page">([^<]+)<', menu)
    assert marked == ([current] if current else [])
    assert page.count('<div class="site-header__bar">') == 1


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Waiting can cost you your claim"),
        ("/articles/", "Talk to a lawyer for free"),
        ("/time-limits/", "Talk to a lawyer about your deadline"),
        ("/search/?q=deadline", "Would you rather ask a person?"),
        ("/es/", "Esperar puede costarle su reclamo"),
        ("/es/plazos/", "Hable con un abogado sobre su plazo"),
    ],
)
def test_each_page_keeps_its_own_call_to_action_after_others_filled_the_memory(
    client, db, settings, path, title
):
    """The call to action at a page's end is rendered once per process, language and title (site_wide, DEBUG
    off as in production): after pages with other titles and the other language, each page shows its own
    title, in its language, with the form's address in that language."""
    settings.DEBUG = False
    for other in ("/", "/es/", "/articles/", "/es/articulos/", "/time-limits/", "/es/plazos/"):
        client.get(other)
    page = client.get(path).content.decode()
    cta = page.split('<section class="cta"')[1].split("</section>")[0]
    heading = re.search(r'<h2 class="cta__title"[^>]*>([^<]+)</h2>', cta).group(1)
    assert unescape(heading) == title
    form_address = re.search(r'href="([^"]+)"', cta).group(1)
    assert form_address.startswith("/es/") == path.startswith("/es/")
    assert page.count('<section class="cta"') == 1
