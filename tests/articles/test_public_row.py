"""The public row is the approved one: an edit of any field readers see waits in a draft until an attorney
approves it, and then exactly the values shown are copied onto the row (articles/models/approval.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.approval import StaleApproval, approve, shown_hash
from articles.models import Approval, Article, Draft, Person, PracticeArea
from articles.search import rebuild_vocabulary, search, suggest
from tests.factories import ArticleFactory, PersonFactory, PracticeAreaFactory, approve_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorney(django_user_model, editors_group):
    user = django_user_model.objects.create_user("attorney", password="pw-attorney-123", is_staff=True)
    user.groups.add(editors_group)
    return PersonFactory(name="Ada Attorney", user=user)


def head(client, url) -> dict:
    page = client.get(url).content.decode()
    return {
        "title": re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip(),
        "og": re.search(r'<meta property="og:title" content="([^"]*)"', page).group(1),
        "twitter": re.search(r'<meta name="twitter:title" content="([^"]*)"', page).group(1),
        "page": page,
    }


def test_an_seo_title_edited_after_approval_reaches_no_reader_until_approved(client, attorney):
    """The security test's finding: the SEO title went live in <title>, og:title and twitter:title."""
    article = ArticleFactory(title="Notice of claim basics", seo_title="Notice of claim")
    article.seo_title = "GUARANTEED $5M settlements"
    article.save()
    before = head(client, article.get_absolute_url())
    for where in ("title", "og", "twitter"):
        assert "GUARANTEED" not in before[where], where
    assert "Notice of claim" in before["title"]
    assert "GUARANTEED" not in before["page"]
    assert Article.objects.get(pk=article.pk).seo_title == "Notice of claim"  # the row is the approved one
    assert Draft.objects.get().data["seo_title"] == "GUARANTEED $5M settlements"

    approve(obj=article, user=attorney.user, shown_hash=shown_hash(article))
    after = head(client, article.get_absolute_url())
    assert all("GUARANTEED $5M settlements" in after[where] for where in ("title", "og", "twitter"))
    assert not Draft.objects.exists()


