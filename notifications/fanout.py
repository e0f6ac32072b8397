"""From what happened (the activity rows every service records) to who is told: one
``Notification`` per person and activity, the bell's live event, and the e-mail on its way.

Runs after the service's transaction committed (``core.activity.listeners``), never inside
it: a failure here is logged and the save stands. Recipients are decided here, then every
one goes through the one access check (``access.accessible``) before being told anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import MODERATOR, SECRETARIAT, Membership
from comments import mentions
from comments.models import Comment
from core.models import Activity
from publication.models import Endorsement
from recommendations.models import Recommendation

from . import delivery, live, urgent
from .access import accessible
from .kinds import KINDS, Channel
from .models import Follow, Notification, Preferences

logger = logging.getLogger(__name__)

STATUS_VERBS = {"submitted", "approved", "rejected", "withdrawn", "finalised"}
# When one person would be told twice about one activity, the more personal kind wins.
PRIORITY = [
    "mention",
    "reply",
    "response",
    "reconfirm",
    "endorse",
    "finalise",
    "report",
    "status",
    "comment",
    "edition",
]


def followers(rec: Recommendation) -> set[int]:
    """Members of the drafting organisations and whoever follows, less whoever stopped."""
    drafting = {rec.lead_organisation_id, *rec.co_drafters.values_list("pk", flat=True)}
    members = set(
        Membership.objects.filter(organisation_id__in=drafting).values_list("user_id", flat=True)
    )
    follows = dict(Follow.objects.filter(recommendation=rec).values_list("user_id", "active"))
    return {u for u in members if follows.get(u, True)} | {u for u, on in follows.items() if on}


def is_following(user: Any, rec: Recommendation) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk in followers(rec)


def _role_members(role: str) -> set[int]:
    return set(
        get_user_model()
        .objects.filter(groups__name=role, is_active=True)
        .values_list("pk", flat=True)
    )


def _representatives(exclude_orgs: Iterable[int] = ()) -> dict[int, int]:
    """user id -> an organisation they represent (one per person)."""
    rows = (
        Membership.objects.filter(role=Membership.Role.REPRESENTATIVE, user__is_active=True)
        .exclude(organisation_id__in=list(exclude_orgs))
        .order_by("organisation__name")
        .values_list("user_id", "organisation_id")
    )
    out: dict[int, int] = {}
    for user_id, org_id in rows:
        out.setdefault(user_id, org_id)
    return out


def _edition_readers() -> set[int]:
    """The secretariat, and whoever asked for editions by e-mail."""
    asked = {
        user_id
        for user_id, channels in Preferences.objects.filter(
            channels__has_key="edition"
        ).values_list("user_id", "channels")
        if channels.get("edition") in (Channel.IMMEDIATE, Channel.DIGEST)
    }
    return _role_members(SECRETARIAT) | asked


class _Plan:
    """Who is told what about one activity: user id -> (kind, extra fields)."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[str, dict[str, Any]]] = {}

    def add(self, user_ids: Iterable[int], kind: str, **extra: Any) -> None:
        for user_id in user_ids:
            current = self.items.get(user_id)
            if current is None or PRIORITY.index(kind) < PRIORITY.index(current[0]):
                self.items[user_id] = (kind, extra)


def _plan(activity: Activity) -> _Plan:
    plan = _Plan()
    verb, rec, data = activity.verb, activity.recommendation, activity.data
    if verb in {"commented", "comment_replied"} and rec is not None:
        comment = Comment.objects.filter(pk=data.get("comment")).select_related("parent").first()
        if comment is None:
            return plan
        if activity.actor_id:
            Follow.objects.get_or_create(user_id=activity.actor_id, recommendation=rec)
        plan.add(followers(rec), "comment", comment=comment)
        if comment.parent is not None:
            plan.add([comment.parent.author_id], "reply", comment=comment)
        for mention in mentions.mentioned_in(comment.body).values():
            if mention.organisation is not None:
                members = Membership.objects.filter(organisation=mention.organisation)
                plan.add(
                    members.values_list("user_id", flat=True),
                    "mention",
                    comment=comment,
                    organisation=mention.organisation,
                    data={"organisation_mention": True},
                )
            else:
                plan.add([mention.user.pk], "mention", comment=comment)
    elif verb == "comment_responded" and rec is not None:
        comment = Comment.objects.filter(pk=data.get("comment")).first()
        if comment is not None:
            plan.add([comment.author_id], "response", comment=comment)
    elif verb == "comment_reported":
        rec = Recommendation.objects.filter(pk=data.get("recommendation")).first()
        comment = Comment.objects.filter(pk=data.get("comment")).first()
        if comment is not None:
            plan.add(_role_members(MODERATOR), "report", comment=comment, recommendation=rec)
    elif verb in STATUS_VERBS and rec is not None:
        plan.add(followers(rec), "status")
        if verb == "approved":
            plan.add(_role_members(SECRETARIAT), "finalise")
            _plan_endorsements(plan, rec)
    elif verb == "edition_published":
        plan.add(_edition_readers(), "edition")
    return plan


