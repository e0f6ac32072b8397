"""Comments in Chromium: commenting on paragraphs and passages, replies, anchors that follow
the text, an official response, reporting and hiding; posting never loses what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.factories import BODY, OrganisationFactory, make_recommendation, member_of, with_role
from workspace.scale import build_discussion

pytestmark = pytest.mark.browser

FIRST, SECOND, THIRD = BODY.split("\n\n")

SELECT = """([key, text]) => {
  const para = document.querySelector(`#text .para[data-key="${key}"]`);
  const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""


@pytest.fixture
def people():
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    madrid = OrganisationFactory(name="Madrid", slug="madrid")
    return {
        "ana": member_of(lisbon, "ana"),
        "tarek": member_of(tunis, "tarek"),
        "marta": member_of(madrid, "marta"),
        "moderator": with_role("moderator"),
    }


def group(page, key):
    return page.locator(f"#para-comments-{key}")


def toggle(page, key):
    return page.locator(f'.para[data-key="{key}"] .para-margin .para-comment-toggle')


def comment_on_paragraph(page, key, text):
    toggle(page, key).click()
    box = group(page, key).get_by_label("Your comment", exact=True)
    expect(box).to_be_focused()
    box.fill(text)
    group(page, key).get_by_role("button", name="Post comment").click()


def item(page, text):
    return page.locator("li.comment-item", has=page.locator(":scope > article", has_text=text))


def test_participants_comment_reply_and_follow_the_text_to_a_response_and_a_hiding(
    new_page, people
):
    rec = make_recommendation(people["ana"], status="in_review")
    k1, k2, k3 = (p["key"] for p in rec.paragraphs)

    # A participant comments on a paragraph, then on a selected passage, then on paragraph 3.
    tarek = new_page("tarek")
    tarek.goto(f"/recommendations/{rec.pk}/")
    expect(toggle(tarek, k1)).to_contain_text("0")
    tarek.evaluate("window.stillTheSamePage = true")
    comment_on_paragraph(tarek, k1, "Also on **weekends**, please.")
    expect(group(tarek, k1).locator(".comment-body strong")).to_have_text("weekends")
    expect(toggle(tarek, k1)).to_contain_text("1")
    expect(group(tarek, k1).get_by_label("Your comment", exact=True)).to_have_value("")

    assert tarek.evaluate(SELECT, [k2, "main languages of arrival"])
    selection_button = tarek.locator(f'.para-tools[data-for="{k2}"]').get_by_role(
        "button", name="Comment on selection"
    )
    expect(selection_button).to_be_visible()
    expect(tarek.locator(f'.para-tools[data-for="{k1}"] .comment-selection')).to_be_hidden()
    selection_button.click()
    quote = group(tarek, k2).get_by_label("Quoted passage (optional)")
    expect(quote).to_have_value("main languages of arrival")
    group(tarek, k2).get_by_label("Your comment", exact=True).fill("Which languages exactly?")
    group(tarek, k2).get_by_role("button", name="Post comment").click()
    expect(group(tarek, k2).locator("blockquote.comment-quote")).to_have_text(
        "main languages of arrival"
    )
    comment_on_paragraph(tarek, k3, "Who pays after five years?")
    expect(group(tarek, k3)).to_contain_text("Who pays after five years?")
    expect(tarek.locator("[data-field=comment-total]")).to_have_text("3")
    assert tarek.evaluate("window.stillTheSamePage === true")  # posted without a reload

    # The author edits a comment in place; the earlier text is kept in its history.
    mine = tarek.locator(f"#comment-{Comment.objects.get(body='Who pays after five years?').pk}")
    mine.locator(":scope > article summary", has_text="Edit").click()
    mine.get_by_label("Edit your comment").fill("Who pays after the first five years?")
    mine.get_by_role("button", name="Save comment").click()
    expect(mine.locator(":scope > article .comment-body")).to_have_text(
        "Who pays after the first five years?"
    )
    expect(mine.get_by_role("link", name="edited")).to_be_visible()
    assert tarek.evaluate("window.stillTheSamePage === true")

    # Another participant replies; the reply is nested under the comment.
    marta = new_page("marta")
    marta.goto(f"/recommendations/{rec.pk}/")
    first = item(marta, "Also on weekends")
    first.locator(":scope > article summary", has_text="Reply").click()
    first.get_by_label("Your reply").fill("Weekends matter for working parents.")
    first.get_by_role("button", name="Post reply").click()
    expect(first.locator(":scope > ol.replies")).to_contain_text("working parents")
    expect(toggle(marta, k1)).to_contain_text("2")
    expect(first.locator(":scope > article details[open]")).to_have_count(0)

    # The drafter edits paragraph 1 lightly: its comments stay on it.
    ana = new_page("ana", coedit=False)  # the plain form posts the whole text
    ana.goto(f"/recommendations/{rec.pk}/edit/")
    light = FIRST.replace("single welcome point", "single, central welcome point")
    ana.get_by_label("Text (Markdown)").fill("\n\n".join([light, SECOND, THIRD]))
    ana.get_by_role("button", name=re.compile("Save")).click()
    expect(ana.locator("#text")).to_contain_text("single, central welcome point")
    expect(ana.locator(f'#text .para[data-key="{k1}"]')).to_contain_text("central")
    expect(group(ana, k1)).to_contain_text("Also on weekends")
    expect(group(ana, k1)).to_contain_text("working parents")

    # ...then deletes paragraph 3: its comment is shown as outdated, with its version.
    ana.goto(f"/recommendations/{rec.pk}/edit/")
    ana.get_by_label("Text (Markdown)").fill("\n\n".join([light, SECOND]))
    ana.get_by_role("button", name=re.compile("Save")).click()
    expect(ana.locator("#text")).not_to_contain_text("fund these points")
    outdated = ana.locator("#outdated-comments")
    expect(outdated).to_be_visible()
    expect(outdated).to_contain_text("Who pays after the first five years?")
    expect(outdated).to_contain_text("Made on version 1; its paragraph is no longer in the text.")
    expect(group(ana, k1)).to_contain_text("Also on weekends")

    # The drafter answers the passage comment: partly accepted, recording version 3.
    passage = item(ana, "Which languages exactly?")
    passage.locator(":scope > article summary", has_text="Respond").click()
    passage.get_by_label("Partly accepted").check()
    passage.get_by_label("Reason for the response").fill("Arabic and French; others on demand.")
    passage.get_by_role("button", name="Give response").click()
    expect(passage.locator("[data-field=response]")).to_contain_text("Partly accepted")
    expect(passage.locator("[data-field=response]")).to_contain_text("led to version 3")
    ana.reload()
    expect(ana.locator("#comment-responses")).to_contain_text("Partly accepted")
    expect(ana.locator("#comment-responses")).to_contain_text("answered in version 3")

    # The thread filter shows only outdated threads.
    ana.get_by_label("Show threads").select_option("outdated")
    expect(item(ana, "Who pays after the first five years?")).to_be_visible()
    expect(item(ana, "Which languages exactly?")).to_be_hidden()
    ana.get_by_label("Show threads").select_option("all")

    # A participant reports a comment; a moderator hides it from the queue with a reason.
    marta.reload()
    reported = item(marta, "Who pays after the first five years?")
    reported.locator(":scope > article summary", has_text="Report").click()
    reported.get_by_label("Why should a moderator look at this comment?").fill("Off topic")
    reported.get_by_role("button", name="Report to the moderators").click()
    expect(reported.locator("[data-field=reported]")).to_have_text("You reported this comment.")

    moderator = new_page("moderator")
    moderator.goto("/comments/moderation/")
    queued = moderator.locator("#reported li.card", has_text="Who pays after the first five years?")
    expect(queued).to_contain_text("Off topic")
    queued.get_by_label("Reason for hiding (the author sees it)").fill("Not about this text")
    queued.get_by_role("button", name="Hide comment").click()
    moderator.get_by_role("dialog").get_by_role("button", name="Hide comment").click()
    expect(moderator.get_by_text("No reported comments.")).to_be_visible()

    marta.reload()
    hidden = item(marta, "This comment was hidden by a moderator.")
    expect(hidden).to_be_visible()
    expect(marta.locator("#comments")).not_to_contain_text("Who pays after the first five years?")
    tarek.reload()
    own = item(tarek, "This comment was hidden by a moderator.")
    expect(own).to_contain_text("Not about this text")
    expect(own).to_contain_text("Who pays after the first five years?")

    hidden_comment = Comment.objects.get(body="Who pays after the first five years?")
    assert hidden_comment.hidden and hidden_comment.hidden_reason == "Not about this text"
    for page in (tarek, marta, ana, moderator):
        assert page.console_errors == [], page.console_errors


def test_a_refused_post_keeps_the_text_with_and_without_javascript(browser, live, people):
    rec = make_recommendation(people["ana"], status="in_review")
    key = rec.paragraphs[0]["key"]
    for javascript in (True, False):
        context = browser.new_context(base_url=live, java_script_enabled=javascript)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("tarek")
        page.get_by_label("Password").fill("pw")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(f"/recommendations/{rec.pk}/")
        if javascript:
            toggle(page, key).click()
            form = group(page, key)
        else:
            form = page.locator(".compose-general")
            form.get_by_label("Comment on", exact=True).select_option(key)
        form.get_by_label("Quoted passage (optional)").fill("words that are not there")
        form.get_by_label("Your comment", exact=True).fill(f"A careful comment ({javascript}).")
        form.get_by_role("button", name="Post comment").click()
        if javascript:
            expect(form.locator(".form-errors")).to_contain_text(
                "The quoted passage is not in that paragraph."
            )
            expect(form.get_by_label("Your comment", exact=True)).to_have_value(
                "A careful comment (True)."
            )
        else:
            expect(page.locator("h1")).to_have_text("Your comment was not posted")
            expect(page.get_by_role("alert")).to_contain_text("not in that paragraph")
            expect(page.get_by_label("Your comment")).to_have_value("A careful comment (False).")
            expect(page.get_by_label("Quoted passage (optional)")).to_have_value(
                "words that are not there"
            )
            # Corrected and sent again from the same page: posted.
            page.get_by_label("Quoted passage (optional)").fill("welcome point")
            page.get_by_role("button", name="Post comment").click()
            expect(page.locator(f"#para-comments-{key}")).to_contain_text(
                "A careful comment (False)."
            )
        context.close()
    assert Comment.objects.filter(body="A careful comment (False).").exists()
    assert not Comment.objects.filter(body="A careful comment (True).").exists()


def test_live_events_insert_and_update_comments_in_place_without_touching_typing(new_page, people):
    rec = make_recommendation(people["ana"], status="in_review")
    key = rec.paragraphs[1]["key"]
    page = new_page("tarek")
    page.goto(f"/recommendations/{rec.pk}/")
    general = page.locator(".compose-general")
    general.get_by_label("Your comment", exact=True).fill("Half-written thought")

    comment = services.post_comment(rec, actor=people["marta"], body="Arrived *live*.", anchor=key)
    event = {
        "type": "comment.created",
        "recommendation": rec.pk,
        "seq": 99,
        "data": {"comment": {"id": comment.pk, "author": "Marta"}, "action": "created"},
    }
    dispatch = "(m) => document.dispatchEvent(new CustomEvent('live:event', {detail: m}))"
    page.evaluate(dispatch, event)
    page.evaluate(dispatch, event)  # the same event twice (own post + socket): one copy
    expect(group(page, key).locator(".comment-body em")).to_have_text("live")
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(1)
    expect(toggle(page, key)).to_contain_text("1")
    expect(page.locator("#live-banner")).to_contain_text("New comment by Marta")

    services.hide_comment(comment, actor=people["moderator"], reason="Spam")
    page.evaluate(dispatch, {**event, "type": "comment.updated", "seq": 100})
    expect(page.locator(f"#comment-{comment.pk} [data-field=hidden]")).to_be_visible()
    expect(page.locator(f"#comment-{comment.pk}")).not_to_contain_text("Arrived")
    expect(general.get_by_label("Your comment", exact=True)).to_have_value("Half-written thought")
    assert page.console_errors == [], page.console_errors


def test_a_long_discussion_folds_its_threads_and_opens_them_in_place(new_page, people):
    """Above 40 comments each thread shows its first comment (issue 15: the page's weight);
    its replies open in place, arrive into the fold live, and a link to one opens it."""
    rec = make_recommendation(people["ana"], status="in_review")
    build_discussion(rec, comments=45, threads=9)
    roots = list(Comment.objects.of(rec).filter(parent=None).order_by("pk"))
    replies = {root.pk: _replies_of(root) for root in roots}
    page = new_page("tarek")
    page.goto(f"/recommendations/{rec.pk}/")
    expect(page.locator("li.comment-item")).to_have_count(9)
    expect(page.locator("[data-field=comment-total]")).to_have_text("45")

    # "Show N replies" opens the thread where it is: no new page, focus on the first reply.
    first = page.locator(f"li#comment-{roots[0].pk}")
    n = len(replies[roots[0].pk])
    first.get_by_role("link", name=f"Show {n} replies").click()
    expect(page.locator("li.comment-item")).to_have_count(9 + n)
    expect(first.locator(".folded-replies")).to_have_count(0)
    expect(page.locator(f"li#comment-{replies[roots[0].pk][0]}")).to_be_focused()
    assert "?comment=" not in page.url

    # A reply from someone else joins the fold's count, without opening it.
    second = page.locator(f"li#comment-{roots[1].pk}")
    m = len(replies[roots[1].pk])
    late = services.post_comment(rec, actor=people["marta"], body="Late reply", parent=roots[1])
    event = {
        "type": "comment.created",
        "recommendation": rec.pk,
        "seq": 99,
        "data": {"comment": {"id": late.pk, "author": "Marta"}, "action": "created"},
    }
    page.evaluate(
        "(m) => document.dispatchEvent(new CustomEvent('live:event', {detail: m}))", event
    )
    expect(second.locator(".folded-replies a")).to_have_text(f"Show {m + 1} replies")
    expect(page.locator("[data-field=comment-total]")).to_have_text("46")
    expect(page.locator(f"li#comment-{late.pk}")).to_have_count(0)

    # One's own reply to a folded thread opens it, with the reply in it.
    third = page.locator(f"li#comment-{roots[2].pk}")
    third.locator(":scope > article summary", has_text="Reply").click()
    third.get_by_label("Your reply").fill("My own reply")
    third.get_by_role("button", name="Post reply").click()
    expect(third.locator("li.comment-item", has_text="My own reply")).to_be_visible()
    expect(third.locator(".folded-replies")).to_have_count(0)
    expect(page.locator("[data-field=comment-total]")).to_have_text("47")

    # A link to a folded reply (from a notification, a search) opens its thread.
    deep = replies[roots[3].pk][-1]
    other = new_page("marta")
    other.goto(f"/recommendations/{rec.pk}/#comment-{deep}")
    expect(other.locator(f"li#comment-{deep}")).to_be_visible()
    expect(other.locator(f"li#comment-{roots[4].pk} .folded-replies")).to_have_count(1)
    assert page.console_errors == [] and other.console_errors == []


def _replies_of(root: Comment) -> list[int]:
    """The ids of a thread's replies, in the order the page shows them."""
    found, stack = [], list(reversed(root.replies.order_by("created_at", "pk")))
    while stack:
        reply = stack.pop()
        found.append(reply.pk)
        stack.extend(reversed(reply.replies.order_by("created_at", "pk")))
    return found


def test_in_the_arabic_interface_a_paragraphs_comments_read_right_to_left_beside_an_english_text(
    new_page, people
):
    """The comments are moved beside their paragraph, inside the English text: their tools
    keep the reader's language and direction; each comment's text keeps its own."""
    rec = make_recommendation(people["ana"], status="in_review")
    key = rec.paragraphs[0]["key"]
    services.post_comment(
        rec, actor=people["tarek"], body="يجب توفير الترجمة.", anchor=key, language="ar"
    )
    services.post_comment(
        rec, actor=people["marta"], body="Agreed, in Spanish too.", anchor=key, language="en"
    )
    page = new_page("tarek")
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": page.url}])
    page.goto(f"/recommendations/{rec.pk}/")
    toggle(page, key).click()
    comments = group(page, key)
    expect(comments).to_be_visible()
    style = "(el) => [el.lang, getComputedStyle(el).direction]"
    assert page.locator("#text").evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert comments.evaluate(style) == ["ar", "rtl"]
    assert page.locator(f'.para-tools[data-for="{key}"]').evaluate(style) == ["ar", "rtl"]
    arabic = comments.locator(".comment-body", has_text="الترجمة")
    english = comments.locator(".comment-body", has_text="Spanish")
    assert arabic.evaluate(style) == ["ar", "rtl"]
    assert english.evaluate(style) == ["en", "ltr"]
