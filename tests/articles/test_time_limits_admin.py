"""Editing and approving a time limit in the admin (articles/admin/time_limits.py)."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from articles.models import TimeLimitRule, short_form_rules
from tests.factories import PersonFactory


@pytest.fixture
def editors_with_rules(editors_group):
    importlib.import_module("articles.migrations._time_limit_rules").grant_editors(django_apps)
    return editors_group


@pytest.fixture
def attorney(django_user_model, editors_with_rules):
    user = django_user_model.objects.create_user("attorney", password="pw-attorney-123", is_staff=True)
    user.groups.add(editors_with_rules)
    return PersonFactory(name="Ada Attorney", user=user)


def shown_hash(page: str) -> str:
    return re.search(r'name="shown_hash" value="([0-9a-f]{64})"', page).group(1)


def edit(rule, **changes):
    for field, value in changes.items():
        setattr(rule, field, value)
    rule.save()
    return rule


def test_the_approval_screen_shows_what_changed_and_binds_to_it(client, attorney, time_limits):
    rule = edit(time_limits["wcl-18"], notes="In writing, with the date and place.")
    client.force_login(attorney.user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    page = client.get(url).content.decode()
    assert "<ins>with the date</ins>" in page and "<del>saying when, where</del>" in page
    shown = shown_hash(page)

    # Someone edits the rule after the attorney opened the screen: the stale approval is refused.
    edit(TimeLimitRule.objects.get(pk=rule.pk), notes="Something else entirely.")
    response = client.post(url, {"shown_hash": shown}, follow=True)
    assert "changed after you opened this page" in response.content.decode()
    assert TimeLimitRule.objects.get(pk=rule.pk).is_pending

    fresh = client.get(url).content.decode()
    assert "Something else entirely." in fresh
    client.post(url, {"shown_hash": shown_hash(fresh)})
    approved = TimeLimitRule.objects.get(pk=rule.pk)
    assert approved.is_approved and approved.approved_version.approved_by_user == attorney.user
    assert approved.approved_by_name == "Ada Attorney"
    assert short_form_rules()["wcl-18"].words("notes") == "Something else entirely."


def test_an_editor_can_edit_a_rule_but_not_approve_it(client, editor, editors_with_rules, time_limits):
    rule = time_limits["gml-50-e"]
    client.force_login(editor)
    assert client.get(reverse("admin:articles_timelimitrule_change", args=[rule.pk])).status_code == 200
    assert (
        "Review and approve"
        not in client.get(reverse("admin:articles_timelimitrule_change", args=[rule.pk])).content.decode()
    )
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"shown_hash": rule.compute_hash()}).status_code == 403


def test_the_list_says_which_rules_await_approval(admin_client, db):
    importlib.import_module("articles.migrations._time_limit_rules").seed_rules(django_apps)
    page = admin_client.get(reverse("admin:articles_timelimitrule_changelist")).content.decode()
    assert "Not approved yet (pending)" in page and "Approved" in page


def test_an_attorney_who_edited_a_rule_may_not_approve_it_alone(client, attorney, time_limits, settings):
    rule = time_limits["wcl-28"]
    rule.notes = "Form C-3, online or on paper."
    rule._history_user = attorney.user  # the attorney saved this edit
    rule.save()
    client.force_login(attorney.user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    assert "another attorney must approve it" in client.get(url).content.decode()
    assert client.post(url, {"shown_hash": rule.compute_hash()}).status_code == 403
    assert TimeLimitRule.objects.get(pk=rule.pk).is_pending
    settings.APPROVAL_ALLOW_SELF = True  # a firm with a single attorney
    client.post(url, {"shown_hash": shown_hash(client.get(url).content.decode())})
    approved = TimeLimitRule.objects.get(pk=rule.pk)
    assert approved.is_approved and "APPROVAL_ALLOW_SELF" in approved.approval_note


def test_one_approval_covers_the_rule_and_every_article_that_quotes_it(client, attorney, time_limits):
    from articles.models import Article, ArticleApproval
    from tests.factories import ArticleFactory

    quoting = ArticleFactory(title="Hurt at work", body="## Notice\n\nYou must {{limit:wcl-18}}.")
    waiting = ArticleFactory(title="Site accidents", body="## Steps\n\nIt is {{limit:wcl-18|period}}.")
    waiting.summary = "An edit that waits for approval."
    waiting.save()
    ArticleFactory(title="Unrelated", body="## Other\n\nNothing about work.")
    rule = edit(
        time_limits["wcl-18"],
        statement=time_limits["wcl-18"].statement.replace("written notice", "a written notice"),
    )
    client.force_login(attorney.user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    page = client.get(url).content.decode()
    assert "Hurt at work" in page and "Site accidents" in page and "Unrelated" not in page
    assert "<ins>a</ins>" in page  # the article's own words that change
    assert "keeps waiting" in page  # the summary edit waiting in the draft
    shown = shown_hash(page)

    response = client.post(url, {"shown_hash": shown}, follow=True)
    assert "covers the new wording in 1 article(s)" in response.content.decode()
    quoting = Article.objects.get(pk=quoting.pk)
    assert quoting.is_approved and "give the employer a written notice" in quoting.body_html
    approval = ArticleApproval.objects.for_object(quoting).latest("approved_at")
    assert "wcl-18" in approval.note and approval.approved_by == attorney
    assert "give the employer a written notice" in client.get(quoting.get_absolute_url()).content.decode()
    # The article with a change of its own waiting (its period's words did not change): the change waits.
    waiting = Article.objects.get(pk=waiting.pk)
    assert not waiting.is_approved and waiting.summary != "An edit that waits for approval."


def test_an_article_edited_after_the_screen_was_opened_makes_the_approval_stale(
    client, attorney, time_limits
):
    from tests.factories import ArticleFactory

    # Never approved, so edited in place: the screen showed its text, which then changed.
    article = ArticleFactory(body="## Notice\n\nYou must {{limit:wcl-18}}.", approved=False)
    rule = edit(time_limits["wcl-18"], notes="Edited notes.")
    client.force_login(attorney.user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    shown = shown_hash(client.get(url).content.decode())
    article.body += "\n\nA new paragraph."
    article.save()
    response = client.post(url, {"shown_hash": shown}, follow=True)
    assert "changed after you opened this page" in response.content.decode()
    assert TimeLimitRule.objects.get(pk=rule.pk).is_pending


def test_an_editors_change_to_a_rule_waits_in_its_draft_and_no_reader_sees_it(client, editor, time_limits):
    rule = time_limits["gml-50-e"]
    importlib.import_module("articles.migrations._time_limit_rules").grant_editors(django_apps)
    client.force_login(editor)
    change = reverse("admin:articles_timelimitrule_change", args=[rule.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data["notes_en"] = "Unapproved: call 1-900-555-0100 for guaranteed results."
    response = client.post(change, data, follow=True)
    assert "waits for an attorney" in response.content.decode()
    assert TimeLimitRule.objects.get(pk=rule.pk).notes_en != data["notes_en"]  # the row is the approved rule
    assert client.get(change).context["adminform"].form["notes_en"].value() == data["notes_en"]  # the draft
    assert "1-900" not in client.__class__().get("/time-limits/?what=fall&who=city").content.decode()
    assert "1-900" not in short_form_rules()["gml-50-e"].words("notes")
    listing = client.get(reverse("admin:articles_timelimitrule_changelist")).content.decode()
    assert "Change awaiting approval" in listing


def test_an_attorney_without_permission_on_time_limits_cannot_open_or_approve_a_rule(
    client, django_user_model, time_limits
):
    """Approving needs the same admin permission as viewing the rule, as for every other kind of content."""
    user = django_user_model.objects.create_user("outsider", password="pw-outsider-123", is_staff=True)
    PersonFactory(name="Otto Outsider", user=user)
    rule = edit(time_limits["wcl-18"], notes="In writing, with the date and place.")
    client.force_login(user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"shown_hash": "0" * 64}).status_code == 404
    assert TimeLimitRule.objects.get(pk=rule.pk).is_pending


def test_the_approval_screen_costs_the_same_queries_however_many_articles_quote_the_rule(
    client, attorney, time_limits
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ArticleFactory

    rule = edit(time_limits["wcl-18"], notes="Edited notes.")
    client.force_login(attorney.user)
    url = reverse("admin:articles_timelimitrule_approve", args=[rule.pk])

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured]

    ArticleFactory(title="Hurt at work", body="## Notice\n\nYou must {{limit:wcl-18}}.")
    queries()  # warms the caches (content types, the user's permissions)
    one = queries()
    for n in range(3):
        waiting = ArticleFactory(
            title=f"Site accidents {n}", body="## Steps\n\nIt is {{limit:wcl-18|period}}."
        )
        waiting.summary = "An edit that waits for approval."
        waiting.save()
    four = queries()
    assert len(four) == len(one), "\n".join(four)
    page = client.get(url).content.decode()
    assert page.count("keeps waiting") == 3
    # Three reads of the table, whatever the number of quoting articles: the rule's live row, the copy its
    # proposed version is built from, and the whole table once (the rules the quoting articles render with).
    rule_reads = [sql for sql in four if sql.startswith('SELECT "articles_timelimitrule"."id"')]
    assert len(rule_reads) == 3, "\n".join(rule_reads)
