"""Service errors on HTML forms: the one mapper from ``ValidationError`` to form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of ``exc``, field messages included, in order."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put the messages of a service's ``ValidationError`` on ``form``: under their field when
    the form has it, else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class QuickSelect(forms.Select):
    """A ``<select>`` drawn in Python, the same markup as Django's ``Select``.

    Django draws each ``<option>`` through a template (about 0.25 ms each): the list's
    choice of 300 organisations cost 75 ms of its page at conference scale."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = []
        for group_name, options, _index in widget["optgroups"]:
            inner = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else str(o["value"]), flatatt(o["attrs"]), o["label"])
                    for o in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, inner)
                if group_name
                else inner
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 (each part is format_html's)
        )
