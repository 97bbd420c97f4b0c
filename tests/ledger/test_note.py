"""C2SP signed notes: a known-answer vector from Go's golang.org/x/mod/sumdb/note, and our checkpoints."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongxin.ledger import note

GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_NOTE = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_known_vector_verifies_and_key_id_matches():
    name, pub = note.parse_verifier_key(GO_VKEY)
    assert note.key_id(name, pub).hex() == "c74f20a3"
    assert note.verify_note(GO_NOTE, name, pub).startswith("If you think")
    with pytest.raises(note.NoteError):
        note.verify_note(GO_NOTE.replace("answer", "Answer"), name, pub)


def test_checkpoint_text_is_exactly_the_c2sp_format():
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    root = bytes(32)
    text = note.sign(note.checkpoint_body("example.org/log", 7, root), "example-key", key)
    lines = text.split("\n")
    assert lines[:4] == ["example.org/log", "7", base64.b64encode(root).decode(), ""]
    assert lines[4].startswith("\u2014 example-key ")
    assert lines[5] == "" and len(lines) == 6
    blob = base64.b64decode(lines[4].split(" ")[2])
    pub = note.public_key_bytes(key)
    assert blob[:4] == note.key_id("example-key", pub)
    assert len(blob) == 4 + 64
    cp = note.verify(text, "example-key", pub, origin="example.org/log")
    assert (cp.size, cp.root) == (7, root)


def test_a_changed_size_or_another_key_fails():
    key = Ed25519PrivateKey.generate()
    pub = note.public_key_bytes(key)
    text = note.sign(note.checkpoint_body("o", 10, bytes(32)), "k", key)
    with pytest.raises(note.NoteError):
        note.verify(text.replace("\n10\n", "\n11\n"), "k", pub)
    with pytest.raises(note.NoteError):
        note.verify(text, "k", note.public_key_bytes(Ed25519PrivateKey.generate()))
    with pytest.raises(note.NoteError):
        note.verify(text, "k", pub, origin="other")
    with pytest.raises(note.NoteError):
        note.parse("o\n012\n" + base64.b64encode(bytes(32)).decode() + "\n\n\u2014 k AAAAAAA=\n")
    vkey = note.verifier_key("k", pub)
    assert note.parse_verifier_key(vkey) == ("k", pub)


def test_verifier_keys_whose_base64_holds_a_plus_sign_parse():
    for seed in range(256):
        pub = note.public_key_bytes(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))
        vkey = note.verifier_key("k", pub)
        if "+" in vkey.split("+", 2)[2]:
            assert note.parse_verifier_key(vkey) == ("k", pub)
            return
    pytest.fail("no key with '+' in its base64 among 256 seeds")
