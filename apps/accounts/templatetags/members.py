"""The rows of the members table, built in Python (issue 14: the 50-member bench org's rows cost ~13 ms in the
template language, several nodes per cell, a gettext per row for every label; here the labels are translated once,
the role select's options are built once per role, and each row is one f-string of escaped values: same HTML)."""

from functools import cache

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from apps.accounts.roles import Action, Role, role_may
from console.rowhtml import esc, html_join

register = template.Library()

@register.simple_tag(takes_context=True)
def member_rows(context, members, role_choices, org_name: str):
    """``members``: ``member_list``'s dicts with what the members view adds (may_manage, is_last_owner, the URLs);
    ``role_choices``: the roles the signed-in member may give, offered in each row's select."""
    csrf = CsrfTokenNode().render(context)
    you_id = context["current_membership"].pk
    # Constants escaped once here (SafeString) rather than in each row.
    role_labels = {value: escape(str(label)) for value, label in Role.choices}
    options = _role_options(tuple(value for value, _label in role_choices), get_language())
    you = format_html(' <span class="badge text-bg-light">{}</span>', gettext("you"))
    two_factor_on = format_html('<span class="badge text-bg-success-subtle text-success-emphasis">{}</span>',
                                gettext("Two-factor on"))
    two_factor_off = format_html('<span class="badge text-bg-light">{}</span>', gettext("No two-factor"))
    last_owner = format_html('<span class="small text-body-secondary">{}</span>',
                             gettext("The last owner cannot be removed or demoted"))
    owner_only = format_html('<span class="small text-body-secondary">{}</span>',
                             gettext("Only an owner can change an owner"))
    change_role, remove = escape(gettext("Change role")), escape(gettext("Remove"))
    role_of, confirm = gettext("Role of %(email)s"), gettext("Remove %(email)s from %(org)s?")

    # Each row is an f-string of constants escaped above and its own values escaped here (issue 14: a
    # ``format_html`` of the row and one of its actions escaped ~17 values a row, the constants among them).
    csrf = str(csrf)

    def row(member) -> str:
        email, pk, role = member["email"], member["pk"], member["role"]
        if member["may_manage"]:
            # The sentences are formatted as plain text, then escaped whole.
            actions = (
                '<div class="d-inline-flex gap-2 align-items-center">\n'
                f'<form method="post" action="{esc(member["change_role_url"])}" class="d-inline-flex gap-1">\n'
                f'{csrf}\n<label class="visually-hidden" for="role-{pk}">{esc(role_of % {"email": email})}</label>\n'
                f'<select name="role" id="role-{pk}" class="form-select form-select-sm member-role-select">\n'
                f'{options[role]}\n</select>\n'
                f'<button type="submit" class="btn btn-sm btn-outline-primary text-nowrap">{change_role}</button>\n'
                f'</form>\n<form method="post" action="{esc(member["remove_url"])}">\n{csrf}\n'
                '<button type="submit" class="btn btn-sm btn-outline-danger" '
                f'data-confirm="{esc(confirm % {"email": email, "org": org_name})}">{remove}</button>\n</form>\n</div>'
            )
        else:
            actions = last_owner if member["is_last_owner"] else owner_only
        full_name = member["full_name"]
        full_name = f'<div class="small text-body-secondary">{esc(full_name)}</div>' if full_name else ""
        return (
            f'<tr>\n<td>\n<div class="fw-semibold">{esc(email)}{you if pk == you_id else ""}</div>\n{full_name}\n'
            f'{two_factor_on if member["two_factor_on"] else two_factor_off}\n</td>\n'
            f'<td><span class="badge member-role member-role-{esc(role)}">{role_labels.get(role) or esc(role)}</span>'
            f'</td>\n<td class="text-nowrap">{timezone.localtime(member["created_at"]):%Y-%m-%d}</td>\n'
            f'<td class="text-end">\n{actions}\n</td>\n</tr>\n'
        )

    return html_join(map(row, members))


@cache
def _role_options(values: tuple[str, ...], _language: str) -> dict[str, str]:
    """A row's role select: the options of the roles the signed-in member may give (``values``), one set for each
    member's role, which is selected. Built once per set of roles and language (labels are ``Role``'s)."""
    labels = dict(Role.choices)
    return {
        role: format_html_join("", '<option value="{}"{}>{}</option>',
                               ((value, mark_safe(" selected") if value == role else "", labels[value])
                                for value in values))
        for role in Role.values
    }


@register.simple_tag
def role_matrix_rows():
    """The legend under the members table: what each role may do. The same table for everyone in a language, so it
    is built once per language and process (the actions, roles and translations are fixed in code)."""
    return _role_matrix_rows(get_language())


@cache
def _role_matrix_rows(_language: str) -> str:
    yes = format_html('<td class="text-center"><span class="text-success" aria-label="{}">✓</span></td>',
                      gettext("yes"))
    no = format_html('<td class="text-center"><span class="text-body-tertiary" aria-label="{}">—</span></td>',
                     gettext("no"))
    return format_html_join(
        "", '<tr><th scope="row" class="fw-normal">{}</th>\n{}\n</tr>\n',
        ((label, html_join(yes if role_may(role, action) else no for role in Role.values))
         for action, label in Action.choices),
    )
