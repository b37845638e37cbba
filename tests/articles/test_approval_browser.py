"""The approval screen in a real browser: an attorney reads what changed (words struck through and
underlined, in the rendered text), approves, and readers get exactly that."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_attorney_sees_the_difference_and_approves_it(
    live_server, browser, django_user_model, editors_group, artifacts
):
    user = django_user_model.objects.create_user("elena", password="pw-elena-1234567", is_staff=True)
    user.groups.add(editors_group)
    PersonFactory(name="Elena Marsh", slug="elena-marsh", user=user)
    article = ArticleFactory(
        title="Deadlines in New York",
        seo_title="Deadlines",
        body="## Time\n\nYou have 90 days to file.\n",
    )
    article.title = "Deadlines in New York State"
    article.seo_title = "Guaranteed results"
    article.body = "## Time\n\nYou have 90 days to file a notice of claim.\n"
    article.save()  # waits in the draft

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "elena")
    page.fill("#id_password", "pw-elena-1234567")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.get_by_role("link", name="Review and approve").click()
    changes = page.locator(".approval__changes")
    changes.wait_for()
    assert changes.get_by_role("heading", name="Title", exact=True).is_visible()
    assert changes.get_by_role("heading", name="Title for search engines and browser tabs").is_visible()
    added = changes.locator("ins", has_text="State")
    removed = changes.locator("del", has_text="file.")
    assert added.is_visible() and removed.is_visible()
    assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert changes.locator("del", has_text="Deadlines").count() == 1  # the old search title, struck
    assert "##" not in changes.inner_text()  # rendered text, not Markdown
    page.screenshot(path=artifacts / "approval-difference.png", full_page=True)

    page.get_by_role("button", name="Approve this text").click()
    page.get_by_text("This text was approved by Elena Marsh").wait_for()
    assert errors == []
    context.close()

    live = Article.objects.get(pk=article.pk)
    assert (live.title, live.seo_title) == ("Deadlines in New York State", "Guaranteed results")
    reader = browser.new_context().new_page()
    reader.goto(live_server.url + live.get_absolute_url())
    assert reader.title().startswith("Guaranteed results")
    assert reader.get_by_text("a notice of claim").is_visible()
