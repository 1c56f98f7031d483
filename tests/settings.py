"""The suite's settings: the project's test settings, plus a page type that only the tests
know (``tests/page_type_app``), to prove that a page type registers from its own app. The
schema checked into ``schema.graphql`` is made from ``cms.settings.test``, without it."""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.page_type_app"]
