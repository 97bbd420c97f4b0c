from django.urls import path

from . import public_views as v

urlpatterns = [
    path("ledger/", v.index, name="index"),
    path("ledger/checkpoint.txt", v.checkpoint_text, name="checkpoint_text"),
    path("ledger/key.txt", v.verifier_key, name="verifier_key"),
    path("ledger/bundle.jsonl", v.public_bundle, name="bundle"),
    path("ledger/witnesses.txt", v.witness_keys, name="witness_keys"),
    path("ledger/line.txt", v.proof_line, name="proof_line"),
]
