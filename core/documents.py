"""Sections of a published edition that higher apps add (the conference's front matter, the
commitments made to each recommendation, ...).

``publication`` owns editions but sits below the apps that know the conference or the
commitments. At publication it asks every registered section for a *snapshot*: plain JSON
data, frozen into the edition with the rest, so the published page and its canonical Markdown
never change afterwards. The Markdown and the HTML of a section are made from that snapshot
only (never from live rows), so the hashed bytes can be rebuilt and checked at any time.

Places:
- ``front_matter``: ``markdown`` returns ``key: value`` lines for the document's front matter
  (the block between ``---`` lines at the very top of the canonical Markdown);
- ``before_recommendations`` / ``after_recommendations``: ``markdown`` returns a block of
  Markdown whose headings start at level 2 (``##``), placed before or after the themes.

The HTML page renders ``template`` with ``data`` (the snapshot) and ``edition`` in its
context, at the same place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .registry import Registry

PLACES = ("front_matter", "before_recommendations", "after_recommendations")


@dataclass(frozen=True)
class EditionSection:
    place: str
    # (edition, entries) -> JSON-serialisable data, taken once when the edition is published;
    # None leaves the section out of that edition.
    snapshot: Callable[[Any, Sequence[Any]], Any]
    # (data, language) -> Markdown text of the section (English when language is None).
    markdown: Callable[[Any, str | None], str]
    template: str = ""
    order: int = 100


registry: Registry[EditionSection] = Registry("edition sections")


def register(key: str, section: EditionSection) -> EditionSection:
    if section.place not in PLACES:
        raise ValueError(f"unknown edition place {section.place!r}; known: {PLACES}")
    return registry.register(key, section)


def sections_in(place: str) -> list[tuple[str, EditionSection]]:
    return sorted(
        ((key, s) for key, s in registry.items() if s.place == place),
        key=lambda item: (item[1].order, item[0]),
    )


def take_snapshots(edition: Any, entries: Sequence[Any]) -> dict[str, Any]:
    """Every registered section's frozen data for ``edition`` (sections that return None are
    left out)."""
    data = {}
    for place in PLACES:
        for key, section in sections_in(place):
            value = section.snapshot(edition, entries)
            if value is not None:
                data[key] = value
    return data


def markdown_blocks(
    place: str, snapshots: dict[str, Any], language: str | None = None
) -> list[str]:
    """The Markdown of the sections at ``place`` that ``snapshots`` holds, in order. A section
    whose app is no longer installed is skipped (its bytes stay in the stored document)."""
    blocks = []
    for key, section in sections_in(place):
        if key in snapshots:
            text = section.markdown(snapshots[key], language).strip("\n")
            if text:
                blocks.append(text)
    return blocks


def rendered(place: str, snapshots: dict[str, Any]) -> list[dict[str, Any]]:
    """What a page needs to render the sections at ``place``: ``[{"template", "data"}]``."""
    return [
        {"key": key, "template": section.template, "data": snapshots[key]}
        for key, section in sections_in(place)
        if key in snapshots and section.template
    ]
