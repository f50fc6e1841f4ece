"""Reads of push certificates, each a fixed number of queries whatever the app holds."""

from dataclasses import dataclass

from apps.push.forms import VENDOR_FORMS, CertificateForm
from apps.push.models import PushCertificate, Vendor


@dataclass(frozen=True)
class VendorCard:
    vendor: str
    label: str
    form: type[CertificateForm]
    certificates: list[PushCertificate]

    # The template reads the form class's texts through these: ``card.form.description`` in a template would call
    # the class, building a form per vendor on every page view (issue 14: a tenth of the page's template time).
    @property
    def description(self) -> str:
        return self.form.description

    @property
    def name_label(self) -> str:
        return self.form.name_label

    @property
    def package_label(self) -> str:
        return self.form.package_label

    @property
    def warnings(self) -> int:
        return sum(1 for certificate in self.certificates if certificate.expiry_state in ("expiring", "expired"))


def push_certificates(*, app):
    """The app's certificates with who last changed each. One query."""
    return PushCertificate.objects.filter(app=app).select_related("updated_by").order_by("vendor", "name", "pk")


def push_vendor_cards(*, app) -> list[VendorCard]:
    """A card per vendor, in the console's vendor order, with that vendor's certificates. One query."""
    by_vendor: dict[str, list[PushCertificate]] = {code: [] for code in Vendor.values}
    for certificate in push_certificates(app=app):
        by_vendor[certificate.vendor].append(certificate)
    return [
        VendorCard(vendor=vendor.value, label=vendor.label, form=VENDOR_FORMS[vendor.value],
                   certificates=by_vendor[vendor.value])
        for vendor in Vendor
    ]
