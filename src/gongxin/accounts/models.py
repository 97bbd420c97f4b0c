import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import CAPABILITIES, DataScope, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CADRE)
    data_scope = models.CharField(_("数据范围"), max_length=10, choices=DataScope.choices, default=DataScope.SELF)
    org_units = models.ManyToManyField(
        "people.OrgUnit", verbose_name=_("所属单位"), blank=True, related_name="users",
        help_text=_("数据范围以这些单位为准"),
    )
    cadre = models.OneToOneField(
        "people.Cadre", verbose_name=_("对应干部"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="account",
    )
    review_department = models.CharField(_("联审单位"), max_length=50, blank=True,
                                         help_text=_("联审单位经办人所在的单位代码"))
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        # A person's name wherever a user is printed (a choice list, a page), not the account
        # name (issue 19); an account without a name is still told apart by it.
        return self.display_name

    def has_capability(self, capability: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return capability in CAPABILITIES.get(self.role, set())


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.name}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return "gx_" + secrets.token_urlsafe(32)
