"""Zero tolerance: the GraphQL API only ever returns live, public content, through every field.

One bilingual world is built per test (news index, archive index, topic, a control grant
announcement that stays public, a *target* grant announcement that each scenario hides in one
way, link pages whose rich text and call-to-action blocks point at the target, and per-language
site settings whose menu, footer links and footer text point at it). Each scenario then checks
every surface of the API against expectations derived from "which pages are hidden": lookups
by id and by path, ``translations``, ``newsArticles`` (and ``totalCount``), a topic's
articles, ``grants`` (and ``totalAmount``), the site menu and footer, and rich text / call to
action blocks of other pages. A ``public`` scenario (nothing hidden) shows the checks see the
target wherever it should be.
"""

import datetime
import json
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail_localize.models import Translation, TranslationSource

from cms.factories import SiteSettingsFactory, StandardPageFactory
from cms.models import StandardPage
from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    RecipientFactory,
)
from news.models import ArticleTopic, Grant, GrantAnnouncementPage, NewsArticlePage
from tests.helpers import gql, publish, settle, translate
from topics.factories import TopicIndexPageFactory, TopicPageFactory
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

LOCALES = ("sv", "en")
TARGET_TITLE = "Hemligt beslut"
CONTROL_TITLE = "Kontrollbeslut"


# --- Helpers -------------------------------------------------------------------------------------


def frontend_path(page):
    """The frontend path of a page: '/hem/nyheter/x/' -> '/sv/nyheter/x/'."""
    code = page.locale.language_code
    return f"/{code}/{page.url_path.split('/', 2)[2]}"


def call(client, query, **variables):
    """A query that must succeed: (data, raw response text)."""
    response = gql(client, query, variables)
    text = response.content.decode()
    assert response.status_code == 200, text
    body = json.loads(text)
    assert "errors" not in body, body["errors"]
    return body["data"], text


def restrict(page, restriction_type, group=None):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="hemligt" if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    if group is not None:
        restriction.groups.add(group)
    return restriction


def translate_as_draft(page, locale):
    """Translate with wagtail-localize like ``translate`` but leave the translation unpublished."""
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"EN {entry.msgid}"
    translation.import_po(po)
    translation.save_target(publish=False)
    return Page.objects.get(pk=page.get_translation(locale).pk).specific


def announcement(parent, title, slug, amount, recipient, topic, date, live=True):
    """A grant announcement with one grant, tagged with ``topic``; published when ``live``
    (otherwise saved as a draft revision and never published)."""
    page = GrantAnnouncementPageFactory(
        parent=parent,
        locale=parent.locale,
        title=title,
        slug=slug,
        total_amount=amount,
        date=date,
        live=live,
    )
    Grant.objects.create(
        page=page, locale=parent.locale, recipient=recipient, amount=amount, year=2024, topic=topic
    )
    ArticleTopic.objects.create(page=page, topic=topic, locale=parent.locale)
    if live:
        return publish(page)
    page.save_revision()
    page.refresh_from_db()
    return page


def link_body(target, control):
    """A body pointing at ``target`` and ``control`` in every way a body can link a page."""
    return [
        (
            "paragraph",
            f'<p>Läs <a linktype="page" id="{target.pk}">den dolda texten</a> och '
            f'<a linktype="page" id="{control.pk}">kontrolltexten</a>.</p>',
        ),
        ("call_to_action", {"text": "Till det dolda", "page": target, "url": ""}),
        ("call_to_action", {"text": "Till kontrollen", "page": control, "url": ""}),
        (
            "fact_box",
            {
                "title": "Fakta",
                "body": f'<p>Se <a linktype="page" id="{target.pk}">faktalänken</a>.</p>',
            },
        ),
        (
            "commitment",
            {
                "heading": "Åtagande",
                "text": f'<p>Se <a linktype="page" id="{target.pk}">åtagandelänken</a>.</p>',
                "to_report": [],
            },
        ),
    ]


def menu_links(*pages):
    return [("link", {"page": page, "url": "", "title": ""}) for page in pages]


# --- The world -----------------------------------------------------------------------------------


@dataclass
class World:
    sv: object
    en: object
    pages: dict = field(default_factory=dict)
    hidden: set = field(default_factory=set)  # names of pages the public must never see
    recipients: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.pages[name]

    def name_of(self, page):
        return next(name for name, p in self.pages.items() if p.pk == page.pk)

    def visible(self, page):
        return self.name_of(page) not in self.hidden

    def code(self, page):
        return page.locale.language_code

    def versions(self, page):
        """The world's pages of the translation group of ``page`` (itself included)."""
        return [p for p in self.pages.values() if p.translation_key == page.translation_key]

    def version_in(self, page, code):
        """The visible version of ``page`` in ``code``, or None."""
        return next(
            (p for p in self.versions(page) if self.code(p) == code and self.visible(p)), None
        )

    def found(self, page, code):
        """What ``page(id/path of page, locale: code)`` must return: nothing for a hidden
        page, else its visible translation in ``code``, else the page itself."""
        if not self.visible(page):
            return None
        return self.version_in(page, code) or page

    def linked(self, page, code):
        """What a link to ``page`` resolves to for a reader of ``code``: the visible version
        in ``code``, else the page itself if visible, else nothing (the link is dropped)."""
        return self.version_in(page, code) or (page if self.visible(page) else None)

    def listed(self, page, code, fallback=True):
        """The version of ``page``'s group a list in ``code`` shows, or None."""
        own = self.version_in(page, code)
        if own is not None or not fallback:
            return own
        visible = [p for p in self.versions(page) if self.visible(p)]
        return min(visible, key=lambda p: p.pk) if visible else None

    def articles(self, code, fallback=True):
        """Expected article list, newest date first (the target is newer than the control)."""
        chosen = [self.listed(self[name], code, fallback) for name in ("target_sv", "control_sv")]
        return [page.pk for page in chosen if page is not None]

    def translations(self, page):
        return sorted(
            (self.code(p), p.title, frontend_path(p))
            for p in self.versions(page)
            if p.pk != page.pk and self.visible(p)
        )


