"""A real HTTP server on 127.0.0.1 that plays scripted replies and records every request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    """One scripted response: a JSON-able body (or raw bytes), status, headers, optional delay."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class SeenRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() on arrival

    @property
    def form(self) -> dict[str, str]:
        """The body decoded as an HTML form."""
        return dict(parse_qsl(self.body.decode()))


Script = Reply | Callable[[SeenRequest], Reply]


class ScriptedServer:
    """Routes (method, path) to queues of replies; the last reply of a queue repeats."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.requests: list[SeenRequest] = []
        self._scripts: dict[tuple[str, str], list[Script]] = {}
        self._lock = threading.Lock()

    def script(self, method: str, path: str, *replies: Script) -> None:
        """Answer `method path` with `replies` in order, repeating the last one."""
        self._scripts[(method, path)] = list(replies)

    def url(self, path: str = "") -> str:
        """Absolute URL of `path` on this server."""
        return self.base_url + path

    def seen(self, path: str | None = None) -> list[SeenRequest]:
        """Requests received so far, optionally only those for `path`."""
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def answer(self, request: SeenRequest) -> Reply:
        """The next scripted reply for `request` (404 when nothing is scripted)."""
        with self._lock:
            self.requests.append(request)
            queue = self._scripts.get((request.method, request.path))
            if not queue:
                return Reply({"error": "not scripted"}, status=404)
            script = queue.pop(0) if len(queue) > 1 else queue[0]
        return script(request) if callable(script) else script


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        seen = SeenRequest(
            method=self.command,
            path=url.path,
            query=dict(parse_qsl(url.query)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length),
            at=time.monotonic(),
        )
        reply = self.server.scripted.answer(seen)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        body = reply.body
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    scripted: ScriptedServer


def start_server() -> tuple[_Server, ScriptedServer]:
    """Start a server on an ephemeral 127.0.0.1 port in a daemon thread."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    httpd.scripted = ScriptedServer(f"http://{host}:{port}")
    threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True).start()
    return httpd, httpd.scripted
