"""The main flows with the keyboard alone (issue: every action reachable and usable with the
keyboard, focus visible): draft, comment on a paragraph, approve, endorse, publish. After ``page.goto`` of the starting
page only ``page.keyboard`` acts (no clicks, no fills, no ``focus()``); every element the walk
tabs through must show its focus (an outline or a box-shadow) and not sit under a sticky or
fixed header once the browser has scrolled it into view (WCAG 2.4.7, 2.4.11)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from publication.models import Edition, Endorsement
from recommendations.models import Recommendation
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    member_of,
    representative_of,
    with_role,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])


@dataclass(frozen=True)
class Css:
    """A target of ``tab_to`` given by a CSS selector the focused element matches."""

    selector: str


# What has focus: its accessible name (approximately as assistive technology computes it: ARIA
# label, labelled-by, <label>, own text without aria-hidden parts, value of input buttons), a
# short description for failure messages, and whether it matches an optional CSS selector.
_FOCUSED = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return { name: "", describe: "<body>", matches: false };
  const text = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.getAttribute("aria-hidden") === "true" || node.hidden) return "";
    return Array.from(node.childNodes, text).join("");
  };
  const byIds = (ids) =>
    ids.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(text).join(" ");
  let name = el.getAttribute("aria-label") || "";
  if (!name && el.getAttribute("aria-labelledby")) name = byIds(el.getAttribute("aria-labelledby"));
  if (!name && el.labels && el.labels.length) name = Array.from(el.labels, text).join(" ");
  if (!name && el.tagName === "INPUT" && ["submit", "button"].includes(el.type)) name = el.value;
  if (!name && !["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) name = text(el);
  name = name.replace(/[\\u2066-\\u2069]/g, "").replace(/\\s+/g, " ").trim();
  const tag = el.tagName.toLowerCase();
  const id = el.id ? "#" + el.id : "";
  return {
    name,
    describe: `<${tag}${id}${el.type ? " type=" + el.type : ""}> "${name.slice(0, 60)}"`,
    matches: selector ? el.matches(selector) : false,
  };
}"""

