#!/usr/bin/env python
"""Daily digest benchmark (issue 12): 200 people with 50 waiting notifications each.

Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/digest.py              # 200 people x 50 events
    .venv/bin/python bench/digest.py --people 50 --events 20

It migrates a throwaway SQLite database in a temporary directory (or uses ``DATABASE_URL``
if given), creates the people (members of ten cities, half of them reading French or
Arabic), ten recommendations in review, 500 comments and the notifications that wait for the
digest (comments, replies and status changes spread over the recommendations, some about a
comment a moderator has hidden since), then times ``send_digests`` (the command's work: the
access check, grouping, rendering both parts in each reader's language, one outbox row per
person) and, apart, handing every digest to a mail backend (the file backend, one ``.eml``
per message). It prints the seconds, the queries and the budget of docs/performance.md, and
exits non-zero if the budget is exceeded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 30.0  # producing the digests of 200 people x 50 events (docs/performance.md)
BUDGET_QUERIES_PER_PERSON = 12  # and 10 for the whole run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-digest-")
    os.environ.setdefault("WORKSPACE_SQLITE_PATH", str(Path(tmp) / "bench.sqlite3"))
    os.environ["WORKSPACE_VAR_DIR"] = tmp
    os.environ["WORKSPACE_MAIL_DIR"] = str(Path(tmp) / "mail")
    os.environ["WORKSPACE_FAST_HASHER"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    people, events = _data(args.people, args.events)
    # Everybody's digest hour has come: 23:30 in the conference's zone.
    from accounts.zones import conference_zone

    now = timezone.now().astimezone(conference_zone()).replace(hour=23, minute=30)

    from notifications import delivery
    from notifications.digests import send_digests
    from notifications.models import OutgoingMail

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        written = send_digests(now=now)
    produce = time.perf_counter() - started
    started = time.perf_counter()
    for pk in OutgoingMail.objects.values_list("pk", flat=True):
        delivery.deliver(pk)
    send = time.perf_counter() - started
    sent = OutgoingMail.objects.filter(state="sent").count()
    print(
        f"{people} people x {events} events: {written} digests written in {produce:.1f} s "
        f"({len(queries)} queries, {len(queries) / max(people, 1):.1f} per person); "
        f"{sent} handed to the file backend in {send:.1f} s"
    )
    budget_q = BUDGET_QUERIES_PER_PERSON * people + 10
    print(f"budget: {BUDGET_SECONDS:.0f} s and {budget_q} queries for the digests")
    ok = produce <= BUDGET_SECONDS * people * events / (200 * 50) and len(queries) <= budget_q
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok and written == people else 1


def _data(people: int, events: int) -> tuple[int, int]:
    from accounts.models import Organisation, OrganisationKind, User
    from accounts.services import set_membership
    from comments.models import Comment
    from notifications.kinds import Channel
    from notifications.models import Notification
    from recommendations import services
    from recommendations.models import Theme

    theme, _ = Theme.objects.get_or_create(slug="social-inclusion", defaults={"name": "Inclusion"})
    orgs = [
        Organisation.objects.get_or_create(
            slug=f"city-{n}", defaults={"name": f"City {n}", "kind": OrganisationKind.CITY}
        )[0]
        for n in range(10)
    ]
    users = []
    for n in range(people):
        user = User.objects.create(
            username=f"person{n}",
            email=f"person{n}@example.org",
            language=("en", "fr", "ar")[n % 3],
        )
        set_membership(user, orgs[n % 10], actor=None)
        users.append(user)
    recs = []
    for n in range(10):
        rec = services.create_recommendation(
            actor=users[n],
            title=f"Recommendation {n}",
            theme=theme,
            addressed_to=["city"],
            body=f"Paragraph one of {n}.\n\nParagraph two.",
        )
        recs.append(services.submit_for_review(rec, actor=users[n]))
    comments = Comment.objects.bulk_create(
        Comment(
            recommendation=recs[n % 10],
            author=users[n % people],
            body=f"Comment {n} " * 20,
            body_html=f"<p>Comment {n}</p>",
            version=1,
            hidden=n % 50 == 0,
        )
        for n in range(500)
    )
    kinds = ["comment", "reply", "status"]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kinds[e % 3],
            verb="submitted" if kinds[e % 3] == "status" else "commented",
            actor=users[(u + 1) % people],
            recommendation=recs[e % 10],
            comment=None if kinds[e % 3] == "status" else comments[(u * events + e) % 500],
            channel=Channel.DIGEST,
            mail=Notification.Mail.PENDING,
        )
        for u, user in enumerate(users)
        for e in range(events)
    )
    return people, events


if __name__ == "__main__":
    raise SystemExit(main())
