"""atheris fuzz target: the readers and the whole pipeline on arbitrary bytes (issue 9).

Each input picks a reader (text / HTML / JSON Lines) and the bytes it reads, or a string for
``extract``; every record must validate, survive a JSON round trip and have spans that index
its text. Any exception (or a failed check) is a crash: libFuzzer saves the input as
``crash-<sha1>`` (under ``-artifact_prefix``), and the input becomes a regression test in
tests/test_hostile.py or tests/test_properties.py.

    # short run (what tests/test_fuzz.py does in CI): a fixed number of inputs
    .venv/bin/python fuzz/fuzz_pipeline.py -runs=2000 -seed=1 -max_len=2048 CORPUS_DIR
    # long run (documented in fuzz/README.md)
    .venv/bin/python fuzz/fuzz_pipeline.py -max_total_time=3600 -max_len=8192 -timeout=60 fuzz/corpus
"""
from __future__ import annotations

import math
import sys

import atheris

with atheris.instrument_imports(include=["extractor"]):
    from extractor.models import Record
    from extractor.pipeline import Pipeline, extract
    from extractor.readers import read_bytes

    # build the pipeline (importing every stage module) inside the instrumented block
    PIPE = Pipeline(max_seconds=10.0, max_chars=200_000, chunk_chars=2_000)

KINDS = [("text", "fuzz.txt"), ("html", "fuzz.html"), ("jsonl", "fuzz.jsonl")]


def check(rec: Record) -> None:
    again = Record.model_validate_json(rec.model_dump_json(by_alias=True))
    for group in (again.dates, again.places, again.counts, again.measures):
        for m in group:
            if again.text[m.start:m.end] != m.text:
                raise AssertionError(f"span {m.start}:{m.end} {m.text!r} does not index the text")
    for c in again.counts:
        if not math.isfinite(c.value):
            raise AssertionError(f"count value {c.value}")
    for d in again.dates:
        if d.from_ and d.to and d.from_ > d.to:
            raise AssertionError(f"date {d}")


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 3)
    if mode == 3:  # the Python API on a string
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
        check(extract(text, pipeline=PIPE))
        return
    kind, name = KINDS[mode]
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    n = 0
    for art in read_bytes(payload, name, kind=kind):
        n += 1
        check(PIPE.run(art))
    if n == 0:
        raise AssertionError("an input yielded no article")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