def build_world(sv, en, home_sv, home_en, *, target_live=True, before=None):
    """Everything translated to English; ``before(world)`` runs before the target exists."""
    world = World(sv=sv, en=en)
    pages = world.pages
    pages["home_sv"], pages["home_en"] = home_sv, home_en
    pages["topic_index_sv"] = TopicIndexPageFactory(parent=home_sv, locale=sv)
    pages["topic_sv"] = TopicPageFactory(
        parent=pages["topic_index_sv"], locale=sv, title="Demokrati", slug="demokrati"
    )
    pages["news_sv"] = NewsIndexPageFactory(parent=home_sv, locale=sv)
    pages["archive_sv"] = NewsIndexPageFactory(
        parent=home_sv, locale=sv, title="Arkiv", slug="arkiv"
    )
    for name in ("topic_index", "topic", "news", "archive"):
        pages[f"{name}_en"] = translate(pages[f"{name}_sv"], en)

    world.recipients["control"] = RecipientFactory(name="Kontrollkommun", slug="kontrollkommun")
    world.recipients["target"] = RecipientFactory(name="Hemlig kommun", slug="hemlig-kommun")
    pages["control_sv"] = announcement(
        pages["archive_sv"],
        CONTROL_TITLE,
        "kontroll",
        1_000,
        world.recipients["control"],
        pages["topic_sv"],
        datetime.date(2024, 4, 1),
    )
    pages["control_en"] = translate(pages["control_sv"], en)
    if before is not None:
        before(world)
    pages["target_sv"] = announcement(
        pages["news_sv"],
        TARGET_TITLE,
        "hemligt-beslut",
        7_000_000,
        world.recipients["target"],
        pages["topic_sv"],
        datetime.date(2024, 5, 1),
        live=target_live,
    )
    return world


def add_links(world):
    """Link pages (one per language, not translations of each other) and site settings."""
    for code, home in (("sv", world["home_sv"]), ("en", world["home_en"])):
        locale = world.sv if code == "sv" else world.en
        target, control = world[f"target_{code}"], world[f"control_{code}"]
        world.pages[f"links_{code}"] = publish(
            StandardPageFactory(
                parent=home,
                locale=locale,
                title=f"Länkar {code}",
                slug=f"lankar-{code}",
                body=link_body(target, control),
            )
        )
        SiteSettingsFactory(
            locale=locale,
            organisation_name=f"ICLD {code}",
            menu=menu_links(target, control, world[f"news_{code}"]),
            footer_links=menu_links(target),
            footer_text=f'<p>Se <a linktype="page" id="{target.pk}">sidfotslänken</a>.</p>',
        )


# --- Scenarios: each hides the target (or its section) in one way --------------------------------


def _public(world):
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    return set()


def _draft(world):
    """The Swedish target was never published; its English translation is live."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    target = Page.objects.get(pk=world["target_sv"].pk)
    assert not target.live and target.live_revision is None and target.first_published_at is None
    return {"target_sv"}


def _draft_translation(world):
    """The English translation was saved by the translator but never published."""
    world.pages["target_en"] = translate_as_draft(world["target_sv"], world.en)
    assert not world["target_en"].live
    return {"target_en"}


def _unpublished(world):
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    world["target_sv"].unpublish()
    assert not Page.objects.get(pk=world["target_sv"].pk).live
    return {"target_sv"}


def _expired(world):
    """expire_at has passed but ``publish_scheduled`` has not run: live=True in the DB."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    Page.objects.filter(pk=world["target_sv"].pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    # Written behind the signals' back, as an import would: the documented step after one.
    call_command("refresh_shown_versions", stdout=StringIO())
    target = Page.objects.get(pk=world["target_sv"].pk)
    assert target.live and not target.expired
    return {"target_sv"}


def _scheduled(world):
    """Published with go_live_at in the future: the revision waits, the page is not live."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    target = world["target_sv"]
    target.go_live_at = timezone.now() + datetime.timedelta(days=1)
    target.save_revision().publish()
    target = Page.objects.get(pk=target.pk)
    assert not target.live
    assert Revision.page_revisions.filter(
        object_id=str(target.pk), approved_go_live_at__isnull=False
    ).exists()
    return {"target_sv"}


def _scheduled_but_flagged_live(world):
    """live=True in the DB but go_live_at still in the future (e.g. imported data)."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    Page.objects.filter(pk=world["target_sv"].pk).update(
        go_live_at=timezone.now() + datetime.timedelta(days=1)
    )
    call_command("refresh_shown_versions", stdout=StringIO())
    assert Page.objects.get(pk=world["target_sv"].pk).live
    return {"target_sv"}


