"""What the admin says after a save of approved content: a change that waits for an attorney is not
"changed successfully" (articles/admin/approval_screen.py, DraftFormMixin, shared by the four admins)."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, PersonFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db


def unchanged(client, url) -> dict:
    """What the change form at `url` posts back unchanged (files left as they are, inlines empty)."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if (
            value is None or value is False or value in ("", []) or hasattr(value, "name")
        ):  # a file: left as is
            continue
        if hasattr(value, "tzinfo"):  # a split date and time
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        else:
            data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
    return data


def edits(time_limits):
    article = ArticleFactory(title="Notice of claim basics")
    rule = time_limits["wcl-18"]
    return [
        (article, "articles_article", {"summary": "A new summary, waiting for an attorney."}),
        (PersonFactory(name="Ada Attorney"), "articles_person", {"bio_en": "A new biography, waiting."}),
        (PracticeAreaFactory(name="Car accidents"), "articles_practicearea", {"summary_en": "New, waiting."}),
        (rule, "articles_timelimitrule", {"notes_en": "New notes, waiting for an attorney."}),
    ]


@pytest.mark.parametrize("kind", range(4), ids=["article", "person", "practice-area", "time-limit"])
def test_a_change_that_waits_says_so_and_not_that_it_was_changed_successfully(
    admin_client, time_limits, kind
):
    obj, name, change = edits(time_limits)[kind]
    url = reverse(f"admin:{name}_change", args=[obj.pk])
    for button in ({}, {"_continue": "1"}):
        response = admin_client.post(url, unchanged(admin_client, url) | change | button, follow=True)
        assert response.status_code == 200
        shown = [str(message) for message in response.context["messages"]]
        assert "waits for an attorney's approval" in shown[0]
        assert not [line for line in shown if "successfully" in line], shown
        if name != "articles_article":  # an article's editor also hears its review state and reading level
            assert len(shown) == 1, shown
        obj.refresh_from_db()
        assert obj.pending_draft is not None


def test_a_save_that_changes_nothing_readers_see_still_says_it_was_changed(admin_client):
    article = ArticleFactory(title="Notice of claim basics")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, unchanged(admin_client, url) | {"is_featured": "on"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert [line for line in shown if "was changed successfully" in line]
    assert not [line for line in shown if "waits" in line]


def test_while_the_changed_message_is_muted_a_warning_still_reaches_the_editor(rf, admin_user):
    from django.contrib import admin, messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from articles.models import Article

    request = rf.post("/")
    request.user, request.session = admin_user, {}
    request._messages = FallbackStorage(request)
    request._muted_messages = True
    article_admin = admin.site.get_model_admin(Article)
    article_admin.message_user(request, "The article was changed successfully.", messages.SUCCESS)
    article_admin.message_user(request, "The article was changed successfully - You may edit it again below")
    article_admin.message_user(request, "The photo could not be read.", messages.WARNING)
    article_admin.message_user(request, "Nothing was saved.", level=messages.ERROR)
    assert [(m.level, str(m)) for m in messages.get_messages(request)] == [
        (messages.WARNING, "The photo could not be read."),
        (messages.ERROR, "Nothing was saved."),
    ]
