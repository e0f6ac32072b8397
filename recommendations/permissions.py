"""Who may see and do what on a recommendation: one place, used by pages, API and sockets."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from guardian.core import ObjectPermissionChecker

from accounts.models import WORKSPACE_ROLES, Organisation, User
from core.cleaning import non_negative_int

from .models import (
    EDITABLE_STATES,
    PERM_EDIT,
    PERM_MANAGE,
    PERM_TRANSLATE,
    VIEW_PERMS,
    Recommendation,
    RecommendationGroupObjectPermission,
    RecommendationUserObjectPermission,
    Status,
)

# Translations are made while the text is open and once it is final (for the editions);
# never of a withdrawn or rejected recommendation.
TRANSLATABLE_STATES = (*EDITABLE_STATES, Status.FINAL)


def _object_perms(user, rec: Recommendation) -> set[str]:
    """The user's guardian permissions on ``rec`` (through their organisations' groups)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cache = user.__dict__.setdefault("_rec_perm_cache", {})
    key = (rec.pk, rec.updated_at)  # any change of the row (drafters included) refreshes it
    if key not in cache:
        cache[key] = set(ObjectPermissionChecker(user).get_perms(rec))
    return cache[key]


def prefetch_view_rights(rec: Recommendation, users: Iterable) -> None:
    """Load, for many people at once, what ``can_view`` and ``is_drafter`` read about ``rec``:
    their workspace roles and their permissions on it (two queries, whoever they are), so the
    one rule can be asked of each without a query per person."""
    people = {u.pk: u for u in users if u.is_active and not u.is_superuser}
    if not people:
        return
    roles: dict[int, set[str]] = {pk: set() for pk in people}
    for user_id, name in User.groups.through.objects.filter(
        user_id__in=people, group__name__in=WORKSPACE_ROLES
    ).values_list("user_id", "group__name"):
        roles[user_id].add(name)
    granted: dict[int, set[str]] = {pk: set() for pk in people}
    for user_id, codename in (
        RecommendationGroupObjectPermission.objects.filter(
            content_object=rec, group__user__in=list(people)
        )
        .values_list("group__user", "permission__codename")
        .union(
            RecommendationUserObjectPermission.objects.filter(
                content_object=rec, user__in=list(people)
            ).values_list("user", "permission__codename")
        )
    ):
        granted[user_id].add(codename)
    for pk, user in people.items():
        user.__dict__["_role_cache"] = roles[pk]
        user.__dict__.setdefault("_rec_perm_cache", {})[(rec.pk, rec.updated_at)] = granted[pk]


def is_drafter(user, rec: Recommendation) -> bool:
    return PERM_EDIT in _object_perms(user, rec)


def can_draft(user, memberships: list | None = None) -> bool:
    """Whether ``user`` may start a recommendation: members of an organisation draft for it.
    ``memberships``: the user's memberships when the caller has read them already."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if memberships is not None:
        return bool(memberships)
    return Organisation.objects.of_user(user).exists()


def can_view(user, rec: Recommendation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_moderator or rec.submitted_at is not None:
        return True
    return not _object_perms(user, rec).isdisjoint(VIEW_PERMS)


def can_edit(user, rec: Recommendation) -> bool:
    return rec.status in EDITABLE_STATES and is_drafter(user, rec)


def can_submit(user, rec: Recommendation) -> bool:
    return rec.status == Status.DRAFT and is_drafter(user, rec)


def can_withdraw(user, rec: Recommendation) -> bool:
    return rec.status in EDITABLE_STATES and is_drafter(user, rec)


def can_moderate(user, rec: Recommendation) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_moderator)


def can_approve(user, rec: Recommendation) -> bool:
    return can_moderate(user, rec) and rec.status in (Status.IN_REVIEW, Status.APPROVED)


def can_reject(user, rec: Recommendation) -> bool:
    return can_moderate(user, rec) and rec.status in EDITABLE_STATES


def can_finalise(user, rec: Recommendation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_secretariat
        and rec.status == Status.APPROVED
    )


def can_manage_drafters(user, rec: Recommendation) -> bool:
    return rec.status in EDITABLE_STATES and PERM_MANAGE in _object_perms(user, rec)


def is_translator(user, rec: Recommendation) -> bool:
    """A drafter, or a member of an organisation the drafters invited as translators."""
    return not _object_perms(user, rec).isdisjoint((PERM_EDIT, PERM_TRANSLATE))


def can_translate(user, rec: Recommendation) -> bool:
    return rec.status in TRANSLATABLE_STATES and is_translator(user, rec)


def can_manage_translators(user, rec: Recommendation) -> bool:
    return rec.status in TRANSLATABLE_STATES and is_drafter(user, rec)


def get_recommendation_for(user, pk: int | str, queryset=None) -> Recommendation:
    """The recommendation if ``user`` may see it; otherwise 404, exactly as if it did not exist."""
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such recommendation") from None
    qs = queryset if queryset is not None else Recommendation.objects.all()
    rec = qs.filter(pk=pk).select_related("theme", "lead_organisation").first()
    if rec is None or not can_view(user, rec):
        raise Http404("No such recommendation")
    return rec


def require(allowed: bool, message: str) -> None:
    """403 with a message for someone who may see the object but not do this."""
    if not allowed:
        raise PermissionDenied(message)
