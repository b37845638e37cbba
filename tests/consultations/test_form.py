import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import compliance
from consultations.models import ConsultationRequest
from consultations.services import hash_client_ip
from outbox.models import OutboundEmail
from tests.consultations.conftest import timer_token, valid_data

pytestmark = pytest.mark.django_db

URL = "/consultation/"


def post(client, **overrides):
    return client.post(reverse("consultations:create"), valid_data(**overrides))


def test_form_lives_at_consultation_and_header_links_to_it(client):
    assert reverse("consultations:create") == URL
    assert reverse("consultations:thanks") == "/consultation/thanks/"
    html = client.get(reverse("home")).content.decode()
    assert f'class="button button--primary site-header__cta" href="{URL}"' in html


def test_form_fields_have_labels_hints_autocomplete_and_limits(client):
    html = client.get(URL).content.decode()
    for expected in (
        '<label for="id_name">Your name <span class="field__need">(required)</span></label>',
        'Phone number <span class="field__need">(needed for a phone call)</span>',
        'Email address <span class="field__need">(needed for email)</span>',
        'When did it happen? <span class="field__need">(optional)</span>',
        'name="name" autocomplete="name"',
        'type="tel" name="phone" autocomplete="tel" inputmode="tel"',
        'type="email" name="email" autocomplete="email" inputmode="email"',
        'maxlength="120"',
        'maxlength="3000"',
        'maxlength="500"',
        'id="id_what_happened_helptext"',
        'aria-describedby="id_phone_helptext"',
        '<legend>What happened? <span class="field__need">(required)</span>',
        '<legend>Who may be responsible? <span class="field__need">(required)</span>',
        'type="date" name="incident_date"',
        compliance.FORM_DISCLAIMER.replace("&", "&amp;"),
        'type="checkbox" name="consent" required',
    ):
        assert expected in html, expected
    # The disclaimer sits above the submit button.
    assert html.index('id="disclaimer-text"') < html.index(">Send my request<")
    assert "novalidate" in html  # our own messages, not the browser's bubbles; works without JS


def test_honeypot_is_labelled_hidden_from_assistive_tech_and_out_of_tab_order(client):
    html = client.get(URL).content.decode()
    trap = html[html.index('class="form-trap"') - 20 : html.index('name="website"') + 100]
    assert 'aria-hidden="true"' in trap
    assert "Leave this field empty" in trap
    assert 'tabindex="-1"' in trap


