"""The co-editing socket message by message: who may open it, who may write, what is refused
and how it closes (the close codes of docs/realtime.md), and how versions meet the live text."""

from __future__ import annotations

import asyncio
import json
import random

import pytest
from django.test import Client
from pycrdt import Doc, YSyncMessageType

from live import coedit, coedit_consumer
from live.coedit_consumer import (
    CLOSE_BAD_FRAME,
    CLOSE_RATE_LIMITED,
    CLOSE_READ_ONLY,
    CLOSE_TOO_LARGE,
    BadMessage,
    awareness_message,
    encode_awareness,
    parse_message,
    split_frame,
    sync_message,
)
from live.models import DocumentUpdate
from recommendations import services
from recommendations.models import Recommendation, VersionMeta
from tests.factories import make_recommendation, member_of

from .coedit_client import Faults, SimClient, in_thread, settle
from .test_consumers import connect, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_layer"),
]

BODY = "First paragraph.\n\nSecond paragraph."


def path_of(rec) -> str:
    return f"/ws/recommendations/{rec.pk}/text/"


async def client_for(user, rec, name="a") -> SimClient:
    client = SimClient(
        name=name,
        cookie=await in_thread(session_cookie, user),
        path=path_of(rec),
        rng=random.Random(1),
    )
    return client


async def exchange(*clients: SimClient, rounds: int = 6) -> None:
    quiet = Faults()
    for _ in range(rounds):
        for client in clients:
            await client.flush(quiet)
        await settle(0.05)
        for client in clients:
            await client.pump(quiet)


async def closed_code(communicator) -> int | None:
    for _ in range(20):
        message = await communicator.receive_output(timeout=3)
        if message["type"] == "websocket.close":
            return message.get("code")
    return None


def stored(rec) -> list[int]:
    return list(
        DocumentUpdate.objects.filter(key=services.live_key(rec)).values_list("seq", flat=True)
    )


# --- who may open it, who may write ------------------------------------------------------
async def test_a_hidden_draft_and_a_missing_one_are_refused_alike(drafter, other_participant):
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    _, hidden, hidden_code = await connect(path_of(rec), other_participant)
    _, missing, missing_code = await connect(f"/ws/recommendations/{rec.pk + 99}/text/", drafter)
    _, anonymous, _ = await connect(path_of(rec))
    assert not hidden and not missing and not anonymous
    assert hidden_code == missing_code


async def test_drafters_type_together_and_every_change_is_stored_before_it_is_seen(
    drafter, lead_org
):
    colleague = await in_thread(member_of, lead_org, "colleague")
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    a, b = await client_for(drafter, rec, "a"), await client_for(colleague, rec, "b")
    assert await a.connect() and await b.connect()
    await exchange(a, b)
    assert a.writes is True and b.writes is True
    assert a.value() == b.value() == BODY  # created once, from the current text
    a.insert(len(a.value()), " Typed by A.")
    b.insert(0, "B: ")
    await exchange(a, b)
    assert a.value() == b.value() == "B: " + BODY + " Typed by A."
    assert await in_thread(coedit.current_text, services.live_key(rec)) == a.value()
    await a.resync()  # the server's answer tells what it holds now
    await b.resync()
    await exchange(a, b)
    assert not a.unsaved() and not b.unsaved()
    assert await in_thread(stored, rec) == [1, 2, 3]  # one row per update, numbered
    await a.disconnect()
    await b.disconnect()


async def test_a_reader_follows_the_text_but_cannot_change_it(drafter, observer):
    rec = await in_thread(make_recommendation, drafter, body=BODY, status="in_review")
    writer, reader = await client_for(drafter, rec, "a"), await client_for(observer, rec, "r")
    assert await writer.connect() and await reader.connect()
    await exchange(writer, reader)
    assert reader.writes is False and reader.value() == BODY
    reader.insert(0, "Vandalism ")
    writer.insert(len(writer.value()), " More.")
    await exchange(writer, reader)
    assert await in_thread(coedit.current_text, services.live_key(rec)) == BODY + " More."
    assert "Vandalism" not in writer.value()
    assert reader.value().endswith(" More.")  # the reader sees the drafters' typing live
    await writer.disconnect()
    await reader.disconnect()


@pytest.mark.parametrize("status", ["final", "withdrawn", "rejected"])
async def test_closed_texts_are_read_only_even_for_their_drafters(drafter, status):
    rec = await in_thread(make_recommendation, drafter, body=BODY, status=status)
    client = await client_for(drafter, rec)
    assert await client.connect()
    await exchange(client)
    assert client.writes is False
    client.insert(0, "Late change ")
    await exchange(client)
    assert await in_thread(coedit.current_text, services.live_key(rec)) == BODY


