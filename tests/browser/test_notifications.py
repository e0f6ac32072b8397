"""Notifications in Chromium, with a real SMTP server: Beirut's bell counts Lyon's comment
without a reload and opens it; a representative is asked to endorse the moment a text is
approved; a moderator sees the report count in the menu; an invitation e-mail opened in the
browser lets a new person set a password and land in their organisation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership, User
from comments import services as comments
from notifications import services as notifications
from notifications.kinds import Channel
from tests.factories import (
    OrganisationFactory,
    make_recommendation,
    representative_of,
    with_role,
)
from tests.mailserver import run_tasks, text_of

pytestmark = pytest.mark.browser


@pytest.fixture
def cities():
    beirut = OrganisationFactory(name="Beirut", slug="beirut")
    lyon = OrganisationFactory(name="Lyon", slug="lyon")
    people = {
        "beirut": representative_of(beirut, "beirut"),
        "lyon": representative_of(lyon, "lyon"),
    }
    for user in people.values():
        user.email = f"{user.username}@example.org"
        user.save()
    people["orgs"] = {"beirut": beirut, "lyon": lyon}
    return people


def bell(page):
    return page.locator('[data-js="bell-count"]')


def test_lyon_comments_and_beiruts_bell_counts_it_live_and_opens_it(
    new_page, cities, smtp, settings, live
):
    settings.WORKSPACE_BASE_URL = live
    rec = make_recommendation(cities["beirut"], status="in_review", title="One front door")
    notifications.set_preferences(actor=cities["beirut"], channels={"comment": Channel.IMMEDIATE})

    beirut = new_page("beirut")
    beirut.goto("/")
    expect(bell(beirut)).to_be_hidden()
    beirut.wait_for_timeout(500)  # the bell's socket is open

    lyon = new_page("lyon")
    lyon.goto(f"/recommendations/{rec.pk}/")
    form = lyon.locator(".compose-general")
    form.get_by_label("Your comment", exact=True).fill("Lyon supports this and offers its guides.")
    form.get_by_role("button", name="Post comment").click()
    expect(lyon.locator("li.comment-item").first).to_contain_text("offers its guides")

    expect(bell(beirut)).to_have_text("1")  # no reload
    expect(beirut.locator('[data-js="bell-live"]')).to_contain_text("commented on")
    beirut.locator('[data-js="bell"]').click()
    beirut.get_by_role("button", name=re.compile("commented on")).click()
    expect(beirut).to_have_url(
        re.compile(rf"/recommendations/{rec.pk}/\?comment=(\d+)#comment-\1$")
    )
    comment_id = beirut.url.rsplit("-", 1)[1]
    expect(beirut.locator(f"#comment-{comment_id}")).to_contain_text("offers its guides")
    expect(bell(beirut)).to_be_hidden()  # read now

    run_tasks()
    [message] = smtp.to("beirut@example.org")
    assert "Lyon supports this" in text_of(message)
    assert f"{live}/recommendations/{rec.pk}/?comment={comment_id}#comment-{comment_id}" in (
        text_of(message)
    )
    assert not beirut.console_errors


def test_a_representative_is_asked_to_endorse_the_moment_a_text_is_approved(
    new_page, cities, api_as, roles
):
    moderator = with_role("moderator", "mod")
    rec = make_recommendation(cities["lyon"], status="in_review", title="Housing first")
    beirut = new_page("beirut")
    beirut.goto("/")
    beirut.wait_for_timeout(500)
    answer = api_as(moderator).post(
        reverse("api-approve", args=[rec.pk]), json={"version": rec.version}
    )
    assert answer.status_code == 200, answer.text
    expect(bell(beirut)).to_have_text("1")
    beirut.reload()
    expect(beirut.locator('[data-js="to-endorse"]')).to_contain_text("Housing first")

    # a report reaches the moderators' menu, with its count
    comment = comments.post_comment(rec, actor=cities["lyon"], body="A comment")
    comments.report_comment(comment, actor=cities["beirut"], reason="Off topic")
    mod = new_page("mod")
    mod.goto("/")
    expect(mod.locator('[data-js="moderation-count"]')).to_have_text("1")
    mod.locator('[data-js="moderation-link"]').click()
    expect(mod).to_have_url(re.compile(r"/comments/moderation/$"))


@pytest.mark.parametrize("width", [1366, 390])
def test_an_invitation_e_mail_lets_a_new_person_join(new_page, cities, smtp, settings, live, width):
    settings.WORKSPACE_BASE_URL = live
    beirut = new_page("beirut")
    beirut.set_viewport_size({"width": width, "height": 900})
    beirut.goto("/accounts/profile/")
    beirut.get_by_role("link", name="Invite people").click()
    beirut.get_by_label("E-mail address").fill(f"rania{width}@example.org")
    beirut.get_by_label("Role").select_option("member")
    beirut.get_by_role("button", name="Send the invitation").click()
    expect(beirut.locator(".messages")).to_contain_text(f"rania{width}@example.org")

    run_tasks()
    [message] = smtp.to(f"rania{width}@example.org")
    link = re.search(r"http\S+/accounts/invitation/\S+/", text_of(message)).group(0)
    newcomer = new_page()
    newcomer.set_viewport_size({"width": width, "height": 900})
    newcomer.goto(link)
    newcomer.get_by_label("User name").fill(f"rania{width}")
    newcomer.get_by_label("Your name as others see it").fill("Rania")
    newcomer.locator("input[name=password1]").fill("a long pass phrase 42")
    newcomer.get_by_label("The same password again").fill("a long pass phrase 42")
    newcomer.get_by_role("button", name="Join").click()
    expect(newcomer.locator("h1")).to_contain_text("Welcome, Rania")
    expect(newcomer.locator("main")).to_contain_text("Beirut")
    user = User.objects.get(username=f"rania{width}")
    assert Membership.objects.get(user=user).organisation == cities["orgs"]["beirut"]
    newcomer.goto(link)
    expect(newcomer.get_by_role("alert")).to_contain_text("already been used")
    assert not newcomer.console_errors


def test_mentions_autocomplete_with_the_keyboard_and_warn_before_posting(new_page, cities):
    draft = make_recommendation(cities["beirut"], title="Still a draft")
    beirut = new_page("beirut")
    beirut.goto(f"/recommendations/{draft.pk}/")
    box = beirut.locator(".compose-general").get_by_label("Your comment", exact=True)
    box.press_sequentially("Ask @ly")
    options = beirut.locator(".compose-general [role=option]")
    expect(options.first).to_contain_text("@lyon")
    box.press("Enter")
    expect(box).to_have_value("Ask @lyon ")
    # Lyon cannot see a draft of Beirut's: the author is told before posting
    expect(beirut.locator(".compose-general .mention-warning")).to_contain_text("@lyon")

    rec = make_recommendation(cities["beirut"], status="in_review", title="Open text")
    beirut.goto(f"/recommendations/{rec.pk}/")
    box = beirut.locator(".compose-general").get_by_label("Your comment", exact=True)
    box.press_sequentially("Thanks @ly")
    expect(beirut.locator(".compose-general [role=option]").first).to_contain_text("@lyon")
    box.press("Tab")
    box.press_sequentially("for the guides.")
    expect(beirut.locator(".compose-general .mention-warning")).to_be_empty()
    beirut.locator(".compose-general").get_by_role("button", name="Post comment").click()
    expect(beirut.locator("li.comment-item a.mention").first).to_have_text("@lyon")
    assert not beirut.console_errors