def test_form_get_is_within_query_budget_and_writes_nothing(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(URL + "?article=knee-surgery-infections")
    assert response.status_code == 200
    assert 'name="article" value="knee-surgery-infections"' in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_valid_post_stores_request_and_queues_two_emails_then_303s_to_thanks(
    client, django_assert_max_num_queries, mailoutbox
):
    data = valid_data(article="knee-surgery-infections")
    with django_assert_max_num_queries(9):  # includes reading the practice areas the form offers
        response = client.post(reverse("consultations:create"), data)
    assert response.status_code == 303
    assert response["Location"].startswith(reverse("consultations:thanks") + "?r=")
    consultation = ConsultationRequest.objects.get()
    assert consultation.status == "new"
    assert consultation.disclaimer_version == compliance.FORM_DISCLAIMER_VERSION
    assert consultation.source_article_slug == "knee-surgery-infections"
    assert consultation.ip_hash == hash_client_ip("127.0.0.1") and "127.0.0.1" not in consultation.ip_hash
    assert sorted(consultation.emails.values_list("kind", "state")) == [
        ("firm", "pending"),
        ("visitor", "pending"),
    ]
    assert mailoutbox == []  # nothing is sent on the request path


def test_thanks_page_says_what_happens_next_and_gives_the_phone(client):
    html = client.get(reverse("consultations:thanks")).content.decode()
    assert "What happens next" in html
    assert "one business day" in html
    assert 'href="tel:+12127665222"' in html


def test_article_slug_that_is_not_a_slug_is_dropped(client):
    html = client.get(URL + '?article="><script>x</script>').content.decode()
    assert 'name="article" value=""' not in html or "<script>x" not in html
    assert "<script>x" not in html
    post(client, article="../../etc/passwd")
    assert ConsultationRequest.objects.get().source_article_slug == ""


def test_mistakes_show_summary_linked_to_fields_and_keep_input(client):
    response = post(client, phone="12", email="not-an-address", consent="", what_happened="Something bad")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="error-summary"' in html
    assert 'href="#id_phone"' in html and 'href="#id_email"' in html and 'href="#id_consent"' in html
    assert "Please enter a phone number with the area code" in html
    assert 'id="id_phone_error"' in html and 'aria-invalid="true"' in html
    assert 'value="Maria Alvarez"' in html  # what they typed is kept
    assert "Something bad" in html
    assert ConsultationRequest.objects.count() == 0


def test_an_answer_that_is_not_a_choice_is_asked_again_in_the_forms_own_words(client):
    """what and who are the questions /time-limits/ asks (articles/limit_questions.py): a value that is not one
    of the choices gets the same words as a missing one, and what was sent is never repeated on the page."""
    html = unescape(post(client, what="<bogus>", who="nobody-at-all").content.decode())
    assert "Please choose what happened." in html
    assert "Please choose who may be responsible, or “I am not sure”." in html
    assert "<bogus>" not in html and "nobody-at-all" not in html and "valid choice" not in html
    assert 'value="Maria Alvarez"' in html  # the rest of what they typed is kept
    assert ConsultationRequest.objects.count() == 0


def test_phone_is_required_when_asking_for_a_call(client):
    html = post(client, phone="", contact_method="phone").content.decode()
    assert "Please give a phone number for us to call, or choose “Email”" in html
    assert post(client, phone="", contact_method="email").status_code == 303
    # Email was their choice and they gave one: nothing is missing (the flag follows the choice).
    assert not ConsultationRequest.objects.get().is_missing_callback


def test_email_is_required_only_when_asking_for_email(client):
    html = post(client, email="", contact_method="email").content.decode()
    assert "Please give an email address for us to write to, or choose “Phone call”" in html
    assert ConsultationRequest.objects.count() == 0


def test_either_needs_a_phone_or_an_email_but_not_both(client):
    html = post(client, email="", phone="", contact_method="either").content.decode()
    assert "Please give a phone number or an email address, so we can reach you." in html
    assert post(client, email="", contact_method="either").status_code == 303
    assert post(client, phone="", contact_method="either").status_code == 303
    assert ConsultationRequest.objects.count() == 2


def test_a_caller_without_email_is_not_turned_away(client, settings, django_capture_on_commit_callbacks):
    """Phone alone is enough for a call: stored, flagged and notified as usual, with no confirmation
    email, and the thanks page gives the request number to quote instead."""
    settings.PAGE_CACHE = True
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, email="", contact_method="phone")
    assert response.status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.email == "" and consultation.phone == "212-555-0147" and consultation.status == "new"
    assert list(consultation.emails.values_list("kind", flat=True)) == ["firm"]
    assert consultation.flags == []  # a callback number is all the firm needs

    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert consultation.number in html
    assert "You did not give an email address, so we will not send a confirmation email" in html
    assert "confidential details" not in html  # no warning about what was already sent
    # The visitor's own page: never stored in the page cache or by the browser.
    assert "no-store" in thanks["Cache-Control"]
    again = client.get(response["Location"])
    assert again.get("X-Page-Cache") != "hit" and consultation.number in again.content.decode()
    generic = client.get(reverse("consultations:thanks")).content.decode()
    assert consultation.number not in generic and "R-0" not in generic


def test_the_receipt_on_the_thanks_page_cannot_be_forged_or_reused_for_long(client, time_machine):
    response = post(client)
    location = response["Location"]
    number = ConsultationRequest.objects.get().number
    assert number in client.get(location).content.decode()
    assert "We are also sending a short confirmation" in client.get(location).content.decode()
    token = location.split("?r=", 1)[1]
    thanks = reverse("consultations:thanks")
    altered = client.get(thanks + "?r=" + token[:-3] + ("xyz" if token[-3:] != "xyz" else "abc"))
    assert altered.status_code == 200 and number not in altered.content.decode()
    other = signing.dumps({"n": "R-000001", "e": False}, salt="someone-else", compress=False)
    assert "R-000001" not in client.get(thanks, {"r": other}).content.decode()
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert number not in client.get(location).content.decode()