def _restricted(restriction_type, where="target_sv"):
    def scenario(world):
        world.pages["target_en"] = translate(world["target_sv"], world.en)
        group = Group.objects.create(name="Redaktion") if restriction_type == "groups" else None
        restrict(world[where], restriction_type, group)  # added after the translation exists
        return {"target_sv", "target_en"}

    return scenario


def _section_restricted_after_translation(world):
    """The Swedish news index is made private after everything was translated."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    restrict(world["news_sv"], PageViewRestriction.LOGIN)
    return {"news_sv", "news_en", "target_sv", "target_en"}


def _section_restricted_before(world):
    """The article is written into an already private news index (private by inheritance),
    then translated."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    return {"news_sv", "news_en", "target_sv", "target_en"}


def _translation_moved_out_of_private_section(world):
    """The English translation was moved to the (public) English archive, then the Swedish
    news index was made private: the English article sits in no private section, but its
    Swedish source does, and a restriction means every language."""
    world.pages["target_en"] = translate(world["target_sv"], world.en)
    Page.objects.get(pk=world["target_en"].pk).move(
        Page.objects.get(pk=world["archive_en"].pk), pos="last-child"
    )
    restrict(world["news_sv"], PageViewRestriction.GROUPS, Group.objects.create(name="Styrelsen"))
    return {"news_sv", "news_en", "target_sv", "target_en"}


def _restrict_news_index(world):
    restrict(world["news_sv"], PageViewRestriction.PASSWORD)


SCENARIOS = {
    # name: (scenario, target created live, hook before the target is created)
    "public": (_public, True, None),
    "draft": (_draft, False, None),
    "draft_translation": (_draft_translation, True, None),
    "unpublished": (_unpublished, True, None),
    "expired": (_expired, True, None),
    "scheduled": (_scheduled, False, None),
    "scheduled_but_flagged_live": (_scheduled_but_flagged_live, True, None),
    "password": (_restricted(PageViewRestriction.PASSWORD), True, None),
    "login": (_restricted(PageViewRestriction.LOGIN), True, None),
    "groups": (_restricted(PageViewRestriction.GROUPS), True, None),
    "restricted_english_translation": (
        _restricted(PageViewRestriction.LOGIN, where="target_en"),
        True,
        None,
    ),
    "section_private_by_inheritance": (_section_restricted_before, True, _restrict_news_index),
    "section_private_after_translation": (_section_restricted_after_translation, True, None),
    "translation_moved_out_of_private_section": (
        _translation_moved_out_of_private_section,
        True,
        None,
    ),
}


@pytest.fixture(params=list(SCENARIOS))
def world(request, sv, en, home_sv, home_en):
    scenario, target_live, before = SCENARIOS[request.param]
    world = build_world(sv, en, home_sv, home_en, target_live=target_live, before=before)
    world.hidden = scenario(world)
    for name, page in world.pages.items():
        world.pages[name] = Page.objects.get(pk=page.pk).specific  # the DB state
    add_links(world)
    world.scenario = request.param
    return world


# --- The checks ----------------------------------------------------------------------------------

PAGE_FIELDS = """
fragment P on Page {
  id title url locale isFallback
  translations { locale title url }
  ... on Article { topics { id } }
  ... on GrantAnnouncementPage { totalAmount grants { id amount announcement { id } } }
  ... on TopicPage { articles(limit: 100) { totalCount items { id title url } } }
  ... on StandardPage {
    body {
      blockType
      ... on ParagraphBlock { html }
      ... on CallToActionBlock { text url page { id title url locale } }
      ... on FactBoxBlock { html }
      ... on CommitmentBlock { html }
    }
  }
}
"""


class Checker:
    """Collects every mismatch of a scenario so that one run reports all leaks at once."""

    def __init__(self, world):
        self.world = world
        self.problems = []
        self.texts = []

    def eq(self, label, actual, expected):
        if actual != expected:
            self.problems.append(f"{label}:\n    expected {expected!r}\n    actual   {actual!r}")

    def call(self, client, query, **variables):
        data, text = call(client, query, **variables)
        self.texts.append(text)
        return data

    def finish(self):
        # Whatever the query, a hidden page's frontend path and title never appear.
        everything = "\n".join(self.texts)
        for name in sorted(self.world.hidden):
            page = self.world[name]
            for needle in (json.dumps(frontend_path(page)), json.dumps(page.title)):
                if needle in everything:
                    self.problems.append(f"{name} leaked: {needle} appears in a response")
        assert not self.problems, f"scenario {self.world.scenario}:\n" + "\n".join(self.problems)


def link_html(world, page, code, text):
    target = world.linked(page, code)
    return text if target is None else f'<a href="{frontend_path(target)}">{text}</a>'


