"""The permission-matrix runner itself (tests/matrix.py): what it sends is what a browser or an
API client sends, and an answer it caused itself never passes for an expected one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_recommendation
from tests.matrix import (
    API,
    CSRF_REFUSED,
    DENIED,
    LOGIN,
    PAGE,
    Action,
    Call,
    Matrix,
    Request,
    client_for,
    outcome,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approve(drafter, other_participant):
    """Approving a recommendation in review, which ``other`` may see but not do (403)."""
    rec = make_recommendation(drafter, status="in_review")
    return {
        PAGE: reverse("recommendations:approve", args=[rec.pk]),
        API: reverse("api-approve", args=[rec.pk]),
    }


@pytest.mark.parametrize("interface", [PAGE, API])
def test_a_write_with_the_token_reaches_the_permission_check(approve, other_participant, interface):
    client = client_for(other_participant)
    response = send(client, interface, "post", Request(approve[interface], {"version": 1}))
    assert outcome(response, interface) == DENIED


@pytest.mark.parametrize("interface", [PAGE, API])
def test_a_write_the_csrf_check_refuses_is_not_a_denial(approve, other_participant, interface):
    client = client_for(other_participant)
    if interface == PAGE:
        response = client.post(approve[PAGE], {"version": 1})
    else:
        response = client.post(approve[API], {"version": 1}, content_type="application/json")
    assert response.status_code == 403
    assert outcome(response, interface) == CSRF_REFUSED


@pytest.mark.parametrize("interface", [PAGE, API])
def test_anonymous_writes_answer_login(approve, interface):
    response = send(client_for(None), interface, "post", Request(approve[interface], {}))
    assert outcome(response, interface) == LOGIN


def test_a_table_that_does_not_fit_its_roles_is_refused():
    actions = {"read": Action(None, page=Call("get", "home"))}
    with pytest.raises(ValueError, match="1 answers for 2 roles"):
        Matrix(["a", "b"], actions, {"read": ["ok"]}, url_prefixes=("x:",))
    with pytest.raises(ValueError, match="unknown outcomes"):
        Matrix(["a"], actions, {"read": [403]}, url_prefixes=("x:",))
    with pytest.raises(ValueError, match="actions without answers"):
        Matrix(["a"], actions, {}, url_prefixes=("x:",))
