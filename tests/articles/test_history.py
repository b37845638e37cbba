"""The admin's history pages read well: no "Deleted person (pk=None)", no "None", New York times."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_history_of_an_article_reads_like_a_person_wrote_it(admin_client, settings):
    article = ArticleFactory.draft(reviewed_by=None, last_reviewed_on=None)
    article.reviewed_by = PersonFactory(name="Elena Marsh")
    article.last_reviewed_on = article.created_at.date()
    article.title = "A clearer title"
    article.save()
    page = admin_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "pk=None" not in page
    assert "Deleted person" not in page
    assert "None" not in page  # neither "Change reason: None" nor a missing user shown as "None"
    assert "Reviewed by:" in page and "(empty)" in page and "Elena Marsh" in page
    assert "EST" in page or "EDT" in page  # times say they are New York time
    assert ("+00:00") not in page
