"""Writes of organizations, members and invitations. Every rule of SPEC §4 about who may change whom lives here."""

import logging
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.exceptions import (
    AlreadyMember,
    EmailTaken,
    InvitationNotUsable,
    InvitationWrongAccount,
    LastOwner,
    OrgNameTaken,
    RoleNotAllowed,
)
from apps.accounts.models import INVITATION_VALIDITY, Invitation, Membership, Organization, User
from apps.accounts.roles import Action, Role, role_may_manage
from apps.audit.services import audit_record

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _create_user(*, email: str, password: str, full_name: str = "") -> User:
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(_("An account with this email exists already. Log in instead."))
    user = User(email=email, full_name=full_name)
    user.set_password(password)
    try:
        user.full_clean()
        with transaction.atomic():
            user.save()
    except (IntegrityError, ValidationError) as error:
        # A concurrent signup with the same email (a double-submitted form) committed first: full_clean's
        # uniqueness check or the unique index says so.
        if isinstance(error, ValidationError) and "email" not in getattr(error, "error_dict", {}):
            raise
        raise EmailTaken(_("An account with this email exists already. Log in instead.")) from error
    return user


@transaction.atomic
def account_signup(*, email: str, password: str, org_name: str, full_name: str = "") -> Membership:
    """A new user and a new organization, the user its owner."""
    if Organization.objects.filter(name__iexact=org_name).exists():
        raise OrgNameTaken(_("This OrgName is taken. Choose another one."))
    user = _create_user(email=email, password=password, full_name=full_name)
    organization = Organization(name=org_name)
    organization.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:  # the case-insensitive unique constraint caught a concurrent signup
        raise OrgNameTaken(_("This OrgName is taken. Choose another one.")) from error
    membership = Membership(user=user, organization=organization, role=Role.OWNER)
    membership.full_clean()
    membership.save()
    audit_record(
        organization=organization, actor=user, action="organization.created",
        summary=f"{organization.name} created by {user.email}", detail={"org": organization.name},
    )
    return membership


# --- who may change whom -----------------------------------------------------------------------


def _check_may_manage(actor: Membership, *roles: str) -> None:
    """``roles``: the member's current role and/or the role to give. Admins manage everyone but owners."""
    if not actor.may(Action.MANAGE_MEMBERS):
        raise RoleNotAllowed(_("Your role may not manage members."))
    if not role_may_manage(actor.role, *roles):
        raise RoleNotAllowed(_("Only an owner can invite, change or remove an owner."))


def _lock_owners(organization: Organization) -> list[Membership]:
    """Lock the owner rows (in a fixed order, so two changes cannot deadlock) before counting them."""
    return list(
        Membership.objects.select_for_update().filter(organization=organization, role=Role.OWNER).order_by("pk")
    )


def _lock_member(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)


def _guard_last_owner(*, owners: list[Membership], leaving: Membership) -> None:
    if leaving.role == Role.OWNER and not any(owner.pk != leaving.pk for owner in owners):
        raise LastOwner(
            _("%(org)s needs at least one owner. Make another member owner first.")
            % {"org": leaving.organization.name}
        )


