"""Our WeCom crypto against wechatpy, the reference implementation of the same spec."""

from __future__ import annotations

import base64
import os

import pytest
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import WeChatCrypto

from assistant.channels.wecom.crypto import BadSignature, StaleRequest, WeComCrypto, WeComCryptoError, sign

TOKEN, CORP = "tok", "wwcorp"
KEY = base64.b64encode(os.urandom(32)).decode()[:-1]
NOW = 1_800_000_000


def _ours(corp: str = CORP) -> WeComCrypto:
    return WeComCrypto(TOKEN, KEY, corp, clock=lambda: NOW)


def _encrypted_by_wechatpy(message: str, ts: str, nonce: str = "abc", corp: str = CORP) -> tuple[str, str]:
    xml = WeChatCrypto(TOKEN, KEY, corp).encrypt_message(message, nonce, ts)
    field = lambda name: xml.split(f"<{name}><![CDATA[")[1].split("]]>")[0]  # noqa: E731
    return field("Encrypt"), field("MsgSignature")


@pytest.mark.parametrize("message", ["hello", "你好，云帆CRM 的价格？" * 50, "<xml><a>1</a></xml>"])
def test_decrypts_what_wechatpy_encrypts(message: str) -> None:
    encrypted, signature = _encrypted_by_wechatpy(message, str(NOW))
    assert _ours().open(signature, str(NOW), "abc", encrypted) == message


def test_wechatpy_decrypts_what_we_encrypt() -> None:
    encrypted, signature = _ours().seal("回复 reply", str(NOW), "n")
    envelope = {"Encrypt": encrypted}
    assert WeChatCrypto(TOKEN, KEY, CORP).decrypt_message(envelope, signature, str(NOW), "n") == "回复 reply"


def test_signature_matches_wechatpy() -> None:
    assert sign(TOKEN, "123", "n", "cipher") == _get_signature(TOKEN, "123", "n", "cipher")


def test_bad_signature_is_refused() -> None:
    encrypted, signature = _encrypted_by_wechatpy("hi", str(NOW))
    with pytest.raises(BadSignature):
        _ours().open(signature[:-1] + ("0" if signature[-1] != "0" else "1"), str(NOW), "abc", encrypted)


@pytest.mark.parametrize("age", [301, -301])
def test_timestamp_outside_the_window_is_refused(age: int) -> None:
    encrypted, signature = _encrypted_by_wechatpy("hi", str(NOW - age))
    with pytest.raises(StaleRequest):
        _ours().open(signature, str(NOW - age), "abc", encrypted)


def test_message_for_another_corp_is_refused() -> None:
    encrypted, _ = _encrypted_by_wechatpy("hi", str(NOW), corp="wwother")
    with pytest.raises(WeComCryptoError, match="corp"):
        _ours().decrypt(encrypted)


def test_tampered_ciphertext_is_refused() -> None:
    encrypted, _ = _encrypted_by_wechatpy("hello there", str(NOW))
    raw = bytearray(base64.b64decode(encrypted))
    raw[-1] ^= 0xFF
    with pytest.raises(WeComCryptoError):
        _ours().decrypt(base64.b64encode(bytes(raw)).decode())


def test_wrong_key_length_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="EncodingAESKey"):
        WeComCrypto(TOKEN, base64.b64encode(b"short").decode(), CORP)