def test_error_summary_lists_each_message_once_linked_without_label_prefixes(client):
    response = post(
        client, name="", phone="", email="", contact_method="phone", what_happened="", what="flood"
    )
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index('class="error-summary"'))
    ]
    messages = [
        ("id_name", "Please tell us your name."),
        ("id_phone", "Please give a phone number for us to call"),
        ("id_what_0", "Please choose what happened."),  # "flood" is no choice: asked again, not repeated
        ("id_what_happened", "Please tell us briefly what happened."),
    ]
    for field_id, message in messages:
        assert f'<a href="#{field_id}">{message}' in summary, message
        assert summary.count(message) == 1
    assert "?:" not in html and ".:" not in html and ": Please" not in summary
    assert "Please check 4 answers" in summary


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Maria\r\nBcc: victim@example.com"),
        ("name", "Maria\nAlvarez"),
        ("phone", "212-555-0147\r\nX-Injected: 1"),
        ("email", "maria@example.org\r\nBcc: victim@example.com"),
        ("name", "Maria\x00Alvarez"),
        ("name", "Maria\u202eAlvarez"),  # right-to-left override
        ("what_happened", "It hurt\x00 a lot"),
        ("what_happened", "It hurt\x07 a lot"),
    ],
)
def test_control_characters_get_a_form_error_and_nothing_is_stored(client, field, value):
    response = post(client, **{field: value})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert ConsultationRequest.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_line_breaks_are_fine_in_the_description(client):
    assert post(client, what_happened="First line.\r\nSecond line.").status_code == 303
    assert ConsultationRequest.objects.get().what_happened == "First line.\nSecond line."


@pytest.mark.parametrize(
    ("field", "length"),
    [("name", 121), ("phone", 31), ("what_happened", 3001), ("other_parties", 501), ("email", 255)],
)
def test_oversize_fields_are_rejected_with_a_message(client, field, length):
    value = ("a" * (length - 12) + "@example.org") if field == "email" else "7" * length
    response = post(client, **{field: value})
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_request_body_over_the_upload_limit_is_a_400_not_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, what_happened="x" * 20_000)
    assert response.status_code == 400
    assert ConsultationRequest.objects.count() == 0


def test_bad_utf8_and_nul_bytes_in_the_raw_body_never_500(client):
    data = valid_data()
    body = "&".join(f"{key}={value}" for key, value in data.items() if key not in {"name", "started"})
    started = data["started"]
    for raw_name in (b"Maria%FF%FEAlvarez", b"\xff\xfe\xfd", b"Maria%00Alvarez", b"Maria\x00"):
        payload = b"name=" + raw_name + b"&started=" + started.encode() + b"&" + body.encode()
        response = client.generic(
            "POST", URL, payload, content_type="application/x-www-form-urlencoded; charset=utf-8"
        )
        assert response.status_code in {200, 303, 400}, raw_name
    # Undecodable bytes become U+FFFD (a replacement character), which is stored only as text.
    for consultation in ConsultationRequest.objects.all():
        assert "\x00" not in consultation.name


def test_non_utf8_charset_declared_by_the_client_is_not_a_500(client):
    response = client.generic(
        "POST", URL, b"name=%E9", content_type="application/x-www-form-urlencoded; charset=no-such-codec"
    )
    assert response.status_code in {200, 400}


def test_csrf_failure_gets_the_friendly_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, valid_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html and "site-header" in html
    assert f'href="{URL}"' in html
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        # Built when the test runs: a token made at collection time would be "old" by then.
        (lambda: {"website": "http://cheap-pills.example"}, "honeypot"),
        (lambda: {"started": timer_token(seconds_ago=0.5)}, "too_fast"),
        (lambda: {"started": timer_token()[:-3] + "abc"}, "bad_token"),  # tampered signature
        (lambda: {"started": ""}, "bad_token"),
    ],
)
def test_spam_traps_store_the_request_flagged_and_queue_no_email(client, overrides, reason):
    response = post(client, **overrides())
    assert response.status_code == 303  # a bot learns nothing
    consultation = ConsultationRequest.objects.get()
    assert consultation.status == "spam"
    assert consultation.spam_reason == reason
    assert consultation.emails.count() == 0


def test_timer_token_cannot_be_forged_without_the_key():
    from django.core import signing

    from consultations.forms import TIMER_SALT, seconds_since

    forged = signing.dumps({"t": 0}, key="not-the-secret", salt=TIMER_SALT)
    assert seconds_since(forged) is None
    assert seconds_since(timer_token(seconds_ago=30)) == pytest.approx(30, abs=5)


