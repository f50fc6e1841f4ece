"""The one place that resolves the organization of a request and checks the role a view needs.

Every org-scoped view is wrapped in ``org_view(Action.X)``, or ``org_view({"GET": Action.VIEW_APPS,
"POST": Action.CHANGE_APPS})`` when reading and writing need different roles (a method missing from the
map answers 405). No view checks a role itself. The org comes from the URL (``org_name``)
among the signed-in user's memberships: an org the user is not in answers 404, exactly like a missing
one; a role that may not act answers 403; an org that requires two-factor sign-in sends a member without it
to set it up first. Objects are then fetched through the org (or the app).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.models import Membership
from apps.accounts.roles import Action
from apps.accounts.twofactor import has_two_factor
from console.prepared import PreparedQuery

SESSION_ORG_KEY = "current_org"


def org_membership(user, org_name: str, memberships: list[Membership] | None = None) -> Membership:
    """The user's membership of ``org_name``; picked from ``memberships`` (all of the user's) when given."""
    if memberships is None:
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user, organization__name=org_name)
            .first()
        )
    else:
        membership = next((m for m in memberships if m.organization.name == org_name), None)
    if membership is None:
        raise Http404("No such organization.")
    return membership


ActionSpec = Action | str | dict[str, Action | str]


def required_action(spec: ActionSpec, method: str) -> Action | str | None:
    """The action a request needs: the one action, or the map's entry for the method (HEAD reads like GET);
    ``None`` when the map has no entry for the method."""
    if not isinstance(spec, dict):
        return spec
    return spec.get(method, spec.get("GET") if method == "HEAD" else None)


# Every org page runs it: compiled once per process (console.prepared).
user_memberships = PreparedQuery(
    lambda user_id: Membership.objects.filter(user_id=user_id).select_related("organization")
    .order_by("organization__name"),
    user_id=int,
)


def org_access(request, org_name: str, action: Action | str) -> Membership:
    # One query for both the access check and the top bar's org switcher (context_processors.chrome).
    request.user_memberships = user_memberships(user_id=request.user.pk)
    membership = org_membership(request.user, org_name, request.user_memberships)
    # Set before the role check so that the 403 page still shows this org's top bar and menu.
    request.membership = membership
    request.organization = membership.organization
    if request.session.get(SESSION_ORG_KEY) != membership.organization.name:
        # Assigning marks the session modified (an UPDATE per request): write only when the org changes.
        request.session[SESSION_ORG_KEY] = membership.organization.name
    if not membership.may(action):
        raise PermissionDenied("Your role in this organization may not do this.")
    return membership


def org_view(action: ActionSpec):
    """Decorate a view taking ``org_name``; it sees ``request.organization`` and ``request.membership``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, org_name: str, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            needed = required_action(action, request.method)
            if needed is None:
                org_membership(request.user, org_name)  # another org's URL answers 404 before 405
                return HttpResponseNotAllowed([method for method in action if method != "HEAD"])
            membership = org_access(request, org_name, needed)
            if membership.organization.require_two_factor and not has_two_factor(request.user):
                messages.warning(
                    request,
                    _("%(org)s requires two-factor sign-in. Set it up to continue.") % {"org": org_name},
                )
                enrol = reverse("accounts:two_factor_enrol")
                return redirect(f"{enrol}?{urlencode({'next': request.get_full_path()})}")
            return view(request, *args, org_name=org_name, **kwargs)

        wrapped.org_action = action
        return wrapped

    return decorator


class SessionActivityMiddleware:
    """Keeps the signed-in user's session row current (at most one write a minute; see usersessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apps.accounts.usersessions import session_touch

        if request.user.is_authenticated:
            session_touch(request)
        return self.get_response(request)
