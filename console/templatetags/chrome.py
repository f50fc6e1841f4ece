"""The top bar and the left navigation of every console page, written in Python.

Issue 14: every page paid ~1.3 CPU ms for these two includes through the template engine (sixty nodes: a dozen
{% translate %}, seven {% url %}, two {% csrf_token %}, the org switcher's loop), about a sixth of a simple
settings page. The markup is what templates/includes/topbar.html and sidebar.html wrote, attribute for
attribute (tests/console/test_chrome.py). The values come from the context processor
(``console.context_processors.chrome``): the navigation, the memberships, the org and the bell's number are
computed lazily there, as before; every value below goes through ``format_html``, which escapes it.
"""

import secrets

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from console.memo import remember
from console.urltools import reverse_cached

register = template.Library()

BELL_ICON = mark_safe(  # a constant
    '<svg class="alert-bell-icon" aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 16 16" '
    'fill="currentColor"><path d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2m.995-14.901a1 1 0 1 0-1.99 0A5 5 0 0 0 3 '
    '6c0 1.098-.5 6-2 7h14c-1.5-1-2-5.902-2-7 0-2.42-1.72-4.44-4.005-4.901"/></svg>'
)


def _org_switcher(memberships, switcher_org) -> str:
    items = format_html_join("", '\n        <li><a class="dropdown-item{}"\n               href="{}">\n          {} '
                                 '<small class="dropdown-item-note">· {}</small></a></li>', (
        (" active" if switcher_org and m.organization_id == switcher_org.id else "",
         reverse_cached("applications:app_list", kwargs={"org_name": m.organization.name}),
         m.organization.name, m.get_role_display())
        for m in memberships
    ))
    return format_html(
        '\n    <li class="nav-item dropdown">\n      <button class="btn btn-sm btn-outline-light dropdown-toggle '
        'org-switcher" type="button" data-bs-toggle="dropdown"\n              aria-expanded="false" '
        'id="org-switcher">\n        {}: <strong>{}</strong>\n      </button>\n      <ul class="dropdown-menu" '
        'aria-labelledby="org-switcher">{}\n      </ul>\n    </li>',
        _("Organization"), switcher_org.name if switcher_org else _("choose"), items,
    )


def _alert_bell(current_org, count) -> str:
    badge = format_html('\n        <span class="badge rounded-pill text-bg-danger" id="alert-count">{}</span>', count)
    return format_html(
        '\n    <li class="nav-item">\n      <a class="nav-link position-relative" id="alert-bell" href="{}"\n'
        '         title="{}">{}<span class="visually-hidden">{}</span>{}</a>\n    </li>',
        reverse_cached("notifications:alert_list", kwargs={"org_name": current_org.name}), _("Alerts"),
        BELL_ICON, _("Alerts"), badge if count else "",
    )


def _language_switcher() -> str:
    """The two language buttons; ``next`` brings the user back to this page."""
    current = get_language()
    buttons = format_html_join("", '\n        <button type="submit" name="language" value="{}" class="btn btn-sm {}" '
                                   'lang="{}">{}</button>', (
        (code, "btn-light" if current == code else "btn-outline-light", code, label)
        for code, label in (("zh-hans", "中文"), ("en", "English"))
    ))
    return format_html(
        '\n    <li class="nav-item">\n      <form action="{}" method="post" class="d-flex gap-1 '
        'language-switcher">\n        {}\n        <input type="hidden" name="next" value="{}">{}\n      </form>\n'
        '    </li>',
        reverse_cached("set_language"), _CSRF_MARK, _NEXT_MARK, buttons,
    )


def _user_menu(user) -> str:
    if user is None or not user.is_authenticated:
        return format_html('\n    <li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
                           reverse_cached("accounts:login"), _("Log in"))
    return format_html(
        '\n    <li class="nav-item dropdown">\n      <button class="btn btn-sm btn-outline-light dropdown-toggle '
        'user-menu" type="button" data-bs-toggle="dropdown"\n              aria-expanded="false" id="user-menu">{}'
        '</button>\n      <ul class="dropdown-menu dropdown-menu-lg-end" aria-labelledby="user-menu">\n'
        '        <li><a class="dropdown-item" href="{}">{}</a></li>\n'
        '        <li><a class="dropdown-item" href="{}">{}</a></li>\n'
        '        <li><hr class="dropdown-divider"></li>\n        <li>\n'
        '          <form method="post" action="{}">{}\n'
        '            <button type="submit" class="dropdown-item">{}</button>\n          </form>\n        </li>\n'
        '      </ul>\n    </li>',
        user.email, reverse_cached("accounts:security"), _("Security and sessions"),
        reverse_cached("accounts:password_change"), _("Change password"),
        reverse_cached("accounts:logout"), _CSRF_MARK, _("Log out"),
    )


# Stand-ins for the two values of the top bar that change with every request (the CSRF token's masked form and
# the page's own path), random per process so that no echoed value (an org name, an email) can contain them.
_CSRF_MARK, _NEXT_MARK = f"csrf-{secrets.token_hex(16)}", f"next-{secrets.token_hex(16)}"
_topbars: dict[tuple, str] = {}  # the markup per _topbar_key, with the stand-ins, per process