async def test_drafters_keep_typing_in_review_and_after_approval(drafter, moderator):
    rec = await in_thread(make_recommendation, drafter, body=BODY, status="approved")
    client = await client_for(drafter, rec)
    assert await client.connect()
    await exchange(client)
    assert client.writes is True


async def test_losing_the_rights_closes_the_socket_and_it_reopens_read_only(drafter):
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    client = await client_for(drafter, rec)
    assert await client.connect()
    await exchange(client)
    await in_thread(services.withdraw_recommendation, rec, reason="Merged elsewhere", actor=drafter)
    await exchange(client)
    assert client.closed_with == CLOSE_READ_ONLY and not client.connected
    assert await client.connect()
    await exchange(client)
    assert client.writes is False


async def test_rights_are_read_again_for_a_message_after_a_silent_change(drafter, monkeypatch):
    """Even without an event, a write more than RIGHTS_TTL_SECONDS after the last check is
    checked again: a status changed behind the services' back is noticed."""
    monkeypatch.setattr(coedit_consumer, "RIGHTS_TTL_SECONDS", 0.0)
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    client = await client_for(drafter, rec)
    assert await client.connect()
    await exchange(client)
    await in_thread(Recommendation.objects.filter(pk=rec.pk).update, status="final")
    client.insert(0, "Too late ")
    await exchange(client)
    assert client.closed_with == CLOSE_READ_ONLY
    assert await in_thread(coedit.current_text, services.live_key(rec)) == BODY


# --- what is refused --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"text": '{"type": "update"}'}, CLOSE_BAD_FRAME),
        ({"bytes": b"\x07\x01"}, CLOSE_BAD_FRAME),
        (
            {"bytes": sync_message(YSyncMessageType.SYNC_UPDATE, b"\x05\x01garbage")},
            CLOSE_BAD_FRAME,
        ),
        ({"bytes": b"\x00\x02" + b"\xff" * 10}, CLOSE_BAD_FRAME),
        ({"bytes": b"\x00" * (coedit_consumer.MAX_MESSAGE_BYTES + 1)}, CLOSE_TOO_LARGE),
    ],
    ids=["json-text", "unknown-type", "malformed-update", "truncated", "oversized"],
)
async def test_frames_that_are_not_the_protocol_close_the_socket_and_store_nothing(
    drafter, frame, code
):
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    communicator, connected, _ = await connect(path_of(rec), drafter)
    assert connected
    await communicator.send_input({"type": "websocket.receive", **frame})
    assert await closed_code(communicator) == code
    assert await in_thread(stored, rec) == [1]


async def test_a_flood_of_messages_is_cut_off(drafter, monkeypatch):
    monkeypatch.setattr(coedit_consumer, "RATE_BURST", 5.0)
    monkeypatch.setattr(coedit_consumer, "RATE_PER_SECOND", 1.0)
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    communicator, connected, _ = await connect(path_of(rec), drafter)
    assert connected
    step1 = sync_message(YSyncMessageType.SYNC_STEP1, Doc().get_state())
    for _ in range(10):
        await communicator.send_input({"type": "websocket.receive", "bytes": step1})
    assert await closed_code(communicator) == CLOSE_RATE_LIMITED


async def test_awareness_carries_the_senders_identity_and_only_their_own_client(drafter, lead_org):
    colleague = await in_thread(member_of, lead_org, "colleague")
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    spoofer, _, _ = await connect(path_of(rec), drafter)
    watcher = await client_for(colleague, rec, "w")
    assert await watcher.connect()
    await exchange(watcher)
    forged = json.dumps({"user": {"name": "The Moderator", "colour": 3}, "cursor": None})
    await spoofer.send_input(
        {
            "type": "websocket.receive",
            "bytes": awareness_message(encode_awareness([(77, 1, forged)])),
        }
    )
    received = None
    for _ in range(20):
        message = await watcher.comm.receive_output(timeout=3)
        if message.get("bytes", b"")[:1] == b"\x01":
            received = message["bytes"]
            break
    assert received is not None
    assert b"The Moderator" not in received and drafter.display_name.encode() in received
    other = json.dumps({"user": {"name": "x"}})
    await spoofer.send_input(
        {
            "type": "websocket.receive",
            "bytes": awareness_message(encode_awareness([(78, 1, other)])),
        }
    )
    assert await closed_code(spoofer) == CLOSE_BAD_FRAME  # one socket, one client
    await watcher.disconnect()


async def test_two_sockets_opening_at_once_create_the_document_once(drafter, lead_org):
    colleague = await in_thread(member_of, lead_org, "colleague")
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    a, b = await client_for(drafter, rec, "a"), await client_for(colleague, rec, "b")
    await asyncio.gather(a.connect(), b.connect())
    await exchange(a, b)
    assert a.value() == b.value() == BODY
    assert await in_thread(stored, rec) == [1]


