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

from tests.articles.test_people import change_form_data
from tests.factories import PersonFactory, approve_change

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


def test_a_persons_photo_keeps_no_jpeg_comment_in_any_copy(admin_client, settings):
    person = PersonFactory(slug="ana")
    photo = SimpleUploadedFile("me.jpg", jpeg_with_secrets(), content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]), change_form_data(person, photo=photo)
    )
    assert response.status_code == 302
    files = stored_files(settings)
    assert len(files) == 7  # the cleaned original and three widths as WebP and JPEG
    for path in files:
        raw = path.read_bytes()
        assert b"Secret Lane" not in raw and b"PhoneMaker" not in raw, path.name


def test_a_persons_photo_with_too_many_pixels_is_a_form_error_not_a_500(admin_client, settings):
    person = PersonFactory()
    bomb = SimpleUploadedFile("me.png", png_claiming(20000, 20000), content_type="image/png")
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]), change_form_data(person, photo=bomb)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "too many pixels" in html or "Upload a valid image" in html  # Django's own check may refuse first
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
