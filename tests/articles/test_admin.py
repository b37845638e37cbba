import io
import os

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.approval import record_approval
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def change_form_data(client, url, **changes) -> dict:
    """What the admin change form at `url` would post back unchanged, with `changes` applied."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.pop("social_image", None)
    published_at = data.pop("published_at", None)
    if published_at:
        local = timezone.localtime(published_at)
        data.update(published_at_0=f"{local:%Y-%m-%d}", published_at_1=f"{local:%H:%M:%S}")
    management = {
        f"{prefix}-{name}": 0 for prefix in ("redirects",) for name in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {**data, **management, **changes}


def test_anonymous_visitors_cannot_use_the_markdown_preview_or_upload(client, settings):
    assert client.post(reverse("markdownx_markdownify"), {"content": "# hi"}).status_code == 403
    upload = SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")
    assert client.post(reverse("markdownx_upload"), {"image": upload}).status_code == 403
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.png"))


def test_staff_without_article_permission_cannot_use_them_either(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.post(reverse("markdownx_markdownify"), {"content": "# hi"}).status_code == 403


def test_an_editor_gets_the_sanitised_live_preview(client, editor):
    client.force_login(editor)
    response = client.post(reverse("markdownx_markdownify"), {"content": "## Hello\n\n<script>x</script>"})
    assert response.status_code == 200
    assert '<h2 id="section-hello">Hello</h2>' in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert client.post(reverse("markdownx_markdownify"), {}).status_code == 200  # no content: empty preview


def test_an_editor_can_upload_an_image_stored_under_media_with_a_safe_name(client, editor, settings):
    client.force_login(editor)
    upload = SimpleUploadedFile("../../etc/evil name.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("markdownx_upload"), {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200, response.content
    stored = list(settings.MEDIA_ROOT.rglob("*.png"))
    assert len(stored) == 1
    assert stored[0].is_relative_to(settings.MEDIA_ROOT / "articles")
    assert "evil" not in stored[0].name
    assert "![](" in response.json()["image_code"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("x.html", b"<html></html>", "text/html"),
    ],
)
def test_uploads_other_than_photos_are_refused(client, editor, settings, name, content, content_type):
    client.force_login(editor)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(
        reverse("markdownx_upload"), {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 400
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_oversized_uploads_are_refused(client, editor, settings):
    noise = Image.frombytes(
        "RGB", (1300, 1300), os.urandom(1300 * 1300 * 3)
    )  # ~5 MB as PNG: over the 4 MB cap
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > settings.MARKDOWNX_UPLOAD_MAX_SIZE
    client.force_login(editor)
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        reverse("markdownx_upload"), {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["changelist", "add", "change", "history"])
def test_admin_article_pages_render_for_an_editor(client, editor, page):
    article = ArticleFactory()
    client.force_login(editor)
    args = [] if page in {"changelist", "add"} else [article.pk]
    response = client.get(reverse(f"admin:articles_article_{page}", args=args))
    assert response.status_code == 200
    if page == "add":
        assert "markdownx" in response.content.decode()  # the live-preview editor


def test_editors_hold_article_permissions_only(editors_group):
    apps = set(editors_group.permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"articles", "archive"}
    # The advertising archive (its own app) they may only look at.
    archive = editors_group.permissions.filter(content_type__app_label="archive")
    assert set(archive.values_list("codename", flat=True)) == {"view_archiverun", "view_archivecapture"}
    assert Permission.objects.filter(content_type__app_label="consultations").exists()


def test_an_editor_cannot_see_consultation_requests(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:consultations_consultationrequest_changelist")).status_code == 403
    assert "consultations" not in client.get(reverse("admin:index")).content.decode().lower()


def test_publish_and_unpublish_actions(client, editor):
    draft = ArticleFactory.draft()
    unreviewed = ArticleFactory.draft(reviewed_by=None, last_reviewed_on=None)
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    response = client.post(url, {"action": "publish_now", "_selected_action": [draft.pk]}, follow=True)
    assert "once an attorney approves" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert not draft.is_public  # published, but nothing goes live without an attorney's approval
    record_approval(obj=draft, approved_by=draft.reviewed_by)
    draft.refresh_from_db()
    assert draft.is_public
    response = client.post(url, {"action": "publish_now", "_selected_action": [unreviewed.pk]}, follow=True)
    assert "needs a reviewing attorney" in response.content.decode()
    unreviewed.refresh_from_db()
    assert unreviewed.status == Article.Status.DRAFT
    client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_every_save_keeps_a_revision_that_can_be_restored_from_the_admin(client, editor):
    article = ArticleFactory(title="Original title", body="## Original\n\nFirst version.")
    client.force_login(editor)
    article.title = "A worse title"
    article.body = "## Rewritten\n\nSecond version."
    article.save()
    assert article.history.count() == 2
    original = article.history.earliest()
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, original.history_id])
    form = client.get(revert_url)
    assert form.status_code == 200
    data = {
        k: v
        for k, v in form.context["adminform"].form.initial.items()
        if v is not None and k != "social_image"
    }
    data.update(
        {
            "practice_area": article.practice_area_id,
            "author": article.author_id,
            "reviewed_by": article.reviewed_by_id,
            "last_reviewed_on": article.last_reviewed_on.isoformat(),
            "published_at_0": article.published_at.strftime("%Y-%m-%d"),
            "published_at_1": article.published_at.strftime("%H:%M:%S"),
            "redirects-TOTAL_FORMS": 0,
            "redirects-INITIAL_FORMS": 0,
        }
    )
    data.pop("published_at", None)
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Original title"
    assert article.pending_draft is None  # restoring the approved revision drops the waiting change
    assert '<h2 id="section-original">Original</h2>' in article.body_html


@pytest.mark.parametrize(
    ("state", "title"), [("live", "Live one"), ("scheduled", "Later one"), ("draft", "Draft one")]
)
def test_the_state_filter_uses_the_sites_definitions(client, editor, state, title):
    ArticleFactory(title="Live one")
    ArticleFactory.scheduled(title="Later one")
    ArticleFactory.draft(title="Draft one")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"state": state})
    assert [a.title for a in response.context["cl"].result_list] == [title]


def test_the_change_form_will_not_publish_an_unreviewed_article(client, editor):
    article = ArticleFactory.draft(reviewed_by=None, last_reviewed_on=None)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url, status=Article.Status.PUBLISHED)
    data.update(published_at_0="2026-11-01", published_at_1="09:00:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "An attorney must review the article before it is published" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.parametrize(("review", "title"), [("due", "Checked long ago"), ("none", "Not checked yet")])
def test_editors_can_list_articles_whose_legal_review_is_old_or_missing(client, editor, review, title):
    from datetime import date, timedelta

    ArticleFactory(title="Checked long ago", last_reviewed_on=date.today() - timedelta(days=400))
    ArticleFactory(title="Checked recently", last_reviewed_on=date.today() - timedelta(days=30))
    ArticleFactory.draft(title="Not checked yet", reviewed_by=None, last_reviewed_on=None)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"review": review})
    assert [a.title for a in response.context["cl"].result_list] == [title]


def test_the_admin_index_tells_editors_what_goes_live_next_and_what_needs_review(client, editor):
    from datetime import date, timedelta

    from django.utils import timezone

    ArticleFactory(title="Live and fresh")
    ArticleFactory(title="Live but old", last_reviewed_on=date.today() - timedelta(days=400))
    ArticleFactory.scheduled(title="Coming on Friday", when=timezone.now() + timedelta(days=2))
    ArticleFactory.draft(title="Still writing")
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<strong>2</strong> live" in html
    assert "<strong>1</strong> scheduled" in html
    assert "<strong>1</strong> draft<" in html
    assert "<strong>1</strong> live article last reviewed over a year ago" in html
    assert "Coming on Friday" in html


def test_staff_without_article_permissions_do_not_get_the_articles_dashboard(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert "article-dashboard" not in client.get(reverse("admin:index")).content.decode()


def test_saving_unchanged_text_from_the_admin_does_not_tell_readers_it_was_updated(client, editor):
    article = ArticleFactory(body="First paragraph.\n\n## A heading\n\nMore text.\n")
    updated_at = Article.objects.get(pk=article.pk).updated_at
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url, last_reviewed_on="2026-11-20")  # a new review is not a new text
    data["body"] = data["body"].replace("\n", "\r\n")  # as a browser sends a textarea
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.updated_at == updated_at
    assert "\r" not in article.body