def _topbar_key(context) -> tuple:
    """Everything the top bar's markup depends on besides the CSRF token and the path (issue 14: the bar was
    ~0.5 CPU ms of format_html on every page; most requests repeat the last one's bar)."""
    user = context.get("user")
    authenticated = user is not None and user.is_authenticated
    memberships = context.get("user_memberships") if authenticated else None
    switcher_org = context.get("switcher_org") if memberships else None
    current_org, membership = context.get("current_org"), context.get("current_membership")
    bell = (current_org.name, context.get("open_alert_count")) if current_org and membership else None
    return (
        get_language(), context.get("product_name", ""), bool(context.get("navigation")),
        (user.pk, user.email, user.is_staff) if authenticated else None,
        tuple((m.organization_id, m.organization.name, m.role) for m in memberships) if memberships else (),
        (switcher_org.pk, switcher_org.name) if switcher_org else None, bell,
    )


@register.simple_tag(takes_context=True)
def topbar(context) -> str:
    key = _topbar_key(context)
    html = _topbars.get(key)
    if html is None:
        html = remember(_topbars, key, _topbar(context))
    request = context.get("request")
    return mark_safe(html.replace(_CSRF_MARK, CsrfTokenNode().render(context)).replace(  # noqa: S308 -- both escaped
        _NEXT_MARK, conditional_escape(request.get_full_path() if request else "")))


def _topbar(context) -> str:
    """The bar's markup with the stand-ins for the CSRF token and the path."""
    user = context.get("user")
    authenticated = user is not None and user.is_authenticated
    navigation = context.get("navigation")
    toggle = ""
    if navigation:
        toggle = format_html(
            '\n  <button class="btn btn-sm btn-outline-light d-lg-none me-2 console-nav-toggle" type="button" '
            'data-bs-toggle="offcanvas"\n          data-bs-target="#console-sidebar" aria-controls="console-sidebar" '
            'id="sidebar-toggle">\n    <span class="navbar-toggler-icon" aria-hidden="true"></span>'
            '<span class="visually-hidden">{}</span>\n  </button>',
            _("Console navigation"),
        )
    memberships = context.get("user_memberships")
    switcher = ""
    if authenticated and memberships:
        switcher = _org_switcher(memberships, context.get("switcher_org"))
    current_org, membership = context.get("current_org"), context.get("current_membership")
    bell = _alert_bell(current_org, context.get("open_alert_count")) if current_org and membership else ""
    try:
        plans = format_html('\n    <li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
                            reverse_cached("plans:plan_compare"), _("Plans"))
    except NoReverseMatch:
        plans = ""
    admin = ""
    if authenticated and user.is_staff:
        admin = format_html('\n    <li class="nav-item"><a class="nav-link" href="{}" id="admin-link">{}</a></li>',
                            reverse_cached("admin:index"), _("Platform admin"))
    return format_html(
        '<nav class="navbar navbar-expand-lg navbar-dark console-topbar px-3" aria-label="{}">{}\n'
        '  <a class="navbar-brand fw-semibold me-auto me-lg-3" href="{}">\n'
        '    <span class="brand-mark" aria-hidden="true">IM</span> {}\n  </a>\n'
        '  <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#topbar-menu"\n'
        '          aria-controls="topbar-menu" aria-expanded="false" id="topbar-toggle">\n'
        '    <span class="navbar-toggler-icon" aria-hidden="true"></span><span class="visually-hidden">{}</span>\n'
        '  </button>\n  <div class="collapse navbar-collapse" id="topbar-menu">\n'
        '  <ul class="navbar-nav me-auto">{}\n  </ul>\n'
        '  <ul class="navbar-nav align-items-lg-center gap-2 topbar-end">{}{}{}{}{}\n  </ul>\n  </div>\n</nav>',
        _("Top bar"), toggle, reverse_cached("home"), context.get("product_name", ""), _("Menu"), switcher,
        bell, plans, admin, _language_switcher(), _user_menu(user),
    )


_sidebars: dict[tuple, str] = {}  # the markup per console.navigation.navigation_key, per process


@register.simple_tag(takes_context=True)
def sidebar(context) -> str:
    key = context.get("navigation_key")
    if key is not None and (found := _sidebars.get(key)) is not None:
        return found
    html = _sidebar(context)
    return remember(_sidebars, key, html) if key is not None else html


def _sidebar(context) -> str:
    navigation = context.get("navigation")
    if not navigation:
        return ""
    app, org = context.get("current_app"), context.get("current_org")
    heading = app.name if app else org.name if org else ""
    sections = format_html_join("", '\n  <div class="nav-section">\n    <div class="nav-section-title">{}</div>\n'
                                    '    <ul class="nav flex-column">{}\n    </ul>\n  </div>', (
        (section["title"], format_html_join("", '\n      <li class="nav-item"><a class="nav-link{}" href="{}"{}>{}'
                                                '</a></li>', (
            (" active" if item["active"] else "", item["url"],
             mark_safe(' aria-current="page"') if item["active"] else "", item["label"])
            for item in section["items"]
        )))
        for section in navigation
    ))
    return format_html(
        '<nav class="console-sidebar offcanvas-lg offcanvas-start" tabindex="-1" id="console-sidebar" '
        'aria-label="{}">\n  <div class="offcanvas-header d-lg-none">\n    <span class="fw-semibold">{}</span>\n'
        '    <button type="button" class="btn-close" data-bs-dismiss="offcanvas" data-bs-target="#console-sidebar" '
        'aria-label="{}"></button>\n  </div>\n  <div class="offcanvas-body d-block p-0">{}\n  </div>\n</nav>',
        _("Console navigation"), heading, _("Close"), sections,
    )
