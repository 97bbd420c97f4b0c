"""The verifier's witness policy: ``python -m gongxin.verify BUNDLE --witness KEY … --quorum K``.

The office's own signature proves the office signed a checkpoint; it cannot prove the office
did not sign a *different* history for someone else. A witness (another office, running
``gongxin witness``) cosigns a checkpoint only after checking it extends the last one it saw, so
a checkpoint cosigned by K independent witnesses is the one history those K saw. This module
counts, on the bundle's latest checkpoint, the valid cosignatures (C2SP tlog-cosignature) by
the witness keys you name, and fails below the quorum. Pure: standard library and
``cryptography``."""

from __future__ import annotations

from gongxin.ledger import cosign
from gongxin.ledger.audit import AuditFailure


class WitnessPolicyError(AuditFailure):
    pass


def parse_keys(vkeys: list[str]) -> list[cosign.WitnessKey]:
    keys = []
    for vkey in vkeys:
        try:
            keys.append(cosign.parse_verifier_key(vkey))
        except cosign.CosignatureError as exc:
            raise WitnessPolicyError(f"--witness: {exc}") from None
    if len({k.key_id for k in keys}) != len(keys):
        raise WitnessPolicyError("--witness: the same witness key is named twice")
    return keys


def check_quorum(notes: list[tuple[str, str]], keys: list[cosign.WitnessKey], quorum: int) -> dict:
    """``notes``: (label, signed note text) of the bundle's checkpoints, oldest first (their own
    signatures already checked). The latest must carry ``quorum`` valid cosignatures by ``keys``."""
    if not 1 <= quorum <= len(keys):
        raise WitnessPolicyError(f"--quorum must be between 1 and the number of --witness keys ({len(keys)})")
    if not notes:
        raise WitnessPolicyError("the bundle holds no checkpoint, so nothing is witnessed")
    label, text = notes[-1]
    found = cosign.witnessed_by(text, keys)
    names = [k.name for k, _c in found]
    if len(found) < quorum:
        missing = [k.name for k in keys if k.name not in names]
        raise WitnessPolicyError(
            f"{label} is witnessed by {len(found)} of the {len(keys)} witnesses you named, fewer than the quorum of "
            f"{quorum} (no valid cosignature by: {', '.join(missing)}). A witness refuses a checkpoint that does not "
            "extend the history it saw: this ledger may be a rewritten or forked copy. (If the checkpoint was signed "
            "in the last minutes, its witnesses may not have answered yet: download the bundle again later.)")
    witnessed = sum(1 for _label, t in notes if len(cosign.witnessed_by(t, keys)) >= quorum)
    return {"label": label, "witnesses": names, "quorum": quorum, "named": len(keys),
            "times": [c.timestamp for _k, c in found], "witnessed_checkpoints": witnessed}
