"""WeCom callback crypto: msg_signature (SHA1) and AES-256-CBC message encryption, per WeCom's spec.

Plaintext layout: 16 random bytes + 4-byte big-endian length + message + corp id, PKCS#7-padded
to 32-byte blocks. Key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32
FRESHNESS_S = 300


class WeComCryptoError(Exception):
    """A callback that must not be acted on: bad signature, stale, undecryptable or for another corp."""


class BadSignature(WeComCryptoError):
    pass


class StaleRequest(WeComCryptoError):
    pass


def sign(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """msg_signature: SHA1 of the four values sorted and concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode("utf-8")).hexdigest()


class WeComCrypto:
    """Verify, decrypt and encrypt callback payloads for one corp and one app's token/key."""

    def __init__(
        self,
        token: str,
        encoding_aes_key: str,
        corp_id: str,
        window_s: float = FRESHNESS_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=")
        except binascii.Error as exc:
            raise ValueError("ASSISTANT_WECOM_AES_KEY is not a valid EncodingAESKey") from exc
        if len(key) != 32:
            raise ValueError("ASSISTANT_WECOM_AES_KEY must be the 43-character EncodingAESKey")
        self._token = token
        self._key = key
        self.corp_id = corp_id
        self.window_s = window_s
        self.clock = clock

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        """Raise BadSignature or StaleRequest unless the request is signed by us and recent."""
        expected = sign(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), (msg_signature or "").encode()):
            raise BadSignature("msg_signature does not match")
        try:
            sent = int(timestamp)
        except ValueError as exc:
            raise StaleRequest("timestamp is not a number") from exc
        if abs(self.clock() - sent) > self.window_s:
            raise StaleRequest(f"timestamp is more than {self.window_s:.0f} s away from now")

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """Verify, then decrypt: the plaintext message (echostr or XML)."""
        self.verify(msg_signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except binascii.Error as exc:
            raise WeComCryptoError("ciphertext is not base64") from exc
        if not raw or len(raw) % 16:
            raise WeComCryptoError("ciphertext length is not a multiple of the AES block")
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
        plain = _unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise WeComCryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        message, receiver = plain[20 : 20 + length], plain[20 + length :]
        if len(message) != length or not hmac.compare_digest(receiver, self.corp_id.encode("utf-8")):
            raise WeComCryptoError("message is not for this corp id")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WeComCryptoError("the decrypted message is not UTF-8") from exc

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        body = message.encode("utf-8")
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.corp_id.encode()
        encryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode("ascii")

    def seal(self, message: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(ciphertext, msg_signature): what WeCom sends us, or a passive reply we send back."""
        encrypted = self.encrypt(message)
        return encrypted, sign(self._token, timestamp, nonce, encrypted)


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    n = data[-1] if data else 0
    if not 1 <= n <= BLOCK or data[-n:] != bytes([n]) * n:
        raise WeComCryptoError("bad padding")
    return data[:-n]
