"""The GraphQL content API's machinery: the HTTP view, pricing and limits, execution, the
response cache and its tag vocabulary, invalidation, per-request batching, images, rich
text and the shared GraphQL types. The content rules it applies (visibility, language
fallback, shown versions, preview tokens, page types) live in the core (``cms.visibility``,
``cms.locales``, ``cms.versions``, ``cms.preview``, ``cms.page_types``); each app's GraphQL
types live in its ``schema.py``."""
