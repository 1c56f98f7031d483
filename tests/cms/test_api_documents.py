"""Links to documents in rich text: a document in a private collection keeps its secret.

Wagtail serves a document at ``/documents/<id>/<file name>``; the file name alone can say
what a private report is about, so the API drops the address of a link to a document in a
collection with a view restriction (or under one) and keeps the link's text."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.factories import StandardPageFactory
from tests.helpers import count_queries, gql_data, publish

pytestmark = pytest.mark.django_db

QUERY = """
query {
  page(path: "/sv/dokument/") { ... on StandardPage { body { ... on ParagraphBlock { html } } } }
}
"""


def document(title, file_name, collection):
    doc = get_document_model()(title=title, collection=collection)
    doc.file.save(file_name, ContentFile(b"%PDF-1.4 test"), save=True)
    return doc


@pytest.fixture
def documents(sv, home_sv, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    root = Collection.get_first_root_node()
    public = root.add_child(name="Offentligt")
    board = root.add_child(name="Styrelsen")
    inner = board.add_child(name="Styrelsen 2026")
    CollectionViewRestriction.objects.create(
        collection=board, restriction_type=CollectionViewRestriction.LOGIN
    )
    docs = {
        "public": document("Årsrapport", "arsrapport-2025.pdf", public),
        "private": document("Protokoll", "hemligt-protokoll-uppsagningar.pdf", board),
        "nested": document("Utkast", "utkast-nedlaggning-kontoret.pdf", inner),
    }
    body = "".join(
        f'<p><a linktype="document" id="{doc.pk}">{name}</a></p>' for name, doc in docs.items()
    )
    publish(
        StandardPageFactory(parent=home_sv, locale=sv, slug="dokument", body=[("paragraph", body)])
    )
    return docs


def test_a_link_to_a_private_document_keeps_its_text_and_loses_its_address(client, documents):
    (block,) = gql_data(client, QUERY)["page"]["body"]
    html = block["html"]
    assert f'<a href="{documents["public"].url}">public</a>' in html
    assert "arsrapport-2025.pdf" in html
    assert "<a>private</a>" in html and "<a>nested</a>" in html
    assert "hemligt-protokoll" not in html and "utkast-nedlaggning" not in html


def test_document_links_cost_a_fixed_number_of_queries(client, documents):
    queries, response = count_queries(client, QUERY)
    assert response.status_code == 200
    assert queries <= 5  # the page, its body references, restricted collections, documents
