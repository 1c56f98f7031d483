"""Full-text search on PostgreSQL, over HTTP: stemming per language, each page matched with its
own language's configuration, å ä ö as letters, ranking by weight, ts_headline highlights and
rebuilding the tsvectors. Every test needs PostgreSQL (the ``postgres`` fixture)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from search.models import SearchDocument
from tests.search.test_search_api import (
    article,
    assert_facets_match_filters,
    assert_safe_html,
    build_tree,
    by_value,
    found,
    search,
    standard_page,
    suggest,
    titles,
    topic_page,
    translate_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(postgres, sv, en, home_sv):
    return build_tree(sv, en, home_sv)


@pytest.fixture
def swedish(tree):
    """Swedish articles, each with one inflected form and nothing else in common."""
    return {
        "kommunerna": article(tree.news_sv, "Samarbete i norr", "Kommunerna samarbetar."),
        "kommuner": article(tree.news_sv, "Nytt nätverk", "Flera kommuner deltar."),
        "kommunens": article(tree.news_sv, "Ny plan", "Kommunens plan antogs."),
        "nätverk": article(tree.news_sv, "Lika villkor", "Ett jämställdhetsnätverk startar."),
        "control": article(tree.news_sv, "Vatten i Kalmar", "Ett reningsverk byggs."),
    }


# --- Stemming ------------------------------------------------------------------------------------


def test_swedish_words_find_their_inflected_forms(client, swedish):
    kommun = {"Samarbete i norr", "Nytt nätverk", "Ny plan"}
    # 'kommunerna' and 'kommuner' are not prefixes of each other: only stemming joins them.
    for query in ("kommun", "kommuner", "kommunerna", "kommunernas", "Kommunens", "KOMMUNER"):
        assert found(client, query, locale="sv") == kommun, query
    assert found(client, "jämställdhet", locale="sv") == {"Lika villkor"}
    assert found(client, "jämställdhetsnätverk", locale="sv") == {"Lika villkor"}
    assert found(client, "reningsverken", locale="sv") == {"Vatten i Kalmar"}


def test_english_words_find_their_inflected_forms(client, tree):
    article(tree.news_en, "Local democracy", "Municipalities work together.")
    article(tree.news_en, "A new plan", "The municipality adopted a plan.")
    article(tree.news_en, "Clean water", "A treatment plant is built.")

    both = {"Local democracy", "A new plan"}
    for query in ("municipality", "municipalities", "MUNICIPAL"):
        assert found(client, query, locale="en", fallback=False) == both, query
    assert found(client, "treatments", locale="en") == {"Clean water"}


def test_swedish_letters_are_letters_and_not_folded_away(client, tree):
    article(tree.news_sv, "Möte i Älmhult", "Ett samarbete med Malmö.", slug="a1")
    article(tree.news_sv, "Möte i Almhult", "Ett samarbete med Malmo.", slug="a2")
    article(tree.news_sv, "Resa till Åre", "Vinter.", slug="a3")
    article(tree.news_sv, "Resa till Are", "Sommar.", slug="a4")

    assert found(client, "Älmhult") == {"Möte i Älmhult"}
    assert found(client, "älmhult") == {"Möte i Älmhult"}
    assert found(client, "almhult") == {"Möte i Almhult"}
    assert found(client, "Malmö") == {"Möte i Älmhult"}
    assert found(client, "malmo") == {"Möte i Almhult"}
    assert found(client, "åre") == {"Resa till Åre"}
    assert found(client, "Are") == {"Resa till Are"}
    assert found(client, "möte") == {"Möte i Älmhult", "Möte i Almhult"}


def test_terms_are_anded_and_prefix_matched_after_stemming(client, swedish):
    assert found(client, "kommunerna plan") == {"Ny plan"}
    assert found(client, "komm") == {"Samarbete i norr", "Nytt nätverk", "Ny plan"}
    assert found(client, "kommunerna reningsverk") == set()


# --- Each page with its own language's configuration ---------------------------------------------


def test_each_page_is_matched_with_its_own_languages_stemmer(client, tree):
    article(tree.news_sv, "Flera kommuner", "Om samarbete.")
    article(tree.news_en, "Swedish kommuner", "About cooperation.")
    article(tree.news_sv, "Municipal samverkan", "Om samarbete.")
    article(tree.news_en, "Municipal cooperation", "About cooperation.")

    # Swedish stemming joins 'kommunerna' and 'kommuner'; English stemming does not.
    assert found(client, "kommunerna", locale="sv") == {"Flera kommuner"}
    assert found(client, "kommunerna", locale="en", fallback=False) == set()
    assert found(client, "kommuner", locale="en", fallback=False) == {"Swedish kommuner"}
    # English stemming joins 'municipalities' and 'municipal'; Swedish stemming does not.
    assert found(client, "municipalities", locale="en", fallback=True) == {"Municipal cooperation"}
    assert found(client, "municipalities", locale="sv", fallback=True) == {"Municipal cooperation"}
    assert found(client, "municipal", locale="sv", fallback=True) == {
        "Municipal samverkan",
        "Municipal cooperation",
    }


def test_stopwords_are_those_of_the_pages_language(client, tree):
    # 'och' is a Swedish stopword but an ordinary (Scots) word in English text; 'the' is an
    # English stopword but an ordinary (old Swedish: tea) word in Swedish text.
    article(tree.news_sv, "Kalmar och Växjö", "Te eller the?")
    article(tree.news_en, "Och aye", "Words of the north.")

    for locale in ("sv", "en"):
        assert found(client, "och", locale=locale) == {"Och aye"}, locale
        assert found(client, "the", locale=locale) == {"Kalmar och Växjö"}, locale
    assert found(client, "och", locale="sv", fallback=False) == set()
    assert found(client, "the", locale="en", fallback=False) == set()
    assert found(client, "Växjö och Kalmar") == {"Kalmar och Växjö"}


def test_documents_store_their_languages_configuration(client, tree, en):
    page = article(tree.news_sv, "Kommunerna samarbetar", "Om samarbete.")
    english = translate_to(page, en, title="Municipalities cooperate", intro="Cooperation.")

    configs = dict(
        SearchDocument.objects.filter(page_id__in=[page.pk, english.pk]).values_list(
            "page_id", "config"
        )
    )
    assert configs == {page.pk: "swedish", english.pk: "english"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, vector::text FROM search_searchdocument WHERE page_id = ANY(%s)",
            [[page.pk, english.pk]],
        )
        vectors = dict(cursor.fetchall())
    assert "'kommun':1A" in vectors[page.pk]
    assert "'municip':1A" in vectors[english.pk]


# --- Ranking -------------------------------------------------------------------------------------


def test_title_ranks_above_lead_above_body_with_inflected_forms(client, tree):
    # Created body first: the page-id tie-break alone would give the reverse order.
    article(tree.news_sv, "Plan för skolan", "Ett förslag om skolan.", ["Kommunernas plan."])
    article(tree.news_sv, "Planer för skolan", "Ett förslag om kommunerna.", ["Skolans plan."])
    article(tree.news_sv, "Kommunernas skola", "Ett förslag om planen.", ["Skolans plan."])

    result = search(client, "kommun")

    assert [item["page"]["intro"] for item in result["items"]] == [
        "Ett förslag om planen.",
        "Ett förslag om kommunerna.",
        "Ett förslag om skolan.",
    ]
    scores = [item["score"] for item in result["items"]]
    assert scores[0] > scores[1] > scores[2] > 0


# --- Facets --------------------------------------------------------------------------------------


def test_facets_of_a_stemmed_search_are_the_totals_of_its_filters(client, tree):
    democracy = topic_page(tree.topics_sv, "Demokrati", slug="demokrati")
    article(tree.news_sv, "A", "Kommunerna.", topics=[democracy], date=datetime.date(2023, 1, 1))
    article(tree.news_sv, "B", "Kommuner.", topics=[democracy], date=datetime.date(2024, 1, 1))
    article(tree.news_sv, "C", "Kommunens.", date=datetime.date(2024, 1, 1))
    topic_page(tree.topics_sv, "Kommunal utveckling", "Om kommunernas arbete.")
    standard_page(tree.home_sv, "Om kommunen", "Vi arbetar med kommuner.")
    article(tree.news_sv, "D", "Regionerna.", topics=[democracy])

    facets = assert_facets_match_filters(client, "kommunerna", "sv", 5)

    assert by_value(facets["types"]) == {"NewsArticlePage": 3, "TopicPage": 1, "StandardPage": 1}
    assert by_value(facets["years"]) == {"2023": 1, "2024": 2}
    assert by_value(facets["topics"]) == {"demokrati": 2}


# --- Highlights ----------------------------------------------------------------------------------


def test_highlight_marks_inflected_forms_and_escapes_html(client, tree):
    article(
        tree.news_sv,
        "Samarbete",
        "Kommunerna <script>alert(1)</script> samarbetar.",
        ["Flera kommuner &lt;img src=x onerror=alert(2)&gt; deltar & <i>växer</i>."],
    )

    [item] = search(client, "kommun")["items"]
    highlight = item["highlight"]

    assert_safe_html(highlight)
    assert "<mark>Kommunerna</mark>" in highlight, highlight
    assert "<mark>kommuner</mark>" in highlight, highlight
    assert "alert(1)" in highlight, highlight
    assert "onerror" in highlight, highlight
    assert "<script" not in highlight and "<img" not in highlight, highlight
    assert len(re.findall("<mark>", highlight)) == 2, highlight


def test_highlight_of_a_title_only_match_is_safe_text(client, tree):
    article(tree.news_sv, "Kommunerna", "Ett <b>förslag</b> om skolan.", ["Mer text."])

    [item] = search(client, "kommun")["items"]

    assert_safe_html(item["highlight"])
    assert "<mark>" not in item["highlight"]
    assert "förslag" in item["highlight"]


# --- Suggestions do not stem ---------------------------------------------------------------------


def test_suggest_does_not_stem_but_search_does(client, tree):
    article(tree.news_sv, "Nya kommun", "")
    article(tree.news_sv, "Kommunerna samarbetar", "")

    assert found(client, "kommunerna") == {"Nya kommun", "Kommunerna samarbetar"}
    assert [s["title"] for s in suggest(client, "kommunerna")] == ["Kommunerna samarbetar"]
    assert [s["title"] for s in suggest(client, "kommuner")] == ["Kommunerna samarbetar"]
    assert suggest(client, "kommunernas") == []


# --- Odd input reaches to_tsquery safely ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "kommun:*",
        "kommun & !plan",
        "kommun | plan",
        "'kommun'",
        "kommun <-> plan",
        "(kommun",
        "kommun\\",
        "och och och",
        "och kommun",
    ],
)
def test_tsquery_syntax_in_a_query_is_only_words(client, swedish, query):
    result = search(client, query)
    words = {"kommun", "plan"} & set(re.findall(r"\w+", query))
    if words == {"kommun"}:
        assert set(titles(result)) == {"Samarbete i norr", "Nytt nätverk", "Ny plan"}, query
    elif words == {"kommun", "plan"}:
        assert titles(result) == ["Ny plan"], query
    else:
        assert result["totalCount"] == 0, query


# --- Rebuilding ----------------------------------------------------------------------------------


def test_rebuild_restores_the_stemmed_vectors_of_both_languages(client, tree, en):
    page = article(tree.news_sv, "Kommunerna samarbetar", "Flera kommuner.")
    translate_to(page, en, title="Municipalities cooperate", intro="Several municipalities.")
    article(tree.news_en, "A new municipality", "")
    before = {
        locale: search(client, query, locale=locale, fallback=False)
        for locale, query in (("sv", "kommun"), ("en", "municipality"))
    }
    assert before["sv"]["totalCount"] == 1
    assert before["en"]["totalCount"] == 2

    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", "--chunk-size", "1", stdout=out)

    assert "Indexed 3 pages" in out.getvalue()
    assert not SearchDocument.objects.filter(vector=None).exists()
    for locale, query in (("sv", "kommun"), ("en", "municipality")):
        assert search(client, query, locale=locale, fallback=False) == before[locale]
