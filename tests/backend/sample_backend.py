#!/usr/bin/python3
"""sample_backend: the HTTP service Tollgate's stack proxies to in tests.

Standard library only (Debian's /usr/bin/python3), ThreadingHTTPServer with
HTTP/1.1 keep-alive. Bodies are streamed both ways, never held whole, so the
gateway's 100 MB tests measure the gateway and not this process.

  GET  /health            {"status": "ok"}
  *    /echo...           JSON {method, path, query, headers, body_length, body_sha256}
  GET  /bytes/N           N bytes (64 KiB writes, Content-Length)
  GET  /chunked/N         N bytes, Transfer-Encoding: chunked
  POST|PUT /upload        reads the body (Content-Length or chunked) -> {"length", "sha256"}
  GET  /slow/MS           sleeps MS milliseconds, then the echo JSON
  GET  /status/N          answers status N with a small JSON body
  anything else           the echo JSON (so /pizza/menu works); also for PURGE and PROPFIND

Usage: sample_backend.py --port P [--bind 127.0.0.1]
"""
import argparse
import hashlib
import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024
MAX_N = 10 * 1024 * 1024 * 1024


def pattern(n):
    """Deterministic bytes: the test computes the same sha256 independently."""
    block = bytes(range(256)) * (CHUNK // 256)
    while n > 0:
        take = min(n, CHUNK)
        yield block[:take]
        n -= take


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sample-backend/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("backend %s %s\n" % (self.address_string(), fmt % args))

    # --- body reading, streamed ---
    def read_body_chunks(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    return
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                left = size
                while left > 0:
                    data = self.rfile.read(min(left, CHUNK))
                    if not data:
                        return
                    left -= len(data)
                    yield data
                self.rfile.readline(16)
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left > 0:
                data = self.rfile.read(min(left, CHUNK))
                if not data:
                    return
                left -= len(data)
                yield data

    def digest_body(self):
        h = hashlib.sha256()
        n = 0
        for data in self.read_body_chunks():
            h.update(data)
            n += len(data)
        return n, h.hexdigest()

    # --- answers ---
    def send_json(self, status, obj):
        body = (json.dumps(obj) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def echo(self):
        length, sha = self.digest_body()
        url = urllib.parse.urlsplit(self.path)
        self.send_json(200, {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": {k: v for k, v in self.headers.items()},
            "body_length": length,
            "body_sha256": sha,
        })

    def send_bytes(self, n, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        for data in pattern(n):
            if chunked:
                self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
            else:
                self.wfile.write(data)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def number(self, text, limit):
        try:
            n = int(text)
        except ValueError:
            return None
        return n if 0 <= n <= limit else None

    def route(self):
        path = urllib.parse.urlsplit(self.path).path
        parts = [p for p in path.split("/") if p]
        head = parts[0] if parts else ""
        arg = parts[1] if len(parts) > 1 else ""
        if path == "/health" and self.command == "GET":
            self.digest_body()
            return self.send_json(200, {"status": "ok"})
        if head in ("bytes", "chunked") and self.command in ("GET", "HEAD"):
            n = self.number(arg, MAX_N)
            if n is None:
                return self.send_json(400, {"error": "bad size"})
            return self.send_bytes(n, head == "chunked")
        if head == "upload" and self.command in ("POST", "PUT"):
            length, sha = self.digest_body()
            return self.send_json(200, {"length": length, "sha256": sha})
        if head == "slow":
            ms = self.number(arg, 600000)
            time.sleep((ms or 0) / 1000.0)
            return self.echo()
        if head == "status":
            n = self.number(arg, 599)
            self.digest_body()
            if n is None or n < 200:
                return self.send_json(400, {"error": "bad status"})
            if n in (204, 304):
                self.send_response(n)
                self.end_headers()
                return
            return self.send_json(n, {"status": n})
        return self.echo()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = route
    # extension methods an API may list (tests/integration/test_hostile_gateway_request.py)
    do_PURGE = do_PROPFIND = route


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bind", default="127.0.0.1")
    args = ap.parse_args()
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    sys.stderr.write("sample backend listening on %s:%d\n" % (args.bind, args.port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
