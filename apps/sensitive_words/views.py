from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.features.selectors import feature_is_on
from apps.plans.models import Feature
from apps.sensitive_words.exceptions import WordListFull
from apps.sensitive_words.forms import (
    IMPORT_MAX_BYTES,
    MESSAGE_MAX_LENGTH,
    WORDS_PER_BATCH,
    MessageTestForm,
    SettingsForm,
    WordAddForm,
    WordDeleteForm,
    WordImportForm,
    WordSearchForm,
)
from apps.sensitive_words.models import WORD_MAX_LENGTH, WORDS_PER_APP
from apps.sensitive_words.selectors import (
    SensitiveWordRows,
    message_check,
    sensitive_word_count,
    sensitive_word_settings_for,
)
from apps.sensitive_words.services import (
    sensitive_word_settings_update,
    sensitive_words_add,
    sensitive_words_delete,
    sensitive_words_import,
)
from console.errors import show_domain_error

WORDS_PER_PAGE = 50


def _page_url(app, *, search: str = "", page: int | None = None) -> str:
    url = reverse("features:settings_sensitive_words", kwargs={"org_name": app.organization.name,
                                                               "app_name": app.name})
    query = {key: value for key, value in (("q", search), ("page", page)) if value}
    return f"{url}?{urlencode(query)}" if query else url


def _added_message(result) -> str:
    return _("%(added)s added, %(skipped)s already in the list.") % {"added": result.added,
                                                                     "skipped": result.skipped}


def _render_page(request, app, *, settings=None, settings_form=None, add_form=None, import_form=None,
                 test_form=None, verdict=None, status=200):
    """The whole page; a form that was just submitted and refused comes in bound, with its errors."""
    settings = settings or sensitive_word_settings_for(app=app)
    search_form = WordSearchForm(request.GET)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    page = Paginator(SensitiveWordRows(app=app, search=search), WORDS_PER_PAGE).get_page(request.GET.get("page"))
    total = sensitive_word_count(app=app) if search else page.paginator.count
    return render(
        request,
        "sensitive_words/settings.html",
        {
            "app": app,
            "feature_title": _("Sensitive words"),
            "current": settings,
            # What the settings card shows of them (its markup is remembered under it); not saved yet: defaults.
            "settings_version": (settings.pk, settings.updated_at, settings.enabled, settings.action,
                                 settings.ignore_case, settings.updated_by.email if settings.updated_by else None)
            if settings.pk else None,
            "is_on": feature_is_on(app=app, code=Feature.Code.SENSITIVE_WORDS),
            "settings_form": settings_form or SettingsForm(initial=SettingsForm.initial_for(settings)),
            "add_form": add_form or WordAddForm(),
            "import_form": import_form or WordImportForm(),
            "search_form": search_form,
            "search": search,
            "test_form": test_form or MessageTestForm(),
            "verdict": verdict,
            "page": page,
            "word_total": total,
            "word_limit": WORDS_PER_APP,
            "limits": {"batch": WORDS_PER_BATCH, "length": WORD_MAX_LENGTH, "file_mb": IMPORT_MAX_BYTES // 2**20,
                       "message": MESSAGE_MAX_LENGTH},
        },
        status=status,
    )


@app_view({"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS})
@require_http_methods(["GET", "POST"])
def settings_sensitive_words(request, app):
    """The page; a POST saves the filter settings (switch, action, ignore case)."""
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if not form.is_valid():
            return _render_page(request, app, settings_form=form)
        _settings, changed = sensitive_word_settings_update(app=app, actor=request.user, **form.cleaned_data)
        if changed:
            messages.success(request, _("Sensitive word settings saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(_page_url(app))
    return _render_page(request, app)


@app_view(Action.CHANGE_APPS)
@require_POST
def words_add(request, app):
    form = WordAddForm(request.POST)
    if form.is_valid():
        try:
            result = sensitive_words_add(app=app, actor=request.user, words=form.cleaned_data["words"])
        except WordListFull as error:
            show_domain_error(request, error, form=form, field="words")
        else:
            messages.success(request, _added_message(result))
            return redirect(_page_url(app))
    return _render_page(request, app, add_form=form)


@app_view(Action.CHANGE_APPS)
@require_POST
def words_import(request, app):
    form = WordImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = sensitive_words_import(app=app, actor=request.user, words=form.cleaned_data["words"],
                                            filename=form.cleaned_data["file"].name)
        except WordListFull as error:
            show_domain_error(request, error, form=form, field="file")
        else:
            messages.success(request, _("Imported %(name)s: %(result)s") % {
                "name": form.cleaned_data["file"].name, "result": _added_message(result)})
            return redirect(_page_url(app))
    return _render_page(request, app, import_form=form)


@app_view(Action.CHANGE_APPS)
@require_POST
def words_delete(request, app):
    """Delete one word (its row's button) or the selected ones (checkboxes): the same list of ids."""
    form = WordDeleteForm(request.POST)
    back = WordSearchForm(request.POST)
    search = back.cleaned_data["q"] if back.is_valid() else ""
    page = request.POST.get("page", "")
    page = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else None
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["words"]))
    else:
        deleted = sensitive_words_delete(app=app, actor=request.user, word_ids=form.cleaned_data["words"])
        if deleted:
            messages.success(request, ngettext("%(count)s word deleted.", "%(count)s words deleted.", deleted)
                             % {"count": deleted})
        else:
            messages.info(request, _("None of those words is in the list any more."))
    return redirect(_page_url(app, search=search, page=page))


@app_view(Action.VIEW_APPS)
@require_POST
def words_test(request, app):
    """The test box. Anyone who may see the list may test it: nothing is written. With htmx the answer is
    the result partial; without JavaScript the whole page with the result."""
    form = MessageTestForm(request.POST)
    settings = sensitive_word_settings_for(app=app)
    verdict = message_check(app=app, text=form.cleaned_data["message"], settings=settings) if form.is_valid() else None
    if request.headers.get("HX-Request") == "true":
        response = render(request, "sensitive_words/_test_result.html",
                          {"verdict": verdict, "test_form": form, "current": settings})
    else:
        response = _render_page(request, app, settings=settings, test_form=form, verdict=verdict)
    patch_vary_headers(response, ["HX-Request"])
    return response
