"""Check a Gongxin ledger bundle offline: ``python -m gongxin.verify BUNDLE``.

Needs only the Python standard library, ``cryptography`` and this package's pure modules
(gongxin.ledger.merkle, .note, .audit) — no Django, no database, no network. It

* recomputes the leaf hash of every event whose content is in the bundle (all of them in an
  auditor bundle; the public events in a public bundle) and checks its sequence number,
* rebuilds the Merkle tree (RFC 9162) from all leaf hashes,
* checks every checkpoint's Ed25519 signature (C2SP signed note), that its root is the
  rebuilt tree's root at its size, and that sizes never shrink.

Pin the key you trust with ``--key <verifier key>`` (published on the public page); without
it the key in the bundle's header is used, which proves integrity but not who signed.
``--checkpoint FILE`` checks that a checkpoint you saved earlier is part of this ledger's history.
Exit status 0 when everything matches, 1 otherwise (naming the first event that does not)."""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from pathlib import Path

from gongxin.ledger import note
from gongxin.ledger.audit import AuditFailure, check_checkpoint_sequence, replay

FORMAT = "gongxin-ledger/1"


class BundleError(AuditFailure):
    pass


def _records(fh):
    for lineno, line in enumerate(fh, 1):
        try:
            yield lineno, json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BundleError(f"line {lineno} is not valid JSON: {exc}") from None


def verify_bundle(path: str | Path, *, key: str | None = None, saved_checkpoints: tuple[str, ...] = ()) -> dict:
    with open(path, encoding="utf-8", errors="strict") as fh:
        records = _records(fh)
        lineno, header = next(records, (0, None))
        if not isinstance(header, dict) or header.get("type") != "header" or header.get("format") != FORMAT:
            raise BundleError(f"not a {FORMAT} bundle (the first line must be its header)")
        name = header.get("key_name", "")
        try:
            public_key = base64.b64decode(header.get("public_key", ""), validate=True)
        except (binascii.Error, ValueError):
            raise BundleError("the header's public key is not base64") from None
        if key:
            pinned_name, pinned_key = note.parse_verifier_key(key)
            if (pinned_name, pinned_key) != (name, public_key):
                raise BundleError("the bundle is signed with another key than the one you pinned")
        if len(public_key) != 32:
            raise BundleError("the header's public key is not an Ed25519 key")
        origin = header.get("origin")

        checkpoints: list[tuple[int, bytes]] = []
        labels: list[str] = []
        pending: list = []
        for lineno, rec in records:
            if not isinstance(rec, dict):
                raise BundleError(f"line {lineno}: not a JSON object")
            if rec.get("type") != "checkpoint":
                pending.append((lineno, rec))
                break
            try:
                cp = note.verify(rec.get("note", ""), name, public_key, origin=origin)
            except note.NoteError as exc:
                raise BundleError(f"checkpoint on line {lineno}: {exc}") from None
            checkpoints.append((cp.size, cp.root))
            labels.append(f"checkpoint on line {lineno} (size {cp.size})")

        saved = []
        for text in saved_checkpoints:
            try:
                cp = note.verify(text, name, public_key, origin=origin)
            except note.NoteError as exc:
                raise BundleError(f"your saved checkpoint: {exc}") from None
            saved.append((cp.size, cp.root))

        end = {}
        counts = {"events": 0, "with_data": 0}

        def events():
            stream = [*pending]
            yield from _events(stream, records, end, counts)

        frontier, roots = replay(events(), snapshot_sizes={s for s, _ in checkpoints + saved})
        if not end:
            raise BundleError("the bundle is cut short (no end line)")
        if end.get("events") != frontier.size or header.get("size") != frontier.size:
            raise BundleError(f"the bundle announces {header.get('size')} events but holds {frontier.size}")
        check_checkpoint_sequence(checkpoints, roots, frontier.size, labels)
        for size, root in saved:
            if size > frontier.size:
                raise BundleError(f"your saved checkpoint covers {size} events; this bundle has only {frontier.size}")
            if roots.get(size) != root:
                raise BundleError(f"your saved checkpoint of size {size} is NOT part of this ledger's history")
        return {"size": frontier.size, "root": frontier.root(), "checkpoints": len(checkpoints),
                "with_data": counts["with_data"], "audience": header.get("audience"), "origin": origin,
                "key_name": name, "key_id": note.key_id(name, public_key).hex()}


def _events(pending, records, end, counts):
    for source in (iter(pending), records):
        for lineno, rec in source:
            if end:
                raise BundleError(f"line {lineno}: content after the end line")
            kind = rec.get("type") if isinstance(rec, dict) else None
            if kind == "end":
                end.update(rec)
                continue
            if kind != "event":
                raise BundleError(f"line {lineno}: expected an event, found {kind!r}")
            seq = rec.get("seq")
            if not isinstance(seq, int):
                raise BundleError(f"line {lineno}: event without a sequence number")
            try:
                leaf = bytes.fromhex(rec["leaf_hash"]) if "leaf_hash" in rec else None
            except (ValueError, TypeError):
                raise AuditFailure("the leaf hash is not hexadecimal", seq) from None
            data = rec.get("data")
            if data is not None:
                if not isinstance(data, str):
                    raise AuditFailure("the content is not text", seq)
                data = data.encode("utf-8")
                counts["with_data"] += 1
            counts["events"] += 1
            yield seq, data, leaf, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gongxin.verify", description="Check a Gongxin ledger bundle offline.")
    parser.add_argument("bundle", help="the exported bundle (.jsonl)")
    parser.add_argument("--key", help="the verifier key you trust, e.g. gongxin-ledger+1a2b3c4d+AX…")
    parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                        help="a checkpoint you saved earlier; must belong to this ledger (repeatable)")
    args = parser.parse_args(argv)
    try:
        saved = tuple(Path(p).read_text(encoding="utf-8") for p in args.checkpoint)
        result = verify_bundle(args.bundle, key=args.key, saved_checkpoints=saved)
    except AuditFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError, note.NoteError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"OK  origin {result['origin']}  key {result['key_name']} ({result['key_id']})")
    print(f"size {result['size']}")
    print(f"root {base64.b64encode(result['root']).decode()}  (hex {result['root'].hex()})")
    print(f"{result['checkpoints']} checkpoints verified; content checked for {result['with_data']} events "
          f"({result['audience']} bundle); the others by leaf hash only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
