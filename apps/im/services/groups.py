"""Groups: create, read, delete, members. Caps come from the entitlement gate: a group's ``maxusers`` is at most
the app's members-per-group, and a user joins at most groups-per-user groups. Joins lock the group row, then the
joining users' rows (in id order), so concurrent joins cannot pass either cap."""

from django.db import IntegrityError, transaction
from django.db.models import Count

from apps.im import gate
from apps.im.errors import ForbiddenOp, IllegalArgument, NotFound
from apps.im.models import ImGroup, ImGroupMember, ImUser

GROUP_MEMBERS = "group_members"
USER_GROUPS = "user_groups"
DEFAULT_MAXUSERS = 200
NAME_MAX = 128
DESCRIPTION_MAX = 512
CREATE_MEMBERS_MAX = 100
ADD_BATCH_MAX = 60
PAGE_SIZE_MAX = 100


def group_get(*, app, group_id: str, lock: bool = False) -> ImGroup:
    rows = ImGroup.objects.filter(app=app, group_id=str(group_id)).select_related("owner")
    if lock:
        rows = rows.select_for_update(of=("self",))
    group = rows.first()
    if group is None:
        raise NotFound("Service resource not found")
    return group


def _users(app, usernames, *, lock: bool = False) -> list[ImUser]:
    """The users named, each once, in id order; 400 naming the first that does not exist."""
    if not isinstance(usernames, list) or not all(isinstance(name, str) for name in usernames):
        raise IllegalArgument("usernames must be a list of user ids")
    wanted = list(dict.fromkeys(name.lower() for name in usernames))
    rows = ImUser.objects.filter(app=app, username__in=wanted).order_by("id")
    if lock:
        rows = rows.select_for_update()
    found = list(rows)
    names = {user.username for user in found}
    for name in wanted:
        if name not in names:
            raise IllegalArgument(f"group member {name} doesn't exist")
    return found


def _check_user_groups(app, users: list[ImUser]) -> None:
    cap = gate.quota(app=app, code=USER_GROUPS)
    if cap is None or not users:
        return
    counts = dict(
        ImGroupMember.objects.filter(user__in=users).values("user_id").annotate(n=Count("id")).values_list(
            "user_id", "n"
        )
    )
    for user in users:
        if counts.get(user.pk, 0) + 1 > cap:
            raise ForbiddenOp(
                f"can not join this group, reason:user {user.username} has joined too many groups/chatroom!"
            )


def _maxusers(app, value) -> int:
    cap = gate.quota(app=app, code=GROUP_MEMBERS)
    if value in (None, ""):
        return DEFAULT_MAXUSERS if cap is None else min(DEFAULT_MAXUSERS, cap)
    if isinstance(value, bool):
        raise IllegalArgument("maxusers must be a number")
    try:
        maxusers = int(value)
    except (TypeError, ValueError):
        raise IllegalArgument("maxusers must be a number") from None
    if maxusers < 1:
        raise IllegalArgument("maxusers must be at least 1")
    if cap is not None and maxusers > cap:
        raise ForbiddenOp(f"maxusers {maxusers} exceeds the app's members-per-group limit of {cap}")
    return maxusers


@transaction.atomic
def group_create(*, app, data) -> ImGroup:
    if not isinstance(data, dict):
        raise IllegalArgument("this is an invalid request.")
    name = data.get("groupname")
    if not isinstance(name, str) or not name.strip():
        raise IllegalArgument("groupname is required")
    if len(name) > NAME_MAX:
        raise IllegalArgument(f"groupname is too long: at most {NAME_MAX} characters")
    description = data.get("description") or ""
    if not isinstance(description, str) or len(description) > DESCRIPTION_MAX:
        raise IllegalArgument(f"description is not legal: a string of at most {DESCRIPTION_MAX} characters")
    public = data.get("public")
    if not isinstance(public, bool):
        raise IllegalArgument("public is required: true or false")
    owner_name = data.get("owner")
    if not isinstance(owner_name, str) or not owner_name:
        raise IllegalArgument("owner is required")
    maxusers = _maxusers(app, data.get("maxusers"))
    members = data.get("members") or []
    if not isinstance(members, list) or len(members) > CREATE_MEMBERS_MAX:
        raise IllegalArgument(f"members must be a list of at most {CREATE_MEMBERS_MAX} user ids")
    owner = ImUser.objects.filter(app=app, username=owner_name.lower()).first()
    if owner is None:
        raise IllegalArgument(f"owner {owner_name} doesn't exist")
    others = [user for user in _users(app, members, lock=True) if user.pk != owner.pk]
    if 1 + len(others) > maxusers:
        raise ForbiddenOp(f"the group can hold at most {maxusers} members, the owner included")
    _check_user_groups(app, [owner, *others])
    group = ImGroup(app=app, name=name, description=description, public=public, maxusers=maxusers, owner=owner)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                group.save()
            break
        except IntegrityError:  # a colliding random id: draw another
            group.pk = None
            group.group_id = ImGroup._meta.get_field("group_id").get_default()
    ImGroupMember.objects.bulk_create(
        [ImGroupMember(group=group, user=owner, role=ImGroupMember.Role.OWNER)]
        + [ImGroupMember(group=group, user=user) for user in others]
    )
    return group


