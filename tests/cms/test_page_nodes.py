"""Per-request state travels beside a page, in a ``PageNode`` (``cms.api.nodes``), and the
API cannot be handed a page without it.

The rest of the suite shows the state is right (``isFallback``, labels and topics in the
requested language, constant query counts). These tests show what a developer adding a
resolver or a page type meets when they forget the wrapper: a clear error at once, not an
answer that silently loses the page's language or batch.
"""

import graphene
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cms.api.nodes import wrap_pages
from cms.api.types import Page, register_page_type
from cms.models import StandardPage

pytestmark = pytest.mark.django_db

QUERY = "{ bare { title isFallback } wrapped { title isFallback } }"


@pytest.fixture
def about(home_sv):
    page = home_sv.add_child(instance=StandardPage(title="Om oss", locale=home_sv.locale))
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def test_a_resolver_that_hands_out_a_bare_page_fails_with_a_clear_error(about):
    from cms.schema import StandardPageType

    class Query(graphene.ObjectType):
        bare = graphene.Field(Page)
        wrapped = graphene.Field(Page)

        @staticmethod
        def resolve_bare(root, info):
            return about

        @staticmethod
        def resolve_wrapped(root, info):
            return wrap_pages([about], "en")[0]

    schema = graphene.Schema(query=Query, types=[StandardPageType])
    result = schema.execute(QUERY, context_value=RequestFactory().get("/graphql/"))

    assert result.data == {
        "bare": None,
        # Asked for in English, shown in Swedish: the node says it is a fallback.
        "wrapped": {"title": "Om oss", "isFallback": True},
    }
    (error,) = result.errors
    assert "outside a PageNode" in str(error)
    assert "wrap_pages" in str(error)


def test_a_page_type_must_read_its_fields_through_the_node():
    with pytest.raises(ImproperlyConfigured, match="PageNodeType"):

        @register_page_type(StandardPage)
        class PlainStandardPage(graphene.ObjectType):
            intro = graphene.String()

            class Meta:
                interfaces = (Page,)
