"""``manage.py generate_bench_data --articles N``: a large bilingual dataset for benchmarks.

N article pages, half Swedish originals and half their English translations (same
translation key), with hero images and credits, two or three topics each, realistic body
lengths (6-14 blocks, about 600 words), and about one in six a grant announcement with
3-8 grants. Pages are written in bulk (treebeard paths computed here, one INSERT per table
per chunk) because creating 100,000 pages through revisions would take hours; the result
is the same rows Wagtail would have written for published pages without revision history.
"""

import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from cms import versions
from cms.models import CustomImage
from demo.seed import DemoSeeder, render_image
from news.models import (
    ArticleTopic,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    PartnerOrganisation,
    Recipient,
)
from topics.models import TopicPage

SV_WORDS = [
    "kommun",
    "kommunerna",
    "region",
    "demokrati",
    "lokal",
    "utveckling",
    "samarbete",
    "partnerskap",
    "jämställdhet",
    "delaktighet",
    "barn",
    "unga",
    "förtroende",
    "korruption",
    "öppenhet",
    "ansvar",
    "medborgare",
    "invånare",
    "beslut",
    "projekt",
    "utbildning",
    "forskning",
    "hållbar",
    "stad",
    "landsbygd",
    "politiker",
    "tjänstemän",
    "dialog",
    "stärka",
    "arbeta",
    "tillsammans",
    "internationell",
    "erfarenhet",
    "kunskap",
    "möte",
    "verksamhet",
    "förvaltning",
]
EN_WORDS = [
    "municipality",
    "municipalities",
    "region",
    "democracy",
    "local",
    "development",
    "cooperation",
    "partnership",
    "gender",
    "equality",
    "participation",
    "children",
    "youth",
    "trust",
    "corruption",
    "transparency",
    "accountability",
    "citizens",
    "residents",
    "decisions",
    "project",
    "training",
    "research",
    "sustainable",
    "city",
    "rural",
    "politicians",
    "officials",
    "dialogue",
    "strengthen",
    "work",
    "together",
    "international",
    "experience",
    "knowledge",
    "meeting",
]
COUNTRIES = ["ZM", "ZW", "CO", "UA", "KE", "TZ", "UG", "BW", "ZA", "NA", "VN", "ID", "GE", "MD"]


