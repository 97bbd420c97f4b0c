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
