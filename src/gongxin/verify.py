"""Check a Gongxin ledger bundle offline: ``python -m gongxin.verify BUNDLE``.

Needs only the Python standard library, ``cryptography`` and this package's pure modules
(gongxin.ledger.merkle, .note, .audit, .keyhistory) — no Django, no database, no network. It

* recomputes the leaf hash of every event whose content is in the bundle (all of them in an
  auditor bundle; the public events in a public bundle) and checks its sequence number,
* rebuilds the Merkle tree (RFC 9162) from all leaf hashes,
* reads the keys the ledger declared in its own events (its first event, then each rotation,
  signed by the key it replaces) and checks every checkpoint's Ed25519 signature (C2SP signed
  note) against the key declared for its size, that its root is the rebuilt tree's root at its
  size, and that sizes never shrink,
* replays every published result whose inputs the bundle holds (gongxin.replay: meeting tallies
  and slates, decisions, publicity periods, matchings, assessment scores) and names the first
  event whose recorded result differs (``--no-replay`` skips this).

Pin the key you trust with ``--key <verifier key>`` (published on the public page): it must be
one of the keys the ledger declared. Without it the bundle's own keys are trusted, which proves
integrity but not who signed; the output says so and prints the command that pins the key.
``--checkpoint FILE`` checks that a checkpoint you saved earlier is part of this ledger's history.
``--witness KEY … --quorum K`` requires the latest checkpoint to be cosigned by K of the witnesses
you name (gongxin/verify_witness.py); ``--leaf LINE`` checks a record printed on paper
(gongxin/verify_leaf.py).
Exit status 0 when everything matches, 1 otherwise (naming the first event that does not)."""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import shlex
import sys
from pathlib import Path

from gongxin import replay as results_replay
from gongxin import verify_leaf, verify_witness
from gongxin.ledger import keyhistory, note
from gongxin.ledger.audit import AuditFailure, check_checkpoint_sequence, replay

FORMAT = "gongxin-ledger/1"


class BundleError(AuditFailure):
    pass


class ReplayDifference(AuditFailure):
    """The tree and signatures hold, but a recorded result is not what its inputs give."""

    def __init__(self, first: results_replay.Result, results: list):
        super().__init__(f"replay: {first.what} of {first.subject} ({first.detail})", first.seq)
        self.results = results


def _records(fh):
    for lineno, line in enumerate(fh, 1):
        try:
            yield lineno, json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BundleError(f"line {lineno} is not valid JSON: {exc}") from None


