import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.approval import approve, record_approval, shown_hash
from articles.models import Article, ArticleApproval
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorney(django_user_model, editors_group):
    """An attorney profile linked to an active staff account: someone who may approve."""
    user = django_user_model.objects.create_user("attorney", password="pw-attorney-123", is_staff=True)
    user.groups.add(editors_group)
    return PersonFactory(name="Ada Attorney", user=user)


def test_a_published_article_is_not_public_until_an_attorney_approves_it(client, attorney):
    article = ArticleFactory(title="Waiting for sign-off", approved=False)
    assert article not in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Waiting for sign-off" not in client.get("/articles/").content.decode()
    assert list(Article.objects.awaiting_approval()) == [article]

    approve(obj=article, user=attorney.user, shown_hash=article.content_hash)
    assert article in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert not Article.objects.awaiting_approval().exists()


def test_an_approval_records_who_when_and_the_hash_of_the_exact_text(attorney):
    article = ArticleFactory(approved=False, body="## Part\n\nThe approved words.\n")
    approval = approve(obj=article, user=attorney.user, shown_hash=article.content_hash)
    assert approval.approved_by == attorney
    assert approval.approved_at is not None
    assert approval.content_hash == article.content_hash
    assert len(approval.content_hash) == 64 and int(approval.content_hash, 16) >= 0
    assert "The approved words." in approval.data["body_html"]
    assert (approval.data["title"], approval.data["summary"]) == (article.title, article.summary)
    # Approving the same text again records nothing new.
    assert approve(obj=article, user=attorney.user, shown_hash=article.content_hash) == approval
    assert ArticleApproval.objects.count() == 1


def test_the_article_page_in_the_admin_lists_its_approvals_read_only(client, attorney):
    article = ArticleFactory(approved=False, title="Slip and fall")
    approval = record_approval(obj=article, approved_by=attorney, user=attorney.user, is_self_approval=True)
    client.force_login(attorney.user)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    record = page.split("Approvals (newest first)", 1)[1].split("</fieldset>", 1)[0]
    assert "Ada Attorney (login attorney)" in record and "(self-approval)" in record
    assert approval.content_hash[:12] in record and approval.content_hash[:13] not in record
    assert "approvals-TOTAL_FORMS" not in page  # a list to read, not a form


def test_the_hash_covers_every_field_readers_see():
    article = ArticleFactory()
    hashes = {article.content_hash}
    for field, value in [
        ("title", "Another title"),
        ("summary", "Another summary."),
        ("body", "## Other\n\nText."),
        ("last_reviewed_on", article.last_reviewed_on.replace(year=2020)),
        ("seo_title", "GUARANTEED $5M settlements"),
        ("slug", "another-address"),
        ("social_image", "social/other.png"),
        ("author", PersonFactory()),
        ("practice_area", ArticleFactory().practice_area),
    ]:
        setattr(article, field, value)
        article.prepare_proposed()
        hashes.add(article.content_hash)
    assert len(hashes) == 10
    article.is_featured = not article.is_featured  # not part of what readers read as the article
    article.prepare_proposed()
    assert article.content_hash in hashes
    assert hashlib.sha256(b"x").hexdigest() not in hashes


def test_an_edit_after_approval_is_not_public_until_it_is_approved_again(client, attorney):
    article = ArticleFactory(title="Approved title", body="## Section\n\nApproved sentence.\n")
    url = article.get_absolute_url()
    article.title = "Edited title"
    article.body = "## Section\n\nEdited sentence that nobody approved.\n"
    article.save()

    page = client.get(url).content.decode()
    assert "Approved title" in page and "Approved sentence." in page
    assert "Edited" not in page
    assert "Approved title" in client.get("/articles/").content.decode()
    assert "Edited title" not in client.get("/").content.decode()
    assert list(Article.objects.awaiting_approval()) == [article]

    approve(obj=article, user=attorney.user, shown_hash=shown_hash(article))
    page = client.get(url).content.decode()
    assert "Edited title" in page and "Edited sentence that nobody approved." in page
    assert "Approved sentence." not in page


def test_staff_preview_shows_the_edit_and_says_readers_still_see_the_approved_text(client, editor):
    article = ArticleFactory(body="## Section\n\nApproved sentence.\n")
    article.body = "## Section\n\nNew sentence.\n"
    article.save()
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert "New sentence." in page
    assert "Edited since it was approved" in page
    assert "no-store" in response["Cache-Control"]


