"""Every page of the workspace, as every role, in Chromium (issue 13).

The list of pages comes from the URL configuration: each named URL is either a page (a GET
that answers HTML; ``PAGES`` says how to fill its arguments from the demo data) or is listed
in ``NOT_PAGES`` with the reason. A new URL that is in neither fails the test, so a new page is
checked or somebody decided it is not one.

Per role and page: axe-core (shipped by axe-playwright-python) at 1366 px reports no serious
or critical violation; the same loaded page resized to 390 px does not scroll sideways; no
console error and no Content-Security-Policy violation. Then each language once, with one
role, at 390 px: ``lang`` and ``dir`` right, nothing sideways.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, Organisation, User
from accounts.services import set_membership
from comments.models import Comment
from commitments.models import Commitment
from conference.models import Session
from publication.models import Edition
from recommendations.models import Recommendation, Status
from tests.helpers import url_names

pytestmark = pytest.mark.browser

ROLES = (None, "observer", "member", "beirut", "moderator", "secretariat")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Named URLs that are not pages (a GET answering HTML), and why.
NOT_PAGES: dict[str, str] = {
    "logout": "POST only",
    "passkey_auth_begin": "JSON for the passkey ceremony",
    "passkey_auth_complete": "JSON for the passkey ceremony",
    "passkey_register_begin": "JSON for the passkey ceremony",
    "passkey_register_complete": "JSON for the passkey ceremony",
    "profile_language": "POST only (the form is on the profile page)",
    "two_factor_remove_device": "POST only (the form is on the profile page)",
    "api_token": "POST only (the form is on the profile page)",
    "two_factor_recovery_codes": "POST only (shows new codes once; the form is on the profile)",
    "two_factor_disable": "POST only (the form is on the profile page)",
    "set_language": "POST only (the switcher in the header)",
    "recommendations:preview": "POST only: the editor's preview fragment",
    "recommendations:restore": "POST only (the form is on the history page)",
    "recommendations:drafters": "POST only (the form is on the recommendation page)",
    "publication:markdown": "the canonical Markdown download",
    "publication:publish": "POST only (the form is on the draft edition's page)",
    "publication:endorse": "POST only (the form is on the recommendation page)",
    "publication:withdraw": "POST only (the form is on the recommendation page)",
    "publication:reconfirm": "POST only (the form is on the recommendation page)",
    "comments:create": "POST only (the form is on the recommendation page)",
    "comments:export": "CSV download",
    "comments:fragment": "an HTML fragment for the live page, not a page",
    "recommendations:panels": "JSON: the detail page's live panels, not a page",
    "comments:edit": "POST only (the form is in the comment)",
    "comments:resolve": "POST only (the form is in the comment)",
    "comments:reopen": "POST only (the form is in the comment)",
    "comments:respond": "POST only (the form is in the comment)",
    "comments:report": "POST only (the form is in the comment)",
    "comments:hide": "POST only (the form is in the comment)",
    "comments:restore": "POST only (the form is in the comment)",
    "comments:dismiss": "POST only (the form is in the moderation queue)",
    "audit:export": "CSV download",
    "healthz": "plain text for load balancers",
    "profile_time_zone": "POST only (the form is on the profile page)",
    "recommendations:translators": "POST only (the form is on the recommendation page)",
    "publication:language_markdown": "the canonical Markdown of one language, a download",
    "commitments:commit": "POST only (the form is on the recommendation page)",
    "commitments:progress": "POST only (the form is on the commitment's page)",
    "commitments:verify": "POST only (the form is on the commitment's page)",
    "commitments:request_update": "POST only (the form is on the commitment's page)",
    "commitments:reconfirm": "POST only (the form is on the commitment's page)",
    "commitments:visibility": "POST only (the form is on the commitment's page)",
    "commitments:edit": "POST only (the form is on the commitment's page)",
    "commitments:profile": "POST only (the form is on the organisation's edit page)",
    "commitments:pilot": "POST only (the form is on the organisation's edit page)",
    "commitments:logo": "the organisation's logo, an image",
    "invitation_revoke": "POST only (the form is on the invitations page)",
    "invitation_accept": "a signed link from an e-mail (its pages are tested with real tokens)",
    "password_reset_confirm": "a signed link from an e-mail (tested with real tokens)",
    "notifications:unsubscribe": "a signed link from an e-mail (tested with real tokens)",
    "notifications:read": "POST only (the form is on the notifications page)",
    "notifications:read_all": "POST only (the form is on the notifications page)",
    "notifications:follow": "POST only (the form is on the recommendation page)",
    "publication:pdf": "the edition's stored PDF, a download",
    "publication:choose": "POST only (the form is on the draft edition's page)",
    "conference:programme-ics": "the programme's calendar (.ics), a download",
    "conference:session-ics": "a session's calendar (.ics), a download",
}
# Families that are not the workspace's own pages: Django's admin and the JSON API.
NOT_PAGE_PREFIXES = (
    "admin:",
    "api",
    "pub-api",
    "comments_api:",
    "cm-api-",
    "conf-api-",
    "accounts_api:",
    "notifications_api:",
)


@dataclass
class Demo:
    """What the pages' arguments are made of: the demo data as seed_demo leaves it."""

    recommendation: Recommendation
    draft: Recommendation
    comment: Comment
    edition: Edition
    draft_edition: Edition
    extra: dict[str, Any] = field(default_factory=dict)


