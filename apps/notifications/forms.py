from django import forms
from django.utils.translation import gettext_lazy as _

from apps.applications.models import App
from apps.notifications.models import Kind, Severity, State


class AlertFilterForm(forms.Form):
    app = forms.ModelChoiceField(label=_("App"), queryset=App.objects.none(), required=False,
                                 empty_label=_("All apps"))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("All severities")), *Severity.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *State.choices])

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].queryset = App.objects.filter(organization=organization).order_by("name")


class EmailChoicesForm(forms.Form):
    def __init__(self, *args, initial_choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=initial_choices[kind])
