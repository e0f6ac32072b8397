"""The page's scripts find their elements by data-js hooks (and data- attributes), never by id:
user text may hold headings named like any id of the page (DOM clobbering). Pure file checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comments import services
from recommendations import services as rec_services
from tests.factories import make_recommendation

ROOT = Path(__file__).resolve().parents[2]
# Our scripts: the hand-written modules and the editor's source (its committed bundle is
# mostly CodeMirror and Yjs, whose code works inside the editor's own shadow root).
SCRIPTS = sorted(
    [
        *(p for p in (ROOT / "static" / "js").glob("*.js") if not p.name.endswith(".bundle.js")),
        *(ROOT / "frontend" / "src").glob("*.js"),
    ]
)
TEMPLATES = sorted(
    path
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    for path in folder.rglob("*.html")
)
# Markup written in Python rather than in a template (the comments of a page, for speed).
TEMPLATES += [ROOT / "comments" / "rendering.py"]

# JavaScript string literals: "...", '...' (one line) and `...` (template literals).
_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`', re.S)
# A CSS id selector inside a literal: "#comments", "div#x", `#comment-${id}`, "#a, #b".
_ID_SELECTOR = re.compile(r"#(?:[A-Za-z_\\-]|\$\{)")
_HOOK_IN_SCRIPT = re.compile(r"""hook\(\s*["']([\w-]+)["']\s*\)|data-js=\\?["']([\w-]+)""")
_HOOK_IN_TEMPLATE = re.compile(r'data-js="([\w-]+)"')


def _code(path: Path) -> str:
    """The script without its comments (a "//" right after code, as in "${scheme}//", stays)."""
    source = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    return re.sub(r"(^|\s)//.*$", r"\1", source, flags=re.M)


def id_selectors(code: str) -> list[str]:
    return [s for s in _LITERAL.findall(code) if _ID_SELECTOR.search(s)]


def test_the_checks_see_the_scripts_and_recognise_id_lookups():
    assert {p.name for p in SCRIPTS} >= {"comments.js", "live.js", "endorsements.js", "editor.js"}
    found = id_selectors(
        'a.querySelector("#text .para"); b.closest(`#comment-${id}`); c.querySelectorAll('
        "'div#x, .y'); d.matches(\"[data-js=x]\"); e.href = `${scheme}//${host}`;"
    )
    assert found == ['"#text .para"', "`#comment-${id}`", "'div#x, .y'"]


def test_no_script_looks_an_element_up_by_id():
    offenders = []
    for path in SCRIPTS:
        code = _code(path)
        offenders += [f"{path.name}: getElementById" for _ in re.findall(r"getElementById", code)]
        offenders += [f"{path.name}: {literal}" for literal in id_selectors(code)]
    assert offenders == []


def test_every_hook_a_script_uses_is_in_a_template():
    in_templates = {
        name for path in TEMPLATES for name in _HOOK_IN_TEMPLATE.findall(path.read_text())
    }
    for path in SCRIPTS:
        used = {a or b for a, b in _HOOK_IN_SCRIPT.findall(_code(path))}
        assert used - in_templates == set(), path.name
        assert used or path.name in ("http.js", "print.js"), path.name
    assert {"comments", "presence", "endorsements", "comment", "live-status"} <= in_templates


def test_no_page_element_takes_the_prefix_of_user_heading_ids():
    for path in [*TEMPLATES, *SCRIPTS]:
        assert "user-content-" not in path.read_text(), path


@pytest.mark.django_db
def test_a_page_whose_text_is_named_like_its_elements_keeps_every_id_unique(
    client, drafter, other_participant
):
    rec = make_recommendation(drafter, status="in_review")
    comment = services.post_comment(rec, actor=other_participant, body="# presence\n\nHello.")
    names = ["comments", "presence", "endorsements", "text", f"comment-{comment.pk}"]
    body = "\n\n".join(f"# {name}" for name in names) + f'\n\n<h2 id="comment-{comment.pk}">x</h2>'
    rec_services.edit_recommendation(rec, actor=drafter, base_version=rec.version, body=body)
    client.force_login(drafter)
    ids = re.findall(r'\sid="([^"]*)"', client.get(rec.get_absolute_url()).content.decode())
    # Texts rendered apart (the recommendation, each comment) may repeat a user-content- id
    # among themselves; the page's own ids stay unique.
    page_ids = [i for i in ids if not i.startswith("user-content-")]
    assert [i for i in set(page_ids) if page_ids.count(i) > 1] == []
    for name in names:
        assert ids.count(name) == 1 and f"user-content-{name}" in ids