@transaction.atomic
def membership_change_role(*, actor: Membership, membership: Membership, role: str) -> Membership:
    if membership.organization_id != actor.organization_id:
        raise RoleNotAllowed(_("This member is not in your organization."))
    owners = _lock_owners(actor.organization)
    membership = _lock_member(membership)
    _check_may_manage(actor, membership.role, role)
    if role == membership.role:
        return membership
    if role != Role.OWNER:
        _guard_last_owner(owners=owners, leaving=membership)
    old_role = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit_record(
        organization=membership.organization, actor=actor.user, action="member.role_changed",
        summary=f"{membership.user.email}: {old_role} → {role}",
        detail={"email": membership.user.email, "from": old_role, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    if membership.organization_id != actor.organization_id:
        raise RoleNotAllowed(_("This member is not in your organization."))
    owners = _lock_owners(actor.organization)
    membership = _lock_member(membership)
    _check_may_manage(actor, membership.role)
    _guard_last_owner(owners=owners, leaving=membership)
    email, role = membership.user.email, membership.role
    membership.delete()
    audit_record(
        organization=actor.organization, actor=actor.user, action="member.removed",
        summary=f"{email} ({role}) removed", detail={"email": email, "role": role},
    )


# --- invitations -------------------------------------------------------------------------------


def invitation_url(*, invitation: Invitation, site_url: str) -> str:
    """``site_url``: scheme and host the invitee reaches the console at, e.g. ``https://console.example.com``."""
    return site_url.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": invitation.token})


def _send_invitation_email(*, invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "url": url, "organization": invitation.organization}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except Exception:  # the link is on the members page too; a mail outage must not undo the invitation
        logger.exception("Could not email invitation %s", invitation.pk)


@transaction.atomic
def invitation_create(
    *, actor: Membership, email: str, role: str, site_url: str, now: datetime | None = None
) -> Invitation:
    """Invite ``email`` with ``role``; the link is emailed after commit. A new invitation to the same address
    replaces a pending one, so only the latest link works."""
    now = now or timezone.now()
    organization = actor.organization
    _check_may_manage(actor, role)
    email = normalize_email(email)
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise AlreadyMember(_("%(email)s is already a member of %(org)s.") % {"email": email, "org": organization.name})
    organization.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation(
        organization=organization, email=email, role=role, invited_by=actor.user,
        created_at=now, expires_at=now + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        organization=organization, actor=actor.user, action="member.invited",
        summary=f"{email} invited as {role}", detail={"email": email, "role": role},
    )
    url = invitation_url(invitation=invitation, site_url=site_url)
    transaction.on_commit(lambda: _send_invitation_email(invitation=invitation, url=url))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> None:
    if invitation.organization_id != actor.organization_id:
        raise RoleNotAllowed(_("This invitation is not for your organization."))
    _check_may_manage(actor, invitation.role)
    email = invitation.email
    invitation.delete()
    audit_record(
        organization=actor.organization, actor=actor.user, action="member.invitation_revoked",
        summary=f"Invitation of {email} revoked", detail={"email": email},
    )


def check_invitation_usable(invitation: Invitation, *, now: datetime | None = None) -> None:
    if invitation.is_accepted:
        raise InvitationNotUsable(_("This invitation was used already."))
    if invitation.is_expired(now):
        raise InvitationNotUsable(_("This invitation has expired. Ask for a new one."))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User, now: datetime | None = None) -> Membership:
    """``user`` (signed in with the invited email) joins the organization with the invited role."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    organization = invitation.organization
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise AlreadyMember(_("You are already a member of %(org)s.") % {"org": organization.name})
    check_invitation_usable(invitation, now=now)
    if normalize_email(user.email) != normalize_email(invitation.email):
        raise InvitationWrongAccount(
            _("This invitation is for %(invited)s, but you are signed in as %(email)s. "
              "Log out and sign in with the invited email.") % {"invited": invitation.email, "email": user.email}
        )
    membership = Membership(user=user, organization=organization, role=invitation.role, created_at=now)
    membership.full_clean()
    membership.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        organization=organization, actor=user, action="member.joined",
        summary=f"{user.email} joined as {invitation.role}", detail={"email": user.email, "role": invitation.role},
    )
    return membership


# --- proving the invited address before an account is made ---------------------------------------------
# Holding the invitation link proves nothing (whoever invited, or saw the members page, has it). An invitee
# without an account gets a second, signed link mailed to the invited address, and only that link leads to
# the password form that creates the account.

EMAIL_PROOF_SALT = "accounts.invitation.email-proof"
EMAIL_PROOF_MAX_AGE = 24 * 3600
EMAIL_PROOF_RESEND_SECONDS = 60


def invitation_email_proof(*, invitation: Invitation) -> str:
    return signing.dumps({"t": invitation.token, "e": normalize_email(invitation.email)}, salt=EMAIL_PROOF_SALT,
                         compress=True)


def invitation_email_proof_valid(*, invitation: Invitation, proof: str) -> bool:
    try:
        value = signing.loads(proof or "", salt=EMAIL_PROOF_SALT, max_age=EMAIL_PROOF_MAX_AGE)
    except signing.BadSignature:
        return False
    return (isinstance(value, dict) and value.get("t") == invitation.token
            and value.get("e") == normalize_email(invitation.email))


def invitation_confirmation_send(*, invitation: Invitation, site_url: str, now: datetime | None = None) -> bool:
    """Mail the invited address a link that lets its owner choose a password. False (nothing sent) when a
    link went out less than EMAIL_PROOF_RESEND_SECONDS ago, so the page cannot be used to flood a mailbox."""
    check_invitation_usable(invitation, now=now)
    if not cache.add(f"invitation-proof-sent:{invitation.token}", 1, EMAIL_PROOF_RESEND_SECONDS):
        return False
    url = (invitation_url(invitation=invitation, site_url=site_url) + "?"
           + urlencode({"proof": invitation_email_proof(invitation=invitation)}))
    context = {"invitation": invitation, "url": url, "organization": invitation.organization}
    subject = render_to_string("accounts/email/invitation_confirm_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_confirm.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True


@transaction.atomic
def invitation_accept_with_signup(
    *, invitation: Invitation, password: str, proof: str, full_name: str = "", now: datetime | None = None
) -> Membership:
    """An invitee without an account, back through the link mailed to the invited address (``proof``): the
    account is created for the invited email and joins at once. A second submission of the same form finds
    the account made (EmailTaken) or the invitation used (InvitationNotUsable)."""
    if not invitation_email_proof_valid(invitation=invitation, proof=proof):
        raise InvitationNotUsable(_("This confirmation link is not valid or has expired. Ask for a new one."))
    check_invitation_usable(invitation, now=now)
    user = _create_user(email=invitation.email, password=password, full_name=full_name)
    return invitation_accept(invitation=invitation, user=user, now=now)
