"""Demo data for the first run: an org with one user per role. Idempotent."""

from django.utils import timezone

from apps.accounts.models import INVITATION_VALIDITY, Invitation, Membership, Organization, User
from apps.accounts.roles import Role

DEMO_ORG = "demo"
# A second org the demo owner belongs to, so that the org switcher has something to switch to.
DEMO_SIDE_ORG = "demo-labs"
DEMO_INVITEE = "new.hire@demo.test"
DEMO_PASSWORD = "demo-console-2026"
DEMO_USERS = [
    ("owner@demo.test", "Olivia Owner", Role.OWNER),
    ("admin@demo.test", "Adam Admin", Role.ADMIN),
    ("developer@demo.test", "Dana Developer", Role.DEVELOPER),
    ("finance@demo.test", "Fiona Finance", Role.FINANCE),
]


def seed() -> tuple[Organization, dict[str, User]]:
    organization, _ = Organization.objects.get_or_create(name=DEMO_ORG)
    users = {}
    for email, name, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        Membership.objects.update_or_create(user=user, organization=organization, defaults={"role": role})
        users[role] = user
    side, _ = Organization.objects.get_or_create(name=DEMO_SIDE_ORG)
    Membership.objects.get_or_create(user=users[Role.OWNER], organization=side, defaults={"role": Role.OWNER})
    now = timezone.now()
    pending = organization.invitations.filter(email=DEMO_INVITEE, accepted_at__isnull=True)
    if not pending.filter(expires_at__gt=now).exists():
        pending.delete()
        Invitation.objects.create(
            organization=organization, email=DEMO_INVITEE, role=Role.DEVELOPER, invited_by=users[Role.OWNER],
            created_at=now, expires_at=now + INVITATION_VALIDITY,
        )
    staff = User.objects.filter(email="staff@demo.test").first()
    if staff is None:
        User.objects.create_superuser(email="staff@demo.test", password=DEMO_PASSWORD, full_name="Sam Staff")
    return organization, users


def logins() -> list[tuple[str, str, str]]:
    rows = [(str(Role(role).label), email, DEMO_PASSWORD) for email, _name, role in DEMO_USERS]
    rows.append(("Platform staff (/admin/)", "staff@demo.test", DEMO_PASSWORD))
    return rows
