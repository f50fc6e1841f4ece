from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.push.exceptions import DuplicateCertificate
from apps.push.forms import VENDOR_FORMS
from apps.push.models import Vendor
from apps.push.selectors import push_vendor_cards
from apps.push.services import push_certificate_create, push_certificate_delete, push_certificate_update
from console.errors import show_domain_error


def _redirect_to_list(app):
    return redirect("features:settings_push", org_name=app.organization.name, app_name=app.name)


@app_view(Action.VIEW_APPS)
def settings_push(request, app):
    return render(
        request,
        "push/certificate_list.html",
        {
            "app": app,
            "feature_title": _("Push certificates"),
            "cards": push_vendor_cards(app=app),
        },
    )


def _form_page(request, app, form, *, certificate=None, status=200):
    return render(
        request,
        "push/certificate_form.html",
        {
            "app": app,
            "form": form,
            "vendor_label": Vendor(form.vendor).label,
            "certificate": certificate,
            "details": form.describe(certificate) if certificate is not None else [],
        },
        status=status,
    )


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET", "POST"])
def certificate_create(request, app, vendor: str):
    form_class = VENDOR_FORMS.get(vendor)
    if form_class is None:
        raise Http404("No such push vendor.")
    if request.method != "POST":
        return _form_page(request, app, form_class())
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            certificate = push_certificate_create(app=app, actor=request.user, vendor=vendor, values=form.values)
        except DuplicateCertificate as exc:
            show_domain_error(request, exc, form=form, field="name")
        else:
            messages.success(request, _("%(vendor)s certificate %(name)s added.") % {
                "vendor": certificate.get_vendor_display(), "name": certificate.name})
            return _redirect_to_list(app)
    return _form_page(request, app, form)


@app_view({"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS})
@require_http_methods(["GET", "POST"])
def certificate_edit(request, app, pk: int):
    """GET shows the certificate (as a form to those who may change it); POST saves. A secret or file left
    blank keeps the stored one."""
    certificate = get_object_or_404(app.push_certificates, pk=pk)
    form_class = VENDOR_FORMS[certificate.vendor]
    if request.method != "POST":
        return _form_page(request, app, form_class(instance=certificate), certificate=certificate)
    form = form_class(request.POST, request.FILES, instance=certificate)
    if form.is_valid():
        try:
            changed = push_certificate_update(certificate=certificate, actor=request.user, values=form.values)
        except DuplicateCertificate as exc:
            show_domain_error(request, exc, form=form, field="name")
        else:
            if changed:
                messages.success(request, _("%(vendor)s certificate %(name)s saved.") % {
                    "vendor": certificate.get_vendor_display(), "name": form.values.name})
            else:
                messages.info(request, _("Nothing changed."))
            return _redirect_to_list(app)
    return _form_page(request, app, form, certificate=certificate)


@app_view(Action.CHANGE_APPS)
@require_POST
def certificate_delete(request, app, pk: int):
    """Delete one certificate of this app. One already gone (a second click, another tab) gets a message rather
    than an error page, since what was asked for is done."""
    certificate = app.push_certificates.filter(pk=pk).first()
    if certificate is not None and push_certificate_delete(certificate=certificate, actor=request.user):
        messages.success(request, _("%(vendor)s certificate %(name)s deleted.") % {
            "vendor": certificate.get_vendor_display(), "name": certificate.name})
    else:
        messages.info(request, _("That certificate was already deleted."))
    return _redirect_to_list(app)
