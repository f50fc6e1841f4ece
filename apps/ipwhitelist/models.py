from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ipwhitelist.networks import InvalidEntry, Network, network_text, normalise, sort_key

NOTE_MAX_CHARS = 64


class WhitelistEntry(models.Model):
    """One address or CIDR range allowed to call the app's REST API (SPEC §9). No entries: every address may.

    ``network`` is the canonical text (apps/ipwhitelist/networks.py), so one network has one spelling and the
    unique constraint refuses it twice. ``range_start``/``range_end`` are the first and last address as
    fixed-width hex, so the list sorts and an address matches in SQL on any database."""

    class Version(models.IntegerChoices):
        IPV4 = 4, "IPv4"
        IPV6 = 6, "IPv6"

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="ip_whitelist_entries")
    network = models.CharField(_("IP address or CIDR range"), max_length=43)
    version = models.PositiveSmallIntegerField(_("IP version"), choices=Version.choices)
    prefix_length = models.PositiveSmallIntegerField(_("prefix length"))
    range_start = models.CharField(_("first address (hex)"), max_length=32)
    range_end = models.CharField(_("last address (hex)"), max_length=32)
    note = models.CharField(_("note"), max_length=NOTE_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("added by"))

    class Meta:
        verbose_name = _("IP whitelist entry")
        verbose_name_plural = _("IP whitelist entries")
        ordering = ["version", "range_start", "prefix_length"]
        constraints = [
            models.UniqueConstraint(fields=["app", "network"], name="ip_whitelist_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(version=4, prefix_length__lte=32) | models.Q(version=6, prefix_length__lte=128),
                name="ip_whitelist_entry_prefix_fits_version",
            ),
        ]
        indexes = [models.Index(fields=["app", "version", "range_start"], name="ip_whitelist_entry_range")]

    def __str__(self) -> str:
        return self.network

    @classmethod
    def for_network(cls, network: Network, **fields) -> "WhitelistEntry":
        """An unsaved entry for a parsed network, with its derived columns filled in."""
        return cls(
            network=network_text(network),
            version=network.version,
            prefix_length=network.prefixlen,
            range_start=sort_key(int(network.network_address)),
            range_end=sort_key(int(network.broadcast_address)),
            **fields,
        )

    def clean(self):
        try:
            canonical = normalise(self.network)
        except InvalidEntry as exc:
            raise ValidationError({"network": exc.message}) from exc
        if canonical != self.network:
            raise ValidationError({"network": _("Store the canonical form %(network)s.") % {"network": canonical}})

    @property
    def is_range(self) -> bool:
        return self.prefix_length < (32 if self.version == self.Version.IPV4 else 128)

    @property
    def host_bits(self) -> int:
        """How many bits of the address the range leaves free: a range holds 2**host_bits addresses."""
        return (32 if self.version == self.Version.IPV4 else 128) - self.prefix_length

    @property
    def address_count(self) -> str:
        """The number of addresses, grouped by thousands ("65,536"); the page shows it up to a /16 of IPv4."""
        return f"{2**self.host_bits:,}"
