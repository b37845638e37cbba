"""Attorneys are told of everything that waits for their approval, not only articles: a change to a person's
profile, a practice area or a time limit is emailed and counted on the admin index, linking to its approval
screen (articles/waiting.py, articles/emails.py)."""

import pytest
from django.urls import reverse

from articles.emails import queue_approval_requests
from articles.models import TimeLimitRule
from outbox.models import OutboundEmail
from outbox.worker import drain
from tests.factories import PersonFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorneys(django_user_model, time_limits):
    """Two attorneys who may approve; the time limits all approved, so only what a test changes waits."""
    elena = django_user_model.objects.create_user("elena", "elena@firm.example.org", "x", is_staff=True)
    david = django_user_model.objects.create_user("david", "david@firm.example.org", "x", is_staff=True)
    return [PersonFactory(name="Elena Marsh", user=elena), PersonFactory(name="David Kessler", user=david)]


def waiting_changes():
    """A change to an approved profile, practice area and time limit, each waiting in its draft."""
    ada = PersonFactory(name="Ada Attorney")
    ada.bio_en = "Ada has represented injured New Yorkers for twenty years."
    ada.save()
    area = PracticeAreaFactory(name="Car accidents", slug="car-accidents")
    area.summary_en = "Crashes on New York roads, and what to do after one."
    area.save()
    rule = TimeLimitRule.objects.get(name_en="Notice of claim")
    rule.notes_en = "Ask us early: gathering what the notice needs takes time."
    rule.save()
    return ada, area, rule


def test_a_waiting_change_to_a_profile_an_area_or_a_time_limit_is_emailed_in_plain_words(
    attorneys, mailoutbox
):
    ada, area, rule = waiting_changes()
    queue_approval_requests()
    queue_approval_requests()  # a second run (or worker) queues nothing more
    assert OutboundEmail.objects.filter(kind="approval").count() == 3
    drain()
    by_subject = {message.subject: message for message in mailoutbox}
    assert set(by_subject) == {
        "Waiting for your approval: A change to Ada Attorney's profile",
        "Waiting for your approval: A change to the practice area “Car accidents”",
        "Waiting for your approval: A change to the time limit “Notice of claim”",
    }
    for message in mailoutbox:
        assert sorted(message.to) == ["david@firm.example.org", "elena@firm.example.org"]
    profile = by_subject["Waiting for your approval: A change to Ada Attorney's profile"]
    assert f"/admin/articles/person/{ada.pk}/approve/" in profile.body
    assert "Readers keep seeing the approved version" in profile.body
    assert "twenty years" not in profile.body  # built from the object at send time, no narrative stored
    assert f"/admin/articles/person/{ada.pk}/approve/" in profile.alternatives[0][0]  # the HTML part too
    practice = by_subject["Waiting for your approval: A change to the practice area “Car accidents”"]
    assert f"/admin/articles/practicearea/{area.pk}/approve/" in practice.body
    limit = by_subject["Waiting for your approval: A change to the time limit “Notice of claim”"]
    assert f"/admin/articles/timelimitrule/{rule.pk}/approve/" in limit.body

    # A further edit of the waiting change is a new text: one new email, for that object only.
    ada.bio_en = "Ada has represented injured New Yorkers for twenty-one years."
    ada.save()
    queue_approval_requests()
    assert OutboundEmail.objects.filter(kind="approval").count() == 4
    assert OutboundEmail.objects.filter(kind="approval", object_id=ada.pk).count() == 2


def test_an_admin_save_that_makes_a_practice_area_wait_queues_the_email_with_it(
    admin_client, attorneys, mailoutbox
):
    area = PracticeAreaFactory(name="Car accidents", slug="car-accidents")
    form = {
        "name_en": "Car accidents", "slug_en": "car-accidents", "order": "0",
        "summary_en": "Crashes on New York roads, and what to do after one.", "description_en": "",
        "name_es": "", "slug_es": "", "summary_es": "", "description_es": "",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:articles_practicearea_change", args=[area.pk]), form)
    assert response.status_code == 302
    email = OutboundEmail.objects.get(kind="approval")  # no job ran: the save queued it
    assert email.source == area and email.state == OutboundEmail.State.PENDING

    # A new area, added in the admin: it waits, and the attorneys are told with the save.
    form |= {"name_en": "Dog bites", "slug_en": "dog-bites", "summary_en": "Bitten by a dog in New York."}
    assert admin_client.post(reverse("admin:articles_practicearea_add"), form).status_code == 302
    new = OutboundEmail.objects.exclude(pk=email.pk).get(kind="approval")
    assert new.source.name_en == "Dog bites"
    drain()
    message = mailoutbox[-1]
    assert message.subject == "Waiting for your approval: A new practice area “Dog bites”"
    assert f"/admin/articles/practicearea/{new.object_id}/approve/" in message.body
    assert "Readers see nothing of it" in message.body


def test_the_admin_index_counts_and_links_what_waits_of_every_kind(client, editor, attorneys):
    ada, area, rule = waiting_changes()
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert "<strong>3</strong> waiting for attorney approval" in index
    assert "A change to Ada Attorney&#x27;s profile" in index
    assert "A change to the practice area “Car accidents”" in index
    assert "A change to the time limit “Notice of claim”" in index
    for obj, name in ((ada, "person"), (area, "practicearea"), (rule, "timelimitrule")):
        assert reverse(f"admin:articles_{name}_approve", args=[obj.pk]) in index
