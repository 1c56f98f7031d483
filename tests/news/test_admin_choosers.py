"""The grant announcement's choosers, as a grants officer uses them in the Swedish admin:
recipients found by any part of their name, with or without å, ä and ö, and by kind;
partners by name or city; a missing recipient created from the chooser, its slug made from
its name, and a clash refused with a Swedish message instead of a server error."""

import pytest

from news.factories import PartnerOrganisationFactory, RecipientFactory
from news.models import Recipient

pytestmark = pytest.mark.django_db

RECIPIENTS = "/admin/snippets/choose/news/recipient/"
PARTNERS = "/admin/snippets/choose/news/partnerorganisation/"


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("handlaggare", "h@example.org", "x")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    return client


@pytest.fixture
def recipients():
    return [
        RecipientFactory(name="Umeå kommun", slug="umea", kind="municipality"),
        RecipientFactory(name="Region Västerbotten", slug="region-vasterbotten", kind="region"),
        RecipientFactory(name="Växjö kommun", slug="vaxjo", kind="municipality"),
    ]


def names(response):
    assert response.status_code == 200
    html = (
        response.json()["html"]
        if response["Content-Type"].startswith("application/json")
        else response.content.decode()
    )
    return {name for name in ("Umeå kommun", "Region Västerbotten", "Växjö kommun") if name in html}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "umea"}, {"Umeå kommun"}),
        ({"q": "UMEÅ"}, {"Umeå kommun"}),
        ({"q": "vaxjo kom"}, {"Växjö kommun"}),
        ({"q": "kommun"}, {"Umeå kommun", "Växjö kommun"}),
        ({"kind": "region"}, {"Region Västerbotten"}),
        ({"q": "kommun", "kind": "region"}, set()),
    ],
)
def test_recipients_are_found_by_name_and_kind(officer, recipients, params, expected):
    assert names(officer.get(RECIPIENTS + "results/", params)) == expected


def test_partners_are_found_by_city(officer):
    PartnerOrganisationFactory(name="Alcaldía", city="Bogotá", country="CO")
    PartnerOrganisationFactory(name="Kyiv City Council", city="Kyiv", country="UA")
    html = officer.get(PARTNERS + "results/", {"q": "bogota"}).content.decode()
    assert "Alcaldía" in html and "Kyiv" not in html


def test_a_recipient_is_created_from_the_chooser_with_a_slug_from_its_name(officer):
    response = officer.post(
        RECIPIENTS + "create/", {"name": "Region Jämtland Härjedalen", "kind": "region"}
    )
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    created = Recipient.objects.get(name="Region Jämtland Härjedalen")
    assert created.slug == "region-jamtland-harjedalen"


def test_a_slug_clash_is_refused_in_swedish(officer, recipients):
    response = officer.post(RECIPIENTS + "create/", {"name": "Umeå", "kind": "municipality"})
    assert response.status_code == 200
    assert response.json()["step"] != "chosen"
    assert "En annan mottagare har redan sluggen umea." in response.json()["htmlFragment"]
    assert not Recipient.objects.filter(name="Umeå").exists()
