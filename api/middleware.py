"""The outer ASGI layer: resolve the key, rate-limit, cap the body size, audit every request."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guanxi.api.audit import AuditLog
from guanxi.api.auth import KeyStore, Principal
from guanxi.api.errors import error_bytes
from guanxi.api.limits import BodyTooLarge, RateLimiter, retry_after_header


class GuardMiddleware:
    """Authentication lookup, rate limiting, request-size limit and audit for every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: KeyStore,
        audit: AuditLog,
        limiter: RateLimiter,
        max_body: int,
    ) -> None:
        self.app = app
        self.keys = keys
        self.audit = audit
        self.limiter = limiter
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key = headers.get("x-api-key")
        principal: Principal | None = self.keys.verify(key) if key else None
        state["principal"] = principal
        status_box = {"status": 500, "started": False}
        too_big = False
        audited = False

        async def log_once() -> None:
            # the entry is committed before the last body byte leaves, so a client that has
            # the response can already find it in the audit log
            nonlocal audited
            if not audited:
                audited = True
                await self._audit(scope, state, principal, int(status_box["status"]), t0)

        async def send_wrapped(message: Message) -> None:
            if too_big and not status_box["started"]:
                # the app answered a body we cut off: the answer is 413, whatever it said
                status_box["started"] = True
                await reply(413, "payload_too_large",
                            f"request body exceeds {self.max_body} bytes", [])
                return
            if too_big:
                return
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
                status_box["started"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await log_once()
            await send(message)

        async def reply(status: int, code: str, msg: str, extra: list[tuple[bytes, bytes]]) -> None:
            body = error_bytes(code, msg)
            status_box["status"] = status
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        *extra,
                    ],
                }
            )
            await log_once()
            await send({"type": "http.response.body", "body": body})

        who = f"key:{principal.key_id}" if principal else f"addr:{(scope.get('client') or ('?',))[0]}"
        if scope.get("path") == "/health" and principal is None:
            who = "health:" + who  # keyless API traffic does not starve the health probe
        wait = self.limiter.take(who)
        try:
            if wait > 0:
                await reply(
                    429,
                    "rate_limited",
                    "too many requests for this key; retry later",
                    [(b"retry-after", retry_after_header(wait).encode())],
                )
            elif int(headers.get("content-length") or 0) > self.max_body:
                await reply(413, "payload_too_large",
                            f"request body exceeds {self.max_body} bytes", [])
            else:
                received = 0

                async def receive_counted() -> Message:
                    nonlocal received, too_big
                    message = await receive()
                    if message["type"] == "http.request":
                        received += len(message.get("body", b""))
                        if received > self.max_body:
                            too_big = True
                            raise BodyTooLarge()
                    return message

                try:
                    await self.app(scope, receive_counted, send_wrapped)
                except BodyTooLarge:
                    if status_box["started"]:
                        return
                    status_box["started"] = True
                    await reply(413, "payload_too_large",
                                f"request body exceeds {self.max_body} bytes", [])
        finally:
            await log_once()

    async def _audit(
        self, scope: Scope, state: dict[str, Any], principal: Principal | None, status: int,
        t0: float,
    ) -> None:
        route = scope.get("route")
        route_path = getattr(route, "path", None) or scope.get("path", "")
        params: dict[str, Any] = {}
        qs = scope.get("query_string", b"").decode("latin-1")
        if qs:
            from urllib.parse import parse_qs

            for k, v in parse_qs(qs, keep_blank_values=True).items():
                params[k] = v[0] if len(v) == 1 else v
        for k, v in (scope.get("path_params") or {}).items():
            params[f"path.{k}"] = v
        if "upload" in state:
            params["upload"] = state["upload"]
        # committed by the audit writer thread (batched with concurrent requests) before the
        # request's ASGI cycle ends
        await self.audit.record(
            key_id=principal.key_id if principal else None,
            role=principal.role if principal else None,
            method=scope.get("method", ""),
            route=str(route_path),
            params=params,
            result_count=int(state.get("result_count", 0)),
            status=status,
            duration_ms=(time.perf_counter() - t0) * 1000,
        )
