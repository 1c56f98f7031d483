"""Per-request state of the API: the requested language, the private sections, page URLs,
and batch loaders that keep the number of SQL queries independent of list sizes.

A list resolver hands out its pages as nodes of one ``PageBatch`` (``cms.api.nodes``); the
first time any of those pages needs its translations, topics, grants or body references, the
batch loads them for every page in the list with one query (the loaders here). Resolvers
therefore stay thin: they ask the batch.
"""

import contextvars
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import F
from wagtail.models import Page, Site

from cms.locales import cached_locales, preferred_version
from cms.translation_status import outdated_in_group, sync_states
from cms.visibility import restricted_roots, visible_pages

from . import tags as cache_tags

_current = contextvars.ContextVar("cms_api_context", default=None)


class ApiContext:
    """Everything a request shares; created lazily on the Django request.

    ``tags`` collects what the response is made of (see ``cms.api.cache``): every page,
    image and snippet handed out, and every list consulted.
    """

    def __init__(self, request):
        self.request = request
        self.images = []  # every image object handed out in this request
        self.tags = set()
        self.cacheable = True  # False once a preview token was used
        # The languages served (Content-Language): those asked for, and those of the pages
        # handed out (a fallback list in English holds Swedish pages).
        self.language_codes = set()
        self.page_locale_ids = set()
        # The earliest expiry among the pages handed out: no cache may keep the response
        # past it (scheduled expiry sends no signal until publish_scheduled runs).
        self.expires_at = None

    def tag(self, *tags):
        self.tags.update(tags)

    def tag_pages(self, pages):
        for page in pages:
            if page is None:
                continue
            self.tags.add(cache_tags.page(page.pk))
            self.page_locale_ids.add(page.__dict__.get("locale_id"))
            expire_at = page.__dict__.get("expire_at")  # never a query for deferred fields
            if expire_at is not None and (self.expires_at is None or expire_at < self.expires_at):
                self.expires_at = expire_at

    @classmethod
    def of(cls, info_or_request):
        request = getattr(info_or_request, "context", info_or_request)
        context = getattr(request, "_cms_api", None)
        if context is None:
            context = request._cms_api = cls(request)
        return context

    @staticmethod
    def current():
        """The context of the request being executed (``execution_scope``), else None."""
        return _current.get()

    @cached_property
    def roots(self):
        return restricted_roots()

    @cached_property
    def locale_codes(self):
        """Locale id -> language code (cached per process; see ``cached_locales``)."""
        return cached_locales()

    @cached_property
    def locale_ids(self):
        return {code: pk for pk, code in self.locale_codes.items()}

    def available_codes(self):
        configured = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]
        return [code for code in configured if code in self.locale_ids]

    def content_languages(self):
        """The languages of the answer: those asked for, then those of fallback pages, each
        in the site's order of languages."""
        order = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]
        served = {self.locale_codes[pk] for pk in self.page_locale_ids if pk in self.locale_codes}
        return sorted(
            self.language_codes | served,
            key=lambda code: (
                code not in self.language_codes,
                order.index(code) if code in order else len(order),
                code,
            ),
        )

    def locale_code(self, page):
        return self.locale_codes[page.locale_id]

    @cached_property
    def site_root_paths(self):
        # Cached by Wagtail in Django's cache; one query at most.
        return Site.get_site_root_paths()

    def url(self, page):
        """The path a frontend routes for this page, with its language prefix."""
        code = self.locale_code(page)
        for root in self.site_root_paths:
            if root.language_code == code and page.url_path.startswith(root.root_path):
                return f"/{code}/{page.url_path[len(root.root_path) :]}"
        for root in self.site_root_paths:  # a tree without a translated root
            if page.url_path.startswith(root.root_path):
                return f"/{code}/{page.url_path[len(root.root_path) :]}"
        return None

    def visible(self, queryset):
        return visible_pages(queryset, self.roots)

    def track(self, image):
        if image is not None:
            self.images.append(image)
            self.tags.add(cache_tags.image(image.pk))
        return image


