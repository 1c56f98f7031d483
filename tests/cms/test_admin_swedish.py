"""Our own admin labels are translated: a Swedish-speaking editor sees Swedish for our models,
panels, blocks and menus, an English-speaking editor English.

The translations live in one catalogue, ``cms/locale/sv/LC_MESSAGES/django.po`` (``make
messages`` regenerates and compiles it). The catalogue tests below keep it complete: every
string our code marks for translation is in it, translated, not fuzzy, and compiled.
"""

import ast
import json
import re
from html import escape
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import trim_whitespace
from wagtail.users.models import UserProfile

from cms.models import HomePage
from news.factories import NewsIndexPageFactory
from tests.helpers import breadcrumbs

CATALOGUE = settings.BASE_DIR / "cms" / "locale" / "sv" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
OUR_APPS = ("cms", "news", "topics", "search")

#: Where our translation deliberately differs from Django's or Wagtail's Swedish for the same
#: English text (our catalogue wins for the whole admin). Anything else must agree with theirs.
DELIBERATE_OVERRIDES = {
    # Wagtail: "Alternativ text". Ours matches "Standard-alt-text" on the image form.
    "Alt text",
    # Wagtail: "För sajtmenyer". We say "webbplats" throughout (Webbplatsinställningar).
    "For site menus",
    # Django: "Svenska", "Engelska". Language names are lower case in Swedish prose, and the
    # admin puts them mid-sentence: "Publicera på engelska", "Översätt till engelska".
    "Swedish",
    "English",
    # wagtail-localize: "Manuellt översatt på {date}". A date takes "den" in Swedish, not
    # "på" ("översatt den 3 december 2026"); the date is ours (cms/localize_compat.py).
    "Translated with {tool_name} on {date}",
    "Translated manually on {date}",
    "Machine translated on {date}",
}


def set_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def sidebar_label(text):
    """A menu item's label as it appears in the sidebar's JSON (non-ASCII escaped)."""
    return f'"label": {json.dumps(text)}'


def block_label(text):
    """A block's label as it appears in the page editor's block definitions (JSON in an HTML
    attribute)."""
    return escape(sidebar_label(text))


@pytest.fixture
def news_index(db):
    home = HomePage.objects.get(locale__language_code="sv")
    return NewsIndexPageFactory(parent=home)


def grant_announcement_form(client, news_index):
    return get(client, f"/admin/pages/add/news/grantannouncementpage/{news_index.pk}/")


# --- what editors see over HTTP ----------------------------------------------------------

GRANT_FORM = {
    "sv": [
        "<span data-panel-heading-text>Ingress</span>",  # BasePage.intro
        "Ingressen: en eller två meningar",  # its help text
        "<span data-panel-heading-text>Bidrag</span>",  # the grants inline panel
        "Mottagare",  # Grant.recipient, in the inline panel's form
        "Ny: Bidragsbeslut",  # the page type
        "Beviljat totalbelopp (SEK)",
        "Publiceringsdatum",
        "Kommunala partnerskap",  # a Programme choice
    ],
    "en": [
        "<span data-panel-heading-text>Intro</span>",
        "The lead: one or two sentences",
        "<span data-panel-heading-text>Grants</span>",
        "Recipient",
        "New: Grant announcement",
        "Announced total (SEK)",
        "Publication date",
        "Municipal partnerships",
    ],
}

IMAGE_FORM = {
    "sv": ["Standard-alt-text", "Fotokredit", "Fotograf eller källa"],
    "en": ["Default alt text", "Credit", "Photographer or source"],
}

SIDEBAR = {
    "sv": [
        "Webbplatsinställningar",
        "Bidragsregister",
        "Bidragsmottagare",
        "Partnerorganisationer",
    ],
    "en": ["Site settings", "Grant data", "Grant recipients", "Partner organisations"],
}

LANGUAGES = pytest.mark.parametrize(("language", "other"), [("sv", "en"), ("en", "sv")])


@LANGUAGES
def test_grant_announcement_form_speaks_the_editors_language(
    admin_client, admin_user, news_index, language, other
):
    set_language(admin_user, language)
    content = grant_announcement_form(admin_client, news_index)
    assert f'<html lang="{language}"' in content
    for text in GRANT_FORM[language]:
        assert text in content
    for text in GRANT_FORM[other]:
        assert text not in content


@LANGUAGES
def test_image_upload_form_speaks_the_editors_language(admin_client, admin_user, language, other):
    set_language(admin_user, language)
    content = get(admin_client, reverse("wagtailimages:add"))
    for text in IMAGE_FORM[language]:
        assert text in content
    for text in IMAGE_FORM[other]:
        assert text not in content


@LANGUAGES
def test_snippet_menu_speaks_the_editors_language(admin_client, admin_user, language, other):
    set_language(admin_user, language)
    content = get(admin_client, reverse("wagtailadmin_home"))
    for text in SIDEBAR[language]:
        assert sidebar_label(text) in content
    for text in SIDEBAR[other]:
        assert sidebar_label(text) not in content


