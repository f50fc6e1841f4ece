"""One form per push vendor, and the registry that maps a vendor to its form (SPEC §9 lists the fields).

Each form declares which of its fields are secret (encrypted, shown back masked, kept when left blank on
edit), which are plain vendor options, and whether it takes an uploaded file. ``form.values`` (after
``is_valid()``) is the CertificateValues the services store."""

import base64
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.push import parsing
from apps.push.models import Environment, PushCertificate, Vendor
from apps.push.services import CertificateValues
from console.crypto import MASK, mask

IDENTIFIER = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._:+/=@-]*\Z",
    _("Use letters, digits and . _ : + / = @ - only, without spaces."),
)
SECRET = RegexValidator(r"^[!-~]+\Z", _("Paste the value without spaces or line breaks."))
PACKAGE_NAME = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+\Z",
    _("Enter an Android package name such as com.example.chat."),
)
BUNDLE_ID = RegexValidator(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z", _("Enter a Bundle ID such as com.example.chat."))
APPLE_ID = RegexValidator(r"^[A-Z0-9]{10}\Z", _("Enter the 10 capital letters and digits Apple shows."))
SENDER_ID = RegexValidator(r"^[0-9]{1,32}\Z", _("The Sender ID is the number Firebase shows under Cloud Messaging."))

def file_mask(certificate: PushCertificate) -> str:
    if certificate.file_uploaded_at is None:
        return MASK
    uploaded = date_format(timezone.localtime(certificate.file_uploaded_at), "Y-m-d")
    if certificate.expires_at is None:
        return _("%(mask)s (uploaded %(uploaded)s)") % {"mask": MASK, "uploaded": uploaded}
    expires = date_format(timezone.localtime(certificate.expires_at), "Y-m-d")
    return _("%(mask)s (uploaded %(uploaded)s, expires %(expires)s)") % {
        "mask": MASK, "uploaded": uploaded, "expires": expires}


def _text(label, *, max_length=128, required=True, validators=(IDENTIFIER,), help_text=""):
    return forms.CharField(label=label, max_length=max_length, required=required, validators=list(validators),
                           help_text=help_text)


def _secret(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label, max_length=256, required=required, validators=[SECRET], strip=True, help_text=help_text,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password", "spellcheck": "false"}),
    )


def _file(label, *, help_text, accept):
    return forms.FileField(label=label, help_text=help_text, widget=forms.ClearableFileInput(attrs={"accept": accept}))


class CertificateForm(forms.Form):
    vendor: str = ""
    description = ""
    name_label = _("Certificate name")
    name_validators: tuple = (IDENTIFIER,)
    package_label = _("Package name")  # None: the vendor has no package name
    package_validators: tuple = (PACKAGE_NAME,)
    secret_fields: tuple[str, ...] = ()
    option_fields: tuple[str, ...] = ()
    file_field: str | None = None

    name = forms.CharField(max_length=128)
    package_name = forms.CharField(max_length=255)

    def __init__(self, data=None, files=None, *, instance: PushCertificate | None = None, **kwargs):
        self.instance = instance
        if instance is not None and data is None:
            kwargs.setdefault("initial", self.initial_for(instance))
        super().__init__(data, files, **kwargs)
        self.stored = instance.secret_values if instance is not None else {}
        self.fields["name"].label = self.name_label
        self.fields["name"].validators.extend(self.name_validators)
        if self.package_label is None:
            del self.fields["package_name"]
        else:
            self.fields["package_name"].label = self.package_label
            self.fields["package_name"].validators.extend(self.package_validators)
        self.masks: dict[str, str] = {}
        for name in self.secret_fields:
            if self.stored.get(name):
                self.fields[name].required = False
                self.masks[name] = self.fields[name].current = mask(self.stored[name])
        self.current_file = ""
        if self.file_field and self.stored.get("file"):
            self.fields[self.file_field].required = False
            self.current_file = self.fields[self.file_field].current = file_mask(instance)
        self.values: CertificateValues | None = None

    @classmethod
    def initial_for(cls, instance: PushCertificate) -> dict:
        return {"name": instance.name, "package_name": instance.package_name, "environment": instance.environment,
                **instance.options}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(self.file_field) if self.file_field else None
        if upload:
            try:
                cleaned["upload"] = (upload.name[:255], parsing.read_upload(upload))
            except ValidationError as exc:
                self.add_error(self.file_field, exc)
        return cleaned

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        secrets = {}
        for name in self.secret_fields:
            value = self.cleaned_data.get(name) or self.stored.get(name)
            if value:
                secrets[name] = value
        options = {name: self.cleaned_data[name] for name in self.option_fields if self.cleaned_data.get(name)}
        values = CertificateValues(
            name=self.cleaned_data["name"],
            package_name=self.cleaned_data.get("package_name", ""),
            environment=self.cleaned_data.get("environment", ""),
            options=options,
            secrets=secrets,
        )
        try:
            values = self.clean_material(values)
        except ValidationError as exc:
            self.add_error(self.file_field, exc)
            return
        if not self.errors:
            self.values = values

    def clean_material(self, values: CertificateValues) -> CertificateValues:
        """Vendors with a file read it here (after every field is valid) and return the values to store."""
        return values

    def kept_file(self, values: CertificateValues, **options) -> CertificateValues:
        """The values with the stored file (and what was read from it) carried over from the instance."""
        instance = self.instance
        return CertificateValues(
            name=values.name, package_name=values.package_name, environment=values.environment,
            options={**values.options, **options}, secrets={**values.secrets, "file": self.stored["file"]},
            file_name=instance.file_name, file_uploaded_at=instance.file_uploaded_at, expires_at=instance.expires_at,
        )

    def new_file(self, values: CertificateValues, content: str, *, expires_at: dt.datetime | None = None,
                 **options) -> CertificateValues:
        file_name = self.cleaned_data["upload"][0]
        return CertificateValues(
            name=values.name, package_name=values.package_name, environment=values.environment,
            options={**values.options, **options}, secrets={**values.secrets, "file": content},
            file_name=file_name, file_uploaded_at=timezone.now(), expires_at=expires_at,
        )

    @classmethod
    def describe(cls, certificate: PushCertificate) -> list[tuple[str, str, bool]]:
        """(label, value, is_secret) rows of a stored certificate for read-only display; secrets masked."""
        form = cls(instance=certificate)
        rows = [(form.fields["name"].label, certificate.name, False)]
        if "package_name" in form.fields and certificate.package_name:
            rows.append((form.fields["package_name"].label, certificate.package_name, False))
        if certificate.environment:
            rows.append((_("Environment"), certificate.get_environment_display(), False))
        for name, field in form.fields.items():
            if name in cls.option_fields and certificate.options.get(name):
                value = certificate.options[name]
                if isinstance(field, forms.ChoiceField):
                    value = dict(field.choices).get(value, value)
                rows.append((field.label, str(value), False))
            elif name in form.masks:
                rows.append((field.label, form.masks[name], True))
            elif name == cls.file_field and form.current_file:
                rows.append((field.label, form.current_file, True))
        return rows


class ApnsForm(CertificateForm):
    vendor = Vendor.APNS
    description = _("Apple Push Notification service, for iOS apps: a token key (.p8) or a certificate (.p12).")
    package_label = _("Bundle ID")
    package_validators = (BUNDLE_ID,)
    secret_fields = ("p12_password",)
    option_fields = ("cert_type", "key_id", "team_id")
    file_field = "certificate_file"

    class CertType:
        P8 = "p8"
        P12 = "p12"
        CHOICES = [("p8", _("Token key (.p8)")), ("p12", _("Certificate (.p12)"))]

    cert_type = forms.ChoiceField(label=_("Type"), choices=CertType.CHOICES, initial="p8", widget=forms.RadioSelect)
    certificate_file = _file(_("Certificate file"), accept=".p8,.p12,.pfx",
                             help_text=_("The .p8 key or the .p12 certificate, at most 64 KB."))
    key_id = _text(_("Key ID"), max_length=10, required=False, validators=[APPLE_ID],
                   help_text=_(".p8 only: the key's ID, shown next to it in your Apple developer account."))
    team_id = _text(_("Team ID"), max_length=10, required=False, validators=[APPLE_ID],
                    help_text=_(".p8 only: your team's ID, shown under Membership."))
    p12_password = _secret(_("Certificate password"), required=False,
                           help_text=_(".p12 only: the password set when the certificate was exported."))
    environment = forms.ChoiceField(label=_("Environment"), choices=Environment.choices,
                                    initial=Environment.PRODUCTION, widget=forms.RadioSelect)

    key_id.conditional = team_id.conditional = True  # required for .p8 keys: checked in clean_material

    field_order = ["cert_type", "name", "certificate_file", "key_id", "team_id", "p12_password", "environment",
                   "package_name"]

    def clean_material(self, values: CertificateValues) -> CertificateValues:
        cert_type = self.cleaned_data["cert_type"]
        stored_type = self.instance.options.get("cert_type") if self.instance is not None else None
        upload = self.cleaned_data.get("upload")
        if cert_type == self.CertType.P8:
            for name in ("key_id", "team_id"):
                if not self.cleaned_data.get(name):
                    self.add_error(name, _("A .p8 key needs its %(field)s.") % {"field": self.fields[name].label})
            values.secrets.pop("p12_password", None)
            if upload is not None:
                return self.new_file(values, parsing.read_p8(upload[1]))
            if stored_type == self.CertType.P8 and "file" in self.stored:
                return self.kept_file(values)
            raise ValidationError(_("Upload the .p8 key."), code="required")
        values.options.pop("key_id", None)
        values.options.pop("team_id", None)
        password = values.secrets.get("p12_password", "")
        if upload is not None:
            data = upload[1]
        elif stored_type == self.CertType.P12 and "file" in self.stored:
            data = base64.b64decode(self.stored["file"])
        else:
            raise ValidationError(_("Upload the .p12 certificate."), code="required")
        try:
            expires_at = parsing.read_p12(data, password)
        except ValidationError as exc:
            if exc.code == "wrong_password":
                self.add_error("p12_password", exc)
                return values
            raise
        if upload is None:
            return self.kept_file(values)
        return self.new_file(values, base64.b64encode(data).decode("ascii"), expires_at=expires_at)


class FcmForm(CertificateForm):
    vendor = Vendor.FCM
    description = _("Firebase Cloud Messaging (HTTP v1 API), for Android devices with Google services.")
    name_label = _("Sender ID")
    name_validators = (SENDER_ID,)
    package_label = None
    option_fields = ("channel_id", "priority", "message_type")
    file_field = "service_account_file"

    service_account_file = _file(
        _("Service account JSON"), accept=".json,application/json",
        help_text=_("The private key file from Firebase: Project settings, Service accounts. At most 64 KB."),
    )
    channel_id = _text(_("Channel ID"), max_length=64, required=False,
                       help_text=_("The Android notification channel messages are shown in."))
    priority = forms.ChoiceField(
        label=_("Priority"), required=False,
        choices=[("", _("Default")), ("high", _("High")), ("normal", _("Normal"))],
    )
    message_type = forms.ChoiceField(
        label=_("Message type"), initial="notification", widget=forms.RadioSelect,
        choices=[("notification", _("Notification")), ("data", _("Data")), ("both", _("Both"))],
    )
    field_order = ["name", "service_account_file", "channel_id", "priority", "message_type"]

    def clean_material(self, values: CertificateValues) -> CertificateValues:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if "file" in self.stored:
                return self.kept_file(values, project_id=self.instance.options.get("project_id", ""),
                                      client_email=self.instance.options.get("client_email", ""))
            raise ValidationError(_("Upload the service account JSON file."), code="required")
        account = parsing.read_service_account(upload[1])
        return self.new_file(values, account.text, project_id=account.project_id, client_email=account.client_email)

    @classmethod
    def describe(cls, certificate: PushCertificate) -> list[tuple[str, str, bool]]:
        rows = super().describe(certificate)
        for key, label in (("project_id", _("Project ID")), ("client_email", _("Service account"))):
            if certificate.options.get(key):
                rows.insert(1, (label, certificate.options[key], False))
        return rows


class HuaweiForm(CertificateForm):
    vendor = Vendor.HUAWEI
    description = _("Huawei Push Kit, for Huawei phones.")
    name_label = _("Client ID")
    secret_fields = ("client_secret",)
    option_fields = ("project_id", "category")
    client_secret = _secret(_("Client Secret"))
    project_id = _text(_("Project ID"), max_length=64, required=False)
    category = _text(_("Message category"), max_length=64, required=False,
                     help_text=_("The category Huawei approved for your messages, e.g. IM."))
    field_order = ["name", "client_secret", "package_name", "project_id", "category"]


class XiaomiForm(CertificateForm):
    vendor = Vendor.XIAOMI
    description = _("Xiaomi Push, for Xiaomi and Redmi phones.")
    name_label = _("App ID")
    secret_fields = ("app_secret",)
    option_fields = ("channel_id",)
    app_secret = _secret(_("App Secret"))
    channel_id = _text(_("Channel ID"), max_length=64,
                       help_text=_("The notification channel registered with Xiaomi."))
    field_order = ["name", "app_secret", "package_name", "channel_id"]


class OppoForm(CertificateForm):
    vendor = Vendor.OPPO
    description = _("OPPO Push, for OPPO, OnePlus and realme phones.")
    name_label = _("App Key")
    secret_fields = ("master_secret",)
    option_fields = ("channel_id",)
    master_secret = _secret(_("Master Secret"))
    channel_id = _text(_("Channel ID"), max_length=64, required=False)
    field_order = ["name", "master_secret", "package_name", "channel_id"]


class VivoForm(CertificateForm):
    vendor = Vendor.VIVO
    description = _("vivo Push, for vivo and iQOO phones.")
    name_label = _("App ID")
    secret_fields = ("app_key", "app_secret")
    option_fields = ("category",)
    app_key = _secret(_("App Key"))
    app_secret = _secret(_("App Secret"))
    category = _text(_("Message category"), max_length=64, required=False,
                     help_text=_("The category vivo approved for your messages, e.g. IM."))
    field_order = ["name", "app_key", "app_secret", "package_name", "category"]


class MeizuForm(CertificateForm):
    vendor = Vendor.MEIZU
    description = _("Meizu Flyme Push, for Meizu phones.")
    name_label = _("App ID")
    secret_fields = ("app_secret",)
    app_secret = _secret(_("App Secret"))
    field_order = ["name", "app_secret", "package_name"]


class HonorForm(CertificateForm):
    vendor = Vendor.HONOR
    description = _("Honor Push, for Honor phones.")
    name_label = _("App ID")
    package_label = None
    secret_fields = ("client_secret",)
    option_fields = ("client_id",)
    client_id = _text(_("Client ID"))
    client_secret = _secret(_("Client Secret"))
    field_order = ["name", "client_id", "client_secret"]


VENDOR_FORMS: dict[str, type[CertificateForm]] = {
    form.vendor: form for form in (ApnsForm, FcmForm, HuaweiForm, XiaomiForm, OppoForm, VivoForm, MeizuForm,
                                   HonorForm)
}