def sentence(rng, words, n):
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, words):
    return " ".join(sentence(rng, words, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def analyze():
    """Fresh planner statistics after a bulk load (PostgreSQL's autovacuum would get there
    later; benchmarks must not measure plans made for empty tables)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Generate N bilingual article pages (half Swedish, half English) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="Article pages to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable data).")
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, articles, seed, chunk_size, **options):
        if articles < 2 or articles > 1_000_000:
            raise CommandError("--articles must be between 2 and 1000000.")
        if chunk_size < 1:
            raise CommandError("--chunk-size must be positive.")
        rng = random.Random(seed)
        started = time.monotonic()
        self.stdout.write("Demo structure (topics, indexes)…")
        with transaction.atomic():
            DemoSeeder(log=lambda line: None).run()
        sv = Locale.objects.get(language_code="sv")
        en = Locale.objects.get(language_code="en")
        self.images = self.ensure_images(rng)
        self.recipients, self.partners = self.ensure_grant_records(rng)
        index_sv = NewsIndexPage.objects.get(locale=sv)
        index_en = index_sv.get_translation(en)
        topics_sv = list(TopicPage.objects.filter(locale=sv))
        self.topic_pairs = [(t, t.get_translation(en)) for t in topics_sv]
        pairs = articles // 2
        done = 0
        for start in range(0, pairs, chunk_size):
            count = min(chunk_size, pairs - start)
            with transaction.atomic():
                self.create_chunk(rng, count, index_sv, index_en, sv, en)
            done += count
            self.progress(done, pairs)
        analyze()
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {pairs * 2} article pages in {time.monotonic() - started:.1f} s. "
                "Run rebuild_search_index to index them."
            )
        )

    def progress(self, done, total, width=30):
        filled = width * done // total if total else width
        self.stdout.write(
            f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} pairs", ending=""
        )
        self.stdout.flush()

    def ensure_images(self, rng):
        images = list(CustomImage.objects.filter(title__startswith="Bench photo"))
        credits = ["ICLD", "Alice Hansson", "Duy Pham, Unsplash", "Oksana Huss", ""]
        for number in range(len(images), 24):
            colours = (
                tuple(rng.randint(0, 200) for _ in range(3)),
                tuple(rng.randint(100, 255) for _ in range(3)),
            )
            image = CustomImage(
                title=f"Bench photo {number}",
                credit=credits[number % len(credits)],
                description=f"Photo {number}",
                file=ImageFile(
                    render_image(f"Bench {number}", colours, size=(1200, 675)),
                    name=f"bench-{number}.jpg",
                ),
            )
            image.save()
            images.append(image)
        return images

    def ensure_grant_records(self, rng):
        recipients = list(Recipient.objects.all())
        for number in range(len(recipients), 60):
            recipients.append(
                Recipient.objects.create(
                    name=f"Benchkommun {number}", slug=f"benchkommun-{number}", kind="municipality"
                )
            )
        partners = list(PartnerOrganisation.objects.all())
        for number in range(len(partners), 120):
            partners.append(
                PartnerOrganisation.objects.create(
                    name=f"Partner council {number}",
                    city=f"City {number}",
                    country=COUNTRIES[number % len(COUNTRIES)],
                )
            )
        return recipients, partners

    def body(self, rng, words, image_ids):
        blocks = []
        for _ in range(rng.randint(6, 14)):
            kind = rng.choices(
                ["paragraph", "heading", "image", "quote", "fact_box"], [10, 2, 1, 1, 1]
            )[0]
            if kind == "paragraph":
                value = f"<p>{paragraph(rng, words)}</p>"
            elif kind == "heading":
                value = {"text": sentence(rng, words, 4).rstrip("."), "level": "h2"}
            elif kind == "image":
                value = {
                    "image": rng.choice(image_ids),
                    "alt_text": sentence(rng, words, 5),
                    "caption": sentence(rng, words, 8),
                }
            elif kind == "quote":
                value = {"quote": sentence(rng, words, 14), "attribution": "ICLD"}
            else:
                value = {
                    "title": sentence(rng, words, 3),
                    "body": f"<p>{sentence(rng, words, 20)}</p>",
                }
            blocks.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
        return blocks

    def create_chunk(self, rng, count, index_sv, index_en, sv, en):
        article_type = ContentType.objects.get_for_model(NewsArticlePage)
        grant_type = ContentType.objects.get_for_model(GrantAnnouncementPage)
        now = timezone.now()
        image_ids = [image.pk for image in self.images]
        parents = {sv.pk: Page.objects.get(pk=index_sv.pk), en.pk: Page.objects.get(pk=index_en.pk)}
        rows = []  # (page, specific fields, is_grant, topics, grants)
        for _ in range(count):
            key = uuid.uuid4()
            is_grant = rng.random() < 1 / 6
            date = (now - timezone.timedelta(days=rng.randint(0, 3650))).date()
            hero = rng.choice(image_ids)
            topics = rng.sample(self.topic_pairs, rng.randint(2, 3))
            grants = (
                [
                    (
                        rng.choice(self.recipients),
                        rng.sample(self.partners, rng.randint(1, 2)),
                        rng.choice([None, rng.randint(2, 40) * 100_000]),
                        date.year,
                    )
                    for _ in range(rng.randint(3, 8))
                ]
                if is_grant
                else []
            )
            for locale, words in ((sv, SV_WORDS), (en, EN_WORDS)):
                parent = parents[locale.pk]
                title = sentence(rng, words, rng.randint(5, 11)).rstrip(".")
                slug = f"a-{key.hex[:12]}"
                parent.numchild += 1
                page = Page(
                    path=Page._get_path(parent.path, parent.depth + 1, parent.numchild),
                    depth=parent.depth + 1,
                    numchild=0,
                    translation_key=key,
                    locale=locale,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    url_path=f"{parent.url_path}{slug}/",
                    content_type=grant_type if is_grant else article_type,
                    show_in_menus=False,
                    seo_title="",
                    search_description="",
                )
                rows.append((page, locale, words, date, hero, is_grant, topics, grants))
        Page.objects.bulk_create([row[0] for row in rows])
        for parent in parents.values():
            Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
        articles, announcements, links, grant_rows, _partner_links = [], [], [], [], []
        for page, locale, words, date, hero, is_grant, topics, grants in rows:
            article = NewsArticlePage(
                page_ptr_id=page.pk,
                hero_image_id=hero,
                hero_alt_text=sentence(rng, words, 5),
                hero_caption=sentence(rng, words, 10),
                intro=" ".join(sentence(rng, words, rng.randint(12, 22)) for _ in range(2)),
                date=date,
                kind="grant_announcement"
                if is_grant
                else rng.choice(["news", "news", "research", "event"]),
                programme=rng.choice(
                    ["municipal_partnership", "international_training", "research", ""]
                ),
                body=self.body(rng, words, image_ids),
            )
            articles.append(article)
            if is_grant:
                announcements.append(
                    GrantAnnouncementPage(
                        newsarticlepage_ptr_id=page.pk,
                        page_ptr_id=page.pk,
                        total_amount=sum(g[2] or 0 for g in grants) or None,
                    )
                )
            for order, (sv_topic, en_topic) in enumerate(topics):
                links.append(
                    ArticleTopic(
                        page_id=page.pk,
                        topic_id=(sv_topic if locale.language_code == "sv" else en_topic).pk,
                        locale=locale,
                        translation_key=uuid.uuid5(page.translation_key, f"t{order}"),
                        sort_order=order,
                    )
                )
            for order, (recipient, partners, amount, year) in enumerate(grants):
                grant = Grant(
                    page_id=page.pk,
                    recipient=recipient,
                    project_title=sentence(rng, words, 4).rstrip("."),
                    programme="municipal_partnership",
                    amount=amount,
                    year=year,
                    locale=locale,
                    translation_key=uuid.uuid5(page.translation_key, f"g{order}"),
                    sort_order=order,
                )
                grant_rows.append((grant, partners))
        NewsArticlePage._base_manager._insert(
            articles, fields=NewsArticlePage._meta.local_concrete_fields
        )
        if announcements:
            GrantAnnouncementPage._base_manager._insert(
                announcements, fields=GrantAnnouncementPage._meta.local_concrete_fields
            )
        ArticleTopic.objects.bulk_create(links)
        created = Grant.objects.bulk_create([grant for grant, _ in grant_rows])
        through = Grant.partners.through
        through.objects.bulk_create(
            [
                through(grant_id=grant.pk, partnerorganisation_id=partner.pk)
                for grant, (_, partners) in zip(created, grant_rows, strict=True)
                for partner in partners
            ]
        )
        # Bulk inserts send no signals: record which version each language's lists show.
        versions.refresh({row[0].translation_key for row in rows})