def test_a_word_only_in_an_unapproved_title_is_neither_found_nor_suggested(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Hospital records explained")
    article.title = "Hospital records and zygomorphic settlements"
    article.save()
    rebuild_vocabulary()
    assert search("zygomorphic").total == 0
    assert suggest("zygomorphik") == ""
    assert client.get("/search/?q=zygomorphic").context["outcome"].total == 0
    assert "zygomorphic" not in client.get("/feed/").content.decode()
    assert "zygomorphic" not in client.get("/sitemap.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the content version moves, as after a commit
        approve_change(article)
    rebuild_vocabulary()
    assert search("zygomorphic").total == 1
    assert suggest("zygomorphik") == "zygomorphic"


def test_author_practice_area_slug_and_social_image_wait_for_approval_too(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory(slug="first-address")
    old_author, old_area = article.author, article.practice_area
    article.author = PersonFactory(name="Somebody Unapproved")
    article.practice_area = PracticeAreaFactory(name="Area nobody approved")
    article.slug = "unapproved-address"
    article.social_image = SimpleUploadedFile("share.png", b"not read here", content_type="image/png")
    article.save()
    live = Article.objects.get(pk=article.pk)
    assert (live.author, live.practice_area, live.slug, live.social_image.name) == (
        old_author,
        old_area,
        "first-address",
        "",
    )
    page = client.get("/articles/first-address/").content.decode()
    assert "Somebody Unapproved" not in page and "Area nobody approved" not in page and "share" not in page
    assert client.get("/articles/unapproved-address/").status_code == 404
    assert Draft.objects.get().data["social_image"].startswith("social/share")  # stored, not public

    approve_change(article)
    assert client.get("/articles/unapproved-address/").status_code == 200
    assert client.get("/articles/first-address/").status_code == 301  # the old address redirects
    assert "Somebody Unapproved" in client.get("/articles/unapproved-address/").content.decode()


def test_approval_copies_exactly_the_values_shown(client, attorney):
    article = ArticleFactory(title="Old title", body="## Part\n\nOld words.\n")
    article.title = "Shown title"
    article.body = "## Part\n\nShown words.\n"
    article.save()
    client.force_login(attorney.user)
    screen = reverse("admin:articles_article_approve", args=[article.pk])
    page = client.get(screen).content.decode()
    shown = re.search(r'name="content_hash" value="([0-9a-f]{64})"', page).group(1)
    client.post(screen, {"content_hash": shown})
    live = Article.objects.get(pk=article.pk)
    approval = Approval.objects.for_object(live).first()
    assert (live.title, live.body) == ("Shown title", "## Part\n\nShown words.")
    assert approval.content_hash == shown == live.content_hash
    assert approval.data["title"] == "Shown title" and "Shown words." in approval.data["body_html"]
    assert approval.data["body_html"] == live.body_html and approval.approved_by_user == attorney.user
    assert live.approved_version == approval and not Draft.objects.exists()


def test_a_stale_hash_changes_nothing_and_keeps_the_draft(attorney):
    article = ArticleFactory(title="Approved")
    article.title = "First edit"
    article.save()
    seen = shown_hash(article)
    article.title = "Second edit, never shown"
    article.save()
    with pytest.raises(StaleApproval):
        approve(obj=article, user=attorney.user, shown_hash=seen)
    assert Article.objects.get(pk=article.pk).title == "Approved"
    assert Draft.objects.get().data["title"] == "Second edit, never shown"
    assert Approval.objects.for_object(article).count() == 1  # the factory's


def test_an_editor_saving_in_the_admin_fills_the_draft_which_the_form_and_list_show(client, editor):
    article = ArticleFactory(title="Approved title")
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.pop("social_image", None)
    local = article.published_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    data.update(
        title="Edited by an editor",
        seo_title="An unapproved search title",
        published_at_0=f"{local:%Y-%m-%d}",
        published_at_1=f"{local:%H:%M:%S}",
        **{"redirects-TOTAL_FORMS": 0, "redirects-INITIAL_FORMS": 0},
    )
    data.pop("published_at", None)
    response = client.post(change, data, follow=True)
    assert "waits for an attorney" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Approved title"  # editors cannot publish by saving
    assert "Approved title" in client.__class__().get(article.get_absolute_url()).content.decode()
    form = client.get(change).context["adminform"].form
    assert form["title"].value() == "Edited by an editor"  # the form shows the draft
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Change awaiting approval" in listing
    assert list(Article.objects.awaiting_approval()) == [article]


def test_a_practice_area_text_edit_is_not_public_until_approved(client, attorney):
    area = PracticeAreaFactory(
        name="Medical malpractice", slug="medical-malpractice", summary="Approved words."
    )
    area.summary = "We GUARANTEE results."
    area.save()
    for url in ("/practice-areas/medical-malpractice/", "/practice-areas/", "/"):
        assert "GUARANTEE" not in client.get(url).content.decode(), url
    approve(obj=area, user=attorney.user, shown_hash=shown_hash(area))
    assert "We GUARANTEE results." in client.get("/practice-areas/medical-malpractice/").content.decode()


def test_a_new_practice_area_or_person_is_not_public_until_approved(client):
    PracticeAreaFactory(name="Unapproved area", slug="unapproved-area", approved=False)
    person = PersonFactory(name="Unapproved Person", slug="unapproved-person", approved=False)
    assert client.get("/practice-areas/unapproved-area/").status_code == 404
    assert client.get("/people/unapproved-person/").status_code == 404
    assert "Unapproved" not in client.get("/about/").content.decode()
    assert "Unapproved area" not in client.get("/consultation/").content.decode()
    approve_change(person)
    assert client.get("/people/unapproved-person/").status_code == 200


def test_a_person_bio_edit_is_not_public_until_approved(client, editor, attorney):
    person = PersonFactory(name="Dana Reyes", slug="dana-reyes", bio="Approved biography.")
    client.force_login(editor)
    change = reverse("admin:articles_person_change", args=[person.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.pop("photo", None)
    data["bio_en"] = "Wins every case, guaranteed."
    assert client.post(change, data).status_code == 302
    reader = client.__class__()
    for url in ("/people/dana-reyes/", "/about/", "/people/"):
        assert "guaranteed" not in reader.get(url).content.decode(), url
    assert client.get(change).context["adminform"].form["bio_en"].value() == "Wins every case, guaranteed."
    screen = reverse("admin:articles_person_approve", args=[person.pk])
    client.force_login(attorney.user)
    page = client.get(screen).content.decode()
    assert "<ins>" in page and "guaranteed" in page  # the word diff of the biography
    shown = re.search(r'name="content_hash" value="([0-9a-f]{64})"', page).group(1)
    client.post(screen, {"content_hash": shown})
    assert "Wins every case, guaranteed." in reader.get("/people/dana-reyes/").content.decode()
    approval = Approval.objects.for_object(person).first()
    assert approval.data["bio_en"] == "Wins every case, guaranteed." and approval.approved_by == attorney


def test_an_article_waits_while_its_new_author_or_area_was_never_approved(client, attorney):
    """Approving it anyway would show a name no attorney approved, linking to a profile that is a 404."""
    article = ArticleFactory(title="Who wrote this")
    newcomer = PersonFactory(name="Nobody Approved Yet", approved=False)
    article.author = newcomer
    article.save()
    with pytest.raises(ValidationError, match="the author Nobody Approved Yet"):
        approve(obj=article, user=attorney.user, shown_hash=shown_hash(article))
    assert Article.objects.get(pk=article.pk).author != newcomer
    assert Draft.objects.filter(object_id=article.pk).exists()  # the change still waits, nothing is lost
    assert "Nobody Approved Yet" not in client.get(article.get_absolute_url()).content.decode()

    approve_change(newcomer)  # the profile first, then the article
    approve(obj=article, user=attorney.user, shown_hash=shown_hash(article))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Nobody Approved Yet" in page
    assert client.get(newcomer.get_absolute_url()).status_code == 200


def test_every_kind_says_what_waits_through_the_same_queryset_method():
    from articles import waiting

    approved, new = PersonFactory(), PersonFactory(approved=False)
    changed = PersonFactory()
    changed.bio = "A change that waits."
    changed.save()
    assert set(Person.objects.awaiting_approval()) == {new, changed}
    area = PracticeAreaFactory(approved=False)
    assert list(PracticeArea.objects.awaiting_approval()) == [area]
    assert set(waiting.awaiting(Person)) == {new, changed} and approved not in waiting.waiting_objects()
    draft_article = ArticleFactory.draft(approved=False)
    assert draft_article not in Article.objects.awaiting_approval()  # an article waits once set to publish