def group_member_count(*, group: ImGroup) -> int:
    return ImGroupMember.objects.filter(group=group).count()


@transaction.atomic
def group_delete(*, app, group_id: str) -> ImGroup:
    group = group_get(app=app, group_id=group_id, lock=True)
    group.delete()
    return group


@transaction.atomic
def group_members_add(*, app, group_id: str, usernames) -> list[ImUser]:
    """Add users to a group: all of them or none. Users already in it are skipped; when all are, 403."""
    group = group_get(app=app, group_id=group_id, lock=True)
    if isinstance(usernames, list) and len(usernames) > ADD_BATCH_MAX:
        raise IllegalArgument(f"at most {ADD_BATCH_MAX} members can be added at once")
    if isinstance(usernames, list) and not usernames:
        raise IllegalArgument("usernames is required")
    users = _users(app, usernames, lock=True)
    present = set(ImGroupMember.objects.filter(group=group, user__in=users).values_list("user_id", flat=True))
    new = [user for user in users if user.pk not in present]
    if not new:
        names = ", ".join(user.username for user in users)
        raise ForbiddenOp(f"can not join this group, reason:user: {names} already in group: {group.group_id}")
    if group_member_count(group=group) + len(new) > group.maxusers:
        raise ForbiddenOp(
            f"can not join this group, reason:group {group.group_id} members capacity exceeds {group.maxusers}"
        )
    _check_user_groups(app, new)
    ImGroupMember.objects.bulk_create([ImGroupMember(group=group, user=user) for user in new])
    return new


@transaction.atomic
def group_member_remove(*, app, group_id: str, username: str) -> ImUser:
    group = group_get(app=app, group_id=group_id, lock=True)
    user = ImUser.objects.filter(app=app, username=username.lower()).first()
    membership = ImGroupMember.objects.filter(group=group, user=user).first() if user else None
    if membership is None:
        raise ForbiddenOp(f"users [{username}] are not members of this group!")
    if membership.role == ImGroupMember.Role.OWNER:
        raise ForbiddenOp("forbidden operation on group owner!")
    membership.delete()
    return user


def _page(pagenum, pagesize, *, default_size: int) -> tuple[int, int]:
    try:
        number = int(pagenum) if pagenum not in (None, "") else 1
        size = int(pagesize) if pagesize not in (None, "") else default_size
    except (TypeError, ValueError):
        raise IllegalArgument("pagenum and pagesize must be numbers") from None
    if number < 1 or not 1 <= size <= PAGE_SIZE_MAX:
        raise IllegalArgument(f"pagenum must be at least 1 and pagesize from 1 to {PAGE_SIZE_MAX}")
    return number, size


def group_members_page(*, app, group_id: str, pagenum=None, pagesize=None) -> list[ImGroupMember]:
    """Members in joining order (the owner first), one page."""
    group = group_get(app=app, group_id=group_id)
    number, size = _page(pagenum, pagesize, default_size=10)
    rows = (
        ImGroupMember.objects.filter(group=group).select_related("user").order_by("joined", "id")
    )
    return list(rows[(number - 1) * size: number * size])


def user_groups_page(*, app, username: str, pagenum=None, pagesize=None) -> list[ImGroup]:
    """The groups a user is in, latest joined first; without paging the first 500 (as Easemob)."""
    user = ImUser.objects.filter(app=app, username=username.lower()).first()
    if user is None:
        raise NotFound("Service resource not found")
    rows = ImGroup.objects.filter(memberships__user=user).order_by("-memberships__joined", "-id")
    if pagenum in (None, "") and pagesize in (None, ""):
        return list(rows[:500])
    number, size = _page(pagenum, pagesize, default_size=10)
    return list(rows[(number - 1) * size: number * size])
