"""The programme as iCalendar (RFC 5545), with the ``icalendar`` library.

What calendar users of other conference tools report (times off by an hour, empty files,
entries that lead nowhere) is answered here: times are written in the conference's zone with
its ``VTIMEZONE`` embedded (Asia/Beirut, from the zone database), each session keeps one
``UID`` for ever and its ``SEQUENCE`` grows with every change (so programs replace their
copy), every entry links back to its session page and lists the recommendations discussed
with their links, and the text is in the subscriber's language (the request's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date

import icalendar
from django.conf import settings
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .models import Conference, Session

PRODID = "-//MC2CM policy-recommendations workspace//Programme//EN"


def _event(
    session: Session,
    conference: Conference,
    absolute: Callable[[str], str],
    readable: set[int],
) -> icalendar.Event:
    zone = conference.zone
    event = icalendar.Event()
    event.add("uid", f"{session.uid}@mc2cm-workspace")
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    where = ", ".join(p for p in (session.room, conference.place) if p)
    if where:
        event.add("location", where)
    url = absolute(session.get_absolute_url())
    event.add("url", url)
    lines = []
    if session.description:
        lines += [session.description, ""]
    if session.theme is not None:
        lines.append(_("Theme: %(theme)s") % {"theme": session.theme.name})
    speakers = session.speaker_lines + [o.name for o in session.organisations.all()]
    if speakers:
        lines.append(_("Speakers: %(names)s") % {"names": ", ".join(speakers)})
    recs = [r for r in session.recommendations.all() if r.pk in readable]
    hidden = len(session.recommendations.all()) - len(recs)
    if recs:
        lines += ["", _("Recommendations discussed:")]
        lines += [f"- {r.title}: {absolute(r.get_absolute_url())}" for r in recs]
    if hidden:
        lines.append(
            ngettext(
                "%(n)s recommendation in discussion: sign in on the session page to read it.",
                "%(n)s recommendations in discussion: sign in on the session page to read them.",
                hidden,
            )
            % {"n": hidden}
        )
    lines += ["", _("Session page: %(url)s") % {"url": url}]
    event.add("description", "\n".join(lines))
    event.add("categories", [session.theme.name] if session.theme else [conference.name])
    return event


def programme_calendar(
    conference: Conference,
    sessions: Iterable[Session],
    absolute: Callable[[str], str],
    readable: set[int] = frozenset(),
) -> bytes:
    """The ``.ics`` bytes of ``sessions`` (every session, or one). Recommendations are named
    only if their id is in ``readable`` (what the requester may read); the others counted."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", conference.name)
    calendar.add("x-wr-timezone", conference.zone.key)
    language = get_language() or settings.LANGUAGE_CODE
    sessions = list(sessions)
    for session in sessions:
        event = _event(session, conference, absolute, readable)
        event["summary"].params["language"] = language
        calendar.add_component(event)
    first = min((s.starts_at.date() for s in sessions), default=conference.starts_on)
    calendar.add_missing_timezones(
        first_date=date(first.year - 1, 1, 1), last_date=date(first.year + 2, 1, 1)
    )
    return calendar.to_ical()
