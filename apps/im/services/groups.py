"""Groups: create, read, delete, members. Caps come from the entitlement gate: a group's ``maxusers`` is at most
the app's members-per-group, and a user joins at most groups-per-user groups.

Each group keeps its ``member_count`` and each user its ``group_count``; every service that changes a membership
changes them in the same transaction, with ``F()`` updates, while it holds the rows' locks. The locks are taken
in one order everywhere (the app's user counter, then groups, then users, each kind in id order), so no two
services wait on each other in a cycle: a join locks the group, then the joining users; a create locks the
owner and the members; a removal locks the group, then the user; a group's deletion locks the group, then its
members; a user's deletion (apps.im.services.users) locks its groups, then the users it touches. The caps read
the counters of locked rows, so concurrent joins cannot pass either cap."""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

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
    """Each of ``users`` (rows locked by the caller, so their ``group_count`` is current) may join one more
    group."""
    cap = gate.quota(app=app, code=USER_GROUPS)
    if cap is None:
        return
    for user in users:
        if user.group_count + 1 > cap:
            raise ForbiddenOp(
                f"can not join this group, reason:user {user.username} has joined too many groups/chatroom!"
            )


def _joined(group: ImGroup, users: list[ImUser]) -> None:
    """Memberships of ``users`` in ``group`` in that order (the owner's with its role), and the users' group
    counts (the caller holds the rows' locks and keeps the group's member count)."""
    ImGroupMember.objects.bulk_create([
        ImGroupMember(group=group, user=user,
                      role=ImGroupMember.Role.OWNER if user.pk == group.owner_id else ImGroupMember.Role.MEMBER)
        for user in users])
    ImUser.objects.filter(pk__in=[user.pk for user in users]).update(group_count=F("group_count") + 1)


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
    if not ImUser.objects.filter(app=app, username=owner_name.lower()).exists():
        raise IllegalArgument(f"owner {owner_name} doesn't exist")
    joining = _users(app, [owner_name, *members], lock=True)  # the owner too: its group count goes up
    owner = next(user for user in joining if user.username == owner_name.lower())
    others = [user for user in joining if user.pk != owner.pk]
    if 1 + len(others) > maxusers:
        raise ForbiddenOp(f"the group can hold at most {maxusers} members, the owner included")
    _check_user_groups(app, joining)
    group = ImGroup(app=app, name=name, description=description, public=public, maxusers=maxusers, owner=owner,
                    member_count=len(joining))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                group.save()
            break
        except IntegrityError:  # a colliding random id: draw another
            group.pk = None
            group.group_id = ImGroup._meta.get_field("group_id").get_default()
    _joined(group, [owner, *others])  # the owner's membership first: the members' pages list it first
    return group


def _lock(rows) -> None:
    """Lock ``rows`` in id order (the order every service locks rows of one kind in)."""
    list(rows.order_by("id").select_for_update().values_list("pk", flat=True))


def _groups_left(groups, *, also_lock: tuple[int, ...] = ()) -> None:
    """Take ``groups`` (a queryset of groups whose rows the caller holds locked) off their members' group counts
    before the groups are deleted: the members (and ``also_lock``) are locked in id order, then one UPDATE per
    distinct number of those groups a member is in (one, nearly always)."""
    per_user = (ImGroupMember.objects.filter(group__in=groups).values("user_id").order_by()
                .annotate(n=Count("pk")).values_list("user_id", "n"))
    by_count: dict[int, list[int]] = {}
    for user_id, n in per_user:
        by_count.setdefault(n, []).append(user_id)
    pks = [pk for users in by_count.values() for pk in users]
    if pks or also_lock:
        _lock(ImUser.objects.filter(pk__in=[*pks, *also_lock]))
    for n, users in by_count.items():
        ImUser.objects.filter(pk__in=users).update(group_count=F("group_count") - n)


LOCK_ATTEMPTS = 5


def _groups_of(user: ImUser) -> set[int]:
    memberships = ImGroupMember.objects.filter(user=user).values("group_id")
    return set(ImGroup.objects.filter(Q(owner=user) | Q(pk__in=memberships)).values_list("pk", flat=True))


def user_groups_leave(*, user: ImUser) -> None:
    """Before ``user`` is deleted (with its memberships and the groups it owns): the counters of what goes with
    it, in this transaction. The groups it is in (owned ones included) are locked first, then, in one id-ordered
    statement, the user and the members of its own groups, whose group counts drop by the owned groups they are
    in; the other groups lose a member. A join of the user that committed between the read of its groups and
    the user's lock (the join held the user's row) shows up on a second read: the locks are then released
    (savepoint rollback) and taken again with that group, so the order of locks never goes backwards."""
    for attempt in range(LOCK_ATTEMPTS):
        groups = _groups_of(user)
        savepoint = transaction.savepoint()
        _lock(ImGroup.objects.filter(pk__in=groups))
        _groups_left(ImGroup.objects.filter(owner=user), also_lock=(user.pk,))
        if _groups_of(user) <= groups or attempt == LOCK_ATTEMPTS - 1:
            transaction.savepoint_commit(savepoint)
            break
        transaction.savepoint_rollback(savepoint)
    ImGroup.objects.filter(memberships__user=user).exclude(owner=user).update(member_count=F("member_count") - 1)


@transaction.atomic
def group_delete(*, app, group_id: str) -> ImGroup:
    group = group_get(app=app, group_id=group_id, lock=True)
    _groups_left(ImGroup.objects.filter(pk=group.pk))
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
    if group.member_count + len(new) > group.maxusers:
        raise ForbiddenOp(
            f"can not join this group, reason:group {group.group_id} members capacity exceeds {group.maxusers}"
        )
    _check_user_groups(app, new)
    _joined(group, new)
    ImGroup.objects.filter(pk=group.pk).update(member_count=F("member_count") + len(new))
    group.member_count += len(new)
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
    ImGroup.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
    ImUser.objects.filter(pk=user.pk).update(group_count=F("group_count") - 1)
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
