"""Per-article budgets: a time limit that can interrupt a stuck stage, and chunking of huge texts.

Time. :class:`Alarm` arms a timer (POSIX, main thread) for the time an article has
left — by default CPU time (``ITIMER_PROF``/``SIGPROF``), so a loaded machine does not
cut articles a quiet one finishes, and a given input is cut at the same point everywhere;
``clock: wall`` in pipeline.yaml uses ``ITIMER_REAL``/``SIGALRM`` instead. When it fires
inside a stage, :class:`BudgetExceeded` is raised
*in* the stage — also inside a long ``re``/``regex`` match, both of which check for
signals — and the pipeline records the cut-off as an issue. ``BudgetExceeded``
derives from ``BaseException`` so a stage's defensive ``except Exception`` does not
swallow it. Where signals are unavailable (worker threads, Windows) the alarm is a
no-op and the pipeline falls back to checking the budget between stages; stage
authors can then bound their own regex calls with
``pattern.search(text, timeout=time_left(article))`` (the ``regex`` module's
``timeout=`` argument).

Size. :func:`split_chunks` cuts a long text into pieces of at most ``size``
characters at paragraph (else sentence) ends, so a stage that is superlinear in
the article length stays linear in it, and the pipeline can keep the facts of
the chunks done before a time-out.
"""
from __future__ import annotations

import signal
import threading
import time
from typing import Optional

DEADLINE_KEY = "_deadline"   # article.context key: clock() value the article must finish by
CLOCK_KEY = "_clock"         # article.context key: the budget's clock function
CLOCKS = {"cpu": (time.process_time, "ITIMER_PROF", "SIGPROF"),
          "wall": (time.perf_counter, "ITIMER_REAL", "SIGALRM")}
_SENTENCE_ENDS = "。！？；!?;"


class BudgetExceeded(BaseException):
    """Raised inside a stage when the article's time budget runs out."""


def time_left(article, default: Optional[float] = None) -> Optional[float]:
    """Seconds the article has left (>= 0.001), for ``regex``'s ``timeout=``; ``default`` when unbudgeted."""
    ctx = getattr(article, "context", {})
    deadline = ctx.get(DEADLINE_KEY)
    if deadline is None:
        return default
    return max(0.001, deadline - ctx.get(CLOCK_KEY, time.perf_counter)())


def signals_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Alarm:
    """A re-armable timer for the duration of a ``with`` block.

        with Alarm("cpu") as alarm:
            alarm.arm(2.0)       # BudgetExceeded raised after 2 s of CPU time unless disarmed
            work()
            alarm.disarm()

    The previous handler and timer are restored on exit. Inactive (every call a
    no-op) off the main thread, without ``signal.setitimer``, or when the signal
    belongs to a handler installed outside Python.
    """

    def __init__(self, clock: str = "cpu") -> None:
        _, timer, sig = CLOCKS.get(clock, CLOCKS["cpu"])
        self.timer = getattr(signal, timer, None)
        self.signum = getattr(signal, sig, None)
        self.active = False
        self._armed = False
        self._old_handler = None
        self._old_timer = (0.0, 0.0)
        self._t_enter = 0.0

    def _handler(self, signum, frame):
        if self._armed:
            self._armed = False
            raise BudgetExceeded()

    def __enter__(self) -> "Alarm":
        if not signals_usable() or self.timer is None or self.signum is None:
            return self
        if signal.getsignal(self.signum) is None:
            return self  # a handler installed outside Python (e.g. libFuzzer's): leave the signal to it
        try:
            self._old_handler = signal.signal(self.signum, self._handler)
            self._old_timer = signal.setitimer(self.timer, 0)
        except (ValueError, OSError):  # pragma: no cover - e.g. embedded interpreters
            return self
        self.active = True
        self._t_enter = time.perf_counter()
        return self

    def arm(self, seconds: float) -> None:
        if self.active:
            self._armed = True
            signal.setitimer(self.timer, max(0.001, seconds))

    def disarm(self) -> None:
        if self.active:
            self._armed = False
            signal.setitimer(self.timer, 0)

    def __exit__(self, *exc) -> None:
        if not self.active:
            return None
        self.disarm()
        signal.signal(self.signum, self._old_handler if self._old_handler is not None else signal.SIG_DFL)
        delay, interval = self._old_timer
        if delay > 0:  # give an outer timer back (about) what it had left
            left = delay - (time.perf_counter() - self._t_enter)
            signal.setitimer(self.timer, max(0.001, left), interval)
        self.active = False
        return None


def split_chunks(text: str, size: int) -> list[tuple[int, int]]:
    """(start, end) pieces covering ``text``, each at most ``size`` chars, cut after a newline if one
    lies in the piece's second half, else after a sentence end there, else at ``size``."""
    n = len(text)
    if size <= 0 or n <= size:
        return [(0, n)]
    out: list[tuple[int, int]] = []
    pos = 0
    while n - pos > size:
        lo, hi = pos + size // 2, pos + size
        cut = text.rfind("\n", lo, hi)
        if cut < 0:
            cut = max(text.rfind(ch, lo, hi) for ch in _SENTENCE_ENDS)
        end = cut + 1 if cut >= 0 else hi
        out.append((pos, end))
        pos = end
    out.append((pos, n))
    return out