# Whether the focused element shows its focus, and is not covered by a sticky/fixed header.
_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const rect = el.getBoundingClientRect();
  let headerBottom = 0;
  let header = "";
  if (!el.closest("dialog[open]")) {
    for (const node of document.querySelectorAll("body *")) {
      const position = getComputedStyle(node).position;
      if (position !== "sticky" && position !== "fixed") continue;
      if (node.contains(el) || node.matches("dialog")) continue;
      const box = node.getBoundingClientRect();
      const shown = getComputedStyle(node).visibility !== "hidden" && box.height > 0;
      // A header: stuck at the top of the viewport, over the element's column.
      if (!shown || box.top > 1 || box.right <= rect.left || box.left >= rect.right) continue;
      if (box.bottom > headerBottom) {
        headerBottom = box.bottom;
        header = node.tagName.toLowerCase() + (node.className ? "." + node.className : "");
      }
    }
  }
  return {
    indicator: outline || shadow,
    // Focus on a part the browser draws inside the element (the calendar button of a date
    // field): the element has focus within, not focus; its ring is the browser's own.
    browserPart: !el.matches(":focus") && el.matches(":focus-within"),
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
    shadow: style.boxShadow,
    top: rect.top, bottom: rect.bottom, headerBottom, header,
    inViewport: rect.bottom > 0 && rect.top < window.innerHeight,
  };
}"""


def assert_focus_visible(page: Page, what: str, *, browser_parts: bool = True) -> None:
    """The focused element shows its focus and no sticky header covers it. ``browser_parts``:
    accept the browser's own ring on a part it draws inside an element (the calendar button
    of a date field), which the page's styles cannot reach through ``:focus-visible``; see
    test_the_calendar_button_of_a_date_field_shows_the_workspace_focus_ring."""
    state = page.evaluate(_VISIBLE)
    assert state["indicator"] or (browser_parts and state["browserPart"]), (
        f"{what}: focus is not visible (outline {state['outline']}, box-shadow {state['shadow']})"
    )
    assert state["inViewport"], f"{what}: focused but outside the viewport ({state})"
    assert state["top"] >= state["headerBottom"] - 0.5, (
        f"{what}: focused but hidden under the sticky header {state['header']} "
        f"(element top {state['top']:.0f}px < header bottom {state['headerBottom']:.0f}px)"
    )


def focused(page: Page, selector: str | None = None) -> dict:
    return page.evaluate(_FOCUSED, selector)


def tab_to(page: Page, target: str | re.Pattern | Css, limit: int = 80, *, back: bool = False):
    """Press Tab (Shift+Tab with ``back``) until the focused element is ``target``: an exact
    accessible name, a pattern searched in it, or a CSS selector it matches. Every element
    passed on the way must show its focus. Fails listing what was focused if never reached."""
    key = "Shift+Tab" if back else "Tab"
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page, target.selector if isinstance(target, Css) else None)
        seen.append(now["describe"])
        assert_focus_visible(page, now["describe"])
        if isinstance(target, Css):
            hit = now["matches"]
        elif isinstance(target, re.Pattern):
            hit = bool(target.search(now["name"]))
        else:
            hit = now["name"] == target
        if hit:
            return now
    listed = "\n  ".join(seen)
    pytest.fail(f"{key} never reached {target!r} in {limit} presses; focused:\n  {listed}")


def choose_option(page: Page, value: str, limit: int = 20) -> None:
    """On the focused <select>, move with the arrow keys until ``value`` is selected."""
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(limit):
            if page.evaluate("document.activeElement.value") == value:
                return
            before = page.evaluate("document.activeElement.selectedIndex")
            page.keyboard.press(key)
            if page.evaluate("document.activeElement.selectedIndex") == before:
                break  # at the end: go the other way
    assert page.evaluate("document.activeElement.value") == value, f"option {value!r} not reached"


def test_draft_a_recommendation_with_the_keyboard(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    member_of(lisbon, "drafter")
    ThemeFactory(slug="education", name="Education")
    ThemeFactory(slug="social-inclusion", name="Social inclusion")
    page = new_page("drafter", coedit=False)
    page.set_viewport_size(LAPTOP)
    page.goto("/")

    tab_to(page, "Recommendations")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recommendations/")
    tab_to(page, "New recommendation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recommendations/new/")

    tab_to(page, "Title")
    page.keyboard.type("Language support in schools")
    tab_to(page, "Theme")
    choose_option(page, "education")
    tab_to(page, "City")
    page.keyboard.press("Space")
    tab_to(page, "Summary")
    page.keyboard.type("Intensive language support for newcomers.")
    tab_to(page, "Text (Markdown)")
    page.keyboard.type("Schools should offer intensive language support.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("During ordinary hours.")
    tab_to(page, "Save draft")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Language support in schools")

    rec = Recommendation.objects.get(title="Language support in schools")
    assert rec.summary == "Intensive language support for newcomers."
    assert rec.body == "Schools should offer intensive language support.\n\nDuring ordinary hours."
    assert (rec.theme.slug, list(rec.addressed_to)) == ("education", ["city"])
    assert page.console_errors == []


@WIDTHS
def test_comment_on_a_paragraph_with_the_keyboard(new_page, viewport):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    rec = make_recommendation(member_of(lisbon, "ana"), status="in_review")
    member_of(tunis, "tarek")
    numbered = [p for p in rec.paragraphs if not p["html"].startswith("<h")]
    key = numbered[1]["key"]
    page = new_page("tarek")
    page.set_viewport_size(viewport)
    page.goto(f"/recommendations/{rec.pk}/")

    # The count beside "¶2" in the margin opens the paragraph's comments and its form.
    tab_to(page, re.compile(r"^¶2: 0 comments"))
    page.keyboard.press("Enter")
    group = page.locator(f"#para-comments-{key}")
    expect(group.get_by_label("Your comment", exact=True)).to_be_focused()
    page.keyboard.type("Add the reception hours.")
    tab_to(page, "Post comment", limit=6)
    page.keyboard.press("Enter")

    expect(group.locator("li.comment-item")).to_contain_text("Add the reception hours.")
    expect(group.locator("h3")).to_contain_text("¶2 · 1 comment")
    comment = rec.comments.get()
    assert (comment.anchor, comment.author.username) == (key, "tarek")
    assert page.console_errors == []


@WIDTHS
def test_approve_an_exact_version_with_the_keyboard(new_page, viewport):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"), status="in_review", versions=2)
    with_role("moderator")
    page = new_page("moderator")
    page.set_viewport_size(viewport)
    page.goto(f"/recommendations/{rec.pk}/")

    if viewport is PHONE:  # the actions come after the text: the shortcut leads there
        tab_to(page, "Actions, endorsements and activity")
        page.keyboard.press("Enter")
    tab_to(page, "Version to approve")
    choose_option(page, "1")  # not the latest: the exact version chosen is approved
    tab_to(page, "Approve", limit=3)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Approve version 1?")
    assert focused(page)["name"] == "Cancel"
    assert_focus_visible(page, "Cancel in the dialog")
    tab_to(page, "Approve version 1", limit=3, back=True)
    page.keyboard.press("Enter")

    expect(page.locator("[data-field=status]")).to_have_text("Approved")
    rec.refresh_from_db()
    assert (rec.status, rec.approved_version, rec.version) == ("approved", 1, 2)
    assert page.console_errors == []


@WIDTHS
def test_endorse_with_a_statement_with_the_keyboard(new_page, viewport):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis", country="Tunisia")
    rec = make_recommendation(member_of(lisbon, "ana"), status="approved")
    representative_of(tunis, "tunis-rep")
    page = new_page("tunis-rep")
    page.set_viewport_size(viewport)
    page.goto(f"/recommendations/{rec.pk}/")

    tab_to(page, "Statement of Tunis (optional)")
    page.keyboard.type("Tunis will train its teachers.")
    tab_to(page, "Endorse version 1 for Tunis", limit=3)
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Tunis endorses version 1.")
    endorsement = Endorsement.objects.live().get(recommendation=rec)
    assert (endorsement.organisation.slug, endorsement.version, endorsement.statement) == (
        "tunis",
        1,
        "Tunis will train its teachers.",
    )
    assert page.console_errors == []


def test_compose_and_publish_an_edition_with_the_keyboard(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    make_recommendation(
        member_of(lisbon, "ana"), status="final", title="Language support in schools"
    )
    with_role("secretariat")
    page = new_page("secretariat")
    page.set_viewport_size(LAPTOP)
    page.goto("/")

    tab_to(page, "Compose or publish an edition of the final recommendations")
    page.keyboard.press("Enter")
    page.wait_for_url("**/published/editions/new/")
    tab_to(page, "Title")
    page.keyboard.type("Beirut conference recommendations")
    tab_to(page, "Preamble (Markdown)")
    page.keyboard.type("Adopted in Beirut, November 2017.")
    tab_to(page, "Save draft edition")
    page.keyboard.press("Enter")
    expect(page.locator("#draft-entries")).to_contain_text("Language support in schools")

    tab_to(page, "I have checked the recommendations and the warnings above.")
    page.keyboard.press("Space")
    tab_to(page, "Publish 1 recommendation", limit=3)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Beirut conference recommendations", timeout=30_000)

    edition = Edition.objects.get(title="Beirut conference recommendations")
    assert edition.is_published
    assert [e.title for e in edition.entries.all()] == ["Language support in schools"]
    assert page.console_errors == []


def test_the_calendar_button_of_a_date_field_shows_the_workspace_focus_ring(new_page):
    with_role("secretariat")
    page = new_page("secretariat")
    page.goto("/published/editions/new/")
    tab_to(page, "Adopted on")
    for _segment in ("day", "year", "calendar button"):
        page.keyboard.press("Tab")
        assert focused(page)["name"] == "Adopted on"
        assert_focus_visible(page, f"Adopted on, {_segment}", browser_parts=False)
