"""The left navigation, as data. An entry shows only when its page exists (its URL name reverses) and the
member's role may use it, so the menu never links to a page that is not there."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Action
from console.memo import remember
from console.urltools import reverse_cached


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    action: str
    scope: str  # "org" takes org_name; "app" takes org_name and app_name


SECTIONS: list[tuple[str, list[NavEntry]]] = [
    (
        _("Apps"),
        [NavEntry(_("Apps"), "applications:app_list", Action.VIEW_APPS, "org")],
    ),
    (
        _("This app"),
        [
            NavEntry(_("Overview"), "applications:app_detail", Action.VIEW_APPS, "app"),
            NavEntry(_("Feature overview"), "features:overview", Action.VIEW_APPS, "app"),
            NavEntry(_("IM users"), "im_console:users", Action.CHANGE_APPS, "app"),
            NavEntry(_("IM groups"), "im_console:groups", Action.CHANGE_APPS, "app"),
            NavEntry(_("Usage"), "im_console:usage", Action.CHANGE_APPS, "app"),
            NavEntry(_("Upgrade"), "orders:checkout", Action.PURCHASE, "app"),
            NavEntry(_("Message recall"), "features:settings_recall", Action.VIEW_APPS, "app"),
            NavEntry(_("Push certificates"), "features:settings_push", Action.VIEW_APPS, "app"),
            NavEntry(_("Callbacks"), "features:settings_callbacks", Action.VIEW_APPS, "app"),
            NavEntry(_("Sensitive words"), "features:settings_sensitive_words", Action.VIEW_APPS, "app"),
            NavEntry(_("REST IP whitelist"), "features:settings_ip_whitelist", Action.VIEW_APPS, "app"),
        ],
    ),
    (
        _("Billing"),
        [
            NavEntry(_("Account center"), "billing:account", Action.VIEW_BILLING, "org"),
            NavEntry(_("Orders"), "orders:order_list", Action.VIEW_BILLING, "org"),
            NavEntry(_("Bills"), "billing:bill_list", Action.VIEW_BILLING, "org"),
        ],
    ),
    (
        _("Organization"),
        [
            NavEntry(_("Usage of all apps"), "im_console:org_usage", Action.VIEW_APPS, "org"),
            NavEntry(_("Members"), "members:member_list", Action.MANAGE_MEMBERS, "org"),
            NavEntry(_("Audit log"), "audit:audit_list", Action.VIEW_APPS, "org"),
        ],
    ),
]


# Remembered per process (issue 14: building the sections and writing the sidebar cost ~0.7 CPU ms a page): the
# menu is a function of the language, the role, the org, the app and the path alone, which is the key.
_sections: dict[tuple, list[dict]] = {}


def navigation_key(request) -> tuple | None:
    """What the menu of this request depends on; ``None`` without a membership (no menu)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    app = getattr(request, "app", None)
    return (get_language(), membership.role, membership.organization.name, app.name if app else None, request.path)


def navigation(request) -> list[dict]:
    """``build_navigation``, remembered per key (read-only: callers do not change the sections)."""
    key = navigation_key(request)
    if key is None:
        return []
    found = _sections.get(key)
    return found if found is not None else remember(_sections, key, build_navigation(request))


def build_navigation(request) -> list[dict]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    org_name = membership.organization.name
    app = getattr(request, "app", None)
    sections = []
    for title, entries in SECTIONS:
        items = []
        for entry in entries:
            if not membership.may(entry.action):
                continue
            kwargs = {"org_name": org_name}
            if entry.scope == "app":
                if app is None:
                    continue
                kwargs["app_name"] = app.name
            items.append({"label": entry.label, "url": reverse_cached(entry.url_name, kwargs=kwargs), "active": False})
        if items:
            sections.append({"title": app.name if entries[0].scope == "app" and app else title, "items": items})
    _mark_active(sections, request.path)
    return sections


def _mark_active(sections: list[dict], path: str) -> None:
    """The entry whose URL is the longest prefix of the path is the current one, so a rule's edit page under
    Callbacks keeps Callbacks highlighted (and an app's edit page, its Overview)."""
    items = [item for section in sections for item in section["items"] if path.startswith(item["url"])]
    if items:
        max(items, key=lambda item: len(item["url"]))["active"] = True