def test_an_article_page_with_an_edit_awaiting_approval_stays_within_its_query_budget(
    client, django_assert_max_num_queries
):
    article = ArticleFactory()
    article.body = "## Changed\n\nChanged text.\n"
    article.save()
    with django_assert_max_num_queries(3):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_staff_who_are_not_attorneys_cannot_approve(client, editor, admin_user, django_user_model):
    article = ArticleFactory(approved=False)
    url = reverse("admin:articles_article_approve", args=[article.pk])
    for user in [editor, admin_user]:  # an editor, and even a superuser, without an attorney profile
        client.force_login(user)
        assert client.post(url, {"content_hash": article.content_hash}).status_code == 403
        with pytest.raises(PermissionDenied):
            approve(obj=article, user=user, shown_hash=article.content_hash)
    # A staff member's profile (not an attorney) linked to an account does not make it an approver.
    PersonFactory(role="staff", user=editor)
    client.force_login(editor)
    assert client.post(url, {"content_hash": article.content_hash}).status_code == 403
    # Nor does an attorney profile whose account has been switched off.
    inactive = django_user_model.objects.create_user("gone", password="x", is_staff=True, is_active=False)
    PersonFactory(user=inactive)
    with pytest.raises(PermissionDenied):
        approve(obj=article, user=inactive, shown_hash=article.content_hash)
    assert not ArticleApproval.objects.exists()
    assert article not in Article.objects.published()


def test_an_attorney_approves_on_the_approval_screen(client, attorney):
    article = ArticleFactory(approved=False, body="## Part\n\nThe words to approve.\n")
    client.force_login(attorney.user)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change_url).content.decode()
    assert "Review and approve" in page
    assert "Not approved yet" in page
    screen = reverse("admin:articles_article_approve", args=[article.pk])
    shown = client.get(screen).content.decode()
    assert "The words to approve." in shown and "A new article" in shown  # rendered, not Markdown
    assert "## Part" not in shown
    assert f"<code>{article.content_hash}</code>" not in shown  # only in the form; shown on request
    assert f"<code>{article.content_hash}</code>" in client.get(screen + "?hash").content.decode()
    response = client.post(screen, {"content_hash": article.content_hash}, follow=True)
    assert "Approved “" in response.content.decode()
    assert "This text was approved by Ada Attorney" in response.content.decode()
    approval = ArticleApproval.objects.get()
    assert (approval.approved_by, approval.approved_by_user, approval.approver_name) == (
        attorney,
        attorney.user,
        "Ada Attorney",
    )
    # Renaming the person later does not rewrite who approved.
    type(attorney).objects.filter(pk=attorney.pk).update(name="Someone Else")
    approval.refresh_from_db()
    assert approval.approver_name == "Ada Attorney" and "Ada Attorney" in str(approval)


def test_editors_do_not_get_the_approve_button_or_action(client, editor):
    article = ArticleFactory(approved=False)
    client.force_login(editor)
    assert (
        "Approve this text"
        not in client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    )
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "approve_selected" not in changelist


def test_editors_see_what_awaits_approval_on_the_dashboard_and_in_the_list(client, editor):
    waiting = ArticleFactory(title="Needs an attorney", approved=False)
    ArticleFactory(title="Already approved")
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert "1</strong> awaiting attorney approval" in index
    assert "?approval=awaiting" in index
    listing = client.get(reverse("admin:articles_article_changelist") + "?approval=awaiting")
    assert list(listing.context["cl"].result_list) == [waiting]


def test_approval_rows_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    approval = ArticleFactory().approved_version
    change_url = reverse("admin:articles_approval_change", args=[approval.pk])
    assert admin_client.get(change_url).status_code == 200  # view only
    assert admin_client.post(change_url, {"note": "rewritten"}).status_code == 403
    delete_url = reverse("admin:articles_approval_delete", args=[approval.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    approval.refresh_from_db()
    assert approval.note != "rewritten"


def test_the_scheduled_article_goes_live_on_time_only_if_approved(client):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    when = timezone.now() + timedelta(hours=2)
    approved = ArticleFactory.scheduled(when=when)
    unapproved = ArticleFactory.scheduled(when=when, approved=False)
    with time_machine.travel(when + timedelta(minutes=1)):
        assert list(Article.objects.published()) == [approved]
        assert client.get(unapproved.get_absolute_url()).status_code == 404


def test_record_approval_needs_a_review(attorney):
    article = ArticleFactory.draft(reviewed_by=None, last_reviewed_on=None)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_approval(obj=article, approved_by=attorney)


def test_search_and_the_feed_show_the_approved_text_until_an_edit_is_approved(client):
    article = ArticleFactory(
        title="Approved heading words", body="## Part\n\nThe approved scaffold sentence.\n"
    )
    article.title = "Unapproved heading words"
    article.body = "## Part\n\nThe unapproved scaffold sentence.\n"
    article.save()
    results = client.get("/search/?q=scaffold").content.decode()
    assert "Approved heading words" in results
    assert "Unapproved" not in results and "unapproved" not in results
    feed = client.get("/feed/").content.decode()
    assert "Approved heading words" in feed and "Unapproved heading words" not in feed


def test_readers_of_an_article_with_a_pending_edit_get_the_approved_page_from_the_page_cache(
    client, page_cache, editor
):
    """Only the staff preview of the edit is kept out of caches; readers see approved text, cached as usual."""
    article = ArticleFactory(title="Approved title")
    article.title = "Edited title"
    article.save()
    url = article.get_absolute_url()
    first = client.get(url)
    assert "no-store" not in first.get("Cache-Control", "")
    assert client.get(url)["X-Page-Cache"] == "hit"

    client.force_login(editor)
    preview = client.get(url)
    assert "Edited title" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
