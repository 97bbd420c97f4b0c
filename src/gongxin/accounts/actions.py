"""Writes on accounts: each atomic, with its ledger event. Passwords never enter the ledger."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event

from .models import ApiToken, User


def _payload(user: User) -> dict:
    return {"username": user.username, "role": user.role, "data_scope": user.data_scope,
            "org_units": sorted(u.pk for u in user.org_units.all()), "cadre": user.cadre_id,
            "review_department": user.review_department, "is_active": user.is_active}


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("account.weak_password", _("密码不符合要求：") + " ".join(exc.messages),
                          {"fields": {"password": list(exc.messages)}}) from exc


@transaction.atomic
def create_account(*, acting_user, username: str, password: str, role: str, data_scope: str, org_units=(),
                   full_name: str = "", cadre=None, review_department: str = "", is_active: bool = True) -> User:
    _check_password(password)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password, role=role, data_scope=data_scope,
                                            full_name=full_name, cadre=cadre, review_department=review_department,
                                            is_active=is_active)
    except IntegrityError as exc:
        raise DomainError("account.duplicate", _("用户名 %(name)s 已被使用，或该干部已有账号。") % {"name": username},
                          {"fields": {"username": [_("用户名已被使用。")]}}) from exc
    user.org_units.set(org_units)
    record_event(kind="accounts.user.created", subject=user, actor=acting_user, payload=_payload(user))
    return user


@transaction.atomic
def update_account(*, acting_user, user: User, **data) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    units = data.pop("org_units", None)
    for field, value in data.items():
        setattr(user, field, value)
    if user.pk == getattr(acting_user, "pk", None) and not user.is_active:
        raise DomainError("account.self_disable", _("不能停用自己的账号。"))
    user.save()
    if units is not None:
        user.org_units.set(units)
    record_event(kind="accounts.user.updated", subject=user, actor=acting_user, payload=_payload(user))
    return user


@transaction.atomic
def set_password(*, acting_user, user: User, password: str) -> None:
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(kind="accounts.user.password_set", subject=user, actor=acting_user, payload={"username": user.username})


@transaction.atomic
def issue_api_token(*, acting_user, user: User, name: str) -> str:
    """Returns the token once; only its SHA-256 is kept."""
    token = ApiToken.new_token()
    row = ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(token))
    record_event(kind="accounts.api_token.issued", subject=user, actor=acting_user, payload={"token": row.pk, "name": name})
    return token


@transaction.atomic
def revoke_api_token(*, acting_user, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(kind="accounts.api_token.revoked", subject=token.user, actor=acting_user, payload={"token": token.pk})


@transaction.atomic
def start_totp_enrolment(*, acting_user, user: User):
    """An unconfirmed TOTP device for ``user`` (the same one until it is confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("验证器"), confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, acting_user, device, token: str) -> None:
    """The first correct code from the authenticator app confirms the enrolment."""
    if not device.verify_token(token):
        raise DomainError("otp.wrong_code", _("验证码不正确或已过期，请输入验证器当前显示的 6 位数字。"))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(kind="accounts.otp.enrolled", subject=device.user, actor=acting_user,
                 payload={"device": device.pk, "kind": "totp"})
