"""``QuickSelect`` draws the same ``<select>`` as Django's ``Select``, without a template per
option (the list's choice of organisations is long)."""

import pytest
from django import forms
from django.test import SimpleTestCase

from core.forms import QuickSelect

CHOICES = [
    ("", "Any"),
    ("lyon", "Lyon <city> & co"),
    ("beyrouth", "\u2068بيروت\u2069"),
    ("Groups", [("a", 'A "quoted"'), ("b", "B")]),
]


@pytest.mark.parametrize("value", [None, "", "lyon", "b", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "dir": "auto"}])
def test_same_markup_as_djangos_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("organisation", value, attrs)
    drawn = QuickSelect(choices=CHOICES).render("organisation", value, attrs)
    SimpleTestCase().assertHTMLEqual(drawn, expected)


def test_labels_and_values_are_escaped():
    drawn = QuickSelect(choices=[('"><script>', "<script>alert(1)</script>")]).render("x", None)
    assert "<script>" not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in drawn
