#!/usr/bin/env python3
"""The project's AWS emulator: moto's server with the instance refresh extension
(instance_refresh.py beside this file), on a loopback address only.

    python server.py [--host 127.0.0.1] [--port N]      (N = 0: a free port)

Once it accepts connections it prints one JSON line on stdout, for harnesses to parse:

    {"event": "listening", "host": "127.0.0.1", "port": 40123, "endpoint": "http://127.0.0.1:40123", "pid": 1234}

Besides moto's own endpoints (every AWS service at /, POST /moto-api/reset, ...):

    GET /_sample_app/instance-refreshes   every recorded instance refresh, as JSON
    GET /_sample_app/health               {"status": "ok", "moto": "<version>"}

AWS managed IAM policies (arn:aws:iam::aws:policy/...) are loaded
(MOTO_IAM_LOAD_MANAGED_POLICIES=true unless set otherwise). Timing of emulated instance
refreshes: --refresh-pending-seconds (default 0.5, env
SAMPLE_APP_REFRESH_PENDING_SECONDS) and --refresh-step-seconds per batch of instances
(default 1.0, env SAMPLE_APP_REFRESH_STEP_SECONDS).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import sys
from importlib.metadata import version as package_version
from typing import Any, Callable, Iterable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DEBUG_PATH = "/_sample_app/instance-refreshes"
HEALTH_PATH = "/_sample_app/health"


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number of seconds, got {raw!r}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="moto with the project's instance refresh extension")
    # -H/-p as moto_server has them, so the bin/moto_server wrapper accepts both spellings.
    parser.add_argument("-H", "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=0, help="port (default 0: a free port)")
    parser.add_argument(
        "--refresh-pending-seconds",
        type=float,
        default=_float_env("SAMPLE_APP_REFRESH_PENDING_SECONDS", 0.5),
        help="how long a new instance refresh stays Pending",
    )
    parser.add_argument(
        "--refresh-step-seconds",
        type=float,
        default=_float_env("SAMPLE_APP_REFRESH_STEP_SECONDS", 1.0),
        help="how long each batch of instance replacements takes",
    )
    args = parser.parse_args(argv)
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        # The emulator has no authentication: it must never listen beyond this machine.
        parser.error(f"--host must be a loopback address, got {args.host}")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be 0-65535, got {args.port}")
    if args.refresh_pending_seconds < 0 or args.refresh_step_seconds < 0:
        parser.error("refresh timings must be >= 0")
    return args


class ExtensionMiddleware:
    """Serialises requests (moto's state is not thread-safe, and instance refreshes move
    with the clock before each request), and serves the extension's own endpoints."""

    def __init__(self, app: Callable[..., Iterable[bytes]], moto_version: str):
        self.app = app
        self.moto_version = moto_version

    def _json(self, start_response: Callable[..., Any], status: str, payload: Any) -> list[bytes]:
        body = json.dumps(payload, indent=2, default=str).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        import instance_refresh
        import rpcv2_cbor

        path = environ.get("PATH_INFO", "")
        if path in (DEBUG_PATH, HEALTH_PATH):
            if environ.get("REQUEST_METHOD") != "GET":
                return self._json(start_response, "405 Method Not Allowed", {"error": "GET only"})
            if path == HEALTH_PATH:
                return self._json(start_response, "200 OK", {"status": "ok", "moto": self.moto_version})
            return self._json(start_response, "200 OK", {"instanceRefreshes": instance_refresh.debug_state()})
        with instance_refresh.LOCK:
            instance_refresh.advance()
            if rpcv2_cbor.handles(environ):
                # CloudWatch in Smithy RPC v2 CBOR (the provider's SDK), translated for moto.
                return rpcv2_cbor.handle(environ, start_response, self.app)
            # The body is produced inside the lock: moto renders it while handling, and
            # list() makes sure nothing lazy reads state after the lock is released.
            result = self.app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # AWS managed policies (arn:aws:iam::aws:policy/...) exist in every real account; the
    # app's role attaches one. moto loads them only when asked (~1 s per IAM backend).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    # Imported after argument parsing: loading moto takes a second or two.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    import instance_refresh

    instance_refresh.install(pending_seconds=args.refresh_pending_seconds, step_seconds=args.refresh_step_seconds)
    app = ExtensionMiddleware(DomainDispatcherApplication(create_backend_app), package_version("moto"))
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    port = server.server_port
    # moto builds some URLs (e.g. S3 presigned, SQS queue URLs) from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(port))

    def stop(signum: int, _frame: Any) -> None:
        # serve_forever() returns once shutdown() is called from another thread; from the
        # signal handler (main thread) raising is the way out.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        json.dumps(
            {"event": "listening", "host": args.host, "port": port, "endpoint": f"http://{args.host}:{port}", "pid": os.getpid()}
        ),
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
