from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from console.fields import MoneyField
from console.i18n import BilingualNamed, pick


class Plan(BilingualNamed):
    """Free, Pro, Flagship, Premium. A higher rank is an upgrade."""

    class Code(models.TextChoices):
        FREE = "free", _("Free")
        PRO = "pro", _("Pro")
        FLAGSHIP = "flagship", _("Flagship")
        PREMIUM = "premium", _("Premium")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    monthly_price = MoneyField(_("price per month (CNY)"), validators=[MinValueValidator(0)])
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["rank"]


    @property
    def is_free(self) -> bool:
        return self.code == self.Code.FREE


class Feature(BilingualNamed):
    """A capability of an app: a switch (recall, callbacks…) or a quota (members per group…)."""

    class Kind(models.TextChoices):
        SWITCH = "switch", _("Switch")
        QUOTA = "quota", _("Quota")

    class Code(models.TextChoices):
        RECALL = "recall", _("Message recall")
        PUSH = "push", _("Push")
        IP_WHITELIST = "ip_whitelist", _("REST IP whitelist")
        SENSITIVE_WORDS = "sensitive_words", _("Sensitive words")
        CALLBACKS = "callbacks", _("Callbacks")
        GROUP_MEMBERS = "group_members", _("Members per group")
        USER_GROUPS = "user_groups", _("Groups per user")
        MESSAGE_STORAGE = "message_storage", _("Message storage")
        REST_RATE = "rest_rate", _("REST API calls / s")
        IM_USERS = "im_users", _("Registered IM users")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=16, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=16, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["sort_order", "code"]


    @property
    def unit(self) -> str:
        return pick(self.unit_zh, self.unit_en)


class PlanFeature(models.Model):
    """Whether a plan includes a feature and, for a quota, its value (empty = unlimited)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_features")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="plan_features")
    included = models.BooleanField(_("included"), default=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True, help_text=_("Empty means unlimited."))

    class Meta:
        verbose_name = _("plan feature")
        verbose_name_plural = _("plan features")
        constraints = [models.UniqueConstraint(fields=["plan", "feature"], name="plan_feature_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.feature}"


class AddOn(BilingualNamed):
    """A paid extra on a quota feature: stackable units add, a tier (not stackable) sets the cap."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    feature = models.ForeignKey(Feature, on_delete=models.PROTECT, related_name="addons")
    stackable = models.BooleanField(_("stackable"))
    unit_size = models.PositiveIntegerField(_("size of one unit"), null=True, blank=True)
    unit_price = MoneyField(_("price per unit per month (CNY)"), null=True, blank=True)
    max_quantity = models.PositiveSmallIntegerField(_("most units in one order"), default=120)
    is_active = models.BooleanField(_("on sale"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("add-on")
        verbose_name_plural = _("add-ons")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stackable=False)
                | models.Q(unit_size__isnull=False, unit_price__isnull=False),
                name="addon_stackable_has_unit",
            ),
        ]



class AddOnTier(models.Model):
    """One step of a non-stackable add-on: buying it sets the quota to ``value``."""

    addon = models.ForeignKey(AddOn, on_delete=models.CASCADE, related_name="tiers")
    value = models.PositiveIntegerField(_("cap"))
    monthly_price = MoneyField(_("price per month (CNY)"))

    class Meta:
        verbose_name = _("add-on tier")
        verbose_name_plural = _("add-on tiers")
        ordering = ["addon", "value"]
        constraints = [models.UniqueConstraint(fields=["addon", "value"], name="addon_tier_unique")]

    def __str__(self) -> str:
        return f"{self.addon} {self.value:,}"


class CatalogSettings(models.Model):
    """Platform-wide limits, one row (pk=1), editable by staff."""

    app_limit = models.PositiveIntegerField(_("apps per organization"), default=10)
    ip_whitelist_max = models.PositiveIntegerField(_("REST IP whitelist entries per app"), default=32)
    callback_rules_max = models.PositiveIntegerField(_("callback rules per app"), default=4)

    class Meta:
        verbose_name = _("catalog settings")
        verbose_name_plural = _("catalog settings")

    def __str__(self) -> str:
        return str(_("Catalog settings"))

    @classmethod
    def load(cls) -> "CatalogSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
