"""On a phone the recommendation's actions and endorsements are one tap away, not after every
comment (issue 13); on a laptop they stand beside the text and the shortcut is not shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.browser


def test_the_actions_are_one_tap_away_on_a_phone(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"), body="\n\n".join(["A paragraph."] * 40))
    page = new_page("ana")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/recommendations/{rec.pk}/")
    actions = page.get_by_role("heading", name="Actions", exact=True)
    expect(actions).not_to_be_in_viewport()
    page.get_by_role("link", name="Actions, endorsements and activity").click()
    expect(actions).to_be_in_viewport()
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/recommendations/{rec.pk}/")
    expect(page.get_by_role("link", name="Actions, endorsements and activity")).to_be_hidden()
    expect(actions).to_be_in_viewport()
