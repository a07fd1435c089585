"""A progress bar on the terminal, for roll-ups of hundreds or thousands of files.

Quiet when output is not a terminal (a log, a pipe, the Excel button), so logs
hold only the closing summary.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, enabled: bool = True, stream=None, every: float = 0.1):
        self.label = label
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.every = every
        self._last = 0.0
        self._shown = False

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < self.every and done < total):
            return
        self._last = now
        width = 30
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total} tệp ({percent}%)")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
