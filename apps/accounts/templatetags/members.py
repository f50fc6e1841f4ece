"""The rows of the members table, built in Python (issue 14: the 50-member bench org's rows cost ~13 ms in the
template language, several nodes per cell, a gettext per row for every label; here the labels are translated once,
the role select's options are built once per role, and each row is one format_html: same HTML)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.accounts.roles import Role

register = template.Library()

ROW = (
    '<tr>\n<td>\n<div class="fw-semibold">{email}{you}</div>\n{full_name}\n{two_factor}\n</td>\n'
    '<td><span class="badge member-role member-role-{role}">{role_label}</span></td>\n'
    '<td class="text-nowrap">{joined}</td>\n<td class="text-end">\n{actions}\n</td>\n</tr>\n'
)
ACTIONS = (
    '<div class="d-inline-flex gap-2 align-items-center">\n'
    '<form method="post" action="{change_role_url}" class="d-inline-flex gap-1">\n{csrf}\n'
    '<label class="visually-hidden" for="role-{pk}">{role_of}</label>\n'
    '<select name="role" id="role-{pk}" class="form-select form-select-sm member-role-select">\n{options}\n</select>\n'
    '<button type="submit" class="btn btn-sm btn-outline-primary text-nowrap">{change_role}</button>\n</form>\n'
    '<form method="post" action="{remove_url}">\n{csrf}\n'
    '<button type="submit" class="btn btn-sm btn-outline-danger" data-confirm="{confirm}">{remove}</button>\n'
    "</form>\n</div>"
)


@register.simple_tag(takes_context=True)
def member_rows(context, members, role_choices, org_name: str):
    """``members`` as the members view prepares them (may_manage, is_last_owner, two_factor_on, the two URLs);
    ``role_choices``: the roles the signed-in member may give, offered in each row's select."""
    csrf = CsrfTokenNode().render(context)
    you_id = context["current_membership"].pk
    # Constants escaped once here (SafeString) rather than by each row's format_html.
    role_labels = {value: escape(str(label)) for value, label in Role.choices}
    choices = [(value, str(label)) for value, label in role_choices]
    options = {  # a row's select: these options, its member's role selected
        role: format_html_join("", '<option value="{}"{}>{}</option>',
                               ((value, mark_safe(" selected") if value == role else "", label)
                                for value, label in choices))
        for role in role_labels
    }
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

    def row(member) -> dict:
        email = member.user.email
        if member.may_manage:
            # The sentences are formatted as plain text, then escaped whole by format_html.
            actions = format_html(
                ACTIONS, change_role_url=member.change_role_url, remove_url=member.remove_url, csrf=csrf,
                pk=member.pk, role_of=role_of % {"email": email}, options=options[member.role],
                change_role=change_role, remove=remove, confirm=confirm % {"email": email, "org": org_name},
            )
        else:
            actions = last_owner if member.is_last_owner else owner_only
        full_name = member.user.full_name
        return {
            "email": email, "you": you if member.pk == you_id else "",
            "full_name": format_html('<div class="small text-body-secondary">{}</div>', full_name) if full_name else "",
            "two_factor": two_factor_on if member.two_factor_on else two_factor_off,
            "role": member.role, "role_label": role_labels.get(member.role, member.role),
            "joined": f"{timezone.localtime(member.created_at):%Y-%m-%d}", "actions": actions,
        }

    return format_html_join("", ROW, (row(member) for member in members))


@register.simple_tag
def role_matrix_rows(role_matrix):
    """The legend under the members table (what each role may do): 28 cells, each an ``if`` and a translated
    label in the template language; here the two cells are built once."""
    yes = format_html('<td class="text-center"><span class="text-success" aria-label="{}">✓</span></td>',
                      gettext("yes"))
    no = format_html('<td class="text-center"><span class="text-body-tertiary" aria-label="{}">—</span></td>',
                     gettext("no"))
    return format_html_join(
        "", '<tr><th scope="row" class="fw-normal">{}</th>\n{}\n</tr>\n',
        ((row["label"], format_html_join("", "{}", ((yes if allowed else no,) for allowed in row["roles"])))
         for row in role_matrix),
    )
