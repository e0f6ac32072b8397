"""Real concurrency: threads with their own database connections, and HTTP requests to two
Daphne processes at once. Row locks decide; nothing is lost, nothing is done twice."""

from __future__ import annotations

import httpx
import pytest
from rest_framework.authtoken.models import Token

from recommendations import services
from recommendations.models import Recommendation, VersionMeta
from tests.factories import BODY, make_recommendation
from tests.helpers import need_postgres, run_together
from tests.servers import DaphneProcess


def test_fifty_simultaneous_approvals_exactly_one_succeeds(committed_db, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review", moderator=moderator)

    def approve(_i):
        try:
            services.approve_version(
                Recommendation.objects.get(pk=rec.pk), version=1, actor=moderator
            )
            return "ok"
        except services.Conflict:
            return "conflict"

    results = run_together(50, approve)
    assert results.count("ok") == 1 and results.count("conflict") == 49
    rec.refresh_from_db()
    assert rec.approved_version == 1
    assert rec.activities.filter(verb="approved").count() == 1


def test_concurrent_editors_lose_nothing_and_leave_no_gaps(committed_db, drafter, lead_org):
    paragraphs = [f"Paragraph of editor {i}." for i in range(8)]
    rec = make_recommendation(drafter, body="\n\n".join(paragraphs))

    def editor(i):
        accepted = conflicts = 0
        for n in range(6):
            current = Recommendation.objects.get(pk=rec.pk)
            mine = current.body.replace(
                next(
                    p
                    for p in current.body.split("\n\n")
                    if p.startswith(f"Paragraph of editor {i}")
                ),
                f"Paragraph of editor {i} edit {n}.",
            )
            try:
                services.edit_recommendation(
                    current, actor=drafter, base_version=current.version, body=mine
                )
                accepted += 1
            except services.EditConflict:
                conflicts += 1
        return accepted, conflicts

    results = run_together(8, editor)
    accepted = sum(a for a, _ in results)
    rec.refresh_from_db()
    numbers = list(
        VersionMeta.objects.filter(recommendation=rec)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, rec.version + 1))
    assert rec.version == accepted + 1
    # Every editor touched only their own paragraph: all 48 edits were accepted (merged).
    assert accepted == 48
    for i in range(8):
        assert f"Paragraph of editor {i} edit 5." in rec.body


@pytest.mark.postgres
@pytest.mark.daphne
def test_two_real_concurrent_http_edits_merge_or_conflict_never_overwrite(
    committed_db, drafter, representative
):
    need_postgres()
    rec = make_recommendation(drafter)
    tokens = [Token.objects.create(user=drafter).key, Token.objects.create(user=representative).key]
    servers = [DaphneProcess(), DaphneProcess()]
    first, second, third = BODY.split("\n\n")
    try:

        def patch(i, body, base):
            with httpx.Client(base_url=servers[i].url, timeout=30) as client:
                return client.patch(
                    f"/api/recommendations/{rec.pk}/",
                    json={"body": body, "base_version": base},
                    headers={"Authorization": f"Token {tokens[i]}"},
                )

        # Different paragraphs, same base, at the same moment, through two processes: both kept.
        bodies = [
            "\n\n".join([first + " A.", second, third]),
            "\n\n".join([first, second, third + " B."]),
        ]
        responses = run_together(2, lambda i: patch(i, bodies[i], 1))
        assert sorted(r.status_code for r in responses) == [200, 200]
        rec.refresh_from_db()
        assert rec.version == 3 and " A." in rec.body and " B." in rec.body

        # The same paragraph: one wins, the other gets 409 with the winner's text; none lost.
        for round_ in range(3):
            rec.refresh_from_db()
            base, current = rec.version, rec.body
            bodies = [
                current.replace(second, f"{second} left{round_}"),
                current.replace(second, f"{second} right{round_}"),
            ]
            responses = run_together(2, lambda i, b=base, bs=bodies: patch(i, bs[i], b))
            codes = sorted(r.status_code for r in responses)
            assert codes == [200, 409], [r.text for r in responses]
            winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
            loser = responses[1 - winner].json()
            rec.refresh_from_db()
            assert rec.version == base + 1 and rec.body == bodies[winner].strip()
            assert loser["version"] == base + 1 and loser["body"] == rec.body
            assert ("left", "right")[1 - winner] + str(round_) in loser["conflicts"][0]["mine"]
    finally:
        for server in servers:
            server.stop()
