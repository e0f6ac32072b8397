"""WebSockets follow two-factor sign-in: a session that has not proved its person's second
factor opens sockets as nobody (it could not open the page either)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_recommendation
from tests.live.test_consumers import HOST, ORIGIN, TIMEOUT, in_thread
from workspace.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def cookie(user, device=None) -> bytes:
    client = Client()
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def opens(path: str, user, device=None) -> bool:
    headers = [HOST, ORIGIN, (b"cookie", await database_sync_to_async(cookie)(user, device))]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await communicator.connect(timeout=TIMEOUT)
    await communicator.disconnect()
    return connected


async def test_a_draft_socket_needs_the_second_factor_proved(drafter):
    rec = await in_thread(make_recommendation, drafter)
    path = f"/ws/recommendations/{rec.pk}/"
    assert await opens(path, drafter)  # no factor: the password is enough
    device = await in_thread(TOTPDevice.objects.create, user=drafter, name="p", confirmed=True)
    assert not await opens(path, drafter)  # a factor, not proved in this session
    assert await opens(path, drafter, device)  # proved


async def test_a_required_person_without_a_factor_opens_sockets_as_nobody(
    settings, drafter, moderator
):
    rec = await in_thread(make_recommendation, drafter)
    path = f"/ws/recommendations/{rec.pk}/"
    assert await opens(path, moderator)  # the demo: the password is enough
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = True
    assert not await opens(path, moderator)
