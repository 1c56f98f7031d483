"""wagtail-localize's translation editor speaks the admin's language where it did not: the
date under each translated segment (cms/localize_compat.py) and the editor's heading
(cms/static/cms/js/translation-editor.js, proven in tests/browser/test_translation_flow.py).
The shape tests fail when wagtail-localize changes what these fixes rely on."""

import hashlib
import inspect
import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
import wagtail_localize
from django.urls import reverse
from wagtail.users.models import UserProfile
from wagtail_localize import compat
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.localize_compat import UPSTREAM_CREATE_OR_UPDATE, UPSTREAM_GET_COMMENT
from news.factories import NewsIndexPageFactory
from tests.helpers import translate

pytestmark = pytest.mark.django_db

BUNDLE = Path(wagtail_localize.__file__).parent / "static/wagtail_localize/js/wagtail-localize.js"
SWEDISH_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
)


@pytest.fixture
def translation(sv, en, home_sv):
    """An English news index translated (manually, as a PO upload is) from the Swedish one."""
    news = NewsIndexPageFactory(parent=home_sv, locale=sv, title="Nyheter")
    english = translate(news, en)
    return Translation.objects.get(source__object_id=news.translation_key, target_locale=en), (
        english
    )


def speak(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def editor_props(client, page):
    """The props wagtail-localize's editor is drawn from, as the edit view serves them."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    return json.loads(unescape(re.search(r'data-props="([^"]*)"', html).group(1)))


@pytest.mark.parametrize(
    ("language", "comment"),
    [
        # 23:30 UTC is past midnight in Stockholm, the admin's time zone.
        ("sv", "Översatt manuellt den 4 december 2026"),
        ("en", "Translated manually on Dec. 4, 2026"),
    ],
)
def test_the_editor_dates_each_translation_in_the_admins_language(
    admin_client, admin_user, translation, language, comment
):
    translation, english = translation
    speak(admin_user, language)
    StringTranslation.objects.filter(locale=translation.target_locale).update(
        updated_at=datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    )
    comments = {
        t["comment"] for t in editor_props(admin_client, english)["initialStringTranslations"]
    }
    assert comments == {comment}


def test_a_saved_translation_is_dated_in_swedish(admin_client, admin_user, translation):
    """What the editor shows after "Spara": the string API's answer."""
    translation, _ = translation
    speak(admin_user, "sv")
    segment = StringSegment.objects.filter(source=translation.source).first()
    response = admin_client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        "value=News",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert re.fullmatch(
        rf"Översatt manuellt den \d{{1,2}} ({SWEDISH_MONTHS}) \d{{4}}", (response.json()["comment"])
    )


def test_the_editor_loads_our_script_and_the_catalogue_has_its_heading(
    admin_client, admin_user, translation
):
    _, english = translation
    speak(admin_user, "sv")
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content
    assert b"cms/js/translation-editor.js" in html
    assert b"js-translation-editor" in html
    catalogue = admin_client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert json.dumps("Översättning från %(source)s till %(target)s") in catalogue


# --- what the fixes rely on in wagtail-localize --------------------------------------------


def test_wagtail_localizes_comment_method_is_the_one_replaced():
    """cms/localize_compat.get_comment is a copy of this method with Django's date format.
    When wagtail-localize changes it, compare the two, update the copy (or drop it, if
    upstream formats dates with Django now) and then this digest."""
    source = inspect.getsource(UPSTREAM_GET_COMMENT)
    assert "strftime(DATE_FORMAT)" in source
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "fcf6e7bcf9a30b6b124adb96e98f3c7d52814dd3ff63b3c4859400ea9620abf2"
    )
    assert compat.DATE_FORMAT in ("%-d %B %Y", "%#d %B %Y")


def test_wagtail_localizes_translation_writer_still_saves_drafts_into_the_row():
    """cms/localize_compat.create_or_update_translation puts a live page's published content
    back after this method saved a draft into its row (``translation.save()`` before
    ``save_revision``). When wagtail-localize changes it, check whether a draft of a live
    page still reaches its row (tests/news/test_translation_drafts.py shows it does not
    with the shim), update the shim or drop it, and then this digest."""
    source = inspect.getsource(UPSTREAM_CREATE_OR_UPDATE)
    assert source.index("translation.save()") < source.index("translation.save_revision(user=user)")
    assert str(inspect.signature(UPSTREAM_CREATE_OR_UPDATE)) == (
        "(self, locale, user=None, publish=True, copy_parent_pages=False, fallback=False)"
    )
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "4c68c20a8ba2648b4135a0837802e66f1537a748321fc1af66eef86e159b3a01"
    )


def test_the_editors_heading_is_still_built_as_our_script_expects():
    """translation-editor.js finds the heading by the text wagtail-localize builds."""
    bundle = BUNDLE.read_text(encoding="utf-8")
    heading = "`${r.sourceLocale.displayName} to ${r.locale.displayName} translation`"
    assert bundle.count(heading) == 2
    assert 'document.querySelector(".js-translation-editor")' in bundle


def test_the_editor_still_shows_no_last_published_date():
    """The editor's props carry ``lastPublishedDate`` formatted with strftime (English month
    names), but wagtail-localize 1.14's editor never shows it, so it is left as it is. If a
    new version shows it, this fails: format it in the admin's language too."""
    assert "lastPublishedDate" not in BUNDLE.read_text(encoding="utf-8")
