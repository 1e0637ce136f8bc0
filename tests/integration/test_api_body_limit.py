"""Break 1: a body past 1 MiB is refused with 413 by the bytes actually received, before auth or parsing."""

from __future__ import annotations

import select
import socket
import time

import pytest

from tests.integration.api_kb import Api, ServerThread, api, free_port

__all__ = ["api"]

CHUNK = b"x" * 65536
GIVE_UP_BYTES = 64 << 20  # a server that reads everything would take all of this


def _read_response(sock: socket.socket) -> bytes:
    sock.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 20:
        piece = sock.recv(4096)
        if not piece:
            break
        data += piece
    return data


def _send_chunked(port: int, path: str, headers: str = "") -> tuple[bytes, int]:
    """POST an endless chunked body without a token; (response head, bytes sent before it came)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n{headers}"
        sock.sendall((head + "Content-Type: application/json\r\n\r\n").encode())
        frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
        deadline = time.monotonic() + 60
        while sent < GIVE_UP_BYTES and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                return _read_response(sock), sent
            try:
                sock.sendall(frame)
            except OSError:  # the server answered and closed; read what it said
                break
            sent += len(CHUNK)
        else:
            sock.sendall(b"0\r\n\r\n")  # the server read it all: end the body and see what it says
        return _read_response(sock), sent


@pytest.mark.parametrize("path", ["/v1/ask", "/slack/events", "/wecom/callback", "/v1/no-such-route"])
def test_chunked_body_past_the_limit_is_413_before_auth(api: Api, path: str) -> None:
    with ServerThread(api.app, free_port()) as server:
        response, sent = _send_chunked(server.port, path)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b"payload_too_large" in response
    # Refused while the body was still arriving, not after reading it all.
    assert sent < 16 << 20


def test_chunked_body_under_the_limit_still_works(api: Api) -> None:
    def body() -> object:
        yield b'{"question": "'
        yield b"Orion deployment " * 100
        yield b'"}'

    headers = {**api.auth("rep"), "Content-Type": "application/json"}
    response = api.client.post("/v1/ask", content=body(), headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert response.json()["answer"]


def test_chunked_body_past_the_limit_in_process_is_413(api: Api) -> None:
    def body() -> object:
        for _ in range(40):
            yield CHUNK

    response = api.client.post("/v1/ask", content=body())  # type: ignore[arg-type]
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"