def expected_page(world, page, code):
    """The expected answer of ``page(...)`` for a found page asked in ``code``."""
    if page is None:
        return None
    w = world
    result = {
        "id": str(page.pk),
        "title": page.title,
        "url": frontend_path(page),
        "locale": w.code(page),
        "isFallback": w.code(page) != code,
        "translations": w.translations(page),
    }
    specific = page.specific
    if isinstance(specific, NewsArticlePage):
        # an article's topics in the reader's language, else in the article's own
        topic = w.version_in(w["topic_sv"], code) or w.version_in(w["topic_sv"], w.code(page))
        result["topics"] = [str(topic.pk)] if topic else []
    if isinstance(specific, GrantAnnouncementPage):
        result["totalAmount"] = specific.total_amount
        result["grants"] = [
            {"id": str(g.pk), "amount": g.amount, "announcement": {"id": str(page.pk)}}
            for g in specific.grants.order_by("sort_order", "pk")
        ]
    if isinstance(specific, TopicPage):
        items = w.articles(code)
        result["articles"] = {"totalCount": len(items), "items": items}
    if isinstance(specific, StandardPage) and page.slug.startswith("lankar"):
        own = w.code(page)
        target, control = w[f"target_{own}"], w[f"control_{own}"]
        blocks = [
            {
                "blockType": "paragraph",
                "html": f"<p>Läs {link_html(w, target, code, 'den dolda texten')} och "
                f"{link_html(w, control, code, 'kontrolltexten')}.</p>",
            }
        ]
        for linked, text in ((target, "Till det dolda"), (control, "Till kontrollen")):
            shown = w.linked(linked, code)
            if shown is not None:
                blocks.append(
                    {
                        "blockType": "call_to_action",
                        "text": text,
                        "url": frontend_path(shown),
                        "page": {
                            "id": str(shown.pk),
                            "title": shown.title,
                            "url": frontend_path(shown),
                            "locale": w.code(shown),
                        },
                    }
                )
        blocks.append(
            {
                "blockType": "fact_box",
                "html": f"<p>Se {link_html(w, target, code, 'faktalänken')}.</p>",
            }
        )
        blocks.append(
            {
                "blockType": "commitment",
                "html": f"<p>Se {link_html(w, target, code, 'åtagandelänken')}.</p>",
            }
        )
        result["body"] = blocks
    return result


def actual_page(data):
    if data is None:
        return None
    result = dict(data)
    result["translations"] = sorted(
        (t["locale"], t["title"], t["url"]) for t in data["translations"]
    )
    if "topics" in result:
        result["topics"] = [t["id"] for t in data["topics"]]
    if "articles" in result:
        result["articles"] = {
            "totalCount": data["articles"]["totalCount"],
            "items": [int(item["id"]) for item in data["articles"]["items"]],
        }
    return result


LOOKED_UP = {"target", "news", "control", "topic", "links"}


def check_lookups(check, client, world):
    """page(id:), page(path:), with and without a locale, for every page a scenario hides or
    that links to what it hides."""
    names = sorted(name for name in world.pages if name.rsplit("_", 1)[0] in LOOKED_UP)
    for code in LOCALES:
        by_id = " ".join(
            f'{name}: page(id: "{world[name].pk}", locale: "{code}") {{ ...P }}' for name in names
        )
        data = check.call(client, f"{{ {by_id} }}" + PAGE_FIELDS)
        for name in names:
            check.eq(
                f"page(id: {name}, locale: {code})",
                actual_page(data[name]),
                expected_page(world, world.found(world[name], code), code),
            )
    by_path = " ".join(
        f'{name}: page(path: "{frontend_path(world[name])}") {{ ...P }}' for name in names
    )
    data = check.call(client, f"{{ {by_path} }}" + PAGE_FIELDS)
    for name in names:
        page = world[name]
        check.eq(
            f"page(path: {frontend_path(page)})",
            actual_page(data[name]),
            expected_page(world, world.found(page, world.code(page)), world.code(page)),
        )
    # Swedish paths without the language prefix, and paths asked in the other language.
    other = " ".join(
        f'{name}: page(path: "{frontend_path(world[name])}", locale: "en") {{ ...P }} '
        f'{name}_bare: page(path: "/{frontend_path(world[name]).split("/", 2)[2]}") {{ id }}'
        for name in names
        if name.endswith("_sv")
    )
    data = check.call(client, f"{{ {other} }}" + PAGE_FIELDS)
    for name in names:
        if not name.endswith("_sv"):
            continue
        page = world[name]
        check.eq(
            f"page(path: {frontend_path(page)}, locale: en)",
            actual_page(data[name]),
            expected_page(world, world.found(page, "en"), "en"),
        )
        found = world.found(page, "sv")
        check.eq(
            f"page(path: unprefixed {name})",
            data[f"{name}_bare"],
            None if found is None else {"id": str(found.pk)},
        )


ARTICLES = """
query($locale: String, $fallback: Boolean, $topic: String, $kind: ArticleKind) {
  newsArticles(locale: $locale, fallback: $fallback, topic: $topic, kind: $kind, limit: 100) {
    totalCount
    items { id title url translations { locale title url } }
  }
  topics(locale: $locale) {
    id
    articles(limit: 100) { totalCount items { id } }
  }
}
"""


