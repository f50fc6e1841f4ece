from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from apps.accounts.exceptions import AccountError
from apps.applications.exceptions import AppError
from billing.exceptions import BillingError
from console.errors import DomainError, show_domain_error
from orders.exceptions import OrderError


class AmountForm(forms.Form):
    amount = forms.IntegerField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_every_apps_domain_errors_share_the_base_class():
    assert all(issubclass(error, DomainError) for error in (AccountError, AppError, BillingError, OrderError))


def test_a_domain_error_becomes_an_error_of_the_field_or_of_the_whole_form():
    form = AmountForm({"amount": "5"})
    assert form.is_valid()
    show_domain_error(_request(), BillingError("Too much."), form=form, field="amount")
    show_domain_error(_request(), OrderError("Not now."), form=form)
    assert form.errors == {"amount": ["Too much."], "__all__": ["Not now."]}


def test_without_a_form_a_domain_error_becomes_an_error_message():
    request = _request()
    show_domain_error(request, AccountError("Only an owner can do that."))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "Only an owner can do that.")]