def test_swedish_editor_sees_swedish_block_labels(admin_client, admin_user, news_index):
    """StreamField block labels reach the page editor's JavaScript in Swedish."""
    set_language(admin_user, "sv")
    content = grant_announcement_form(admin_client, news_index)
    for label in ("Faktaruta", "Uppmaning", "Citat", "Källa", "Stycke", "Alt-text", "Bildtext"):
        assert block_label(label) in content
    for label in ("Fact box", "Call to action", "Quote", "Attribution", "Paragraph"):
        assert block_label(label) not in content


def test_two_editors_see_our_labels_in_their_own_languages(client, django_user_model, news_index):
    anna = django_user_model.objects.create_superuser("anna", "anna@example.org", "pw")
    bob = django_user_model.objects.create_superuser("bob", "bob@example.org", "pw")
    set_language(anna, "sv")
    set_language(bob, "en")

    client.force_login(anna)
    assert "<span data-panel-heading-text>Bidrag</span>" in grant_announcement_form(
        client, news_index
    )
    client.force_login(bob)
    assert "<span data-panel-heading-text>Grants</span>" in grant_announcement_form(
        client, news_index
    )
    client.force_login(anna)
    assert "Standard-alt-text" in get(client, reverse("wagtailimages:add"))


# --- the catalogue ------------------------------------------------------------------------


def catalogue():
    return polib.pofile(str(CATALOGUE))


def live_entries(po):
    return [entry for entry in po if not entry.obsolete]


def key(entry):
    """What gettext looks a translation up by: the msgid within its context, if any (``{%
    translate "Actions" context "header landmark" %}`` is not Wagtail's "Actions")."""
    return (entry.msgctxt or None, entry.msgid)


def test_catalogue_is_swedish_and_not_fuzzy():
    po = catalogue()
    assert po.metadata["Language"] == "sv"
    assert not po.metadata_is_fuzzy
    assert len(live_entries(po)) > 100


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = catalogue()
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []
    for entry in live_entries(po):
        assert entry.msgstr.strip(), entry.msgid


PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|\{[^}]*\}|%[sd]")


def test_translations_keep_their_placeholders():
    for entry in live_entries(catalogue()):
        assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(
            PLACEHOLDER.findall(entry.msgid)
        ), entry.msgid


def test_compiled_catalogue_matches_the_source():
    """The committed .mo is compiled from the current .po (CI may have no gettext)."""
    assert COMPILED.exists(), "run make messages"
    po = {key(entry): entry.msgstr for entry in live_entries(catalogue())}
    mo = {key(entry): entry.msgstr for entry in polib.mofile(str(COMPILED)) if entry.msgid}
    assert mo == po, "cms/locale/sv/LC_MESSAGES/django.mo is stale: run make messages"


GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT_FUNCTIONS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}  # context first
TEMPLATE_TRANSLATE = re.compile(
    r"""{%\s*trans(?:late)?\s+(["'])(?P<msgid>.*?)\1(?P<options>[^%]*)%}"""
)
TEMPLATE_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<options>[^%]*)%}(?P<text>.*?){%\s*endblocktrans(?:late)?\s*%}",
    re.DOTALL,
)
TEMPLATE_CONTEXT = re.compile(r"""\bcontext\s+(["'])(.*?)\1""")


def template_context(options):
    """The ``context "..."`` of a template translation tag, or None."""
    match = TEMPLATE_CONTEXT.search(options)
    return match.group(2) if match else None


def python_marked(node):
    """(context, msgid) of a gettext call with literal arguments, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    literals = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args[:2]]
    if node.func.id in GETTEXT_FUNCTIONS and literals and isinstance(literals[0], str):
        return (None, literals[0])
    if (
        node.func.id in PGETTEXT_FUNCTIONS
        and len(literals) == 2
        and all(isinstance(literal, str) for literal in literals)
    ):
        return tuple(literals)
    return None


def block_msgid(options, text):
    """The msgid makemessages extracts from a ``{% blocktranslate %}`` without a plural."""
    text = text.replace("%", "%%")
    text = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", text)
    return trim_whitespace(text) if "trimmed" in options.split() else text


def marked_strings():
    """Every literal our apps' code and templates mark for translation, as (context, msgid),
    with where it is. Our templates include our overrides of Wagtail's (cms/templates)."""
    found = {}
    for app in OUR_APPS:
        root = Path(apps.get_app_config(app).path)
        for path in sorted(root.rglob("*.py")):
            if "locale" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if marked := python_marked(node):
                    found.setdefault(marked, f"{path}:{node.lineno}")
        for path in sorted(root.rglob("*.html")):
            source = path.read_text(encoding="utf-8")
            for match in TEMPLATE_TRANSLATE.finditer(source):
                found.setdefault((template_context(match["options"]), match["msgid"]), str(path))
            for match in TEMPLATE_BLOCK.finditer(source):
                if "{% plural %}" not in match["text"]:
                    msgid = block_msgid(match["options"], match["text"])
                    found.setdefault((template_context(match["options"]), msgid), str(path))
    return found