def check_lists(check, client, world):
    for code in LOCALES:
        for fallback in (True, False):
            for filters in ({}, {"topic": "demokrati"}, {"kind": "grant_announcement"}):
                data = check.call(client, ARTICLES, locale=code, fallback=fallback, **filters)
                expected = world.articles(code, fallback)
                label = f"newsArticles(locale: {code}, fallback: {fallback}, {filters})"
                items = data["newsArticles"]["items"]
                check.eq(f"{label} ids", [int(item["id"]) for item in items], expected)
                check.eq(f"{label} totalCount", data["newsArticles"]["totalCount"], len(expected))
                for item in items:
                    check.eq(
                        f"{label} translations of {item['id']}",
                        sorted((t["locale"], t["title"], t["url"]) for t in item["translations"]),
                        world.translations(Page.objects.get(pk=item["id"])),
                    )
        topic = world.linked(world["topic_sv"], code)
        expected = world.articles(code)
        check.eq(
            f"topics(locale: {code})",
            [
                (
                    t["id"],
                    t["articles"]["totalCount"],
                    [int(i["id"]) for i in t["articles"]["items"]],
                )
                for t in data["topics"]
            ],
            [(str(topic.pk), len(expected), expected)],
        )


GRANTS = """
query($locale: String, $fallback: Boolean, $recipient: String) {
  grants(locale: $locale, fallback: $fallback, recipient: $recipient, limit: 100) {
    totalCount totalAmount
    items { id amount announcement { id title url } }
  }
}
"""


def check_grants(check, client, world):
    for code in LOCALES:
        for fallback in (True, False):
            for recipient in (None, "hemlig-kommun"):
                data = check.call(
                    client, GRANTS, locale=code, fallback=fallback, recipient=recipient
                )["grants"]
                pages = [
                    world.listed(world[name], code, fallback)
                    for name in ("target_sv", "control_sv")
                    if recipient is None or name == "target_sv"
                ]
                grants = [
                    g for page in pages if page is not None for g in page.specific.grants.all()
                ]
                label = f"grants(locale: {code}, fallback: {fallback}, recipient: {recipient})"
                check.eq(
                    f"{label} items",
                    sorted((int(i["id"]), int(i["announcement"]["id"])) for i in data["items"]),
                    sorted((g.pk, g.page_id) for g in grants),
                )
                check.eq(f"{label} totalCount", data["totalCount"], len(grants))
                amounts = [g.amount for g in grants if g.amount is not None]
                check.eq(
                    f"{label} totalAmount", data["totalAmount"], sum(amounts) if amounts else None
                )


SITE = """
query($locale: String) {
  site(locale: $locale) {
    name
    menu { title url page { id title url locale } }
    footer { html links { title url page { id } } }
  }
}
"""


def check_site(check, client, world):
    for code in LOCALES:
        data = check.call(client, SITE, locale=code)["site"]
        check.eq(f"site({code}).name", data["name"], f"ICLD {code}")
        menu = []
        for name in (f"target_{code}", f"control_{code}", f"news_{code}"):
            shown = world.linked(world[name], code)
            if shown is not None:
                page = {
                    "id": str(shown.pk),
                    "title": shown.title,
                    "url": frontend_path(shown),
                    "locale": world.code(shown),
                }
                menu.append({"title": shown.title, "url": frontend_path(shown), "page": page})
        check.eq(f"site({code}).menu", data["menu"], menu)
        target = world.linked(world[f"target_{code}"], code)
        links = (
            []
            if target is None
            else [
                {
                    "title": target.title,
                    "url": frontend_path(target),
                    "page": {"id": str(target.pk)},
                }
            ]
        )
        check.eq(f"site({code}).footer.links", data["footer"]["links"], links)
        check.eq(
            f"site({code}).footer.html",
            data["footer"]["html"],
            f"<p>Se {link_html(world, world[f'target_{code}'], code, 'sidfotslänken')}.</p>",
        )


SEARCH = """
query($locale: String, $fallback: Boolean) {
  search(query: "Hemligt", locale: $locale, fallback: $fallback, limit: 100) {
    totalCount
    items { page { id title url } }
    facets { types { value count } years { value count } topics { count } }
  }
  suggest(prefix: "Hemligt", locale: $locale, limit: 20) { title url locale }
}
"""


def check_search(check, client, world):
    """The target's title is searched for: only its visible versions are found."""
    for code in LOCALES:
        for fallback in (True, False):
            data = check.call(client, SEARCH, locale=code, fallback=fallback)
            label = f"search(Hemligt, locale: {code}, fallback: {fallback})"
            found = world.listed(world["target_sv"], code, fallback)
            pages = [] if found is None else [found]
            check.eq(
                f"{label} items",
                data["search"]["items"],
                [
                    {"page": {"id": str(p.pk), "title": p.title, "url": frontend_path(p)}}
                    for p in pages
                ],
            )
            check.eq(f"{label} totalCount", data["search"]["totalCount"], len(pages))
            facets = data["search"]["facets"]
            expected_facets = {
                "types": [{"value": "GrantAnnouncementPage", "count": 1}] if pages else [],
                "years": [{"value": "2024", "count": 1}] if pages else [],
                "topics": [{"count": 1}] if pages else [],
            }
            check.eq(f"{label} facets", facets, expected_facets)
            if fallback:
                check.eq(
                    f"suggest(Hemligt, locale: {code})",
                    data["suggest"],
                    [
                        {"title": p.title, "url": frontend_path(p), "locale": world.code(p)}
                        for p in pages
                    ],
                )


