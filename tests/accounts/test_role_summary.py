"""Every person is told in one sentence what their role lets them do, and is not offered what
they cannot do (issue 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sentences(client, user, url="home"):
    client.force_login(user)
    html = client.get(reverse(url)).content.decode()
    start = html.index('data-js="role-summary"')
    return html[start : html.index("</div>", start)]


def test_an_observer_is_told_how_to_take_part_and_offered_no_drafting(client, observer):
    assert "ask a representative of your organisation to add you" in sentences(client, observer)
    client.force_login(observer)
    listing = client.get(reverse("recommendations:list")).content.decode()
    assert reverse("recommendations:create") not in listing
    assert client.get(reverse("recommendations:create")).status_code == 403


def test_a_member_and_a_representative_are_told_what_they_do_for_their_organisation(
    client, drafter, representative, lead_org
):
    said = sentences(client, drafter)
    assert f"As a member of {lead_org.name}" in said and "endorse" in said
    assert (
        reverse("recommendations:create")
        in client.get(reverse("recommendations:list")).content.decode()
    )
    said = sentences(client, representative, "profile")
    assert f"As a representative of {lead_org.name}" in said


def test_moderators_and_the_secretariat_are_told_their_part(client, moderator, secretariat):
    assert "approve or reject the versions" in sentences(client, moderator)
    assert "publish the editions" in sentences(client, secretariat, "profile")


def test_the_sentence_is_in_the_persons_language(client, observer):
    client.force_login(observer)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vous pouvez lire les recommandations" in html
