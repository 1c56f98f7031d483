"""Builds the demo site through the same paths editors and translators use.

Swedish pages are created and published like an editor would; English versions are made by
wagtail-localize from a translation whose strings are imported as a PO file, exactly as a
translator's upload. Every step looks for what already exists first, so running it again
changes nothing.

Everything is done as ``user`` when one is given (``seed_demo --admin``): the revisions,
publications, translations and image uploads name the demo admin, so the admin's history and
reports (e.g. "Sidor efter ålder", last published by) name a person rather than nobody.
"""

import io
import uuid

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.blocks import StreamValue
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue

from cms.models import CustomImage, HomePage, SiteSettings, StandardPage
from news.models import (
    ArticleKind,
    ArticleTopic,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    PartnerOrganisation,
    Recipient,
)
from topics.models import TopicIndexPage, TopicPage

from . import content

NAMESPACE = uuid.UUID("1c7d6a4e-3f5b-4a57-9a43-6f2f6f1d2a10")


def stable_uuid(*parts):
    """Deterministic ids, so the Swedish and English builds of a page line up segment by segment."""
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def pick(value, lang):
    """Resolve ``{"sv": ..., "en": ...}`` pairs anywhere in a value to one language."""
    if isinstance(value, dict) and value and set(value) <= {"sv", "en"}:
        return value[lang]
    if isinstance(value, dict):
        return {key: pick(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [pick(item, lang) for item in value]
    return value


def render_image(title, colours, size=(1600, 900)):
    """A gradient with the title on it: real pixels for renditions, no downloads."""
    width, height = size
    (r1, g1, b1), (r2, g2, b2) = colours
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        f = x / (width - 1)
        colour = (round(r1 + (r2 - r1) * f), round(g1 + (g2 - g1) * f), round(b1 + (b2 - b1) * f))
        draw.line([(x, 0), (x, height)], fill=colour)
    draw.text((60, height - 120), title, fill=(255, 255, 255), font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer


class DemoSeeder:
    """Creates what is missing of the demo site; reports each step through ``log``."""

    def __init__(self, log, user=None):
        self.log = log
        self.user = user
        self.sv = Locale.objects.get(language_code="sv")
        self.en = Locale.objects.get(language_code="en")
        self.created = 0

    # --- building blocks -------------------------------------------------------------------

    def stream(self, key, blocks, lang, links):
        """Raw StreamField data with stable block ids; ``{topic_index}`` etc. become page ids."""
        data = []
        for index, (block_type, value) in enumerate(blocks):
            value = pick(value, lang)
            if isinstance(value, str):
                value = value.format(**links)
            if block_type == "commitment":
                value = {
                    **value,
                    "to_report": [
                        {"type": "item", "value": item, "id": str(stable_uuid(key, index, j))}
                        for j, item in enumerate(value["to_report"])
                    ],
                }
            data.append({"type": block_type, "value": value, "id": str(stable_uuid(key, index))})
        return data

    def publish(self, page):
        page.save_revision(user=self.user).publish(user=self.user)
        self.created += 1
        return page

    def find_child(self, parent, model, slug):
        return model.objects.child_of(parent).filter(slug=slug).first()

    def ensure_child(self, parent, model, slug, build):
        page = self.find_child(parent, model, slug)
        if page is None:
            page = parent.add_child(instance=build())
            self.publish(page)
        return page

    def translate(self, page, english):
        """Translate ``page`` with wagtail-localize, using ``english`` (an unsaved instance built
        with the same structure) as the translator's strings. Returns the English page."""
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation = Translation.objects.filter(source=source, target_locale=self.en).first()
        if translation is not None and page.has_translation(self.en):
            return page.get_translation(self.en)

        strings = {}
        source_segments = [s for s in extract_segments(page) if isinstance(s, StringSegmentValue)]
        target_segments = [
            s for s in extract_segments(english) if isinstance(s, StringSegmentValue)
        ]
        if len(source_segments) != len(target_segments):
            raise ValueError(f"{page}: the English build does not match the Swedish structure")
        for src, tgt in zip(source_segments, target_segments, strict=True):
            if src.path != tgt.path:
                raise ValueError(f"{page}: segment {src.path} has no English counterpart")
            strings[(src.path, src.string.data)] = tgt.string.data

        if translation is None:
            translation = Translation.objects.create(source=source, target_locale=self.en)
        po = translation.export_po()
        for entry in po:
            entry.msgstr = strings[(entry.msgctxt, entry.msgid)]
        translation.import_po(po, user=self.user)
        # Save a draft and publish it ourselves: wagtail-localize's publish=True defers the
        # publish to transaction commit, from the instance it saved, which inside a larger
        # transaction publishes stale tree counts (numchild) over the pages added since.
        translation.save_target(user=self.user, publish=False)
        target = page.get_translation(self.en)
        target.get_latest_revision().publish(user=self.user)
        self.created += 1
        return type(target).objects.get(pk=target.pk)

    # --- content ---------------------------------------------------------------------------

    def images(self):
        images = {}
        for key, spec in content.IMAGES.items():
            image = CustomImage.objects.filter(title=spec["title"]).first()
            if image is None:
                image = CustomImage(
                    title=spec["title"],
                    credit=spec["credit"],
                    description=spec["alt"],
                    uploaded_by_user=self.user,
                    file=ImageFile(
                        render_image(spec["title"], spec["colours"]), name=f"demo-{key}.jpg"
                    ),
                )
                image.save()
                self.created += 1
            images[key] = image
        return images

    def grant_records(self):
        recipients = {}
        for name, kind, slug in content.RECIPIENTS:
            recipients[slug], _ = Recipient.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        partners = {}
        for key, (name, city, country) in content.PARTNERS.items():
            partners[key], _ = PartnerOrganisation.objects.get_or_create(
                name=name, city=city, country=country
            )
        return recipients, partners

    def home(self):
        home = HomePage.objects.get(locale=self.sv, depth=2)

        def build(lang, page):
            page.title = content.HOME["title"][lang]
            page.intro = content.HOME["intro"][lang]
            return page

        if home.intro != content.HOME["intro"]["sv"]:
            self.publish(build("sv", home))
        self.translate(home, build("en", HomePage(slug="home")))
        return home

    def simple_page(self, parent, model, spec):
        def build(lang):
            return model(
                title=spec["title"][lang], slug=spec["slug"][lang], intro=spec["intro"][lang]
            )

        page = self.ensure_child(parent, model, spec["slug"]["sv"], lambda: build("sv"))
        self.translate(page, build("en"))
        return page

    def topics(self, index):
        return {
            key: self.simple_page(index, TopicPage, spec) for key, spec in content.TOPICS.items()
        }

    def article(self, index_sv, index_en, spec, topics, images, recipients, partners):
        key = spec["key"]
        model = GrantAnnouncementPage if spec["type"] == "grant_announcement" else NewsArticlePage
        langs = [spec["only"]] if "only" in spec else ["sv", "en"]

        def build(lang):
            page = model(
                title=spec["title"][lang],
                slug=spec["slug"][lang],
                intro=spec["intro"][lang],
                date=spec["date"],
                programme=spec["programme"],
                kind=spec.get("kind", ArticleKind.GRANT_ANNOUNCEMENT),
                hero_image=images[spec["image"]],
                hero_caption=spec["caption"][lang],
                hero_alt_text=spec["alt"][lang],
                body=self.stream(key, spec["body"], lang, {}),
            )
            topic_pages = {
                k: p.get_translation(self.en) if lang == "en" and len(langs) == 1 else p
                for k, p in topics.items()
            }
            page.article_topics = [
                ArticleTopic(translation_key=stable_uuid(key, "topic", t), topic=topic_pages[t])
                for t in spec["topics"]
            ]
            if model is GrantAnnouncementPage:
                page.total_amount = spec["total_amount"]
                grants = []
                for i, row in enumerate(spec["grants"]):
                    grant = Grant(
                        translation_key=stable_uuid(key, "grant", i),
                        recipient=recipients[row["recipient"]],
                        project_title=pick(row.get("project_title", ""), lang),
                        programme=spec["programme"],
                        topic=topics[row["topic"]] if row.get("topic") else None,
                        year=row["year"],
                        amount=row.get("amount"),
                    )
                    grant.partners = [partners[p] for p in row.get("partners", [])]
                    grants.append(grant)
                page.grants = grants
            return page

        if langs == ["en"]:
            return self.ensure_child(index_en, model, spec["slug"]["en"], lambda: build("en"))
        page = self.ensure_child(index_sv, model, spec["slug"]["sv"], lambda: build("sv"))
        self.translate(page, build("en"))
        return page

    def about(self, home, links):
        spec = content.ABOUT

        def build(lang):
            return StandardPage(
                title=spec["title"][lang],
                slug=spec["slug"][lang],
                intro=spec["intro"][lang],
                body=self.stream("about", spec["body"], lang, links),
            )

        page = self.ensure_child(home, StandardPage, spec["slug"]["sv"], lambda: build("sv"))
        self.translate(page, build("en"))
        return page

    def site_settings(self, menu_pages):
        spec = content.SITE_SETTINGS
        key = stable_uuid("site-settings")

        def build(lang):
            return SiteSettings(
                translation_key=key,
                locale=self.sv if lang == "sv" else self.en,
                organisation_name=spec["organisation_name"][lang],
                footer_text=spec["footer_text"][lang],
                address=spec["address"][lang],
                menu=StreamValue(
                    SiteSettings.menu.field.stream_block,
                    [
                        {
                            "type": "link",
                            "value": {"page": page.pk, "url": "", "title": ""},
                            "id": str(stable_uuid("menu", i)),
                        }
                        for i, page in enumerate(menu_pages)
                    ],
                    is_lazy=True,
                ),
            )

        settings = SiteSettings.objects.filter(locale=self.sv).first()
        if settings is None:
            settings = build("sv")
            settings.live = True
            settings.save()
            settings.save_revision(user=self.user).publish(user=self.user)
            self.created += 1
        self.translate(settings, build("en"))
        return settings

    def run(self):
        steps = [
            ("images", self.images),
            ("grant recipients and partners", self.grant_records),
            ("home pages", self.home),
        ]
        results = {}
        total = 9
        for number, (label, step) in enumerate(steps, start=1):
            self.log(f"[{number}/{total}] {label}")
            results[label] = step()
        images = results["images"]
        recipients, partners = results["grant recipients and partners"]
        home = results["home pages"]
        home_en = home.get_translation(self.en)

        self.log(f"[4/{total}] topic index")
        topic_index = self.simple_page(home, TopicIndexPage, content.TOPIC_INDEX)
        self.log(f"[5/{total}] topics")
        topics = self.topics(topic_index)
        self.log(f"[6/{total}] news index")
        news_index = self.simple_page(home, NewsIndexPage, content.NEWS_INDEX)
        news_index_en = news_index.get_translation(self.en)
        self.log(f"[7/{total}] articles")
        for number, spec in enumerate(content.ARTICLES, start=1):
            self.log(f"      {number}/{len(content.ARTICLES)} {spec['key']}")
            self.article(news_index, news_index_en, spec, topics, images, recipients, partners)
        self.log(f"[8/{total}] about page")
        about = self.about(home, {"topic_index": topic_index.pk})
        self.log(f"[9/{total}] site settings")
        self.site_settings([news_index, topic_index, about])
        assert home_en is not None
        return self.created
