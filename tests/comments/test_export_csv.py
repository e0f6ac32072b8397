"""CSV formula injection: core.csv's rule (every field quoted; a ``'`` before a formula start at
the start of a cell and after every separator a spreadsheet may split on) and the comments
export that uses it."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from django.urls import reverse

from comments import services
from core.csv import DANGEROUS_STARTS, SEPARATORS, safe_cell, writer
from tests.factories import make_recommendation

# The finding: Excel in a locale whose list separator is ";" splits this and runs the formula.
REPRODUCTION = "x;=cmd|' /C calc'!A0;y"
DANGERS = ["=", "+", "-", "@", "\t", "\r"]


# --- core.csv.safe_cell ----------------------------------------------------------------------
def test_a_formula_after_a_semicolon_is_neutralised():
    assert safe_cell(REPRODUCTION) == "x;'=cmd|' /C calc'!A0;y"


@pytest.mark.parametrize("danger", DANGERS)
def test_each_dangerous_start_is_neutralised_at_the_start(danger):
    assert safe_cell(f"{danger}1+1") == f"'{danger}1+1"


@pytest.mark.parametrize("separator", [";", ",", "\t", "\n", "\r\n"])
@pytest.mark.parametrize("danger", DANGERS)
def test_each_dangerous_start_is_neutralised_after_a_separator(danger, separator):
    cell = safe_cell(f"a{separator}{danger}1+1")
    prefix = f"a{separator}'"
    assert cell.startswith(prefix)
    assert cell[len(prefix) :].replace("'", "") == f"{danger}1+1"  # a tab/CR is one itself


def test_spaces_and_double_quotes_before_a_formula_do_not_hide_it():
    assert safe_cell("a; =1+1") == "a; '=1+1"
    assert safe_cell('a;"=1+1"') == 'a;"\'=1+1"'
    assert safe_cell(' "@SUM(A1)') == " \"'@SUM(A1)"


def test_harmless_text_is_unchanged():
    for text in (
        "Cities should open a single welcome point.",
        "well-known, state-funded; e-mail a@b.org",
        "1-2 and 3+4 and x=y",
        "2025-03-01T10:00:00+00:00",
        "a - b; c + d, e @ f",  # an operator after a space inside a part: text in every reader
        "| a | b |\n| --- | --- |\n| -1 | 2 |",  # "|" is no separator: Markdown tables stay
        "'=already text",
        "",
    ):
        assert safe_cell(text) == text


def test_numbers_and_empty_values_become_text():
    assert safe_cell(None) == ""
    assert safe_cell(42) == "42"


def test_negative_numbers_and_bullets_at_the_start_of_a_part_are_neutralised_too():
    # "-2+3+cmd|' /C calc'!A0" starts like a negative number: no exception for numbers.
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Fell by 3;-2 next year") == "Fell by 3;'-2 next year"
    assert safe_cell("Points:\r\n- one\r\n- two") == "Points:\r\n'- one\r\n'- two"


def test_no_part_of_any_cell_starts_a_formula():
    rng = random.Random(1236)  # CWE-1236
    alphabet = "ab1 '\"|" + DANGEROUS_STARTS + SEPARATORS
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        cell = safe_cell(text)
        assert cell.replace("'", "") == text.replace("'", "")  # only ' were added
        for part in re.split(f"[{re.escape(SEPARATORS)}]", cell):
            stripped = part.lstrip(' "')
            assert not stripped or stripped[0] not in DANGEROUS_STARTS, (text, cell)
        assert not cell or cell[0] not in DANGEROUS_STARTS, (text, cell)


def test_the_writer_quotes_every_field_and_neutralises_every_cell():
    out = io.StringIO()
    writer(out).writerows([["id", "body"], [7, None], [-1, 'say "hi";=1+1']])
    assert out.getvalue() == ('"id","body"\r\n"7",""\r\n"\'-1","say ""hi"";\'=1+1"\r\n')


# --- the comments export ---------------------------------------------------------------------
ALL_QUOTED = re.compile(r'(?:"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*\r\n)+')


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["drafter", "moderator"])
def test_the_downloaded_file_quotes_every_field_and_neutralises_the_reproduction(
    client, request, drafter, other_participant, who
):
    rec = make_recommendation(drafter, status="in_review")
    comment = services.post_comment(rec, actor=other_participant, body=REPRODUCTION)
    services.post_comment(
        rec, actor=other_participant, body="Fine, thanks.\n\n- first\n- second", parent=comment
    )
    services.respond_to_comment(comment, actor=drafter, status="accepted", reason="ok;@SUM(A1)")
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("comments:export", args=[rec.pk]))
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    assert ALL_QUOTED.fullmatch(content[1:])  # every field of every row is quoted
    rows = list(csv.DictReader(io.StringIO(content[1:])))
    assert [r["body"] for r in rows] == [
        "x;'=cmd|' /C calc'!A0;y",
        "Fine, thanks.\n\n'- first\n'- second",
    ]
    assert rows[0]["response_reason"] == "ok;'@SUM(A1)"
    assert rows[0]["id"] == str(comment.pk)  # plain values stay as they are
