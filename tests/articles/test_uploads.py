"""Every staff upload is decoded by Pillow, size-checked before decoding, stored under the detected format's
extension and re-encoded without metadata (articles/images.py)."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.articles.test_admin import change_form_data as article_form_data
from tests.articles.test_people import change_form_data
from tests.factories import ArticleFactory, PersonFactory, approve_change

pytestmark = pytest.mark.django_db


def jpeg_with_secrets(size=(900, 1200)) -> bytes:
    """A phone-like photo: EXIF with the camera and a GPS position, and a JPEG comment."""
    image = Image.new("RGB", size, (180, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (40.0, 42.0, 46.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"home address: 12 Secret Lane")
    return buffer.getvalue()


def png_with_text(size=(1200, 630)) -> bytes:
    """A PNG carrying a tEXt chunk (where an editor's tool writes the author, the file's path, a comment)."""
    info = PngInfo()
    info.add_text("Comment", "home address: 12 Secret Lane")
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header declares width × height pixels (a decompression bomb's shape)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def upload(client, name, content, content_type):
    return client.post(
        reverse("markdownx_upload"),
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("x.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg", "not an image we can read"),
        ("x.gif", b"GIF89a but not really", "image/gif", "not an image we can read"),
        ("bomb.png", png_claiming(20000, 20000), "image/png", "too many pixels"),
        ("big.png", png_claiming(12000, 12000), "image/png", "too many pixels"),
    ],
    ids=["script-called-jpeg", "text-called-gif", "png-20000-square", "png-12000-square"],
)
def test_an_upload_that_is_not_a_usable_image_gets_a_400_with_a_plain_message(
    client, editor, settings, name, content, content_type, message
):
    client.force_login(editor)
    response = upload(client, name, content, content_type)
    assert response.status_code == 400
    assert message in response.json()["image"][0]
    assert stored_files(settings) == []


def test_an_upload_is_stored_under_the_format_pillow_found_not_the_one_the_browser_claimed(
    client, editor, settings
):
    client.force_login(editor)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "navy").save(buffer, "PNG")
    response = upload(client, "photo.gif", buffer.getvalue(), "image/gif")  # a PNG called a GIF
    assert response.status_code == 200, response.content
    (stored,) = stored_files(settings)
    assert stored.suffix == ".png" and stored.is_relative_to(Path(settings.MEDIA_ROOT) / "articles")
    assert response.json()["image_code"] == f"![](/media/articles/{stored.name})"
    with Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (60, 40)


def test_an_uploaded_photo_keeps_no_exif_gps_or_comment(client, editor, settings):
    client.force_login(editor)
    response = upload(client, "holiday.jpeg", jpeg_with_secrets(size=(2400, 1800)), "image/jpeg")
    assert response.status_code == 200, response.content
    (stored,) = stored_files(settings)
    raw = stored.read_bytes()
    assert b"Secret Lane" not in raw and b"PhoneMaker" not in raw and b"Exif" not in raw
    with Image.open(stored) as image:
        assert stored.suffix == ".jpg" and image.size == (1600, 1200)  # scaled to the editor's limit
        assert not image.getexif() and "comment" not in image.info


@pytest.mark.parametrize(
    "content",
    [jpeg_with_secrets(), png_with_text(size=(900, 1200))],
    ids=["jpeg-with-exif-gps-and-comment", "png-with-text-chunk-called-jpg"],
)
def test_a_persons_photo_keeps_no_jpeg_comment_or_text_in_any_copy(admin_client, settings, content):
    person = PersonFactory(slug="ana")
    photo = SimpleUploadedFile("me.jpg", content, content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]), change_form_data(person, photo=photo)
    )
    assert response.status_code == 302
    files = stored_files(settings)
    assert len(files) == 7  # the cleaned original and three widths as WebP and JPEG
    for path in files:
        raw = path.read_bytes()
        assert b"Secret Lane" not in raw and b"PhoneMaker" not in raw, path.name


@pytest.mark.parametrize(
    ("content", "message"),
    [(png_claiming(20000, 20000), "too many pixels"), (b"%PDF-1.4 not a photo", "not an image we can read")],
    ids=["png-20000-square", "pdf-called-jpg"],
)
def test_a_persons_photo_that_is_no_usable_image_is_a_form_error_not_a_500(
    admin_client, settings, content, message
):
    person = PersonFactory()
    bomb = SimpleUploadedFile("me.jpg", content, content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]), change_form_data(person, photo=bomb)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html or "Upload a valid image" in html  # Django's own check may refuse first
    assert stored_files(settings) == []


def test_a_replaced_or_removed_photo_leaves_no_public_file_behind(
    admin_client, settings, django_capture_on_commit_callbacks
):
    person = PersonFactory(slug="ana")
    url = reverse("admin:articles_person_change", args=[person.pk])
    first = SimpleUploadedFile("a.jpg", jpeg_with_secrets(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, change_form_data(person, photo=first))
        approve_change(person)  # a person's photo is public once approved
    old_original = Path(person.photo.path)
    assert old_original.exists()
    second = SimpleUploadedFile("b.jpg", jpeg_with_secrets(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, change_form_data(person, photo=second))
    assert old_original.exists()  # still the live photo while the new one waits for approval
    with django_capture_on_commit_callbacks(execute=True):
        approve_change(person)
    assert not old_original.exists()
    assert len(stored_files(settings)) == 7  # only the new photo's original and copies
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, change_form_data(person, **{"photo-clear": "on"}))
        approve_change(person)
    assert stored_files(settings) == []


def test_an_approved_photo_replaced_by_a_newer_approval_stays_while_a_draft_names_it(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """The approval of a new photo deletes the old one and its copies by the same rule as a replaced draft's
    file (articles/models/approved_content.py): unless a row or a draft still names them."""
    from django.contrib.auth import get_user_model

    from articles.models import Draft, Person

    person = PersonFactory(slug="ana")
    url = reverse("admin:articles_person_change", args=[person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url, change_form_data(person, photo=SimpleUploadedFile("a.jpg", jpeg_with_secrets()))
        )
        approve_change(person)
    first = Person.objects.get(pk=person.pk).shown_values()
    first_files = {Path(settings.MEDIA_ROOT, name) for name in Person.stored_files(first)}
    assert len(first_files) == 7 and set(stored_files(settings)) == first_files
    other = PersonFactory(slug="ben")
    Draft.objects.create(content_object=other, data={**first, "name": "Ben"}, content_hash="x")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url, change_form_data(person, photo=SimpleUploadedFile("b.jpg", jpeg_with_secrets()))
        )
        approve_change(person)
    assert first_files < set(stored_files(settings))  # Ben's waiting change still shows that photo
    # Ben's editor puts back his approved values: his draft goes, and with it the last name of that photo.
    ben = Person.objects.get(pk=other.pk)
    ben._saved_by = get_user_model().objects.get(username="admin")  # an editor's save, as the admin makes
    with django_capture_on_commit_callbacks(execute=True):
        ben.save()
    assert len(stored_files(settings)) == 7 and not first_files & set(stored_files(settings))


def test_a_waiting_photo_replaced_before_approval_leaves_no_file_behind(
    admin_client, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from articles.models import Draft, Person

    person = PersonFactory(slug="ana")
    url = reverse("admin:articles_person_change", args=[person.pk])

    def send_photo(**data):
        with django_capture_on_commit_callbacks(execute=True):
            photo = SimpleUploadedFile("p.jpg", jpeg_with_secrets(), content_type="image/jpeg")
            admin_client.post(url, change_form_data(person, photo=photo, **data))
        return Person.objects.get(pk=person.pk).pending_draft.data

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url, change_form_data(person, photo=SimpleUploadedFile("a.jpg", jpeg_with_secrets()))
        )
        approve_change(person)  # the live photo
    live = set(stored_files(settings))
    assert len(live) == 7  # the original and six resized copies
    first = send_photo()
    first_files = set(stored_files(settings)) - live
    assert len(first_files) == 7 and Path(settings.MEDIA_ROOT, first["photo"]) in first_files
    second = send_photo()  # replaces the waiting photo before any attorney saw it
    assert second["photo"] != first["photo"]
    assert not first_files & set(stored_files(settings))  # the superseded upload and its copies are gone
    assert live <= set(stored_files(settings)) and len(stored_files(settings)) == 14  # live + waiting

    # A file another draft names stays, whatever replaces it here.
    other = PersonFactory(slug="ben")
    Draft.objects.create(content_object=other, data={**second, "name": "Ben"}, content_hash="x")
    third = send_photo()
    assert Path(settings.MEDIA_ROOT, second["photo"]).exists() and third["photo"] != second["photo"]
    # Putting back the approved values (no draft left) drops the waiting photo too.
    Draft.objects.filter(object_id=other.pk).delete()
    back = Person.objects.get(pk=person.pk)
    back._saved_by = get_user_model().objects.get(username="admin")  # an editor's save, as the admin makes
    with django_capture_on_commit_callbacks(execute=True):
        back.save()
    assert Person.objects.get(pk=person.pk).pending_draft is None
    assert not Path(settings.MEDIA_ROOT, third["photo"]).exists() and set(stored_files(settings)) == live | {
        Path(settings.MEDIA_ROOT, name) for name in Person.stored_files(second)
    }


def post_social_image(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, article_form_data(client, url, **changes))


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [("share.jpg", jpeg_with_secrets(size=(1200, 900)), "JPEG"), ("share.jpg", png_with_text(), "PNG")],
    ids=["jpeg-with-exif-gps-and-comment", "png-with-text-chunk-called-jpg"],
)
def test_a_social_image_is_stored_re_encoded_without_metadata_under_the_detected_format(
    admin_client, settings, name, content, detected
):
    article = ArticleFactory.draft()
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = post_social_image(admin_client, article, social_image=upload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    (stored,) = stored_files(settings)
    assert Path(article.social_image.path) == stored and stored.parent.name == "social"
    assert stored.suffix == {"JPEG": ".jpg", "PNG": ".png"}[detected] and stored.stem != "share"
    raw = stored.read_bytes()
    assert b"Secret Lane" not in raw and b"PhoneMaker" not in raw and b"Exif" not in raw
    with Image.open(stored) as image:
        assert image.format == detected and not image.getexif()
        assert not set(image.info) & {"comment", "Comment", "exif", "xmp", "XML:com.adobe.xmp"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<?php system($_GET['c']); ?>", "not an image we can read"),
        (png_claiming(20000, 20000), "too many pixels"),
        (png_claiming(12000, 12000), "too many pixels"),
    ],
    ids=["script-called-jpg", "png-20000-square", "png-12000-square"],
)
def test_an_unusable_social_image_is_a_form_error_and_nothing_is_stored(
    admin_client, settings, content, message
):
    article = ArticleFactory.draft()
    upload = SimpleUploadedFile("share.jpg", content, content_type="image/jpeg")
    response = post_social_image(admin_client, article, social_image=upload)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["social_image"])
    article.refresh_from_db()
    assert not article.social_image and stored_files(settings) == []


def test_a_replaced_or_removed_social_image_leaves_no_public_file_behind(
    admin_client, settings, django_capture_on_commit_callbacks
):
    article = ArticleFactory.draft()
    with django_capture_on_commit_callbacks(execute=True):
        post_social_image(admin_client, article, social_image=SimpleUploadedFile("a.png", png_with_text()))
    article.refresh_from_db()
    first = Path(article.social_image.path)
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        post_social_image(admin_client, article, social_image=SimpleUploadedFile("b.png", png_with_text()))
    article.refresh_from_db()
    assert not first.exists() and stored_files(settings) == [Path(article.social_image.path)]
    with django_capture_on_commit_callbacks(execute=True):
        post_social_image(admin_client, article, **{"social_image-clear": "on"})
    article.refresh_from_db()
    assert not article.social_image and stored_files(settings) == []


def test_saving_an_article_without_changing_its_social_image_does_not_read_the_old_one():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    article = Article.objects.get(pk=ArticleFactory.draft().pk)
    article.summary = "Another plain sentence for the reader."
    with CaptureQueriesContext(connection) as queries:
        article.save()
    assert not [q for q in queries if q["sql"].startswith('SELECT "articles_article"."social_image"')]


def test_an_article_read_again_deletes_the_image_the_row_held_when_it_was_read_again(
    settings, django_capture_on_commit_callbacks
):
    """An instance read before someone else set an image, then refreshed, then given its own image: the
    other image is what the row held, so it is the one deleted (it was left public with no row naming it)."""
    from django.core.files.base import ContentFile

    from articles.models import Article

    article = ArticleFactory.draft()
    mine = Article.objects.get(pk=article.pk)  # read while the article has no image
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).social_image.save("other.png", ContentFile(png_with_text()))
    (other,) = stored_files(settings)
    mine.refresh_from_db()
    assert mine.social_image.name == f"social/{other.name}"
    with django_capture_on_commit_callbacks(execute=True):
        mine.social_image.save("mine.png", ContentFile(png_with_text()))
    assert stored_files(settings) == [Path(mine.social_image.path)] and not other.exists()


def test_a_waiting_social_image_replaced_before_approval_leaves_no_file_behind(
    admin_client, settings, django_capture_on_commit_callbacks
):
    article = ArticleFactory()  # approved: a new social image waits in the draft
    with django_capture_on_commit_callbacks(execute=True):
        post_social_image(admin_client, article, social_image=SimpleUploadedFile("a.png", png_with_text()))
    (first,) = stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        post_social_image(admin_client, article, social_image=SimpleUploadedFile("b.png", png_with_text()))
    article.refresh_from_db()
    assert not article.social_image  # readers still get the approved article, with no image
    (second,) = stored_files(settings)
    assert second != first and article.pending_draft.data["social_image"] == f"social/{second.name}"
