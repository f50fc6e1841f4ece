from django import forms
from django.utils.translation import gettext_lazy as _

from apps.applications.models import APP_NAME_VALIDATOR, RESERVED_APP_NAMES, App, DataCenter
from apps.applications.selectors import data_centers_open


class DataCenterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DataCenter) -> str:
        return f"{obj.name} · {obj.rest_host}"


class AppCreateForm(forms.Form):
    name = forms.CharField(
        label=_("AppName"),
        max_length=32,
        validators=[APP_NAME_VALIDATOR],
        help_text=_(
            "1–32 characters: lower-case letters, digits and “-”. Part of the AppKey; cannot be changed later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
    )
    product_name = forms.CharField(label=_("Product name"), max_length=32)
    description = forms.CharField(
        label=_("Description"), max_length=512, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    data_center = DataCenterChoiceField(
        label=_("Data center"),
        queryset=DataCenter.objects.none(),
        empty_label=None,
        help_text=_("Where the app's messages and users are stored; cannot be changed later."),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["data_center"].queryset = data_centers_open()
        first = self.fields["data_center"].queryset.first()
        if first is not None and not self.is_bound:
            self.initial.setdefault("data_center", first.pk)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name in RESERVED_APP_NAMES:
            raise forms.ValidationError(_("This AppName is reserved; choose another."), code="reserved_app_name")
        if App.objects.filter(organization=self.organization, name=name).exists():
            raise forms.ValidationError(
                _("An app with this AppName already exists in your organization."), code="app_name_taken"
            )
        return name


class AppEditForm(forms.ModelForm):
    """Only what may change after creation; AppName and data center are not fields here, so a crafted POST
    carrying them is ignored."""

    class Meta:
        model = App
        fields = ["product_name", "description"]
        labels = {"product_name": _("Product name"), "description": _("Description")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SecretRotateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the current Client Secret stops working immediately."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the rotation.")},
    )
