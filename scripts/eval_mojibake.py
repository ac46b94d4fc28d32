"""How well the mojibake repair restores real text: corrupt spans of real articles, normalize, compare.

    .venv/bin/python scripts/eval_mojibake.py [PATH ...]     (default: ../shared/corpus/real)

For every article, a few random spans (10-80 characters starting at a Han character) are turned
into seed-style mojibake: the GB18030 bytes read one byte late, bytes that do not decode shown as
``?``. Reported: the share of spans restored exactly (after normalization of both sides), restored
up to the guessed lost bytes at the span's ends (at most 2 characters differ), and left with issues.
Also reported: mojibake repairs and issues on the uncorrupted articles (false alarms).
"""
from __future__ import annotations

import difflib
import random
import sys
from pathlib import Path

from extractor.normalize import normalize_text
from extractor.readers import iter_articles


def shifted(span: str) -> str:
    data = span.encode("gb18030")
    return "?" + data[1:].decode("gb18030", errors="replace").replace("\ufffd", "?")


def char_errors(a: str, b: str) -> int:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


def main(argv: list[str]) -> None:
    paths = argv or [str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real")]
    rng = random.Random(2024)
    arts = [a for a in iter_articles(paths) if a.raw]
    n = exact = near = flagged = false_rep = false_iss = 0
    for art in arts:
        clean, rep, iss, _ = normalize_text(art.raw)
        false_rep += rep.get("mojibake", 0)
        false_iss += len(iss)
        raw = art.raw
        for _ in range(3):
            start = rng.randrange(0, max(1, len(raw) - 100))
            while start < len(raw) and not ("\u4e00" <= raw[start] <= "\u9fff"):
                start += 1
            end = min(len(raw), start + rng.randint(10, 80))
            end = raw.find("\n", start, end) if "\n" in raw[start:end] else end
            if end - start < 6:
                continue
            broken = raw[:start] + shifted(raw[start:end]) + raw[end:]
            text, rep2, iss2, _ = normalize_text(broken)
            n += 1
            errs = char_errors(clean, text)
            exact += errs == 0
            near += errs <= 2
            flagged += any("unrepaired" in m or "not examined" in m for m in iss2)
    print(f"{len(arts)} articles, {n} corrupted spans: exact {exact / n:.1%}, within 2 characters "
          f"{near / n:.1%}, flagged as unrepaired {flagged / n:.1%}")
    print(f"uncorrupted articles: {false_rep} mojibake repairs, {false_iss} normalize issues")


if __name__ == "__main__":
    main(sys.argv[1:])
