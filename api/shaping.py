"""The response-shaping route class: every JSON response passes `shape_for_role` here."""

from __future__ import annotations

import functools
import inspect
import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from guanxi.api.auth import role_of
from guanxi.api.masking import shape_for_role, shaping_changes


def clean(obj: Any) -> Any:
    """Return `obj` with NaN/±inf floats replaced by None (JSON has no NaN)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    return obj


def render_json(content: Any) -> bytes:
    """Return compact UTF-8 JSON of `content`, NaN/±inf written as null.

    orjson does this in one pass (it writes non-finite floats as null itself); what it
    refuses (integers beyond 64 bits, say) goes through the standard library as before.
    """
    try:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(
            clean(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


class SafeJSONResponse(JSONResponse):
    """JSONResponse that writes NaN/inf as null instead of failing."""

    def render(self, content: Any) -> bytes:
        return render_json(content)


class PendingJSON(JSONResponse):
    """The response class of a ShapedRoute: FastAPI hands it the (validated, JSON-ready)
    content, which it keeps unrendered for the route's handler to shape and render once."""

    pending: Any = None

    def render(self, content: Any) -> bytes:
        self.pending = content
        return b""


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


def in_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Return a plain `def` endpoint as an `async def` that runs it in the worker threads.

    FastAPI runs a plain endpoint in a worker thread and then, in another hand-over to a
    worker thread, validates its result against the response model; for a coroutine it
    validates on the event loop. The endpoint still runs in a worker thread (a long
    traversal does not stall the loop), the validation (pydantic, compiled) no longer costs
    a thread hand-over. Signature and annotations stay the endpoint's (`functools.wraps`).
    """
    if inspect.iscoroutinefunction(endpoint) or inspect.isgeneratorfunction(endpoint) or \
            inspect.isasyncgenfunction(endpoint) or not inspect.isfunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class ShapedRoute(APIRoute):
    """An APIRoute whose JSON responses are shaped by the caller's role and counted for audit.

    A route returning data (the usual case) gets `PendingJSON` as its response class, so the
    payload is shaped and serialised once; a JSONResponse the endpoint builds itself is
    parsed back, shaped and serialised again.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        rc = kwargs.get("response_class")
        if rc is None or isinstance(rc, DefaultPlaceholder) or rc in (JSONResponse,
                                                                       SafeJSONResponse):
            kwargs["response_class"] = PendingJSON
        super().__init__(path, in_worker_thread(endpoint), **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            response = await original(request)
            if isinstance(response, PendingJSON):
                payload = response.pending
            elif isinstance(response, JSONResponse) and response.status_code < 400:
                payload = json.loads(bytes(response.body))
            else:
                return response
            body = render_json(payload)
            if response.status_code < 400:
                role = role_of(request)
                if shaping_changes(body.decode("utf-8"), role):
                    svc = getattr(request.app.state, "services", None)
                    payload = shape_for_role(payload, role, getattr(svc, "names", None))
                    body = render_json(payload)
                request.scope.setdefault("state", {})["result_count"] = result_count(payload)
            headers = {k: v for k, v in response.headers.items()
                       if k.lower() not in ("content-length", "content-type")}
            return Response(body, status_code=response.status_code, headers=headers,
                            media_type="application/json", background=response.background)

        return handler