def verify_bundle(path: str | Path, *, key: str | None = None, saved_checkpoints: tuple[str, ...] = (),
                  replay_results: bool = True, witnesses: tuple[str, ...] = (), quorum: int | None = None,
                  leaf_lines: tuple[str, ...] = ()) -> dict:
    with open(path, encoding="utf-8", errors="strict") as fh:
        records = _records(fh)
        lineno, header = next(records, (0, None))
        if not isinstance(header, dict) or header.get("type") != "header" or header.get("format") != FORMAT:
            raise BundleError(f"not a {FORMAT} bundle (the first line must be its header)")

        notes: list[tuple[int, str]] = []
        pending: list = []
        for lineno, rec in records:
            if not isinstance(rec, dict):
                raise BundleError(f"line {lineno}: not a JSON object")
            if rec.get("type") != "checkpoint":
                pending.append((lineno, rec))
                break
            notes.append((lineno, rec.get("note", "")))
        parsed = []
        for lineno, text in notes:
            try:
                parsed.append((lineno, text, note.parse(text)))
            except note.NoteError as exc:
                raise BundleError(f"checkpoint on line {lineno}: {exc}") from None
        saved = []
        for text in saved_checkpoints:
            try:
                saved.append((text, note.parse(text)))
            except note.NoteError as exc:
                raise BundleError(f"your saved checkpoint: {exc}") from None

        witness_keys = verify_witness.parse_keys(list(witnesses))
        leaf_checks = [verify_leaf.parse(text) for text in leaf_lines]
        leaves: list[bytes] | None = [] if leaf_checks else None  # kept only for --leaf
        end = {}
        counts = {"events": 0, "with_data": 0}
        history = keyhistory.KeyHistory()
        replayer = results_replay.Replayer() if replay_results else None
        snapshots = {cp.size for _l, _t, cp in parsed} | {cp.size for _t, cp in saved}
        frontier, roots = replay(_events(pending, records, end, counts, history, replayer, leaves),
                                 snapshot_sizes=snapshots)
        if not end:
            raise BundleError("the bundle is cut short (no end line)")
        if end.get("events") != frontier.size or header.get("size") != frontier.size:
            raise BundleError(f"the bundle announces {header.get('size')} events but holds {frontier.size}")

        # the keys: those the ledger declared in its own events; a bundle of a ledger that declares
        # none (exported before key declarations) falls back on its header's key
        if history:
            key_for = history.key_at
            key_source = "declared"
        else:
            if not header.get("public_key") and not (parsed or saved or key):
                raise BundleError("the bundle holds no key and no checkpoint: nothing is signed yet")
            fallback = _header_key(header)
            key_for = lambda _size: fallback  # noqa: E731
            key_source = "header"
        trusted = _pinned(key, history, key_for(frontier.size))

        checkpoints: list[tuple[int, bytes]] = []
        labels: list[str] = []
        for lineno, text, _cp in parsed:
            label = f"checkpoint on line {lineno}"
            cp = _check_note(text, key_for, label)
            checkpoints.append((cp.size, cp.root))
            labels.append(f"{label} (size {cp.size})")
        check_checkpoint_sequence(checkpoints, roots, frontier.size, labels)
        for text, _cp in saved:
            cp = _check_note(text, key_for, "your saved checkpoint")
            if cp.size > frontier.size:
                raise BundleError(f"your saved checkpoint covers {cp.size} events; this bundle has only {frontier.size}")
            if roots.get(cp.size) != cp.root:
                raise BundleError(f"your saved checkpoint of size {cp.size} is NOT part of this ledger's history")
        witnessed = None
        if witness_keys or quorum is not None:
            witnessed = verify_witness.check_quorum([(label, text) for label, (_l, text, _c) in zip(labels, parsed, strict=True)],
                                                    witness_keys, len(witness_keys) if quorum is None else quorum)
        leaf_results = [verify_leaf.check(line, leaves, checkpoints) for line in leaf_checks]
        current = key_for(frontier.size)
        covered = max((size for size, _r in checkpoints), default=0)
        replayed = replayer.finish() if replayer is not None else None
        first = replayer.first_differing() if replayer is not None else None
        if first is not None:
            raise ReplayDifference(first, replayed)
        return {"replay": replayed, "size": frontier.size, "root": frontier.root(), "checkpoints": len(checkpoints),
                "events": counts["events"], "with_data": counts["with_data"], "audience": header.get("audience"),
                "origin": current.origin, "key_name": current.name, "key_id": current.key_id,
                "verifier_key": current.verifier_key, "keys": list(history.keys), "key_source": key_source,
                "pinned": trusted, "uncovered": frontier.size - covered, "witnessed": witnessed, "leaves": leaf_results}


def _header_key(header: dict) -> keyhistory.LedgerKey:
    try:
        public_key = base64.b64decode(header.get("public_key", ""), validate=True)
    except (binascii.Error, ValueError):
        raise BundleError("the header's public key is not base64") from None
    if len(public_key) != 32:
        raise BundleError("the header's public key is not an Ed25519 key")
    return keyhistory.LedgerKey(seq=0, origin=str(header.get("origin", "")), name=str(header.get("key_name", "")),
                                public_key=public_key)


def _pinned(key: str | None, history: keyhistory.KeyHistory, current: keyhistory.LedgerKey) -> bool:
    """The key you pinned must be one the ledger declared (each later key is then vouched for by
    the rotation it signed), or, for a ledger that declares none, the bundle's key."""
    if not key:
        return False
    name, public = note.parse_verifier_key(key)
    known = history.keys or [current]
    if not any((k.name, k.public_key) == (name, public) for k in known):
        raise BundleError("the bundle is signed with another key than the one you pinned "
                          "(the ledger declares: " + ", ".join(k.verifier_key for k in known) + ")")
    return True


def _check_note(text: str, key_for, label: str):
    cp = note.parse(text)
    key = key_for(cp.size)
    try:
        return note.verify(text, key.name, key.public_key, origin=key.origin)
    except note.NoteError as exc:
        raise BundleError(f"{label} (size {cp.size}): {exc}; the ledger's key for this size is "
                          f"{key.verifier_key}") from None


