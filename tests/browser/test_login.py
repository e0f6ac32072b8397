import pytest

from accounts.services import set_membership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_demo_user_logs_in_and_sees_its_organisation_on_the_profile(new_page):
    beirut = OrganisationFactory(name="Beirut", slug="beirut", country="Lebanon")
    set_membership(UserFactory(username="beirut"), beirut, role="representative", actor=None)
    page = new_page("beirut")
    page.goto("/accounts/profile/")
    row = page.locator('tr[data-organisation="beirut"]')
    assert row.inner_text().startswith("Beirut")
    assert "Representative" in row.inner_text()
    assert page.console_errors == []


def test_wrong_password_stays_on_the_login_page_with_an_error(new_page):
    UserFactory(username="beirut")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("beirut")
    page.get_by_label("Password").fill("not-it")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
