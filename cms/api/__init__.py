"""The GraphQL content API's machinery: visibility, locales, batching, images, rich text,
request limits and preview tokens. The GraphQL types themselves live in each app's
``schema.py``; the shared ones in ``cms.api.types``."""
