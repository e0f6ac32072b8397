"""Organisation pages: the logo re-encoded on the server (resized, without metadata, never
an SVG or a non-image), profiles kept as dated revisions, drafts private, the API."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from commitments import services
from commitments.models import OrganisationPage, ProfileRevision
from tests.factories import ThemeFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg_with_metadata(size=(1600, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {2: (33.0, 53.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"private note")
    return out.getvalue()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_logo_is_resized_stripped_and_served_with_its_own_type(other_org, other_representative):
    client = _client(other_representative)
    upload = SimpleUploadedFile("photo.jpg", _jpeg_with_metadata(), content_type="image/jpeg")
    answer = client.post(
        reverse("commitments:organisation_edit", args=["tunis"]),
        {"description": "Capital of Tunisia.", "logo": upload},
    )
    assert answer.status_code == 302
    page = OrganisationPage.objects.get(organisation=other_org)
    served = Client().get(reverse("commitments:logo", args=["tunis"]))
    assert served.status_code == 200
    assert served["Content-Type"] == page.logo_type == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    data = served.content
    assert b"SecretCamera" not in data and b"private note" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == 400
        assert not image.getexif()
    public = Client().get(reverse("commitments:organisation", args=["tunis"]))
    assert b"Capital of Tunisia." in public.content
    assert reverse("commitments:logo", args=["tunis"]).encode() in public.content


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, b"SVG is not accepted"),
        ("logo.png", b"not an image at all", b"SVG is not accepted"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"SVG is not accepted"),
        ("big.png", b"\0" * (2 * 1024 * 1024 + 1), b"too large"),
    ],
)
def test_a_bad_logo_is_refused_and_nothing_is_saved(
    other_org, other_representative, name, content, message
):
    client = _client(other_representative)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    answer = client.post(
        reverse("commitments:organisation_edit", args=["tunis"]),
        {"description": "Changed", "logo": upload},
    )
    assert answer.status_code == 400
    assert message in answer.content
    assert not OrganisationPage.objects.exists()
    assert Client().get(reverse("commitments:logo", args=["tunis"])).status_code == 404


def test_a_member_who_is_not_a_representative_cannot_edit(other_org, other_participant):
    client = _client(other_participant)
    url = reverse("commitments:organisation_edit", args=["tunis"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"description": "x"}).status_code == 403
    assert not OrganisationPage.objects.exists()


def test_profiles_keep_every_revision_and_drafts_stay_private(
    other_org, other_representative, observer
):
    other_org.kind = "city"
    other_org.save()
    client = _client(other_representative)
    url = reverse("commitments:profile", args=["tunis"])
    client.post(url, {"section": "origins", "text": "First text.", "publish": "on"})
    client.post(url, {"section": "origins", "text": "Second text.", "publish": "on"})
    client.post(url, {"section": "framework", "text": "Draft framework."})
    assert ProfileRevision.objects.count() == 3
    public = Client().get(reverse("commitments:organisation", args=["tunis"])).content
    assert b"Second text." in public and b"First text." not in public
    assert b"Draft framework." not in public
    history = Client().get(reverse("commitments:profile_history", args=["tunis", "origins"]))
    assert b"First text." in history.content and b"Second text." in history.content
    drafts = Client().get(reverse("commitments:profile_history", args=["tunis", "framework"]))
    assert b"Draft framework." not in drafts.content
    member = _client(member_of(other_org, "tunis-member"))
    assert (
        b"Draft framework."
        in member.get(reverse("commitments:organisation", args=["tunis"])).content
    )
    assert (
        b"Draft framework."
        not in _client(observer).get(reverse("commitments:organisation", args=["tunis"])).content
    )
    bad = client.post(url, {"section": "weather", "text": "x"})
    assert bad.status_code == 400
    assert ProfileRevision.objects.count() == 3


def test_only_cities_keep_profiles_and_pilot_projects(lead_org, representative):
    lead_org.kind = "civil_society"
    lead_org.save()
    with pytest.raises(Exception, match="cities"):
        services.add_profile_revision(lead_org, actor=representative, section="origins", text="x")


def test_a_pilot_project_is_saved_and_shown(other_org, other_representative):
    other_org.kind = "city"
    other_org.save()
    ThemeFactory(slug="education", name="Education")
    client = _client(other_representative)
    answer = client.post(
        reverse("commitments:pilot", args=["tunis"]),
        {
            "title": "Reading rooms",
            "summary": "Open libraries.",
            "theme": "education",
            "publish": "on",
        },
    )
    assert answer.status_code == 302
    public = Client().get(reverse("commitments:organisation", args=["tunis"])).content
    assert b"Reading rooms" in public
    api = Client().get(reverse("cm-api-organisation", args=["tunis"])).json()
    assert api["pilot_project"]["title"] == "Reading rooms"
    assert api["kind"] == "city"
    bad = client.post(reverse("commitments:pilot", args=["tunis"]), {"title": "", "theme": "x"})
    assert bad.status_code == 400


def test_an_unknown_organisation_is_404_everywhere():
    client = Client()
    assert client.get(reverse("commitments:organisation", args=["atlantis"])).status_code == 404
    assert client.get(reverse("cm-api-organisation", args=["atlantis"])).status_code == 404
    assert client.get(reverse("commitments:logo", args=["atlantis"])).status_code == 404


def test_a_change_of_a_commitment_is_shown_on_its_page(
    drafter, moderator, other_org, other_representative
):
    from tests.commitments.helpers import commit, later
    from tests.publication.helpers import approved

    rec = approved(drafter, moderator, title="Welcome points")
    c = commit(rec, other_org, other_representative)
    client = _client(other_representative)
    url = reverse("commitments:edit", args=[c.pk])
    data = {
        "action": "Open two desks.",
        "target_date": later(90).isoformat(),
        "indicator": "Desks open",
        "indicator_unit": "desks",
        "target_value": "2",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(c.get_absolute_url()).content.decode()
    assert "Changes of the commitment" in page
    assert "Open a welcome desk in every district." in page and "Open two desks." in page
    bad = client.post(url, {**data, "indicator_unit": ""})
    assert bad.status_code == 400 and "An indicator needs its unit." in bad.content.decode()
    c.refresh_from_db()
    assert c.indicator_unit == "desks"


def test_who_may_invite_finds_the_invitations_from_the_organisation_page(
    other_org, other_representative, other_participant, moderator, secretariat
):
    url = reverse("commitments:organisation", args=[other_org.slug])
    invite = reverse("invitations", args=[other_org.slug])
    for user in (other_representative, moderator, secretariat):
        page = _client(user).get(url).content.decode()
        assert f'href="{invite}"' in page, user
        assert _client(user).get(invite).status_code == 200
    assert f'href="{invite}"' not in _client(other_participant).get(url).content.decode()
    assert f'href="{invite}"' not in Client().get(url).content.decode()
