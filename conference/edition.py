"""The conference in every edition's front matter (``core.documents``): its name, place and
dates, frozen when the edition is published."""

from __future__ import annotations

import json
from typing import Any

from core import documents

from .models import Conference


def snapshot(edition: Any, entries: Any) -> dict[str, str] | None:
    conference = Conference.objects.current()
    if conference is None:
        return None
    return {
        "name": conference.name,
        "place": conference.place,
        "host": conference.host,
        "starts_on": conference.starts_on.isoformat(),
        "ends_on": conference.ends_on.isoformat(),
    }


def markdown(data: dict[str, str], language: str | None) -> str:
    """YAML lines: strings JSON-quoted (valid YAML whatever they hold), dates as ISO."""
    lines = [
        f"conference: {json.dumps(data['name'], ensure_ascii=False)}",
        f"place: {json.dumps(data['place'], ensure_ascii=False)}",
    ]
    if data.get("host"):
        lines.append(f"host: {json.dumps(data['host'], ensure_ascii=False)}")
    lines.append(f"dates: {data['starts_on']}/{data['ends_on']}")
    return "\n".join(lines)


FRONT_MATTER = documents.EditionSection(
    place="front_matter",
    snapshot=snapshot,
    markdown=markdown,
    template="conference/edition_front.html",
    order=10,
)


def register() -> None:
    documents.register("conference", FRONT_MATTER)
