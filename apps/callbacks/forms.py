from django import forms
from django.utils.translation import gettext_lazy as _

from apps.callbacks.guard import URL_MAX_CHARS, TargetRefused, parse_url
from apps.callbacks.models import (
    NAME_MAX_CHARS,
    WAIT_MS_DEFAULT,
    WAIT_MS_MAX,
    WAIT_MS_MIN,
    CallbackRule,
    ChatType,
    MessageType,
    ordered_choices,
)

PRE_SEND_FIELDS = ("wait_ms", "on_failure")
CHECK = {"class": "form-check-input"}


class CallbackRuleForm(forms.Form):
    """A rule's settings. Syntax and uniqueness only: the service resolves the URL (SSRF guard) and enforces
    the limit under a lock. Wait time and failure policy are required for pre-send rules and ignored
    (errors included) for post-send ones."""

    name = forms.CharField(label=_("Rule name"), max_length=NAME_MAX_CHARS,
                           help_text=_("Up to 32 characters, unique within the app."))
    kind = forms.ChoiceField(label=_("Type"), choices=CallbackRule.Kind.choices, widget=forms.RadioSelect(CHECK),
                             initial=CallbackRule.Kind.POST_SEND)
    url = forms.CharField(label=_("Callback URL"), max_length=URL_MAX_CHARS,
                          help_text=_("http:// or https://, on a public address. Redirects are not followed."))
    chat_types = forms.MultipleChoiceField(label=_("Chat types"), choices=ChatType.choices,
                                           widget=forms.CheckboxSelectMultiple(CHECK),
                                           error_messages={"required": _("Choose at least one chat type.")})
    message_types = forms.MultipleChoiceField(label=_("Message types"), choices=MessageType.choices,
                                              widget=forms.CheckboxSelectMultiple(CHECK),
                                              error_messages={"required": _("Choose at least one message type.")})
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    wait_ms = forms.IntegerField(
        label=_("Wait time (ms)"), required=False, min_value=WAIT_MS_MIN, max_value=WAIT_MS_MAX,
        initial=WAIT_MS_DEFAULT,
        help_text=_("How long the service waits for your answer before applying the failure policy: "
                    "50 to 5,000 ms."),
    )
    on_failure = forms.ChoiceField(label=_("If your server does not answer in time"), required=False,
                                   choices=CallbackRule.OnFailure.choices, widget=forms.RadioSelect(CHECK),
                                   initial=CallbackRule.OnFailure.PASS)

    def __init__(self, *args, app, rule: CallbackRule | None = None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {field: getattr(rule, field) for field in
                                 ("name", "kind", "url", "chat_types", "message_types", "enabled", "wait_ms",
                                  "on_failure")}
        super().__init__(*args, **kwargs)
        self.app, self.rule = app, rule

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.app.callback_rules.filter(name=name)
        if self.rule is not None:
            others = others.exclude(pk=self.rule.pk)
        if others.exists():
            raise forms.ValidationError(_("This app already has a rule with this name."))
        return name

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            parse_url(url)
        except TargetRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return url

    def clean_chat_types(self):
        return ordered_choices(self.cleaned_data["chat_types"], ChatType)

    def clean_message_types(self):
        return ordered_choices(self.cleaned_data["message_types"], MessageType)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CallbackRule.Kind.PRE_SEND:
            if cleaned.get("wait_ms") is None and "wait_ms" not in self.errors:
                self.add_error("wait_ms", _("Enter a wait time from 50 to 5,000 ms."))
            if not cleaned.get("on_failure") and "on_failure" not in self.errors:
                self.add_error("on_failure", _("Choose what happens when your server does not answer."))
        else:
            for field in PRE_SEND_FIELDS:
                self._errors.pop(field, None)
            cleaned["wait_ms"], cleaned["on_failure"] = WAIT_MS_DEFAULT, CallbackRule.OnFailure.PASS
        return cleaned

    def rule_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in
                ("name", "kind", "url", "chat_types", "message_types", "enabled", "wait_ms", "on_failure")}