# name -> (demo -> reverse() kwargs)
PAGES: dict[str, Callable[[Demo], dict[str, Any]]] = {
    "home": lambda d: {},
    "login": lambda d: {},
    "two_factor_verify": lambda d: {},
    "password_change": lambda d: {},
    "password_change_done": lambda d: {},
    "profile": lambda d: {},
    "two_factor_setup": lambda d: {},
    "recommendations:list": lambda d: {},
    "recommendations:create": lambda d: {},
    "recommendations:detail": lambda d: {"pk": d.recommendation.pk},
    "recommendations:edit": lambda d: {"pk": d.draft.pk},
    "recommendations:history": lambda d: {"pk": d.recommendation.pk},
    "recommendations:compare": lambda d: {"pk": d.recommendation.pk},
    # Confirmation pages of the irreversible steps (403 pages for those who may not).
    "recommendations:submit": lambda d: {"pk": d.draft.pk},
    "recommendations:approve": lambda d: {"pk": d.recommendation.pk},
    "recommendations:reject": lambda d: {"pk": d.recommendation.pk},
    "recommendations:withdraw": lambda d: {"pk": d.draft.pk},
    "recommendations:finalise": lambda d: {"pk": d.recommendation.pk},
    "publication:latest": lambda d: {},
    "publication:edition": lambda d: {"number": d.edition.number},
    "publication:print": lambda d: {"number": d.edition.number},
    "publication:compose": lambda d: {},
    "publication:draft": lambda d: {"pk": d.draft_edition.pk},
    "comments:moderation": lambda d: {},
    "comments:history": lambda d: {"pk": d.comment.pk},
    "comments:actions": lambda d: {"pk": d.comment.pk},
    "audit:log": lambda d: {},
    "recommendations:translate": lambda d: {"pk": d.recommendation.pk, "lang": "fr"},
    "commitments:detail": lambda d: {"pk": d.extra["commitment"].pk},
    "commitments:followup": lambda d: {},
    "commitments:followup_recommendation": lambda d: {
        "pk": d.extra["commitment"].recommendation_id
    },
    "commitments:organisation": lambda d: {"slug": "beirut"},
    "commitments:organisation_edit": lambda d: {"slug": "beirut"},
    "commitments:profile_history": lambda d: {"slug": "beirut", "section": "origins"},
    "invitations": lambda d: {"slug": "beirut"},
    "notifications:list": lambda d: {},
    "notifications:preferences": lambda d: {},
    "password_reset": lambda d: {},
    "password_reset_done": lambda d: {},
    "password_reset_complete": lambda d: {},
    "conference:detail": lambda d: {},
    "conference:programme": lambda d: {},
    "conference:session": lambda d: {"pk": d.extra["session"].pk},
    "conference:overview": lambda d: {},
}


def not_a_page(name: str) -> bool:
    return name in NOT_PAGES or name.startswith(NOT_PAGE_PREFIXES)