async def test_updates_sent_together_are_stored_first_then_reach_the_others_in_one_frame(
    drafter, lead_org
):
    """Three co-authors type within the batch window: the reader of their work gets one
    frame with each update as its own message, after all three are in the log."""
    people = [drafter] + [await in_thread(member_of, lead_org, f"co-{n}") for n in (1, 2)]
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    writers = [await client_for(p, rec, f"w{n}") for n, p in enumerate(people)]
    watcher = await client_for(drafter, rec, "watcher")
    for client in [*writers, watcher]:
        assert await client.connect()
    await exchange(*writers, watcher)
    await watcher.comm.receive_nothing(timeout=0.2)  # nothing left on the watcher's wire
    before = len(await in_thread(stored, rec))
    for n, writer in enumerate(writers):
        writer.insert(0, f"T{n} ")
    await asyncio.gather(*(w.flush(Faults()) for w in writers))
    frames = []
    while len(frames) < 3:
        message = await watcher.comm.receive_output(timeout=3)
        if message.get("bytes"):
            frames.append(message["bytes"])
        if sum(len(split_frame(f)) for f in frames) >= 3:
            break
    assert len(await in_thread(stored, rec)) == before + 3  # stored before they were seen
    assert sum(len(split_frame(f)) for f in frames) == 3
    assert len(frames) < 3  # batched: fewer frames than updates
    for frame in frames:
        for message in split_frame(frame):
            watcher._applying = True
            watcher.doc.apply_update(parse_message(message)[2])
            watcher._applying = False
    assert all(f"T{n} " in watcher.value() for n in range(3))
    for client in [*writers, watcher]:
        await client.disconnect()


def test_a_frame_of_several_messages_splits_and_a_cut_one_is_refused():
    one = sync_message(YSyncMessageType.SYNC_UPDATE, b"\x01\x02\x03")
    two = awareness_message(encode_awareness([(7, 1, "null")]))
    assert split_frame(one + two) == [one, two]
    assert split_frame(b"") == []
    for bad in (one[:-1], one + b"\x09", b"\xff" * 12):
        with pytest.raises(BadMessage):
            split_frame(bad)


# --- versions and the live text ---------------------------------------------------------
async def test_save_as_version_cuts_the_live_text_with_its_co_authors(drafter, lead_org):
    colleague = await in_thread(member_of, lead_org, "colleague")
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    old_keys = [p["key"] for p in rec.paragraphs]
    a, b = await client_for(drafter, rec, "a"), await client_for(colleague, rec, "b")
    assert await a.connect() and await b.connect()
    await exchange(a, b)
    a.insert(len(a.value()), "\n\nThird paragraph.")
    b.insert(0, "Zero paragraph.\n\n")
    await exchange(a, b)
    result = await in_thread(
        services.edit_recommendation,
        rec,
        actor=drafter,
        base_version=1,
        body="what the browser posted is not used",
        note="Cut together",
        live=True,
    )
    assert result.saved
    rec = await in_thread(Recommendation.objects.get, pk=rec.pk)
    assert rec.version == 2 and rec.body == a.value()
    keys = [p["key"] for p in rec.paragraphs]
    assert keys[1:3] == old_keys  # the untouched paragraphs keep their anchors
    meta = await in_thread(lambda: VersionMeta.objects.get(recommendation=rec, number=2))
    assert {c["name"] for c in meta.co_authors} == {str(drafter), str(colleague)}
    # The next cut names only who typed since.
    a.insert(len(a.value()), " Only A.")
    await exchange(a, b)
    await in_thread(services.edit_recommendation, rec, actor=colleague, base_version=2, live=True)
    meta3 = await in_thread(lambda: VersionMeta.objects.get(recommendation=rec, number=3))
    assert [c["name"] for c in meta3.co_authors] == [str(drafter)]
    await a.disconnect()
    await b.disconnect()


async def test_an_api_patch_is_carried_into_the_live_text_while_others_type(drafter, lead_org):
    rec = await in_thread(make_recommendation, drafter, body=BODY)
    a = await client_for(drafter, rec, "a")
    assert await a.connect()
    await exchange(a)
    a.insert(len(a.value()), " Typed live.")  # not yet a version
    await exchange(a)

    def patch():
        client = Client()
        client.force_login(drafter)
        return client.patch(
            f"/api/recommendations/{rec.pk}/",
            data=json.dumps(
                {"base_version": 1, "body": "First paragraph, edited.\n\n" + BODY.split("\n\n")[1]}
            ),
            content_type="application/json",
        )

    response = await in_thread(patch)
    assert response.status_code == 200, response.content
    await exchange(a)
    expected = "First paragraph, edited.\n\nSecond paragraph. Typed live."
    assert a.value() == expected
    assert await in_thread(coedit.current_text, services.live_key(rec)) == expected
    await a.disconnect()