class execution_scope:
    """Around one GraphQL execution: ``ApiContext.current()`` is this request's context,
    never the context of an earlier request served by the same thread (whose tags would then
    miss what this response is made of). The only place that sets it: ``ApiContext.of``
    has no side effect."""

    def __init__(self, request):
        self.request = request

    def __enter__(self):
        self._token = _current.set(ApiContext.of(self.request))

    def __exit__(self, *exc):
        _current.reset(self._token)


#: What a link to a page needs: its title, its URL, its language and group, and its expiry
#: (which bounds how long an answer naming it may be cached).
LINK_FIELDS = (
    "pk",
    "title",
    "url_path",
    "locale_id",
    "translation_key",
    "path",
    "slug",
    "expire_at",
)


def load_translations(nodes, context):
    """translation_key -> visible pages of that group (with their locale)."""
    keys = {node.page.translation_key for node in nodes}
    result = defaultdict(list)
    queryset = context.visible(Page.objects.filter(translation_key__in=keys)).only(
        *LINK_FIELDS, "last_published_at"
    )
    for page in queryset.order_by("locale_id"):
        result[page.translation_key].append(page)
    return result


def load_sync_states(nodes, context):
    """(translation key, locale id) -> ``SyncState`` for the batch's groups (one query)."""
    return sync_states({node.page.translation_key for node in nodes})


@dataclass(frozen=True)
class Translated:
    """Another language version of a page among the visible versions of its group; whether
    it keeps up with its source is loaded (for the whole batch) only when asked."""

    page: Page
    group: list
    batch: object  # the ``PageBatch`` of the page it is a version of

    def is_outdated(self, context):
        states = self.batch.load("sync_states", load_sync_states, context)
        return outdated_in_group(self.page, self.group, states)


def _visible_group(node, context):
    group = node.batch.load("translations", load_translations, context).get(
        node.page.translation_key, []
    )
    # Any publish in the group (a new translation, a republished source) purges the answer.
    context.tag(cache_tags.translation_group(node.page.translation_key))
    return group


def translations_of(node, context):
    """The live, public versions of a page (a ``PageNode``) in other languages."""
    group = _visible_group(node, context)
    translations = [p for p in group if p.pk != node.page.pk]
    context.tag_pages(translations)
    return [Translated(p, group, node.batch) for p in translations]


def alternates_of(node, context):
    """Every visible version of the page, itself included (a previewed draft is not public:
    it has only the others), in the site's order of languages."""
    group = _visible_group(node, context)
    context.tag_pages(group)
    order = {code: index for index, (code, _) in enumerate(settings.WAGTAIL_CONTENT_LANGUAGES)}
    ordered = sorted(group, key=lambda p: order.get(context.locale_codes.get(p.locale_id), 99))
    return [Translated(p, group, node.batch) for p in ordered]


def is_outdated(node, context):
    """Whether this version of the page may lag behind its source (``cms.translation_status``)."""
    group = _visible_group(node, context)
    # The group's copy has last_published_at loaded; a previewed page is not in the group.
    own = next((p for p in group if p.pk == node.page.pk), node.page)
    return Translated(own, group, node.batch).is_outdated(context)


def localize_pages(page_ids, locale_code, context):
    """page id -> the visible version of that page in ``locale_code`` if there is one,
    else the page itself if visible, else nothing. Two queries, whatever the number."""
    page_ids = {pk for pk in page_ids if pk}
    if not page_ids:
        return {}
    keys = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "translation_key"))
    candidates = context.visible(Page.objects.filter(translation_key__in=set(keys.values())))
    by_key = defaultdict(dict)
    for candidate in candidates.only(*LINK_FIELDS, "content_type_id"):
        by_key[candidate.translation_key][candidate.pk] = candidate
    wanted = context.locale_ids.get(locale_code)
    result = {}
    for pk, key in keys.items():
        versions = by_key.get(key, {})
        named = versions.get(pk)  # the linked page itself, if readers may see it
        chosen = preferred_version(
            versions.values(), wanted, named and named.locale_id, any_version=False
        )
        if chosen is not None:
            result[pk] = chosen
    context.tag_pages(result.values())
    if len(result) < len(page_ids):
        # A link to a page that is not visible now must update when it is published; tagged
        # coarsely (every page change), as the hidden page's id must not reach the headers.
        context.tag(cache_tags.PAGES)
    return result


