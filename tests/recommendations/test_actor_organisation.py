"""For which organisation a person acts on a recommendation (activity, presence labels)."""

from __future__ import annotations

import pytest

from accounts.services import set_membership
from recommendations.services import actor_organisation
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        name: OrganisationFactory(name=name.title(), slug=name)
        for name in ("amman", "beirut", "lyon", "tunis")
    }


def test_a_person_of_several_organisations_acts_for_the_drafting_one(orgs):
    lead = member_of(orgs["tunis"], "lead")
    rec = make_recommendation(lead, co_drafters=[orgs["lyon"]])
    both = member_of(orgs["amman"], "both")
    set_membership(both, orgs["lyon"], role="member", actor=None)
    assert actor_organisation(both, rec) == orgs["lyon"]  # the co-drafter, not Amman
    set_membership(both, orgs["tunis"], role="member", actor=None)
    assert actor_organisation(both, rec) == orgs["tunis"]  # the lead before a co-drafter
    outsider = member_of(orgs["lyon"], "outsider")
    set_membership(outsider, orgs["beirut"], role="member", actor=None)
    assert (
        actor_organisation(outsider, make_recommendation(lead)) == orgs["beirut"]
    )  # first by name
    assert actor_organisation(both) == orgs["amman"]  # no recommendation: the first by name


def test_a_person_of_one_organisation_acts_for_it_without_reading_the_drafters(
    orgs, django_assert_num_queries
):
    lead = member_of(orgs["tunis"], "lead")
    rec = make_recommendation(lead, co_drafters=[orgs["lyon"]])
    alone = member_of(orgs["amman"], "alone")
    with django_assert_num_queries(1):  # their organisations; the drafters cannot change it
        assert actor_organisation(alone, rec) == orgs["amman"]
    with django_assert_num_queries(1):
        assert actor_organisation(lead, rec) == orgs["tunis"]


def test_a_person_of_no_organisation_acts_for_none(orgs):
    from tests.factories import UserFactory

    rec = make_recommendation(member_of(orgs["tunis"], "lead"))
    assert actor_organisation(UserFactory(), rec) is None
