import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, PracticeAreaFactory
from tests.helpers import assert_page_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_writes_previews_and_publishes_an_attorney_approves_and_a_phone_visitor_reads_it(
    live_server, browser, editor, editors_group, django_user_model, artifacts
):
    PracticeAreaFactory(name="Medical malpractice", slug="medical-malpractice")
    attorney = django_user_model.objects.create_user("elena", password="pw-elena-1234567", is_staff=True)
    attorney.groups.add(editors_group)
    PersonFactory(name="Elena Marsh", slug="elena-marsh", user=attorney)
    editor.set_password("pw-editor-123456")
    editor.save()

    desk = browser.new_context(viewport={"width": 1440, "height": 900})
    page = desk.new_page()
    admin_errors = []
    page.on("console", lambda msg: msg.type == "error" and admin_errors.append(msg.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor-123456")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator("#id_title").press_sequentially("What to do after a missed diagnosis")
    assert page.input_value("#id_slug") == "what-to-do-after-a-missed-diagnosis"  # prepopulated
    page.fill("#id_summary", "The first steps to take if you think a doctor missed something important.")
    page.select_option("#id_practice_area", label="Medical malpractice")
    body = page.locator("textarea#id_body")
    body.fill("Start with the records.\n\n## Ask for your records\n\nYou have a right to them")
    body.press_sequentially(".")  # markdownx refreshes the preview as the author types
    preview = page.locator(".markdownx-preview h2")
    preview.wait_for(timeout=10_000)
    assert preview.inner_text() == "Ask for your records"
    source, rendered = body.bounding_box(), page.locator(".markdownx-preview").bounding_box()
    assert rendered["x"] >= source["x"] + source["width"]  # side by side on a desk-sized screen
    assert abs(rendered["y"] - source["y"]) < 5
    page.select_option("#id_author", label="Elena Marsh")
    page.select_option("#id_reviewed_by", label="Elena Marsh")
    page.fill("#id_last_reviewed_on", "2026-11-20")
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", "2026-11-01")
    page.fill("#id_published_at_1", "09:00:00")
    page.click("input[name=_save]")
    page.wait_for_url("**/articles/article/")
    article = Article.objects.get(slug="what-to-do-after-a-missed-diagnosis")
    assert not Article.objects.published().filter(pk=article.pk).exists()  # an attorney must approve it
    assert article in Article.objects.awaiting_approval()
    assert admin_errors == []  # e.g. no CSP violation in the editor
    desk.close()

    # The attorney signs in with her own account and approves the exact text.
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    page.on("console", lambda msg: msg.type == "error" and admin_errors.append(msg.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "elena")
    page.fill("#id_password", "pw-elena-1234567")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.get_by_role("link", name="Review and approve").click()
    page.get_by_text("The text to approve, as readers will see it").wait_for()
    page.screenshot(path=artifacts / "article-approval-screen.png", full_page=True)
    page.get_by_role("button", name="Approve this text").click()
    page.get_by_text("This text was approved by Elena Marsh").wait_for()
    page.screenshot(path=artifacts / "article-approved-admin.png", full_page=False)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert admin_errors == []
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    visitor = phone.new_page()
    visitor.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));"
    )
    visitor.problems = []
    visitor.on("console", lambda msg: msg.type == "error" and visitor.problems.append(msg.text))
    visitor.goto(live_server.url + "/articles/")
    visitor.get_by_role("link", name="What to do after a missed diagnosis").click()
    visitor.wait_for_url("**/articles/what-to-do-after-a-missed-diagnosis/")
    assert visitor.get_by_role("heading", level=1).inner_text() == "What to do after a missed diagnosis"
    assert visitor.get_by_text("Legally reviewed by").is_visible()
    visitor.screenshot(path=artifacts / "article-phone.png", full_page=True)
    assert_page_clean(visitor)
    phone.close()


def test_a_phone_visitor_searches_from_the_header_and_opens_a_result(live_server, watched_page, artifacts):
    ArticleFactory(
        title="When a doctor misses or delays a diagnosis",
        body="A missed cancer diagnosis can change everything.\n\n## What you must show\n\nText.",
    )
    ArticleFactory(title="Dog bites", body="Dogs.\n\n## A\n\nB.")
    page = watched_page
    page.goto(live_server.url + "/about/")
    page.get_by_role("searchbox", name="Search articles").fill("doctor missed my cancer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=doctor+missed+my+cancer")
    assert page.get_by_role("status").inner_text().startswith("1 article found")
    assert page.locator("#site-search-q").input_value() == "doctor missed my cancer"
    page.screenshot(path=artifacts / "search-phone.png", full_page=True)
    page.get_by_role("link", name="When a doctor misses or delays a diagnosis").click()
    page.wait_for_url("**/articles/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "When a doctor misses or delays a diagnosis"
    assert_page_clean(page)


def test_a_printed_article_keeps_the_text_and_the_firm_and_drops_the_navigation(live_server, page, artifacts):
    article = ArticleFactory(
        title="What to bring to a first meeting", body="Bring records.\n\n## Papers\n\nAll."
    )
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(live_server.url + article.get_absolute_url())
    for hidden in (".site-nav", ".site-header__cta", ".cta", ".breadcrumbs"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for kept in ("h1", ".article__review", ".article__notice", ".site-footer__name", ".site-header__phone"):
        assert page.locator(kept).first.is_visible(), kept
    ink = page.evaluate("getComputedStyle(document.querySelector('.article__body p')).color")
    paper = page.evaluate("getComputedStyle(document.querySelector('.article__notice')).backgroundColor")
    assert (ink, paper) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    page.screenshot(path=artifacts / "article-print.png", full_page=True)
