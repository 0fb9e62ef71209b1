"""Signatures exactly as Standard Webhooks specifies, checked against its own
reference library's vector."""

import base64
import re

from alerts.signing import secret_key, secret_new, signature, signature_valid

# standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py,
# test_sign_function: the reference library's known answer.
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "msg_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": b'{"test": 2432232314}',
    "expected": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def test_it_signs_the_reference_librarys_vector_identically():
    assert (
        signature(
            secret=VECTOR["secret"],
            msg_id=VECTOR["msg_id"],
            timestamp=VECTOR["timestamp"],
            body=VECTOR["body"],
        )
        == VECTOR["expected"]
    )


def test_the_key_is_the_decoded_secret_with_or_without_its_prefix():
    bare = VECTOR["secret"].removeprefix("whsec_")
    assert secret_key(VECTOR["secret"]) == secret_key(bare) == base64.b64decode(bare)


def test_a_changed_body_id_or_timestamp_does_not_verify():
    good = {k: VECTOR[k] for k in ("secret", "msg_id", "timestamp", "body")}
    assert signature_valid(**good, header=VECTOR["expected"])
    assert not signature_valid(
        **{**good, "body": b'{"test": 2432232315}'}, header=VECTOR["expected"]
    )
    assert not signature_valid(
        **{**good, "msg_id": "msg_other"}, header=VECTOR["expected"]
    )
    assert not signature_valid(
        **{**good, "timestamp": 1614265331}, header=VECTOR["expected"]
    )


def test_any_of_several_space_separated_signatures_may_match():
    good = {k: VECTOR[k] for k in ("secret", "msg_id", "timestamp", "body")}
    header = f"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {VECTOR['expected']}"
    assert signature_valid(**good, header=header)


def test_a_new_secret_is_whsec_and_base64_of_32_random_bytes():
    first, second = secret_new(), secret_new()
    assert first != second
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]+=*", first)
    assert len(secret_key(first)) == 32


def test_the_verification_snippet_in_the_docs_accepts_our_signature():
    import time
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 (our own documentation)
    secret, body, now = (
        secret_new(),
        b'{"type":"crossing.status_changed"}',
        int(time.time()),
    )
    headers = {
        "webhook-id": "msg_0123",
        "webhook-timestamp": str(now),
        "webhook-signature": signature(
            secret=secret, msg_id="msg_0123", timestamp=now, body=body
        ),
    }
    assert namespace["verify"](secret, headers, body)
    assert not namespace["verify"](secret, headers, body + b" ")
    stale = {**headers, "webhook-timestamp": str(now - 301)}
    assert not namespace["verify"](secret, stale, body)
