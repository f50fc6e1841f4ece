"""The console's IM groups page (per app): list (search by name or group ID), a group's owner and members,
remove a member, delete a group (confirmation). Changes go through apps.im.services.console (the REST
services plus an audit entry). Finance (no CHANGE_APPS) gets 403 and no menu entry."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.im.errors import ImError, NotFound
from apps.im.selectors import im_group_members_console_page, im_groups_console_page
from apps.im.services import console as ops
from apps.im.services.groups import group_get
from apps.im.users_views import search_param


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


def _group_or_404(app, group_id: str):
    try:
        return group_get(app=app, group_id=group_id)
    except NotFound:
        raise Http404("No such group.") from None


def _group_url(app, group_id: str) -> str:
    return reverse("im_console:group_detail", kwargs={"org_name": app.organization.name, "app_name": app.name,
                                                      "group_id": group_id})


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET"])
def group_list(request, app):
    query = search_param(request, "q", 128)
    rows, next_after = im_groups_console_page(app=app, query=query,
                                              after=_int_or_none(request.GET.get("after", "")))
    return render(request, "im/groups.html", {"app": app, "rows": rows, "query": query,
                                              "after": request.GET.get("after", ""), "next_after": next_after})


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET"])
def group_detail(request, app, group_id):
    group = _group_or_404(app, group_id)
    rows, next_after = im_group_members_console_page(group=group,
                                                     after=_int_or_none(request.GET.get("after", "")))
    return render(request, "im/group_detail.html", {"app": app, "group": group, "rows": rows,
                                                    "next_after": next_after,
                                                    "member_count": group.member_count})


@app_view(Action.CHANGE_APPS)
@require_POST
def group_member_remove(request, app, group_id, username):
    _group_or_404(app, group_id)
    try:
        user = ops.console_group_member_remove(app=app, actor=request.user, group_id=group_id, username=username)
    except ImError as error:
        messages.error(request, error.description)
    else:
        messages.success(request, _("%(username)s removed from the group.") % {"username": user.username})
    return redirect(_group_url(app, group_id))


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET", "POST"])
def group_delete(request, app, group_id):
    group = _group_or_404(app, group_id)
    if request.method == "POST":
        ops.console_group_delete(app=app, actor=request.user, group_id=group_id)
        messages.success(request, _("Group %(name)s deleted.") % {"name": group.name})
        return redirect("im_console:groups", org_name=app.organization.name, app_name=app.name)
    return render(request, "im/group_delete.html", {"app": app, "group": group,
                                                    "member_count": group.member_count})
