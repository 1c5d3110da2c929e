"""Helpers for tests that run `guanxi` as a real subprocess."""

from __future__ import annotations

import signal
import subprocess


def interrupt(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Stop `proc` as Ctrl-C would; kill it if it has not exited 30 s later."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
