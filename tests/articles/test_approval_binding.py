"""Approval binds: only superusers grant the right to approve, an approval is of the text shown, and the
attempts a security test made, made again as an HTTP client would make them."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, ArticleApproval, Person
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorney(django_user_model, editors_group):
    user = django_user_model.objects.create_user("attorney", password="pw-attorney-123", is_staff=True)
    user.groups.add(editors_group)
    return PersonFactory(name="Ada Attorney", user=user)


def person_form(**values) -> dict:
    return {
        "is_sample": "",
        "name": "Eddie Editor",
        "slug": "eddie-editor",
        "role": "attorney",
        "job_title_en": "Partner",
        "bar_admissions_en": "",
        "bio_en": "Bio.",
        "order": 0,
        "photo_alt_en": "",
        **values,
    }


def shown_hash(client, article) -> str:
    page = client.get(reverse("admin:articles_article_approve", args=[article.pk])).content.decode()
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page).group(1)


def test_an_editor_cannot_make_themselves_an_attorney_and_approve(client, editor):
    """The white-box test's attempt: add a person with role=attorney and user=<the editor's own id>."""
    client.force_login(editor)
    response = client.post(reverse("admin:articles_person_add"), person_form(user=editor.pk))
    assert response.status_code == 302
    person = Person.objects.get(slug="eddie-editor")
    assert (person.role, person.user_id) == ("staff", None)
    # Changing an existing attorney's link to their own login is ignored the same way.
    attorney = PersonFactory(slug="real-attorney", name="Real Attorney")
    url = reverse("admin:articles_person_change", args=[attorney.pk])
    client.post(url, person_form(name="Real Attorney", slug="real-attorney", user=editor.pk, role="attorney"))
    attorney.refresh_from_db()
    assert attorney.user_id != editor.pk
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="user"' not in page  # shown read-only, not offered
    # And so the editor still cannot approve.
    article = ArticleFactory(approved=False)
    screen = reverse("admin:articles_article_approve", args=[article.pk])
    assert client.post(screen, {"content_hash": article.content_hash}).status_code == 403
    assert not ArticleApproval.objects.exists()


def test_a_superuser_sets_roles_and_logins_and_the_history_records_the_login(admin_client, editor):
    admin_client.post(reverse("admin:articles_person_add"), person_form(user=editor.pk))
    person = Person.objects.get(slug="eddie-editor")
    assert (person.role, person.user_id) == ("attorney", editor.pk)
    assert person.history.first().user_id == editor.pk


def test_a_stale_approval_form_is_refused_and_nothing_unapproved_goes_live(client, attorney, editor):
    """The attorney opens the screen; an editor then saves new text; the attorney's stale form is posted."""
    article = ArticleFactory(title="Approved title", body="## Call\n\nCall our office.\n")
    article.body = "## Call\n\nCall our office today.\n"
    article.save()
    client.force_login(attorney.user)
    seen = shown_hash(client, article)

    article.refresh_from_db()
    article.body = "## Call\n\nCall 1-900-555-0100 for guaranteed results.\n"
    article.save()  # the editor's save, after the attorney opened the screen

    screen = reverse("admin:articles_article_approve", args=[article.pk])
    response = client.post(screen, {"content_hash": seen}, follow=True)
    page = response.content.decode()
    assert "the text changed after you opened this page" in page
    assert "1-900-555-0100" in page  # shown the new text to read
    assert ArticleApproval.objects.for_object(article).count() == 1  # only the factory's approval
    public = client.__class__().get(article.get_absolute_url()).content.decode()
    assert "1-900" not in public and "Call our office." in public


def test_the_approval_screen_shows_the_words_changed_since_the_approved_version(client, attorney):
    article = ArticleFactory(title="Deadlines in New York", body="## Time\n\nYou have 90 days to file.\n")
    article.title = "Deadlines in New York State"
    article.body = "## Time\n\nYou have 90 days to file a notice of claim.\n"
    article.save()
    client.force_login(attorney.user)
    page = client.get(reverse("admin:articles_article_approve", args=[article.pk])).content.decode()
    assert "A change to a live article" in page
    assert "<ins>State</ins>" in page
    assert "<del>file.</del> <ins>file a notice of claim.</ins>" in page
    assert "##" not in page  # rendered text, not Markdown


def test_bad_ids_answer_404_not_500(client, attorney):
    client.force_login(attorney.user)
    for object_id in ("abc", "999999", "1 OR 1=1"):
        url = f"/admin/articles/article/{object_id}/approve/"
        assert client.post(url, {"content_hash": "x"}).status_code == 404, object_id
        assert client.get(url).status_code == 404, object_id


def test_there_is_no_bulk_approval(client, attorney):
    ArticleFactory(approved=False)
    client.force_login(attorney.user)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "approve" not in re.search(r'<select name="action".*?</select>', changelist, re.S).group(0).lower()


def test_an_attorney_cannot_approve_their_own_edit_unless_the_firm_allows_it(client, attorney, settings):
    article = ArticleFactory(approved=False)
    client.force_login(attorney.user)
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.pop("social_image", None)
    local = article.published_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    data.update(
        body="## Mine\n\nWords the attorney wrote.",
        published_at_0=f"{local:%Y-%m-%d}",
        published_at_1=f"{local:%H:%M:%S}",
        **{f"redirects-{n}": 0 for n in ("TOTAL_FORMS", "INITIAL_FORMS")},
    )
    data.pop("published_at", None)
    assert client.post(change, data).status_code == 302
    screen = reverse("admin:articles_article_approve", args=[article.pk])
    seen = shown_hash(client, article) if "content_hash" in client.get(screen).content.decode() else ""
    assert "another attorney must approve it" in client.get(screen).content.decode()
    article.refresh_from_db()
    response = client.post(screen, {"content_hash": article.content_hash}, follow=True)
    assert "another attorney must approve it" in response.content.decode()
    assert not ArticleApproval.objects.exists() and not seen

    settings.APPROVAL_ALLOW_SELF = True  # a firm with a single attorney
    client.post(screen, {"content_hash": shown_hash(client, article)})
    approval = ArticleApproval.objects.get()
    assert approval.is_self_approval and approval.approved_by_user == attorney.user
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_the_approval_screen_builds_the_waiting_change_once(client, attorney, monkeypatch):
    """It reads the live row and the draft; the change-form's draft-applied object is never built for it."""
    article = ArticleFactory(title="Deadlines in New York")
    article.title = "Deadlines in New York State"
    article.save()
    client.force_login(attorney.user)
    built = []
    proposed = Article.proposed
    monkeypatch.setattr(Article, "proposed", lambda self: built.append(self.pk) or proposed(self))
    page = client.get(reverse("admin:articles_article_approve", args=[article.pk])).content.decode()
    assert "<ins>State</ins>" in page
    assert built == [article.pk]
