from django.utils.translation import gettext as _

from console.errors import DomainError


class DuplicateCertificate(DomainError):
    """The app already has a certificate of this vendor with this name."""

    def __init__(self, vendor: str, name: str):
        from apps.push.models import Vendor

        super().__init__(_("This app already has a %(vendor)s certificate named %(name)s.") % {
            "vendor": Vendor(vendor).label, "name": name})
        self.vendor = vendor
        self.name = name