def _events(pending, records, end, counts, history, replayer=None, leaves=None):
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
                if keyhistory.is_key_event(data):
                    try:
                        history.add_event(seq, data)
                    except keyhistory.KeyHistoryError as exc:
                        raise AuditFailure(str(exc), seq) from None
                if replayer is not None:
                    replayer.feed(seq, data)
            counts["events"] += 1
            if leaves is not None:  # replay checks it against the content right after this yield
                leaves.append(leaf if leaf is not None else hashlib.sha256(b"\x00" + data).digest())
            yield seq, data, leaf, None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _content_line(result: dict) -> str:
    n, k = result["events"], result["with_data"]
    where = f"({result['audience']} bundle)"
    if k == n:
        return f"content checked for all {_plural(n, 'event')} {where}"
    if k == 0:
        return f"{_plural(n, 'event')} checked by leaf hash only {where}"
    return f"content checked for {_plural(k, 'event')}, the other {n - k} by leaf hash only {where}"


def _print_replay(results: list, out, *, every: bool) -> None:
    """One summary line (how many results of each kind replayed and equal), then each result
    that was not equal (or every result with --list)."""
    done: dict[str, int] = {}
    for r in results:
        if r.status == results_replay.EQUAL:
            done[r.what] = done.get(r.what, 0) + 1
    summary = ", ".join(f"{n} {what}" for what, n in done.items()) or "none"
    print(f"replayed and equal: {summary}", file=out)
    for r in results:
        if every or r.status != results_replay.EQUAL:
            print(f"  {r.line()}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gongxin.verify", description="Check a Gongxin ledger bundle offline.")
    parser.add_argument("bundle", help="the exported bundle (.jsonl)")
    parser.add_argument("--key", help="the verifier key you trust, e.g. gongxin-ledger+1a2b3c4d+AX…")
    parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                        help="a checkpoint you saved earlier; must belong to this ledger (repeatable)")
    parser.add_argument("--no-replay", action="store_true", help="check the tree and signatures only, not the results")
    parser.add_argument("--list", action="store_true", help="print every replayed result, one per line")
    parser.add_argument("--witness", action="append", default=[], metavar="KEY",
                        help="a witness key you trust, e.g. jw.example/witness+1a2b3c4d+BN… (repeatable)")
    parser.add_argument("--quorum", type=int, metavar="K",
                        help="how many of the --witness keys must have cosigned the latest checkpoint (default: all)")
    parser.add_argument("--leaf", action="append", default=[], metavar="LINE",
                        help='the line printed under a notice\'s QR code, "ledger:N leaf:HEX checkpoint:SIZE" (repeatable)')
    args = parser.parse_args(argv)
    try:
        saved = tuple(Path(p).read_text(encoding="utf-8") for p in args.checkpoint)
        result = verify_bundle(args.bundle, key=args.key, saved_checkpoints=saved, replay_results=not args.no_replay,
                               witnesses=tuple(args.witness), quorum=args.quorum, leaf_lines=tuple(args.leaf))
    except ReplayDifference as exc:
        _print_replay(exc.results, sys.stderr, every=args.list)
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except AuditFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError, note.NoteError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"OK  origin {result['origin']}  key {result['key_name']} ({result['key_id']})")
    print(f"size {result['size']}")
    print(f"root {base64.b64encode(result['root']).decode()}  (hex {result['root'].hex()})")
    print(f"{_plural(result['checkpoints'], 'checkpoint')} verified, each against the key the ledger declared "
          f"for its size; {_content_line(result)}")
    for key in result["keys"]:
        print(f"key from event {key.seq}: {key.verifier_key}")
    if result["key_source"] == "header":
        print("the ledger declares no key (exported before key declarations): the header's key was used")
    if result["replay"] is not None:
        _print_replay(result["replay"], sys.stdout, every=args.list)
    if result["witnessed"]:
        w = result["witnessed"]
        print(f"{w['label']} witnessed by {len(w['witnesses'])} of the {w['named']} witnesses you named "
              f"(quorum {w['quorum']}): {', '.join(w['witnesses'])}")
    for leaf in result["leaves"]:
        print(f"record {leaf['seq']} (leaf {leaf['leaf']}) is included in the signed checkpoint of size "
              f"{leaf['checkpoint']} (RFC 9162 inclusion proof, {leaf['path']} hash{'' if leaf['path'] == 1 else 'es'})")
    if result["uncovered"]:
        print(f"{_plural(result['uncovered'], 'event')} after the latest checkpoint not yet covered by a signature")
    if not result["pinned"]:
        print("NOTE: no --key given, so the bundle's own key was trusted: this proves the ledger is intact, "
              "not who signed it. Compare the key with the one the office published elsewhere, then pin it:")
        print(f"  python -m gongxin.verify {shlex.quote(str(args.bundle))} --key {shlex.quote(result['verifier_key'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
