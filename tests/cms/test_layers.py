"""The layering that import-linter checks (``make lint``, contracts in ``pyproject.toml``)
holds for names in strings too: the API machinery and the core content rules name no leaf
app, not even as ``"news.Recipient"`` in a signal's ``sender`` or a lazy model reference,
which import-linter cannot see."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEAF_APPS = ("news", "topics", "search", "webhooks", "demo")
LOWER_LAYERS = [
    *sorted((ROOT / "cms" / "api").glob("*.py")),
    *(
        ROOT / "cms" / f"{name}.py"
        for name in (
            "models",
            "blocks",
            "page_types",
            "versions",
            "visibility",
            "preview",
            "locales",
            "signals",
            "collation",
            "logins",
        )
    ),
]


def leaf_app_names(path):
    """(line, text) of every string constant that names a leaf app's module or model."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            head = node.value.split(".", 1)
            if len(head) == 2 and head[0] in LEAF_APPS and head[1][:1].isalpha():
                found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", LOWER_LAYERS, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_api_machinery_and_the_core_name_no_leaf_app_in_strings(path):
    assert path.exists()
    assert leaf_app_names(path) == []


def test_the_string_check_sees_a_leaf_app_named_by_string(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '@receiver(post_save, sender="news.Recipient")\ndef f(): ...\nX = "topics: 5"\n'
    )
    assert leaf_app_names(sample) == [(1, "news.Recipient")]