def selects(info, name):
    """Whether the query asks for a field called ``name`` anywhere below the field being
    resolved (through fragments too): lists leave large columns unread when nobody asked."""
    from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

    pending = [node.selection_set for node in info.field_nodes if node.selection_set]
    seen = set()
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value == name:
                    return True
                if selection.selection_set:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in seen:
                    seen.add(fragment.name.value)
                    pending.append(fragment.selection_set)
    return False


def without_streamfields(queryset, defer):
    return queryset.defer_streamfields() if defer else queryset


def _own_columns(subclass):
    """[(field, alias, path)] of the columns a multi-table subclass adds to its parent:
    the annotation alias a parent row carries it under, and the path that reads it."""
    link = subclass._meta.pk.related_query_name()
    return [
        (field, f"_sub_{link}_{field.attname}", f"{link}__{field.attname}")
        for field in subclass._meta.local_concrete_fields
        if not field.primary_key
    ]


def with_subclass_columns(queryset, *subclasses):
    """Also read the columns that these multi-table subclasses of the queryset's model add
    (a left join each), so that ``as_subclass`` builds their instances without a query of
    their own."""
    return queryset.annotate(
        **{alias: F(path) for subclass in subclasses for _, alias, path in _own_columns(subclass)}
    )


def as_subclass(instance, subclass):
    """The ``subclass`` instance of a row read with ``with_subclass_columns``, built as
    Django builds a loaded instance (``from_db``): columns the query left unread stay
    deferred, the row's selected relations (a hero image) come along."""
    columns = {**instance.__dict__, subclass._meta.pk.attname: instance.pk}
    for field, alias, _ in _own_columns(subclass):
        columns[field.attname] = instance.__dict__[alias]
    names, values = [], []
    for field in subclass._meta.concrete_fields:
        if field.attname in columns:
            names.append(field.attname)
            values.append(columns[field.attname])
    built = subclass.from_db(instance._state.db, names, values)
    built._state.fields_cache.update(instance._state.fields_cache)
    return built


def load_specific(page_ids, defer_streamfields=False, visible=None):
    """Specific page instances for these ids, in the given order, with their hero images:
    one query for the types, then one per page type present, where subclasses of another
    type present come with that type's query (``with_subclass_columns``). ``visible``
    (such as ``ApiContext.visible``) narrows the first query: pages it leaves out are not
    loaded."""
    from django.contrib.contenttypes.models import ContentType

    page_ids = list(page_ids)
    pages = Page.objects.filter(pk__in=page_ids)
    if visible is not None:
        pages = visible(pages)
    types = dict(pages.values_list("pk", "content_type_id"))
    by_model = defaultdict(list)
    for pk, type_id in types.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            by_model[model].append(pk)
    # A subclass rides along with the nearest of its parents that is loaded anyway.
    riders = defaultdict(list)
    for model in list(by_model):
        parent = next((p for p in model._meta.get_parent_list() if p in by_model), None)
        if parent is not None:
            riders[parent].append(model)
    riding = {subclass for group in riders.values() for subclass in group}
    found = {}
    for model, ids in by_model.items():
        if model in riding:
            continue
        subclasses = riders.get(model, [])
        kind = {pk: subclass for subclass in subclasses for pk in by_model[subclass]}
        queryset = without_streamfields(
            model.objects.filter(pk__in=[*ids, *kind]), defer_streamfields
        )
        if any(field.name == "hero_image" for field in model._meta.get_fields()):
            queryset = queryset.select_related("hero_image")
        if subclasses:
            queryset = with_subclass_columns(queryset, *subclasses)
        for page in queryset:
            found[page.pk] = as_subclass(page, kind[page.pk]) if page.pk in kind else page
    return [found[pk] for pk in page_ids if pk in found]