def test_only_live_public_pages_through_every_field(client, world):
    check = Checker(world)
    check_lookups(check, client, world)
    check_lists(check, client, world)
    check_grants(check, client, world)
    check_site(check, client, world)
    check_search(check, client, world)
    if world.scenario == "public":
        # The checks see the target wherever it belongs, so they can tell a leak from none.
        everything = "\n".join(check.texts)
        assert json.dumps(TARGET_TITLE) in everything
        assert json.dumps("/sv/nyheter/hemligt-beslut/") in everything
        assert check.texts and world.articles("sv")[0] == world["target_sv"].pk
    check.finish()


# --- Newer drafts, aliases, topics, site settings ------------------------------------------------


ARTICLE_EVERYWHERE = """
query($id: ID!, $en: ID!, $path: String!, $draftPath: String!) {
  byId: page(id: $id) { ...A }
  byPath: page(path: $path) { ...A }
  draftPath: page(path: $draftPath) { id }
  english: page(id: $en, locale: "en") { translations { title url } }
  newsArticles(locale: "sv", limit: 100) { items { ...A } }
  grants(locale: "sv") { totalAmount items { amount announcement { title } } }
  topics(locale: "sv") {
    articles { items { id title intro url seoTitle ... on GrantAnnouncementPage { totalAmount } } }
  }
  site(locale: "sv") { menu { title url page { title } } footer { html } }
  links: page(path: "/sv/lankar/") {
    ... on StandardPage { body { ... on CallToActionBlock { text url page { title url } } } }
  }
}
fragment A on Article {
  id title intro url seoTitle
  ... on GrantAnnouncementPage { totalAmount grants { amount } }
}
"""


def test_newer_draft_never_leaks_into_the_live_version(client, sv, en, home_sv):
    """A live page with a newer unpublished draft is served as published: the draft's title,
    intro, slug, seo title and grant amounts never appear anywhere."""
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=topic_index, locale=sv, slug="demokrati")
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    for page in (topic_index, topic, news):
        translate(page, en)
    article = announcement(
        news,
        "Publicerad titel",
        "publicerad",
        500,
        RecipientFactory(),
        topic,
        datetime.date.today(),
    )
    english = translate(article, en)
    publish(
        StandardPageFactory(
            parent=home_sv,
            locale=sv,
            slug="lankar",
            body=[("call_to_action", {"text": "Läs", "page": article, "url": ""})],
        )
    )
    SiteSettingsFactory(locale=sv, menu=menu_links(article), footer_text="<p>Sidfot</p>")

    published_intro = article.intro
    article.title = "Utkastets titel"
    article.intro = "Utkastets ingress"
    article.slug = "utkastets-slug"
    article.seo_title = "Utkastets SEO"
    article.total_amount = 999_999
    grants = list(article.grants.all())
    grants[0].amount = 999_999
    article.grants = grants
    article.save_revision()
    stored = Page.objects.get(pk=article.pk)
    assert stored.has_unpublished_changes and stored.draft_title == "Utkastets titel"

    response = gql(
        client,
        ARTICLE_EVERYWHERE,
        {
            "id": str(article.pk),
            "en": str(english.pk),
            "path": "/sv/nyheter/publicerad/",
            "draftPath": "/sv/nyheter/utkastets-slug/",
        },
    )
    assert response.status_code == 200, response.content
    text = response.content.decode()
    for draft in ("Utkastets", "utkastets-slug", "999999"):
        assert draft not in text
    data = response.json()["data"]
    published = {
        "id": str(article.pk),
        "title": "Publicerad titel",
        "intro": published_intro,
        "url": "/sv/nyheter/publicerad/",
        "seoTitle": "",
        "totalAmount": 500,
        "grants": [{"amount": 500}],
    }
    assert data["byId"] == data["byPath"] == published
    assert data["draftPath"] is None
    assert data["newsArticles"]["items"] == [published]
    assert data["topics"][0]["articles"]["items"] == [
        {key: value for key, value in published.items() if key != "grants"}
    ]
    assert data["grants"] == {
        "totalAmount": 500,
        "items": [{"amount": 500, "announcement": {"title": "Publicerad titel"}}],
    }
    assert data["english"]["translations"] == [
        {"title": "Publicerad titel", "url": "/sv/nyheter/publicerad/"}
    ]
    assert data["site"]["menu"] == [
        {
            "title": "Publicerad titel",
            "url": "/sv/nyheter/publicerad/",
            "page": {"title": "Publicerad titel"},
        }
    ]
    assert data["links"]["body"] == [
        {
            "text": "Läs",
            "url": "/sv/nyheter/publicerad/",
            "page": {"title": "Publicerad titel", "url": "/sv/nyheter/publicerad/"},
        }
    ]


