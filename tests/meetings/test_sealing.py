"""The sealed box's cryptography alone (no database): sealing, opening, Shamir's shares."""

import itertools

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.meetings import sealing


@pytest.fixture(scope="module")
def keys():
    return sealing.new_keypair()


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="0123456789,|", max_size=300))
def test_a_sealed_ballot_opens_to_itself_and_every_box_has_one_size(keys, text):
    private, public = keys
    length = sealing.padded_length([3, 2])
    box = sealing.seal(public, text, length)
    assert sealing.Opener(private).open(box) == text
    if len(text.encode()) + 2 <= length:
        assert len(box) == length + sealing.OVERHEAD   # size says nothing of the contents


def test_the_same_ballot_seals_differently_each_time(keys):
    _private, public = keys
    boxes = {sealing.seal(public, "12|5,7", 128) for _ in range(20)}
    assert len(boxes) == 20 and {len(b) for b in boxes} == {128 + sealing.OVERHEAD}


def test_a_box_does_not_open_with_another_key_or_damaged(keys):
    private, public = keys
    other, _ = sealing.new_keypair()
    box = sealing.seal(public, "1|2", 64)
    with pytest.raises(sealing.SealError):
        sealing.Opener(other).open(box)
    damaged = bytearray(box)
    damaged[40] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.Opener(private).open(bytes(damaged))
    with pytest.raises(sealing.SealError):
        sealing.Opener(private).open(box[:20])


def test_the_kdf_is_rfc5869_hkdf_sha256():
    shared, eph, recipient = bytes(range(32)), bytes(range(32, 64)), bytes(range(64, 96))
    expected = HKDF(hashes.SHA256(), 32, None, sealing.INFO + eph + recipient).derive(shared)
    assert sealing._hkdf(shared, eph, recipient) == expected


def test_gf256_field_arithmetic():
    # the AES field: 0x53 · 0xCA = 1 (FIPS-197's inverse example), 0x57 · 0x83 = 0xC1
    assert sealing._mul(0x53, 0xCA) == 1 and sealing._mul(0x57, 0x83) == 0xC1
    assert all(sealing._mul(a, sealing._div(1, a)) == 1 for a in range(1, 256))


@settings(max_examples=25, deadline=None)
@given(k_n=st.integers(1, 6).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))),
       secret=st.binary(min_size=32, max_size=32))
def test_every_k_subset_of_shares_gives_the_key_back(k_n, secret):
    k, n = k_n
    shares = sealing.split(secret, k, n)
    assert [x for x, _ in shares] == list(range(1, n + 1))
    for subset in itertools.combinations(shares, k):
        assert sealing.combine(list(subset)) == secret
    if k > 1:  # k − 1 shares give some other key
        assert sealing.combine(shares[:k - 1]) != secret   # (odds of a coincidence: 2**-256)


def test_share_texts_round_trip_and_name_the_bad_one(keys):
    private, public = keys
    texts = sealing.make_shares(public, private, 2, 3)
    for a, b in itertools.combinations(texts, 2):
        assert sealing.key_from_shares(public, [a, b], 2) == private
    # lower case, extra spaces and a blank field are fine
    assert sealing.key_from_shares(public, ["", f"  {texts[2].lower()} ", texts[0]], 2) == private
    # one character mistyped: the check names that share
    bad = texts[1][:-1] + ("A" if texts[1][-1] != "A" else "B")
    with pytest.raises(sealing.ShareError) as err:
        sealing.key_from_shares(public, [texts[0], bad], 2)
    assert err.value.index == 1 and err.value.reason == "check"
    # a share of another meeting fails its check here
    other_private, other_public = sealing.new_keypair()
    foreign = sealing.make_shares(other_public, other_private, 2, 3)[1]
    with pytest.raises(sealing.ShareError) as err:
        sealing.key_from_shares(public, [texts[0], foreign], 2)
    assert err.value.reason == "check"
    with pytest.raises(ValueError, match="too_few"):
        sealing.key_from_shares(public, [texts[0], texts[0]], 2)
    with pytest.raises(sealing.ShareError):
        sealing.key_from_shares(public, ["hello", texts[0]], 2)


def test_a_wrong_but_well_formed_share_gives_a_key_that_fails_to_open_the_box(keys):
    private, public = keys
    box = sealing.seal(public, "7|8", 64)
    (x1, y1), (x2, y2), _ = sealing.split(private, 2, 3)
    y2_wrong = bytes([y2[0] ^ 1]) + y2[1:]
    wrong = sealing.combine([(x1, y1), (x2, y2_wrong)])
    assert wrong != private and sealing.public_of(wrong) != public
    with pytest.raises(sealing.SealError):
        sealing.Opener(wrong).open(box)
    # the share text of the wrong value carries a valid check, so only the public key catches it
    texts = [sealing.share_text(public, x1, y1), sealing.share_text(public, x2, y2_wrong)]
    with pytest.raises(ValueError, match="mismatch"):
        sealing.key_from_shares(public, texts, 2)
