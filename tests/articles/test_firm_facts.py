"""Facts about the firm, stated from settings in both languages (articles/firm_facts.py): who pays case
expenses when nothing is recovered, who calls a Spanish-speaking visitor back, and the advertising label."""

import os
import subprocess
import sys

import pytest
from django.core.checks import ERROR

from articles.models import Article
from lawsite.checks import check_firm_facts
from scripts import processes
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CLIENT_PAYS = "If nothing is recovered, you owe no legal fee, but you do have to pay back the case expenses."
FIRM_BEARS = "If nothing is recovered, you owe nothing: no legal fee and no case expenses."
AGREEMENT_SAYS = "The written agreement says whether you would have to pay back the case expenses"
CLIENT_PAYS_ES = "usted no nos debe honorarios, pero sí tiene que devolver los gastos del caso"
FIRM_BEARS_ES = "usted no nos debe nada: ni honorarios ni gastos del caso"


def set_facts(settings, **facts):
    settings.FIRM = {**settings.FIRM, **facts}


@pytest.mark.parametrize(
    ("client_pays", "english", "spanish"),
    [(True, CLIENT_PAYS, CLIENT_PAYS_ES), (False, FIRM_BEARS, FIRM_BEARS_ES)],
)
def test_home_and_about_say_plainly_who_pays_case_expenses(client, settings, client_pays, english, spanish):
    set_facts(settings, client_pays_expenses_if_no_recovery=client_pays)
    for path in ("/", "/about/"):
        html = client.get(path).content.decode()
        assert english in html, path
        assert AGREEMENT_SAYS not in html
    for path in ("/es/", "/es/nosotros/"):
        html = client.get(path).content.decode()
        assert spanish in html, path
        assert "incluso si tendría que pagarlos" not in html  # the garbled sentence the review found


def test_without_the_setting_pages_only_point_to_the_written_agreement(client, settings):
    set_facts(settings, client_pays_expenses_if_no_recovery=None)
    html = client.get("/").content.decode()
    assert AGREEMENT_SAYS in html
    assert CLIENT_PAYS not in html and FIRM_BEARS not in html


def test_production_without_the_expenses_setting_is_an_error(settings):
    set_facts(settings, client_pays_expenses_if_no_recovery=None)
    settings.DEBUG = False
    (problem,) = check_firm_facts(None)
    assert problem.id == "lawsite.E030" and problem.level == ERROR
    assert "FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY" in problem.msg
    set_facts(settings, client_pays_expenses_if_no_recovery=False)
    assert check_firm_facts(None) == []
    settings.DEBUG = True  # development: the pages fall back to "the written agreement says"
    set_facts(settings, client_pays_expenses_if_no_recovery=None)
    assert check_firm_facts(None) == []