def test_every_marked_string_is_in_the_catalogue():
    """A new label cannot slip in untranslated: add it with make messages and translate it.
    A string with a context is a string of its own (it is looked up by both)."""
    marked = marked_strings()
    assert len(marked) > 100
    assert marked[("header landmark", "Actions")].endswith("headers/_actions.html")
    translated = {key(entry) for entry in live_entries(catalogue())}
    missing = {string: where for string, where in marked.items() if string not in translated}
    assert missing == {}, "not in cms/locale/sv/LC_MESSAGES/django.po: run make messages"


def upstream_swedish():
    """Django's and the installed apps' Swedish, as the admin would have it without ours.

    Django merges every catalogue into one; an app earlier in INSTALLED_APPS wins over a
    later one, and any app over Django's own.
    """
    catalogues = [
        Path(config.path) / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
        for config in apps.get_app_configs()
        if config.name not in OUR_APPS
    ]
    catalogues.append(Path(django.__file__).parent / "conf/locale/sv/LC_MESSAGES/django.mo")
    merged = {}
    for path in catalogues:
        if path.exists():
            for entry in polib.mofile(str(path)):
                if entry.msgid and entry.msgstr:
                    merged.setdefault(key(entry), entry.msgstr)
    return merged


def test_catalogue_agrees_with_djangos_and_wagtails_swedish():
    """Our catalogue wins for every string it has, in the whole admin: where Wagtail or Django
    already translate the same English, we must say the same (e.g. "Search" stays "Sök")."""
    upstream = upstream_swedish()
    assert upstream[(None, "Search")] == "Sök"  # the lookup works
    differing = {
        key(entry): (entry.msgstr, upstream[key(entry)])
        for entry in live_entries(catalogue())
        if key(entry) in upstream
        and entry.msgstr != upstream[key(entry)]
        and entry.msgid not in DELIBERATE_OVERRIDES
    }
    assert differing == {}


def test_the_snippets_index_lists_every_snippet_type(admin_client, admin_user):
    """Every snippet type has a menu of its own; the Snippets index still lists them all
    instead of telling a superuser they lack permission."""
    set_language(admin_user, "sv")
    response = admin_client.get("/admin/snippets/")
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("Bidragsmottagare", "Partnerorganisationer", "Webhook-mottagare"):
        assert name in content, name
    assert "saknar rättigheter" not in content


def test_the_default_workflow_has_a_swedish_name(db):
    from wagtail.models import Task, Workflow

    assert set(Workflow.objects.values_list("name", flat=True)) == {"Godkännande av moderatorer"}
    assert set(Task.objects.values_list("name", flat=True)) == {"Godkännande av moderatorer"}


def test_exploring_a_page_without_children_reads_swedish(admin_client, admin_user, news_index):
    set_language(admin_user, "sv")
    content = get(admin_client, f"/admin/pages/{news_index.pk}/")
    assert "Utforskar" in content
    assert "Exploring" not in content


def test_listings_say_yes_or_no_and_name_what_they_count(admin_client, admin_user, news_index):
    """Wagtail's boolean cells titled their icons "True"/"False" (read aloud by screen
    readers) and the page search counted "1–3 av 3 None"."""
    set_language(admin_user, "sv")
    users = get(admin_client, "/admin/users/")
    assert re.search(r'w-sr-only">\s*Ja\s*<', users)
    assert "True" not in users
    search = get(admin_client, "/admin/pages/search/?q=Nyheter")
    assert re.search(r"1–\d+ av \d+ sidor", search)
    assert not re.search(r"av \d+ None", search)


def test_content_languages_are_named_in_the_editors_language(admin_client, admin_user):
    """The admin names content languages in Swedish for a Swedish editor ("Publicera på
    engelska"), while the API keeps each language's own name for language switchers."""
    from wagtail.models import Locale

    set_language(admin_user, "sv")
    from django.utils import translation

    with translation.override("sv"):
        names = {
            locale.language_code: str(locale.get_display_name()) for locale in Locale.objects.all()
        }
    assert names == {"sv": "svenska", "en": "engelska"}
    with translation.override("en"):
        assert str(Locale.objects.get(language_code="en").get_display_name()) == "English"


def test_the_page_choosers_breadcrumb_starts_in_swedish(admin_client, admin_user, news_index):
    """Wagtail shows the tree's root by its stored title, "Root" (cms migration 0011)."""
    set_language(admin_user, "sv")
    response = admin_client.get(reverse("wagtailadmin_choose_page_child", args=[news_index.pk]))
    html = json.loads(response.content)["html"]
    assert breadcrumbs(html) == ["Sidor", "Startsida"]
    explorer = get(admin_client, reverse("wagtailadmin_explore", args=[news_index.pk]))
    assert breadcrumbs(explorer)[0] == "Sidor"
    assert "Root" not in html and "Root" not in explorer
