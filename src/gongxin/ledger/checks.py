"""System checks: production refuses to start with the example origin.

A checkpoint names its log by origin; two offices both signing "gongxin.example/ledger" could not
be told apart, and the origin can never change once the ledger declared it. So with DEBUG off,
outside the test runner, the example origin is an error — unless the ledger already declared
another origin (the demo's), which is then what is used."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .keys import EXAMPLE_ORIGIN


def _declared_origin() -> str | None:
    from . import keys
    from .dbstate import database_problem

    try:
        if database_problem() is not None:
            return None
        return keys.history().origin
    except Exception:  # an unreachable or half-built database: no declared origin to go by
        return None


@register(Tags.security)
def example_origin_in_production(app_configs=None, **kwargs):
    from .dbstate import in_test_environment

    if settings.DEBUG or settings.LEDGER_ORIGIN != EXAMPLE_ORIGIN or in_test_environment():
        return []
    declared = _declared_origin()
    if declared and declared != EXAMPLE_ORIGIN:
        return []
    return [Error(
        f"the ledger's origin is the example one ({EXAMPLE_ORIGIN}): every checkpoint would name it, and the "
        "origin cannot change once the ledger's first event declares it",
        hint="set GONGXIN_LEDGER_ORIGIN to your office's own name, e.g. zzb.huimin.gov.cn/gongxin-ledger, before the "
             "first event (or DEBUG=1 for development; `gongxin demo` sets its own)",
        id="ledger.E001")]


@register()
def witnesses_configured_well(app_configs=None, **kwargs):
    """GONGXIN_WITNESSES: each entry a witness key (type 0x04) and an http(s) URL."""
    from . import cosign

    errors = []
    for entry in getattr(settings, "LEDGER_WITNESSES", []):
        if len(entry) != 2:
            errors.append(Error(f"GONGXIN_WITNESSES: expected '<witness key> <URL>', got {' '.join(entry)!r}",
                                id="ledger.E002"))
            continue
        vkey, url = entry
        try:
            cosign.parse_verifier_key(vkey)
        except cosign.CosignatureError as exc:
            errors.append(Error(f"GONGXIN_WITNESSES: {exc}", hint="use the key `gongxin witness keygen` printed",
                                id="ledger.E002"))
        if not url.startswith(("http://", "https://")):
            errors.append(Error(f"GONGXIN_WITNESSES: the witness URL {url!r} is not http(s)", id="ledger.E002"))
    return errors
