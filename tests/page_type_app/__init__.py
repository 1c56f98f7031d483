"""A page type only the tests know: it registers itself from its own app, and nothing else
in the project mentions it (``tests/cms/test_page_type_registry.py``)."""
