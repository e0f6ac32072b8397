"""The ``text`` package as a whole: its public names and its independence from Django."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import text

EXPECTED_NAMES = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "URL_SCHEMES",
    "Excerpt",
    "MergeResult",
    "assign_keys",
    "changed_paragraphs",
    "diff_inline",
    "diff_rendered",
    "diff_side_by_side",
    "excerpt",
    "fold",
    "fold_spaces",
    "index_words",
    "is_heading_html",
    "join_blocks",
    "merge_blocks",
    "new_key",
    "number_paragraphs",
    "outline_levels",
    "plain_text",
    "query_terms",
    "render_markdown",
    "render_paragraphs",
    "sanitize_html",
    "shift_html",
    "shift_markdown",
    "split_blocks",
    "words",
]
MODULES = [
    "text.sanitise",
    "text.render",
    "text.blocks",
    "text.diff",
    "text.merge",
    "text.rendered_diff",
    "text.outline",
    "text.plain",
    "text.search",
]
PACKAGE_DIR = Path(text.__file__).resolve().parent


def test_package_has_one_module_per_concern():
    found = sorted(f"text.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE_DIR)]))
    assert found == sorted(MODULES)


def test_package_re_exports_every_public_name_of_its_modules():
    assert text.__all__ == EXPECTED_NAMES
    from_modules: dict[str, object] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for public in module.__all__:
            assert public not in from_modules, f"{public} exported by two modules"
            from_modules[public] = getattr(module, public)
    assert sorted(from_modules) == sorted(EXPECTED_NAMES)
    for public, obj in from_modules.items():
        assert getattr(text, public) is obj


def test_star_import_gives_the_public_names():
    namespace: dict[str, object] = {}
    exec("from text import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(EXPECTED_NAMES)


def test_no_module_of_the_package_imports_django():
    """Importing every module in a fresh interpreter must not load Django, even indirectly."""
    code = (
        "import sys\n"
        f"import text, {', '.join(MODULES)}\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
        "print(text.__file__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE_DIR.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == PACKAGE_DIR / "__init__.py"


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_source_file_mentions_a_django_import(path):
    """Also catches imports inside functions, which the import check above cannot see."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] != "django", f"{path.name}:{node.lineno} imports {name}"
