from gongxin.core.errors import DomainError


def apply_domain_error(form, exc: DomainError) -> None:
    """Put an action's refusal on the form: per-field messages where it names fields."""
    fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
    if fields:
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        form.add_error(None, exc.message)


def posted_int(value, *, code: str, message: str, minimum: int = 0) -> int:
    """A whole number from a posted field, or a DomainError with the caller's Chinese message
    (a missing, non-numeric or absurd value is the user's mistake, not a server error)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(code, message) from None
    if not minimum <= number <= 2**63 - 1:
        raise DomainError(code, message)
    return number