ALIAS_QUERY = """
query($original: ID!, $alias: ID!, $originalPath: String!, $aliasPath: String!) {
  original: page(id: $original) { id }
  alias: page(id: $alias) { id }
  originalByPath: page(path: $originalPath) { id }
  aliasByPath: page(path: $aliasPath) { id }
  newsArticles(limit: 100) { totalCount items { id } }
  topics { articles(limit: 100) { totalCount items { id } } }
  site { menu { url } }
}
"""


@pytest.mark.parametrize(
    "restricted, hidden",
    [
        (None, set()),
        ("original", {"original", "alias"}),
        ("alias", {"original", "alias"}),
        ("archive", {"alias"}),  # an alias placed in a private section
    ],
)
def test_aliases_of_private_pages_are_hidden(client, sv, home_sv, restricted, hidden):
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=topic_index, locale=sv, slug="demokrati")
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    archive = NewsIndexPageFactory(parent=home_sv, locale=sv, title="Arkiv", slug="arkiv")
    original = NewsArticlePageFactory(parent=news, locale=sv, title="Originalet", slug="original")
    ArticleTopic.objects.create(page=original, topic=topic, locale=sv)
    publish(original)
    alias = original.create_alias(parent=archive, update_slug="kopia")
    assert alias.live and alias.alias_of_id == original.pk
    SiteSettingsFactory(locale=sv, menu=menu_links(original, alias))
    pages = {"original": original, "alias": alias, "archive": archive}
    if restricted is not None:
        restrict(pages[restricted], PageViewRestriction.PASSWORD)

    data, text = call(
        client,
        ALIAS_QUERY,
        original=str(original.pk),
        alias=str(alias.pk),
        originalPath="/sv/nyheter/original/",
        aliasPath="/sv/arkiv/kopia/",
    )

    shown = [name for name in ("alias", "original") if name not in hidden]  # newest first
    ids = [str(pages[name].pk) for name in shown]
    for name in ("original", "alias"):
        expected = None if name in hidden else {"id": str(pages[name].pk)}
        assert data[name] == expected, name
        assert data[f"{name}ByPath"] == expected, name
    assert data["newsArticles"] == {"totalCount": len(ids), "items": [{"id": i} for i in ids]}
    assert data["topics"] == [
        {"articles": {"totalCount": len(ids), "items": [{"id": i} for i in ids]}}
    ]
    paths = {"original": "/sv/nyheter/original/", "alias": "/sv/arkiv/kopia/"}
    assert data["site"]["menu"] == [
        {"url": paths[name]} for name in ("original", "alias") if name not in hidden
    ]
    for name in hidden:
        assert json.dumps(paths[name]) not in text


TOPIC_QUERY = """
query($topic: ID!, $path: String!) {
  byId: page(id: $topic) { id }
  byPath: page(path: $path) { id }
  topics { id }
  article: newsArticles { items { id topics { id } } }
  grants { items { topic { id } } }
  links: page(path: "/sv/lankar/") {
    ... on StandardPage {
      body { ... on ParagraphBlock { html } ... on CallToActionBlock { page { id } } }
    }
  }
  site { menu { url } }
  search(query: "Dolt") { totalCount items { page { id } } }
  suggest(prefix: "Dolt") { title }
  articleSearch: search(query: "Beslut") { totalCount facets { topics { value label count } } }
}
"""


