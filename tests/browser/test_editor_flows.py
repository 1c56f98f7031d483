"""An editor's flows in the Swedish admin, in a real browser (Chromium), against a live
server: a new page gets an ASCII slug as its Swedish title is typed; the preview panel shows
the page as readers will see it, and a saved draft; a grant announcement shows the
running sum of its rows and refuses rows above its total; recipients and partners chosen or
created in their choosers reach readers through the API once the announcement is published,
and leave them when it is unpublished. No errors from our code in the browser console."""

import json
import urllib.request

import pytest
from django.core.cache import cache
from wagtail.models import Page

from cms.factories import CustomImageFactory
from news.factories import (
    GrantAnnouncementPageFactory,
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import Grant, Recipient
from tests.browser.conftest import log_in_as_superuser
from tests.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "ett-långt-lösenord-för-test"
GRANTS_OF_RECIPIENT = """{
  grants(locale: "sv", recipient: "region-jamtland-harjedalen") {
    totalCount
    items { recipient { name kind } }
  }
}"""
GRANTS_WITH_PARTNERS_IN = """query ($country: String) {
  grants(locale: "sv", country: $country) {
    totalCount
    items { partners { name city country countryName } }
  }
}"""


def graphql(live_server, query, variables=None):
    """The ``data`` of a query, asked as a frontend asks: a POST to the live API."""
    request = urllib.request.Request(  # noqa: S310 (the live server)
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def footer_action(editor, name):
    """An action of the editor's footer menu, by its button or link text."""
    footer = editor.locator("footer")
    footer.locator("[data-w-dropdown-target='toggle']").first.click()
    action = footer.get_by_role("button", name=name, exact=True)
    action.or_(footer.get_by_role("link", name=name, exact=True)).click()


@pytest.fixture
def editor(live_server, one_request_at_a_time, page, settings):
    """A Swedish editor, logged in through the login form; console errors are collected.

    Wagtail 8's autosave is off, as in ``test_article_flow``: it posts the form on its own
    clock, and a post made while a grant row is still being filled in (its recipient not
    chosen yet) is refused with a 400 the console reports, depending on how fast the
    chooser opened. The editors here save with "Spara utkast"."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.FRONTEND_URL = None
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": {}}
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # where the preview's images come from
    log_in_as_superuser(page, live_server.url, "redaktor", PASSWORD)
    return page


def test_a_new_page_gets_an_ascii_slug_from_its_swedish_title(live_server, editor):
    home = Page.objects.get(depth=2, locale__language_code="sv")
    editor.goto(f"{live_server.url}/admin/pages/add/cms/standardpage/{home.pk}/")
    editor.fill("#id_title", "Möte i Växjö – år 2026")
    editor.locator("#id_title").blur()
    editor.wait_for_function("document.querySelector('#id_slug').value !== ''")
    assert editor.input_value("#id_slug") == "mote-i-vaxjo-ar-2026"
    assert editor.console_errors == []


def test_the_preview_panel_shows_the_page_as_readers_will_see_it(live_server, editor):
    home = Page.objects.get(depth=2, locale__language_code="sv")
    news = NewsIndexPageFactory(parent=home, locale=home.locale)
    announcement = publish(
        GrantAnnouncementPageFactory(
            parent=news,
            locale=home.locale,
            title="Bidrag till Gotland",
            intro="Ett nytt partnerskap.",
            hero_image=CustomImageFactory(credit="Alice Hansson"),
            total_amount=1_500_000,
        )
    )
    Grant.objects.create(
        page=announcement,
        recipient=RecipientFactory(name="Region Gotland"),
        amount=1_500_000,
        year=2025,
        locale=home.locale,
    )
    publish(announcement)
    editor.goto(f"{live_server.url}/admin/pages/{announcement.pk}/edit/")
    editor.locator("[data-side-panel-toggle=preview]").first.click()
    frame = editor.frame_locator("iframe").first
    frame.locator("h1").wait_for()
    assert frame.locator("h1").inner_text() == "Bidrag till Gotland"
    assert "Foto: Alice Hansson" in frame.locator("figcaption").first.inner_text()
    assert "Region Gotland" in frame.locator("[data-grants]").inner_text()
    assert frame.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    # A saved draft: the panel shows it while readers still get the published page.
    editor.fill("#id_title", "Bidrag till Gotland och Visby")
    editor.get_by_role("button", name="Spara utkast").first.click()
    editor.wait_for_load_state("networkidle")
    if not editor.frame_locator("iframe").first.locator("h1").count():
        editor.locator("[data-side-panel-toggle=preview]").first.click()
    frame = editor.frame_locator("iframe").first
    frame.locator("h1", has_text="och Visby").wait_for(timeout=15000)
    assert Page.objects.get(pk=announcement.pk).title == "Bidrag till Gotland"  # still live
    assert editor.console_errors == []


def test_grant_rows_show_their_sum_and_cannot_exceed_the_total(live_server, editor):
    home = Page.objects.get(depth=2, locale__language_code="sv")
    news = NewsIndexPageFactory(parent=home, locale=home.locale)
    announcement = publish(
        GrantAnnouncementPageFactory(parent=news, locale=home.locale, total_amount=2_000_000)
    )
    for _ in range(2):
        Grant.objects.create(
            page=announcement, recipient=RecipientFactory(), year=2025, locale=home.locale
        )
    publish(announcement)
    editor.goto(f"{live_server.url}/admin/pages/{announcement.pk}/edit/")
    amounts = editor.locator('input[name^="grants-"][name$="-amount"]:visible')
    amounts.nth(0).fill("1,5 MSEK")
    amounts.nth(1).fill("1 000 000")
    running_sum = editor.locator("[data-grant-sum]")
    assert running_sum.inner_text() == "Bidragsraderna summerar till 2 500 000 kronor."
    assert "error-message" in running_sum.get_attribute("class")

    editor.get_by_role("button", name="Spara utkast").first.click()
    editor.locator("text=mer än det beviljade totalbeloppet 2 000 000 kronor").first.wait_for()
    assert all(grant.amount is None for grant in Grant.objects.filter(page=announcement))


def test_grant_recipients_are_found_as_typed_and_created_in_place(live_server, editor):
    """The recipient chooser finds "Umeå kommun" from "umea" and filters by kind; a missing
    recipient is created in the chooser's "Ny mottagare" tab, its slug made from its name,
    without leaving the announcement."""
    home = Page.objects.get(depth=2, locale__language_code="sv")
    news = NewsIndexPageFactory(parent=home, locale=home.locale)
    announcement = publish(GrantAnnouncementPageFactory(parent=news, locale=home.locale))
    RecipientFactory(name="Umeå kommun", slug="umea", kind="municipality")
    RecipientFactory(name="Region Västerbotten", slug="region-vasterbotten", kind="region")
    editor.goto(f"{live_server.url}/admin/pages/{announcement.pk}/edit/")

    editor.get_by_role("button", name="Lägg till Bidrag").click()
    editor.get_by_role("button", name="Välj bidragsmottagare").last.click()
    modal = editor.locator(".modal-content")
    modal.locator("table", has_text="Region Västerbotten").wait_for()
    modal.locator("input[name=q]").fill("umea")
    modal.locator("table", has_text="Region Västerbotten").wait_for(state="detached")
    assert "Umeå kommun" in modal.locator("table").inner_text()
    modal.get_by_role("link", name="Umeå kommun").click()
    modal.wait_for(state="detached")

    editor.get_by_role("button", name="Lägg till Bidrag").click()
    editor.get_by_role("button", name="Välj bidragsmottagare").last.click()
    modal.get_by_role("tab", name="Ny mottagare").click()
    creation = modal.locator("form", has=editor.locator("#id_name"))
    creation.get_by_label("Namn").fill("Region Jämtland Härjedalen")
    creation.get_by_label("Typ").select_option("region")
    creation.locator("button[type=submit]").click()
    modal.wait_for(state="detached")

    editor.get_by_role("button", name="Spara utkast").first.click()
    editor.locator(".messages .success, [data-w-messages] .success").first.wait_for()
    created = Recipient.objects.get(name="Region Jämtland Härjedalen")
    assert (created.slug, created.kind) == ("region-jamtland-harjedalen", "region")
    draft = Page.objects.get(pk=announcement.pk).specific.get_latest_revision_as_object()
    assert sorted(grant.recipient.name for grant in draft.grants.all()) == [
        "Region Jämtland Härjedalen",
        "Umeå kommun",
    ]

    # Published, the new recipient's grant is in the API.
    footer_action(editor, "Publicera")
    editor.wait_for_url(f"**/admin/pages/{news.pk}/")
    grants = graphql(live_server, GRANTS_OF_RECIPIENT)["grants"]
    assert grants["totalCount"] == 1
    assert grants["items"][0]["recipient"] == {
        "name": "Region Jämtland Härjedalen",
        "kind": "region",
    }
    assert editor.console_errors == []


def test_grant_partners_are_chosen_several_at_once_and_created_in_place(
    live_server, editor, settings
):
    """A grant row's partners: "Lägg till partnerorganisationer" opens the partner chooser;
    partners found by city ("bogota") are ticked and confirmed together, a missing one is
    created in the "Ny partnerorganisation" tab (countries named in Swedish), one is
    removed again, and the saved draft holds exactly what the list showed. Published, the
    grant's partners are in the API, the one created in place included; unpublished, they
    are gone. The API's response cache is on, as in production: each answer changes through
    its invalidation."""
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    home = Page.objects.get(depth=2, locale__language_code="sv")
    news = NewsIndexPageFactory(parent=home, locale=home.locale)
    announcement = publish(GrantAnnouncementPageFactory(parent=news, locale=home.locale))
    Grant.objects.create(
        page=announcement, recipient=RecipientFactory(), year=2025, locale=home.locale
    )
    publish(announcement)
    PartnerOrganisationFactory(name="Alcaldía Mayor", city="Bogotá", country="CO")
    PartnerOrganisationFactory(name="Universidad de Bogotá", city="Bogotá", country="CO")
    PartnerOrganisationFactory(name="Kyiv City Council", city="Kyiv", country="UA")
    editor.goto(f"{live_server.url}/admin/pages/{announcement.pk}/edit/")

    chooser = editor.locator("[data-partner-chooser]").first
    chooser.get_by_role("button", name="Lägg till partnerorganisationer").click()
    modal = editor.locator(".modal-content")
    modal.locator("table", has_text="Kyiv").wait_for()
    modal.locator("input[name=q]").fill("bogota")
    modal.locator("table", has_text="Kyiv").wait_for(state="detached")
    for checkbox in modal.locator("table input[type=checkbox]").all():
        checkbox.check()
    modal.get_by_role("button", name="Bekräfta val").click()
    modal.wait_for(state="detached")
    assert chooser.locator("li").count() == 2

    chooser.get_by_role("button", name="Lägg till partnerorganisationer").click()
    modal.get_by_role("tab", name="Ny partnerorganisation").click()
    creation = modal.locator("form", has=editor.locator("#id_city"))
    creation.get_by_label("Namn").fill("Lusaka City Council")
    creation.get_by_label("Ort").fill("Lusaka")
    country = creation.get_by_label("Land")
    assert "Sydafrika" in country.inner_text()  # the countries' Swedish names
    country.select_option("ZM")
    creation.locator("button[type=submit]").click()
    modal.wait_for(state="detached")
    assert chooser.locator("li").count() == 3

    chooser.get_by_role("button", name="Ta bort: Universidad de Bogotá (Bogotá, Colombia)").click()
    editor.get_by_role("button", name="Spara utkast").first.click()
    editor.locator(".messages .success, [data-w-messages] .success").first.wait_for()
    draft = Page.objects.get(pk=announcement.pk).specific.get_latest_revision_as_object()
    (grant,) = draft.grants.all()
    assert sorted(partner.name for partner in grant.partners.all()) == [
        "Alcaldía Mayor",
        "Lusaka City Council",
    ]
    zambia = {"country": "ZM"}
    assert graphql(live_server, GRANTS_WITH_PARTNERS_IN, zambia)["grants"]["totalCount"] == 0

    # Published from the footer's menu: readers get the grant with both partners.
    footer_action(editor, "Publicera")
    editor.wait_for_url(f"**/admin/pages/{news.pk}/")
    grants = graphql(live_server, GRANTS_WITH_PARTNERS_IN, zambia)["grants"]
    assert grants["totalCount"] == 1
    assert sorted(grants["items"][0]["partners"], key=lambda partner: partner["name"]) == [
        {"name": "Alcaldía Mayor", "city": "Bogotá", "country": "CO", "countryName": "Colombia"},
        {"name": "Lusaka City Council", "city": "Lusaka", "country": "ZM", "countryName": "Zambia"},
    ]
    colombia = graphql(live_server, GRANTS_WITH_PARTNERS_IN, {"country": "CO"})["grants"]
    assert colombia["totalCount"] == 1  # Universidad de Bogotá was removed, not Alcaldía

    # Unpublished and confirmed: gone for readers at once, the cached answers notwithstanding.
    editor.goto(f"{live_server.url}/admin/pages/{announcement.pk}/edit/")
    footer_action(editor, "Avpublicera")
    editor.wait_for_url(f"**/admin/pages/{announcement.pk}/unpublish/")
    editor.get_by_role("button", name="Ja, avpublicera den").click()
    editor.locator(".messages .success, [data-w-messages] .success").first.wait_for()
    editor.wait_for_load_state("networkidle")
    for country in ("ZM", "CO"):
        grants = graphql(live_server, GRANTS_WITH_PARTNERS_IN, {"country": country})["grants"]
        assert grants == {"totalCount": 0, "items": []}, country
    assert editor.console_errors == []
