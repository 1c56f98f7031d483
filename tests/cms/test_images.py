"""The custom image model: the credit and default alt text belong to the photo; the alt text
and caption of each use of a photo belong to the page and are translated with it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail_localize.models import TranslationSource

from cms.factories import CustomImageFactory, StandardPageFactory
from cms.models import CustomImage
from tests.helpers import translate


def png(width=8, height=6, colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_image_model_is_the_custom_one():
    assert get_image_model() is CustomImage


def test_upload_form_has_credit_and_alt_text(admin_client):
    response = admin_client.get(reverse("wagtailimages:add"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="credit"' in content
    assert 'name="description"' in content
    assert "Default alt text" in content or "Standard-alt-text" in content


def test_upload_image_with_credit_and_alt_text(admin_client, admin_user):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Möte i Visby",
            "file": png(8, 6),
            "credit": "Alice Hansson",
            "description": "Fem personer runt ett bord",
            "tags": "",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    image = CustomImage.objects.get()
    assert image.title == "Möte i Visby"
    assert image.credit == "Alice Hansson"
    assert image.default_alt_text == "Fem personer runt ett bord"
    assert (image.width, image.height) == (8, 6)
    assert image.uploaded_by_user == admin_user
    assert response["Location"] == reverse("wagtailimages:index")


def test_upload_without_file_is_refused(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"), {"title": "Inget", "credit": "X", "tags": ""}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not CustomImage.objects.exists()


def test_rendition_alt_is_the_images_default_alt_text(db):
    image = CustomImageFactory(title="IMG_0042", description="Två personer skakar hand")
    rendition = image.get_rendition("width-4")
    assert rendition.alt == "Två personer skakar hand"
    assert rendition.image == image


def test_image_without_description_falls_back_to_its_title_for_alt(db):
    image = CustomImageFactory(title="Care block i Bogotá", description="")
    assert image.get_rendition("width-4").alt == "Care block i Bogotá"


def test_image_is_found_by_credit(db):
    CustomImageFactory(title="Bild ett", credit="Duy Pham, Unsplash")
    CustomImageFactory(title="Bild två", credit="ICLD")
    titles = [image.title for image in CustomImage.objects.search("Unsplash")]
    assert titles == ["Bild ett"]


# --- Translation -------------------------------------------------------------------------------


@pytest.fixture
def photo(db):
    return CustomImageFactory(credit="Alice Hansson", description="Ett möte")


@pytest.fixture
def page_with_photo(sv, home_sv, photo):
    page = StandardPageFactory(
        parent=home_sv,
        locale=sv,
        title="Om oss",
        hero_image=photo,
        hero_alt_text="Personer i ett möte",
        hero_caption="Ett möte i Visby.",
        body=[
            (
                "image",
                {"image": photo, "alt_text": "Samma foto i texten", "caption": "Bildtext"},
            )
        ],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_hero_credit_stays_and_alt_text_and_caption_are_translated(page_with_photo, photo, en):
    images_before = CustomImage.objects.count()

    source, _ = TranslationSource.get_or_create_from_instance(page_with_photo)
    msgids = {segment.string.data for segment in source.stringsegment_set.select_related("string")}
    page_en = translate(page_with_photo, en)

    assert page_en.locale == en
    assert page_en.live
    assert page_en.get_parent().specific.locale == en
    # The same photo, with its one credit, is used in both languages.
    assert page_en.hero_image_id == photo.pk
    assert page_en.hero_image.credit == "Alice Hansson"
    assert page_en.hero_image.default_alt_text == "Ett möte"
    assert CustomImage.objects.count() == images_before
    # The credit is not offered to translators at all; the page's own texts are.
    assert "Alice Hansson" not in msgids
    assert {"Personer i ett möte", "Ett möte i Visby."} <= msgids
    assert page_en.hero_alt_text == "EN Personer i ett möte"
    assert page_en.hero_caption == "EN Ett möte i Visby."
    # The Swedish page keeps its own texts.
    page_with_photo.refresh_from_db()
    assert page_with_photo.hero_alt_text == "Personer i ett möte"


def test_body_image_alt_text_and_caption_are_translated(page_with_photo, photo, en):
    page_en = translate(page_with_photo, en)

    block = page_en.body[0]
    assert block.block_type == "image"
    assert block.value["image"].pk == photo.pk
    assert block.value["image"].credit == "Alice Hansson"
    assert block.value["alt_text"] == "EN Samma foto i texten"
    assert block.value["caption"] == "EN Bildtext"


def test_changing_the_credit_changes_it_in_every_language(page_with_photo, photo, en):
    page_en = translate(page_with_photo, en)

    photo.credit = "ICLD"
    photo.save()

    page_en.refresh_from_db()
    page_with_photo.refresh_from_db()
    assert page_en.hero_image.credit == "ICLD"
    assert page_with_photo.hero_image.credit == "ICLD"