def test_every_named_url_is_a_checked_page_or_says_why_not():
    names = set(url_names())
    unknown = sorted(n for n in names if n not in PAGES and not not_a_page(n))
    assert unknown == [], f"new URLs: add them to PAGES (a page) or NOT_PAGES (why not): {unknown}"
    gone = sorted(n for n in [*PAGES, *NOT_PAGES] if n not in names)
    assert gone == [], f"URL names that no longer exist: {gone}"


def demo_data() -> Demo:
    # Made outside the browser's event-loop thread, where the live events it sends can run.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_demo_data).result()


def _demo_data() -> Demo:
    call_command("seed_demo", verbosity=0)
    beirut = Organisation.objects.get(slug="beirut")
    member = User.objects.create_user("member", password="demo", display_name="Beirut member")
    set_membership(member, beirut, role=Membership.Role.MEMBER, actor=None)
    commented = (
        Recommendation.objects.filter(comments__isnull=False, status=Status.APPROVED)
        .order_by("pk")
        .first()
    )
    # Beirut leads it: its editor is a page for Beirut's people, a 403 page for the others.
    draft = Recommendation.objects.filter(lead_organisation=beirut).order_by("pk").first()
    secretariat = User.objects.get(username="secretariat")
    draft_edition = Edition.objects.drafts().first() or Edition.objects.create(
        title="Follow-up", created_by=secretariat
    )
    return Demo(
        recommendation=commented,
        draft=draft,
        comment=Comment.objects.filter(recommendation=commented).order_by("pk").first(),
        edition=Edition.objects.published().first(),
        draft_edition=draft_edition,
        extra={
            "commitment": Commitment.objects.filter(is_public=True).order_by("pk").first(),
            "session": Session.objects.order_by("starts_at", "pk").first(),
        },
    )


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
}


def visit(page, url: str, axe) -> list[str]:
    """Problems of one page as the person in ``page`` sees it (empty when none)."""
    problems: list[str] = []
    page.set_viewport_size(LAPTOP)
    # Ask first: a URL that is not a page (405, a download) would not load in a tab.
    head = page.request.get(url, max_redirects=0)
    kind = head.headers.get("content-type", "")
    if (
        head.status == 405
        or head.status >= 500
        or not (300 <= head.status < 400 or "text/html" in kind)
    ):
        return [f"{url}: GET answers {head.status} {kind}: not a page (list it in NOT_PAGES)"]
    page.console_errors.clear()
    response = page.goto(url)
    status = response.status if response else 0
    page.wait_for_load_state("load")
    results = axe.run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
            problems.append(f"{url}: axe {violation['impact']} {violation['id']} at {targets}")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{url}: {width} px wide at {PHONE['width']} px")
    errors = [
        e
        for e in page.console_errors
        # The page's own status (a 403 or 404 page is still checked) is not an error of it.
        if not (
            (status >= 400 and e.startswith("Failed to load resource"))
            or e.startswith(f"{status} ")
        )
    ]
    problems += [f"{url}: console: {e}" for e in errors]
    return problems


@pytest.mark.timeout(600)
def test_every_page_as_every_role_passes_axe_and_fits_a_phone(new_page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    demo = demo_data()
    urls = [reverse(name, kwargs=kwargs(demo)) for name, kwargs in PAGES.items()]
    problems: list[str] = []
    for role in ROLES:
        page = new_page(role, password="demo") if role else new_page()
        for url in urls:
            problems += [f"[{role or 'anonymous'}] {p}" for p in visit(page, url, axe)]
        page.context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_every_page_in_each_language_fits_a_phone_with_lang_and_dir(new_page, language, direction):
    demo = demo_data()
    page = new_page("beirut", password="demo")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.set_viewport_size(PHONE)
    problems = []
    for name, kwargs in PAGES.items():
        url = reverse(name, kwargs=kwargs(demo))
        page.console_errors.clear()
        page.goto(url)
        html = page.locator("html")
        if (html.get_attribute("lang"), html.get_attribute("dir")) != (language, direction):
            problems.append(
                f"{url}: lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}"
            )
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{url}: {width} px wide")
        problems += [
            f"{url}: console: {e}"
            for e in page.console_errors
            if not e.startswith(("403 ", "404 "))
        ]
    assert problems == [], "\n".join(problems)