def test_check_deploy_fails_until_the_firm_says_who_pays_expenses():
    """The real command, as an operator runs it before going live (README "Deploying")."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "www.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    env.pop("FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY", None)
    command = [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"]
    refused = subprocess.run(
        command, cwd=processes.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "lawsite.E030" in refused.stderr, refused.stderr
    env["FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY"] = "0"
    accepted = subprocess.run(
        command, cwd=processes.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert "lawsite.E030" not in accepted.stdout + accepted.stderr


@pytest.mark.parametrize(("client_pays", "sentence"), [(True, CLIENT_PAYS), (False, FIRM_BEARS)])
def test_an_article_quotes_the_expenses_fact_in_its_language(settings, client_pays, sentence):
    set_facts(settings, client_pays_expenses_if_no_recovery=client_pays)
    body = "Intro.\n\n## Fees\n\nThe fee is a percentage. {{firm:expenses}}\n\n## More\n\nText.\n\n## End\n\nEnd.\n"
    english = ArticleFactory(body=body)
    spanish = ArticleFactory(body=body, language="es")
    assert sentence in english.body_html and "{{firm:" not in english.body_html
    assert (CLIENT_PAYS_ES if client_pays else FIRM_BEARS_ES) in spanish.body_html
    assert "{{firm:expenses}}" in english.body  # the Markdown keeps the short form; the HTML has the fact


def test_an_unknown_firm_fact_is_refused_with_a_message():
    from django.core.exceptions import ValidationError

    article = ArticleFactory.build(body="Intro.\n\n{{firm:discount}}\n")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "{{firm:discount}}" in str(error.value.message_dict["body"])


def test_the_demo_fee_article_states_the_expenses_fact():
    from articles.management.commands.load_demo_content import CONTENT_DIR, parse

    fields = parse(CONTENT_DIR / "how-an-injury-case-works.md")
    assert "{{firm:expenses}}" in fields["body"]
    assert "Judiciary Law § 474-a" in fields["body"] and "net recovery" in fields["body"]


@pytest.mark.parametrize(
    ("spanish_staff", "said", "not_said"),
    [
        (True, "Lo llamará una persona que habla español.", "Es posible que la llamada sea en inglés"),
        (
            False,
            "Es posible que la llamada sea en inglés, con un intérprete.",
            "Lo llamará una persona que habla",
        ),
    ],
)
def test_spanish_pages_say_who_will_call_only_as_the_firm_sets_it(
    client, settings, spanish_staff, said, not_said
):
    set_facts(settings, spanish_speaking_intake=spanish_staff)
    for path in ("/es/", "/es/consulta/", "/es/consulta/gracias/"):
        html = client.get(path).content.decode()
        assert said in html, path
        assert not_said not in html, path
    english = client.get("/consultation/").content.decode()
    assert "Spanish" not in english and "interpreter" not in english


def test_spanish_pages_carry_the_english_advertising_label_and_the_spanish_one(client):
    html = client.get("/es/").content.decode()
    assert '<span lang="en">Attorney Advertising</span> / Publicidad de abogados' in html
    assert "Attorney Advertising" in client.get("/").content.decode()


def test_the_spanish_form_notice_says_bufete(client):
    from articles import compliance

    assert "el bufete" in compliance.WORDING["es"]["form_disclaimer"]
    assert "la firma" not in compliance.WORDING["es"]["form_disclaimer"]


def test_a_page_never_shows_a_publication_date_before_the_review_that_approved_it(client):
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    published = timezone.make_aware(datetime(2026, 8, 24, 9))
    article = ArticleFactory(published_at=published, last_reviewed_on=date(2026, 9, 3))
    assert article.public_at == timezone.make_aware(datetime(2026, 9, 3))
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'Published <time datetime="2026-09-03T00:00:00-04:00">September 3, 2026</time>' in page
    assert "August 24, 2026" not in page
    assert '"datePublished": "2026-09-03T00:00:00-04:00"' in page
    listing = client.get("/articles/").content.decode()
    assert "September 3, 2026" in listing and "August 24, 2026" not in listing
    feed = client.get("/feed/").content.decode()
    assert "2026-09-03T00:00:00-04:00" in feed
    # Reviewed before it went live: the publication date stands.
    earlier = ArticleFactory(published_at=published, last_reviewed_on=date(2026, 8, 20))
    assert earlier.public_at == published
    assert Article.objects.for_listing().get(pk=earlier.pk).public_at == published
    assert published - timedelta(days=1) < earlier.public_at


def test_the_demo_articles_were_reviewed_before_they_were_published():
    from datetime import date, datetime

    from articles.management.commands.load_demo_content import article_files, parse

    for path in article_files():
        fields = parse(path)
        if fields["published"] in {"draft", "scheduled"}:
            continue
        assert (
            date.fromisoformat(fields["reviewed_on"]) <= datetime.fromisoformat(fields["published"]).date()
        ), path.name


def test_people_have_spanish_admissions_and_photo_descriptions_for_the_spanish_site(client, admin_client):
    from tests.factories import PersonFactory

    person = PersonFactory(
        bar_admissions="New York, 2009",
        bar_admissions_es="Nueva York, 2009",
        photo_alt="Elena at her desk",
        photo_alt_es="Elena en su escritorio",
    )
    spanish = client.get(f"/es/equipo/{person.slug}/").content.decode()
    assert "Nueva York, 2009" in spanish and "New York, 2009" not in spanish
    assert "Nueva York, 2009" in client.get("/es/nosotros/").content.decode()
    assert "New York, 2009" in client.get(person.get_absolute_url()).content.decode()
    from django.utils import translation

    with translation.override("es"):
        assert person.photo_description == "Elena en su escritorio"
    assert person.photo_description == "Elena at her desk"
    person.photo_alt_es = ""
    with translation.override("es"):
        assert person.photo_description == f"Retrato de {person.name}"
    form = admin_client.get(f"/admin/articles/person/{person.pk}/change/").content.decode()
    for field in ("job_title_es", "bar_admissions_es", "bio_es", "photo_alt_es"):
        assert f'name="{field}"' in form
