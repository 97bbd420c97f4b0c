"""Domain errors: a stable dotted code, a translated message, details for the UI."""

from typing import Any


class DomainError(Exception):
    """An action refused. ``code`` is stable English (``meeting.not_open``); ``message`` is
    the translated sentence a clerk reads; ``details`` carries field errors or blockers."""

    status = 400

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None, *, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": _plain(self.details)}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def from_validation_error(exc, code: str = "validation.failed", message: str | None = None) -> DomainError:
    """Turn Django's ValidationError into a DomainError with per-field messages."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "message_dict"):
        details = {"fields": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}
    else:
        details = {"fields": {"__all__": [str(m) for m in exc.messages]}}
    return DomainError(code, message or _("填写的内容有误，请按提示修改。"), details)


def full_clean_or_raise(instance, exclude=None) -> None:
    """Model validation for actions: Django's ValidationError becomes a DomainError whose
    details name each field, so pages and the API show the same Chinese messages."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
