"""Switching the form's language keeps the answers typed so far: in the session, server-side, never in an
address, a log line or the page cache (consultations/drafts.py)."""

import logging
import pickle
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

from consultations.drafts import SESSION_KEY

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": "Maria Alvarez",
    "contact_method": "email",
    "phone": "212-555-0147",
    "email": "maria@example.org",
    "best_time": "morning",
    "what": "medical",
    "who": "private",
    "what_happened": "The clinic missed an infection after my knee surgery.",
    "incident_date": "2025-06-02",
    "other_parties": "Riverside Surgical Group",
}
SECRETS = ("Maria", "Alvarez", "555-0147", "maria@example.org", "infection", "Riverside")


def switch(client, path="/consultation/language/", **answers):
    return client.post(path, {**ANSWERS, "consent": "on", "website": "", "started": "x", **answers})


def test_the_form_pages_language_switch_is_a_button_of_the_form(client):
    html = client.get("/consultation/").content.decode()
    assert 'id="consultation-form"' in html
    assert (
        '<button class="language-switch__button" type="submit" form="consultation-form" '
        'formaction="/consultation/language/" formnovalidate lang="es">Español</button>'
    ) in html
    spanish = client.get("/es/consulta/").content.decode()
    assert 'formaction="/es/consulta/idioma/" formnovalidate lang="en">English</button>' in spanish
    # Elsewhere it stays a plain link.
    assert 'href="/es/" hreflang="es" lang="es">Español</a>' in client.get("/").content.decode()


def test_switching_to_spanish_keeps_every_answer_but_the_consent(client):
    response = switch(client)
    assert response.status_code == 303
    assert response["Location"] == "/es/consulta/"  # no answer in the address
    assert "no-store" in response["Cache-Control"]

    html = client.get("/es/consulta/").content.decode()
    assert 'value="Maria Alvarez"' in html
    assert 'value="maria@example.org"' in html and 'value="212-555-0147"' in html
    assert 'value="2025-06-02"' in html
    assert "\nThe clinic missed an infection after my knee surgery.</textarea>" in html
    assert "\nRiverside Surgical Group</textarea>" in html
    for name, value in (("contact_method", "email"), ("what", "medical"), ("who", "private")):
        assert re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*checked', html), name
    assert '<option value="morning" selected>' in html
    assert not re.search(r'<input[^>]*name="consent"[^>]*checked', html)  # acknowledged again, in Spanish
    assert '<html lang="es"' in html

    # Taken once: a reload is the empty form again, and the session no longer holds the answers.
    assert 'value="Maria Alvarez"' not in client.get("/es/consulta/").content.decode()


def test_switching_back_to_english_keeps_the_answers_too(client):
    switch(client, "/es/consulta/idioma/", name="Ana Ruiz")
    html = client.get("/consultation/").content.decode()
    assert 'value="Ana Ruiz"' in html and "Ask for a free consultation" in html


def test_the_answers_live_in_the_database_session_never_in_a_cookie(client):
    switch(client)
    cookie = client.cookies["sessionid"].value
    assert all(secret not in cookie for secret in SECRETS)
    stored = Session.objects.get(session_key=cookie).get_decoded()[SESSION_KEY]
    assert stored["name"] == "Maria Alvarez" and "consent" not in stored and "started" not in stored


def test_no_answer_reaches_an_address_a_log_or_the_page_cache(client, page_cache, caplog):
    caplog.set_level(logging.DEBUG)
    for path in ("/", "/consultation/", "/es/consulta/"):
        client.get(path)
    response = switch(client)
    client.get(response["Location"])
    client.get("/es/")  # a public page, cached, after the switch
    assert all(secret not in response["Location"] for secret in SECRETS)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert all(secret not in logged for secret in SECRETS), logged
    stored = b"".join(
        key.encode() + (value if isinstance(value, bytes) else pickle.dumps(value))
        for key, value in cache._cache.items()
    )
    assert stored  # the page cache did store public pages
    assert all(secret.encode() not in stored for secret in SECRETS)


def test_the_switch_takes_only_posts_and_bounds_what_it_keeps(client):
    assert client.get("/consultation/language/").status_code == 405
    switch(client, what_happened="x" * 10_000, name="y" * 5_000)
    stored = Session.objects.get(session_key=client.cookies["sessionid"].value).get_decoded()[SESSION_KEY]
    assert len(stored["what_happened"]) == 3000 and len(stored["name"]) == 120


def test_an_empty_form_switches_without_storing_anything(client):
    response = client.post("/consultation/language/", {"started": "x"})
    assert response.status_code == 303 and response["Location"] == "/es/consulta/"
    assert not Session.objects.exists()