def test_over_the_rate_limit_is_429_with_the_form_kept_and_the_phone_number(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    assert post(client).status_code == 303
    assert post(client, website="spam").status_code == 303  # spam counts too
    response = post(client, name="Third Try")
    assert response.status_code == 429
    html = response.content.decode()
    assert "We could not accept another form just now" in html
    assert 'value="Third Try"' in html
    assert 'href="tel:+12127665222"' in html
    assert ConsultationRequest.objects.count() == 2
    # Another client is not affected.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(URL, valid_data()).status_code == 303


def test_rate_limit_window_slides(client, settings, time_machine):
    settings.CONSULTATION_RATE_LIMIT = 1
    time_machine.move_to("2026-03-02 10:00:00-05:00")
    assert post(client).status_code == 303
    assert post(client, started=timer_token()).status_code == 429
    time_machine.move_to("2026-03-02 10:11:00-05:00")
    assert post(client, started=timer_token()).status_code == 303


def test_behind_the_proxy_the_rate_limit_uses_the_right_most_forwarded_address(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client connects from 127.0.0.1: our nginx
    settings.CONSULTATION_RATE_LIMIT = 1
    headers = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.5"}
    assert client.post(URL, valid_data(), **headers).status_code == 303
    forged = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.5"}  # changing the left part does not help
    assert client.post(URL, valid_data(), **forged).status_code == 429
    assert ConsultationRequest.objects.get().ip_hash == hash_client_ip("203.0.113.5")


def test_a_forged_forwarded_address_from_an_untrusted_connection_does_not_beat_the_rate_limit(settings):
    """Someone reaching the app server directly (not through our proxy) sends a new X-Forwarded-For each time."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.BEHIND_TLS_PROXY = True  # production behind nginx, but this client bypasses it
    settings.CONSULTATION_RATE_LIMIT = 1
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    assert attacker.post(URL, valid_data(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 303
    for forged in ("203.0.113.2", "127.0.0.1", "10.0.0.1, 203.0.113.3"):
        assert attacker.post(URL, valid_data(), HTTP_X_FORWARDED_FOR=forged).status_code == 429
    assert ConsultationRequest.objects.get().ip_hash == hash_client_ip("198.51.100.66")


def test_coming_from_a_malpractice_article_preselects_medical_care(client):
    from tests.factories import ArticleFactory, PracticeAreaFactory

    area = PracticeAreaFactory(slug="medical-malpractice")
    ArticleFactory(slug="missed-diagnosis", practice_area=area)
    ArticleFactory.draft(slug="city-draft", practice_area=area)
    form = client.get(URL + "?article=missed-diagnosis").context["form"]
    assert form["what"].value() == "medical"
    for unmatched in ("city-draft", "no-such-article", ""):
        assert client.get(URL + f"?article={unmatched}").context["form"]["what"].value() in ("", None)


def shown_timer(client) -> str:
    """The timer token of the form as a browser gets it."""
    html = client.get(URL).content.decode()
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def test_one_showing_of_the_form_sends_one_request_a_replayed_timer_is_spam(client, time_machine):
    time_machine.move_to("2026-03-02 10:00:00-05:00")
    token = shown_timer(client)
    time_machine.move_to("2026-03-02 10:05:00-05:00")
    assert post(client, started=token).status_code == 303
    for _ in range(2):  # a script sending the same form again and again
        assert post(client, started=token, name="Replayed Sender").status_code == 303
    first, *replays = ConsultationRequest.objects.order_by("received_at", "pk")
    assert (first.status, first.spam_reason) == ("new", "")
    assert [(r.status, r.spam_reason) for r in replays] == [("spam", "reused_token")] * 2
    assert OutboundEmail.objects.filter(consultation__in=replays).count() == 0


def test_a_form_left_open_too_long_is_shown_again_with_the_answers_and_a_new_timer(
    client, settings, time_machine
):
    settings.CONSULTATION_FORM_MAX_AGE = timedelta(hours=24)
    time_machine.move_to("2026-03-02 10:00:00-05:00")
    token = shown_timer(client)
    time_machine.move_to("2026-03-03 10:01:00-05:00")
    response = post(client, started=token, name="Late Sender")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please send the form again" in html and 'value="Late Sender"' in html
    assert not ConsultationRequest.objects.exists()
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert fresh != token
    time_machine.move_to("2026-03-03 10:02:00-05:00")
    assert post(client, started=fresh, name="Late Sender").status_code == 303
    assert ConsultationRequest.objects.get().status == "new"