@pytest.mark.parametrize("how", ["draft", "unpublished", "expired", "login", "index_password"])
def test_hidden_topic_pages_never_appear(client, sv, en, home_sv, how):
    """A topic the public may not see disappears from articles' ``topics``, grants' ``topic``,
    ``topics``, links and menus; the articles themselves stay."""
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(
        parent=topic_index, locale=sv, title="Dolt ämne", slug="dolt", live=how != "draft"
    )
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    article = announcement(
        news, "Beslut", "beslut", 10, RecipientFactory(), topic, datetime.date(2024, 1, 1)
    )
    publish(
        StandardPageFactory(
            parent=home_sv,
            locale=sv,
            slug="lankar",
            body=[
                ("paragraph", f'<p><a linktype="page" id="{topic.pk}">ämnestext</a></p>'),
                ("call_to_action", {"text": "Ämnet", "page": topic, "url": ""}),
            ],
        )
    )
    SiteSettingsFactory(locale=sv, menu=menu_links(topic, article))
    if how != "draft":
        publish(topic)  # published like an editor does, so it is in the search index
        control, _ = call(client, TOPIC_QUERY, topic=str(topic.pk), path="/sv/amnen/dolt/")
        assert control["byId"] == {"id": str(topic.pk)}
        assert control["search"]["items"] == [{"page": {"id": str(topic.pk)}}]
        assert control["suggest"] == [{"title": "Dolt ämne"}]
        assert control["articleSearch"]["facets"]["topics"] == [
            {"value": "dolt", "label": "Dolt ämne", "count": 1}
        ]
    if how == "unpublished":
        topic.unpublish()
    elif how == "expired":
        Page.objects.filter(pk=topic.pk).update(
            expire_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        call_command("refresh_shown_versions", stdout=StringIO())
    elif how == "login":
        restrict(topic, PageViewRestriction.LOGIN)
    elif how == "index_password":
        restrict(topic_index, PageViewRestriction.PASSWORD)

    data, text = call(client, TOPIC_QUERY, topic=str(topic.pk), path="/sv/amnen/dolt/")

    assert data["byId"] is None
    assert data["byPath"] is None
    assert data["topics"] == []
    assert data["article"]["items"] == [{"id": str(article.pk), "topics": []}]
    assert data["grants"]["items"] == [{"topic": None}]
    assert data["links"]["body"] == [{"html": "<p>ämnestext</p>"}]
    assert data["site"]["menu"] == [{"url": "/sv/nyheter/beslut/"}]
    assert data["search"] == {"totalCount": 0, "items": []}
    assert data["suggest"] == []
    assert data["articleSearch"] == {"totalCount": 1, "facets": {"topics": []}}
    assert "Dolt ämne" not in text
    assert "/sv/amnen/dolt/" not in text


def test_unpublished_site_settings_are_never_shown(client, sv):
    """Site settings saved as a draft (never published) are not served; the site's name
    falls back to the configured one and the draft menu stays unseen."""
    SiteSettingsFactory(
        locale=sv,
        live=False,
        organisation_name="Utkast-ICLD",
        menu=[("link", {"page": None, "url": "https://utkast.example/", "title": "Utkast"})],
    )
    data, text = call(client, '{ site(locale: "sv") { name menu { title url } } }')
    assert data["site"] == {"name": "ICLD", "menu": []}
    assert "Utkast" not in text


TOPIC_ITEMS = """
fragment Item on Article {
  id title
  translations { locale title url }
  topics { id title }
  body { blockType }
  ... on GrantAnnouncementPage { grants { id amount } }
}
query {
  newsArticles(locale: "sv", limit: 100) { items { ...Item } }
  topics(locale: "sv") { articles(limit: 100) { items { ...Item } } }
}
"""


def test_topic_articles_items_carry_their_public_relations(client, sv, en, home_sv, settings):
    """An article listed under a topic has the same translations, topics, body and grants as
    the same article in ``newsArticles``: the live, public ones (and the private translation
    stays out)."""
    # 100 articles of every topic with their bodies is priced over the default size cap
    # (cms.api.pricing); this test is about what each item carries.
    settings.CMS_API = {**settings.CMS_API, "MAX_RESULT_SIZE": 10**7}
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=topic_index, locale=sv, title="Demokrati", slug="demokrati")
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    for page in (topic_index, topic, news):
        translate(page, en)
    public = announcement(
        news, "Offentligt", "offentligt", 5, RecipientFactory(), topic, datetime.date(2024, 2, 1)
    )
    public.body = [("heading", {"text": "Rubrik", "level": "h2"})]
    publish(public)
    public_en = translate(public, en)
    other = NewsArticlePageFactory(parent=news, locale=sv, date=datetime.date(2024, 1, 1))
    ArticleTopic.objects.create(page=other, topic=topic, locale=sv)
    publish(other)
    restrict(translate(other, en), PageViewRestriction.LOGIN)  # hides both versions

    data, _ = call(client, TOPIC_ITEMS)

    listed = data["newsArticles"]["items"]
    assert listed == [
        {
            "id": str(public.pk),
            "title": "Offentligt",
            "translations": [
                {"locale": "en", "title": public_en.title, "url": frontend_path(public_en)}
            ],
            "topics": [{"id": str(topic.pk), "title": "Demokrati"}],
            "body": [{"blockType": "heading"}],
            "grants": [{"id": str(public.grants.get().pk), "amount": 5}],
        }
    ]
    assert data["topics"][0]["articles"]["items"] == listed


def test_an_article_that_expires_is_not_served_from_the_response_cache(
    client, settings, sv, home_sv
):
    """With the response cache on (the production default), an article whose expire_at passes
    (no editor action, ``publish_scheduled`` not run yet) disappears from the API all the same:
    nothing invalidates the cached responses, so they must not outlive the expiry."""
    from unittest import mock

    from django.core.cache import cache

    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    now = timezone.now()
    article = NewsArticlePageFactory(parent=news, locale=sv, title="Snart utgången", slug="snart")
    article.expire_at = now + datetime.timedelta(minutes=1)
    publish(article)
    query = (
        f'{{ newsArticles {{ totalCount items {{ id }} }} page(id: "{article.pk}") {{ title }} }}'
    )

    settle()  # the publish above committed, as far as the cache can tell
    before = gql(client, query)
    again = gql(client, query)
    assert before.json()["data"]["page"] == {"title": "Snart utgången"}
    assert again["X-Cache"] == "HIT"  # the cache is on and holds the response

    later = now + datetime.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert not Page.objects.live().filter(pk=article.pk).filter(expire_at__gt=later).exists()
        after = gql(client, query)

    assert after.status_code == 200
    assert after.json()["data"] == {"newsArticles": {"totalCount": 0, "items": []}, "page": None}
    assert "Snart utgången" not in after.content.decode()
