"""The one progress-callback type every long-running step reports through.

It lives at the bottom of the layers (graph/) so that loaders/, nlp/ and analyses/ can all
take the same callable; the CLI passes a function that moves a progress bar, the API and the
tests pass nothing.

A `Progress` is called as ``progress(step)`` (a new step began, size unknown) or
``progress(step, done, total)`` (``done`` of ``total`` units of the step are finished; for a
fraction of the whole work, ``total`` is 1.0).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "report"]


class Progress(Protocol):
    """A callback told what is being done and how far it got (see the module docstring)."""

    def __call__(self, step: str, done: float = 0, total: float | None = None, /) -> None:
        """Note that ``done`` of ``total`` units of ``step`` are finished."""


def report(progress: Progress | None, step: str, done: float = 0,
           total: float | None = None) -> None:
    """Call ``progress(step, done, total)`` when a callback was given; return None.

    >>> seen = []
    >>> report(lambda s, d=0, t=None: seen.append((s, d, t)), "cycles", 0.5, 1.0)
    >>> report(None, "ignored")
    >>> seen
    [('cycles', 0.5, 1.0)]
    """
    if progress is not None:
        progress(step, done, total)
