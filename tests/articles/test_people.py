"""People: photos resized in the admin, profile pages, the team on About, sample profiles marked for staff."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Person
from tests.factories import ArticleFactory, PersonFactory, approve_change

pytestmark = pytest.mark.django_db


def portrait_upload(width=900, height=1200, fmt="JPEG", name="portrait.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (180, 120, 90))
    for x in range(0, width, 50):  # some detail, so the encoders have something to do
        for y in range(0, height, 50):
            image.putpixel((x, y), (20, 40, 60))
    buffer = io.BytesIO()
    if fmt == "JPEG":  # like a phone's photo: where it was taken, in EXIF
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (40.0, 42.0, 46.0)}  # GPS latitude
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def change_form_data(person: Person, **overrides) -> dict:
    data = {
        "is_sample": "",
        "name": person.name,
        "slug": person.slug,
        "role": person.role,
        "job_title_en": person.job_title,
        "bar_admissions_en": person.bar_admissions,
        "bio_en": person.bio,
        "order": person.order,
        "user": "",
        "photo_alt_en": "",
    }
    data.update(overrides)
    return data


def test_a_photo_uploaded_in_the_admin_is_cropped_resized_and_served_as_webp_with_a_jpeg_fallback(
    admin_client, settings, client, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="Ana Ortiz", slug="ana-ortiz", bar_admissions="New York, 2015")
    url = reverse("admin:articles_person_change", args=[person.pk])
    response = admin_client.post(
        url, change_form_data(person, photo=portrait_upload(), photo_alt_en="Ana smiling")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert not person.photo  # the new photo waits for approval, with its copies
    approve_change(person)
    renditions = person.photo_renditions
    assert renditions["width"] == 400 and renditions["height"] == 500
    for key, extension, pillow_format in (("webp", ".webp", "WEBP"), ("jpeg", ".jpg", "JPEG")):
        assert sorted(renditions[key], key=int) == ["96", "200", "400"]
        for width, name in renditions[key].items():
            path = Path(settings.MEDIA_ROOT) / name
            assert name.endswith(extension)
            with Image.open(path) as image:
                assert image.format == pillow_format
                assert image.size == (int(width), int(width) * 5 // 4)  # 4:5, cropped not squashed
    webp, original = Path(settings.MEDIA_ROOT) / renditions["webp"]["400"], Path(person.photo.path)
    assert webp.stat().st_size < original.stat().st_size
    # Everything under /media/ is public: the kept original has no EXIF (no GPS position, no camera).
    assert person.photo.name.startswith("people/originals/ana-ortiz") and person.photo.name.endswith(".jpg")
    with Image.open(original) as kept:
        assert not kept.getexif() and "exif" not in kept.info
    with Image.open(Path(settings.MEDIA_ROOT) / renditions["jpeg"]["400"]) as copy:
        assert not copy.getexif()

    html = client.get(person.get_absolute_url()).content.decode()
    picture = re.search(r"<picture.*?</picture>", html, re.S).group(0)
    assert '<source type="image/webp" srcset="/media/people/ana-ortiz-' in picture
    assert 'width="200" height="250" alt="Ana smiling"' in picture
    assert 'loading="lazy"' not in picture  # the profile's photo is at the top of the page
    assert "Admitted to practice:</strong> New York, 2015" in html

    # Lower on the About page the photo waits until it is scrolled to.
    about = client.get(reverse("about")).content.decode()
    card = about[about.index('id="ana-ortiz"') :]
    assert 'loading="lazy"' in card[: card.index("</picture>")]

    # A new photo replaces the old copies.
    old = [Path(settings.MEDIA_ROOT) / name for name in renditions["webp"].values()]
    admin_client.post(url, change_form_data(person, photo=portrait_upload(fmt="PNG", name="new.png")))
    person.refresh_from_db()
    assert person.photo_renditions["webp"] == renditions["webp"] and all(path.exists() for path in old)
    with django_capture_on_commit_callbacks(execute=True):  # old copies go once the new ones are approved
        approve_change(person)
    assert person.photo_renditions["webp"] != renditions["webp"]
    assert not any(path.exists() for path in old)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
            "Upload a valid image",
        ),
        (portrait_upload(width=120, height=150), "only 120 pixels wide"),
    ],
)
def test_unusable_photos_get_a_plain_message(admin_client, upload, message):
    person = PersonFactory()
    url = reverse("admin:articles_person_change", args=[person.pk])
    response = admin_client.post(url, change_form_data(person, photo=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert not person.photo and person.photo_renditions == {}


def test_without_a_photo_pages_show_initials_hidden_from_screen_readers(client):
    article = ArticleFactory(author=PersonFactory(name="Mary-Jo de la Cruz", slug="mjdc"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="portrait portrait--avatar portrait--monogram" aria-hidden="true">MC</span>' in html
    assert "<img" not in html[html.index('class="byline"') : html.index("</header>")]


def test_the_byline_links_to_the_authors_profile_which_lists_their_articles(client):
    author = PersonFactory(
        name="Ana Ortiz", slug="ana-ortiz", job_title="Attorney", bar_admissions="New York, 2015"
    )
    reviewer = PersonFactory(name="Ben Cho", slug="ben-cho")
    article = ArticleFactory(author=author, reviewed_by=reviewer, title="Falls on city sidewalks")
    draft = ArticleFactory.draft(author=author, title="Unfinished piece")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<p>By <a href="/people/ana-ortiz/">Ana Ortiz</a>, Attorney</p>' in html
    assert author.get_absolute_url() == "/people/ana-ortiz/"

    profile = client.get("/people/ana-ortiz/")
    assert profile.status_code == 200
    page = profile.content.decode()
    assert page.count("<h1") == 1 and "Ana Ortiz" in page
    assert "Falls on city sidewalks" in page and draft.title not in page
    assert '"@type": "Person"' in page and '"worksFor"' in page
    reviewer_page = client.get("/people/ben-cho/").content.decode()
    assert "Articles Ben Cho reviewed" in reviewer_page and "Falls on city sidewalks" in reviewer_page
    assert client.get("/people/nobody/").status_code == 404


def test_profile_pages_are_in_the_sitemap_and_page_cached(client, page_cache):
    person = PersonFactory(slug="ana-ortiz")
    assert "/people/ana-ortiz/</loc>" in client.get("/sitemap.xml").content.decode()
    first, second = client.get(person.get_absolute_url()), client.get(person.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"


def test_about_shows_the_team_with_links_to_their_profiles(client):
    PersonFactory(name="Ana Ortiz", slug="ana-ortiz", job_title="Partner", bar_admissions="New York, 2015")
    html = client.get(reverse("about")).content.decode()
    assert '<h2 id="team-title">Our team</h2>' in html
    assert '<a href="/people/ana-ortiz/">Ana Ortiz</a>' in html
    assert "Admitted: New York, 2015" in html


def test_the_article_page_stays_within_three_queries_with_the_authors_photo(
    admin_client, client, django_assert_max_num_queries
):
    author = PersonFactory(slug="with-photo")
    admin_client.post(
        reverse("admin:articles_person_change", args=[author.pk]),
        change_form_data(author, photo=portrait_upload()),
    )
    approve_change(author)
    assert author.portrait
    article = ArticleFactory(author=author)
    with django_assert_max_num_queries(3):
        response = client.get(article.get_absolute_url())
    assert 'type="image/webp"' in response.content.decode()
    with django_assert_max_num_queries(3):
        assert client.get(author.get_absolute_url()).status_code == 200


def test_sample_profiles_are_unmistakable_in_the_admin_and_quiet_on_public_pages(admin_client, client):
    sample = PersonFactory(name="Sam Example", slug="sam-example", is_sample=True)
    PersonFactory(name="Real Person", slug="real-person")
    listing = admin_client.get(reverse("admin:articles_person_changelist")).content.decode()
    assert "SAMPLE – not a real person" in listing
    change = admin_client.get(reverse("admin:articles_person_change", args=[sample.pk])).content.decode()
    assert "is a SAMPLE profile from the demo content, not a member of the firm" in change
    assert 'name="is_sample"' in change
    filtered = admin_client.get(
        reverse("admin:articles_person_changelist") + "?is_sample__exact=1"
    ).content.decode()
    assert "Sam Example" in filtered and "Real Person" not in filtered
    for url in (reverse("about"), sample.get_absolute_url()):
        assert "sample" not in client.get(url).content.decode().lower()


def test_demo_people_are_samples_and_do_not_carry_the_partners_names():
    from articles.management.commands.load_demo_content import PEOPLE

    assert PEOPLE and all(person["is_sample"] for person in PEOPLE)
    for person in PEOPLE:
        assert not {"leav", "steinberg"} & set(person["name"].lower().split())
