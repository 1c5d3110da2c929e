"""The response-shaping route class: every JSON response passes `shape_for_role` here."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from guanxi.api.auth import role_of
from guanxi.api.masking import shape_for_role


def clean(obj: Any) -> Any:
    """Return `obj` with NaN/±inf floats replaced by None (JSON has no NaN)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    return obj


class SafeJSONResponse(JSONResponse):
    """JSONResponse that writes NaN/inf as null instead of failing."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            clean(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def result_count(payload: Any) -> int:
    """Return how many results a payload carries (items, nodes, paths…; 1 for an object)."""
    if isinstance(payload, dict):
        for k in ("items", "paths", "nodes"):
            if isinstance(payload.get(k), list):
                return len(payload[k])
        return 0 if "error" in payload else 1
    if isinstance(payload, list):
        return len(payload)
    return 0


class ShapedRoute(APIRoute):
    """An APIRoute whose JSON responses are shaped by the caller's role and counted for audit."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            response = await original(request)
            if not isinstance(response, JSONResponse) or response.status_code >= 400:
                return response
            payload = json.loads(bytes(response.body))
            shaped = shape_for_role(payload, role_of(request))
            request.scope.setdefault("state", {})["result_count"] = result_count(shaped)
            headers = {k: v for k, v in response.headers.items()
                       if k.lower() not in ("content-length", "content-type")}
            return SafeJSONResponse(shaped, status_code=response.status_code, headers=headers)

        return handler
