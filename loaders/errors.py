"""Errors of the loaders: one-line messages a user can act on."""

from __future__ import annotations

from guanxi.graph.store import StoreError


class LoadError(StoreError):
    """A whole file or the manifest cannot be read; the message names the file and why."""