def _not_a_notification(activity: Activity) -> bool:
    """Activities that send an e-mail to an address rather than tell a person in the app."""
    if activity.verb == "invitation_sent":
        transaction.on_commit(lambda: delivery.enqueue_invitation(activity.data["invitation"]))
        return True
    return False


def _plan_endorsements(plan: _Plan, rec: Recommendation) -> None:
    """Representatives are asked to endorse the newly approved version, or, where their
    organisation endorses an older one, to re-confirm."""
    endorsed = dict(
        Endorsement.objects.live()
        .filter(recommendation=rec)
        .values_list("organisation_id", "version")
    )
    for user_id, org_id in _representatives().items():
        version = endorsed.get(org_id)
        if version is None:
            plan.add([user_id], "endorse", organisation_id=org_id)
        elif version < (rec.approved_version or 0):
            plan.add([user_id], "reconfirm", organisation_id=org_id)


def notify(activities: list[Activity]) -> list[Notification]:
    """Create the notifications of these activities (after their commit), tell each person's
    open sockets, and hand immediate e-mails to the worker."""
    created: list[Notification] = []
    for activity in activities:
        try:
            with transaction.atomic():
                created.extend(_notify_one(activity))
        except Exception:
            logger.exception("notifications of activity %s failed", activity.pk)
    return created


def _notify_one(activity: Activity) -> list[Notification]:
    activity = Activity.objects.select_related("recommendation").get(pk=activity.pk)
    if _not_a_notification(activity):
        return []
    plan = _plan(activity)
    plan.items.pop(activity.actor_id, None)  # nobody is told what they did themselves
    if not plan.items:
        return []
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=plan.items, is_active=True)}
    preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=users)}
    soon = urgent.urgent_kinds()  # deadlines within a day: e-mailed at once
    rows = []
    for user_id, (kind, extra) in plan.items.items():
        user = users.get(user_id)
        if user is None:
            continue
        pref = preferences.get(user_id)
        chosen = pref.channel_for(kind) if pref else KINDS[kind].default
        channel = urgent.channel_now(kind, chosen, soon)
        rec = extra.get("recommendation", activity.recommendation)
        comment = extra.get("comment")
        row = Notification(
            recipient=user,
            kind=kind,
            activity=activity,
            verb=activity.verb,
            actor_id=activity.actor_id,
            organisation=extra.get("organisation") or activity.organisation,
            recommendation=rec,
            comment=comment,
            version=activity.version,
            data={**_safe_data(activity), **extra.get("data", {})},
            channel=channel,
            mail=Notification.Mail.PENDING if channel != Channel.NEVER else "",
        )
        if "organisation_id" in extra:
            row.organisation_id = extra["organisation_id"]
        # The one access check: someone who may not see the text is not told about it.
        if accessible(user, [row])[0]:
            rows.append(row)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    saved = list(
        Notification.objects.filter(
            activity=activity, recipient_id__in=[r.recipient_id for r in rows]
        ).select_related("recipient", "actor", "organisation", "recommendation", "comment")
    )
    transaction.on_commit(lambda: live.announce(saved))
    immediate = [n.pk for n in saved if n.channel == Channel.IMMEDIATE and n.mail]
    if immediate:
        transaction.on_commit(lambda: delivery.enqueue_notifications(immediate))
    return saved


def _safe_data(activity: Activity) -> dict[str, Any]:
    """What a notification keeps of the activity's data (never a hidden comment's text)."""
    keep = ("reason", "number", "response", "previous_version")
    return {k: activity.data[k] for k in keep if k in activity.data}
