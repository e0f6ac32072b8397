"""Invitations by e-mail to join an organisation: who may invite, the signed link, accepting.

A representative invites people to their own organisation; moderators and the secretariat to
any. The link carries a signed token naming the invitation (``django.core.signing``, salted):
a forged token is refused, and an accepted, revoked or expired invitation is refused too,
whatever its token. The e-mail itself is written and sent by the notifications app, which
learns of the invitation from its activity row (``invitation_sent``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.activity import record_activity
from core.cleaning import clean_text, non_negative_int
from core.errors import Conflict
from core.ratelimit import hit_by_person

from .models import Invitation, Membership, Organisation, User

SALT = "accounts.invitation"
MAX_EMAIL = 254


def valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", 5))


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_invite(user: Any, organisation: Organisation) -> bool:
    """Representatives for their organisation; moderators and the secretariat for any."""
    if not _active(user):
        return False
    if user.is_moderator or user.is_secretariat:
        return True
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.REPRESENTATIVE
    ).exists()


def get_organisation_for(user: Any, slug: str) -> Organisation:
    """The organisation (404 if there is none by that slug); 403 for who may not invite."""
    organisation = Organisation.objects.filter(slug=str(slug)[:80]).first()
    if organisation is None or not _active(user):
        raise Http404("No such organisation")
    if not can_invite(user, organisation):
        raise PermissionDenied(
            _("Only its representatives invite people to %(org)s.") % {"org": organisation.name}
        )
    return organisation


def get_invitation_for(user: Any, pk: Any) -> Invitation:
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such invitation") from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None or not can_invite(user, invitation.organisation):
        raise Http404("No such invitation")
    return invitation


def token_for(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=True)


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation a token names; ``ValidationError`` with a message a person can
    read for a forged, used, revoked or expired one."""
    try:
        pk = signing.loads(str(token)[:200], salt=SALT, max_age=timedelta(days=valid_days() + 1))
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid.")) from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    state = invitation.state
    if state == "accepted":
        raise ValidationError(_("This invitation has already been used. Log in instead."))
    if state == "revoked":
        raise ValidationError(_("This invitation was withdrawn."))
    if state == "expired":
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    return invitation


@transaction.atomic
def invite(organisation: Organisation, *, email: str, role: str, actor: Any) -> Invitation:
    """Invite ``email`` to ``organisation`` as ``role``; the e-mail goes out after commit."""
    if not can_invite(actor, organisation):
        raise PermissionDenied(
            _("Only its representatives invite people to %(org)s.") % {"org": organisation.name}
        )
    hit_by_person("invite", actor)
    email = clean_text(email, "email", required=True, limit=MAX_EMAIL).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Choose member or representative.")]})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(
            _("This person is already a member of %(org)s.") % {"org": organisation.name}
        )
    if Invitation.objects.pending().filter(organisation=organisation, email=email).exists():
        raise Conflict(_("This address has already been invited and has not answered yet."))
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        language=get_language() or "",
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=valid_days()),
    )
    record_activity(
        None,
        actor=actor,
        verb="invitation_sent",
        role="representative",
        organisation=organisation,
        invitation=invitation.pk,
        invited_role=role,
    )
    return invitation


@transaction.atomic
def revoke(invitation: Invitation, *, actor: Any) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_invite(actor, invitation.organisation):
        raise PermissionDenied(
            _("Only its representatives manage invitations to %(org)s.")
            % {"org": invitation.organisation.name}
        )
    if invitation.state != "pending":
        raise Conflict(_("Only an invitation that has not been answered can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_activity(
        None,
        actor=actor,
        verb="invitation_revoked",
        role="representative",
        organisation=invitation.organisation,
        invitation=invitation.pk,
    )
    return invitation


@transaction.atomic
def accept(
    token: str,
    *,
    actor: Any = None,
    username: str = "",
    display_name: str = "",
    password: str = "",
) -> User:
    """Accept an invitation: a signed-in person joins the organisation; anyone else creates
    their account (with the invited address) and sets a password. Returns the user."""
    invitation = invitation_for_token(token)
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    if invitation.state != "pending":
        raise ValidationError(_("This invitation has already been used. Log in instead."))
    if _active(actor):
        user = actor
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail address exists already: log in, then open the link again."
                )
            )
        username = clean_text(username, "username", required=True, limit=150).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": [_("This user name is taken.")]})
        user = User(
            username=username,
            email=invitation.email,
            display_name=clean_text(display_name, "display_name", required=False, limit=150),
            language=invitation.language if invitation.language in dict(settings.LANGUAGES) else "",
        )
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            raise ValidationError({"username": exc.messages}) from None
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}) from None
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError({"username": [_("This user name is taken.")]}) from None
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
    elif invitation.role == Membership.Role.REPRESENTATIVE and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    user.groups.add(invitation.organisation.group)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_activity(
        None,
        actor=user,
        verb="invitation_accepted",
        role="account",
        organisation=invitation.organisation,
        invitation=invitation.pk,
    )
    return user
