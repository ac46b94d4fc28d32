"""Every record the pipeline gives on a broad set of inputs, as one JSONL: the before/after check
for changes that must not change output (speed work, refactors).

    .venv/bin/python scripts/snapshot.py -o /tmp/before.jsonl      # on the old code
    .venv/bin/python scripts/snapshot.py -o /tmp/after.jsonl       # on the new code
    .venv/bin/python scripts/snapshot.py --diff /tmp/before.jsonl /tmp/after.jsonl

Inputs (whatever of them exists):

- the files of corpus/, ../shared/corpus/seeds and ../shared/corpus/real, read as `extractor run`
  reads them (HTML and text, so the readers are covered);
- each paragraph of those articles alone, with the article's publication date (a fact near a text's
  edge, a paragraph without its title or date line);
- every ``input`` of ../shared/specs/*.jsonl (dates, numbers, money, units: short, odd sentences).

Records are written as ``model_dump_json`` gives them, except that the checkout's path in ``source``
is written ``<repo>``/``<shared>`` (snapshots of two worktrees compare equal).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def inputs():
    from extractor.readers import iter_articles

    dirs = [d for d in (ROOT / "corpus", SHARED / "corpus" / "seeds", SHARED / "corpus" / "real") if d.is_dir()]
    yield from (("file", a) for a in iter_articles(dirs))
    for spec in sorted((SHARED / "specs").glob("*.jsonl")):
        for line in spec.read_text(encoding="utf-8").splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj.get("input"), str):
                yield ("spec", (f"{spec.name}#{obj.get('id')}", obj["input"]))


def _portable(rec) -> str:
    """The record's JSON with the checkout's path in ``source`` written ``<repo>``/``<shared>``, so a
    snapshot taken in another checkout or worktree compares equal."""
    src = rec.source
    for path, name in ((str(SHARED), "<shared>"), (str(ROOT), "<repo>")):
        if src.startswith(path):
            src = name + src[len(path):]
            break
    if src != rec.source:
        rec = rec.model_copy(update={"source": src})
    return rec.model_dump_json(by_alias=True)


def snapshot(out) -> int:
    from extractor.pipeline import default_pipeline, extract

    pipe = default_pipeline()
    n = 0
    for kind, item in inputs():
        if kind == "file":
            rec = pipe.run(item)
            out.write(_portable(rec) + "\n")
            n += 1
            for i, para in enumerate(p for p in rec.text.split("\n") if p.strip()):
                r = extract(para, published_at=rec.published_at, source=f"{rec.source}#p{i}")
                out.write(_portable(r) + "\n")
                n += 1
        else:
            source, text = item
            out.write(extract(text, source=source).model_dump_json(by_alias=True) + "\n")
            n += 1
    return n


def diff(a: Path, b: Path) -> int:
    la, lb = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
    bad = 0
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            bad += 1
            if bad <= 5:
                rx, ry = json.loads(x), json.loads(y)
                print(f"line {i + 1}: {rx.get('source')}")
                for k in rx:
                    if rx[k] != ry.get(k):
                        print(f"  {k}:\n    - {json.dumps(rx[k], ensure_ascii=False)[:600]}\n"
                              f"    + {json.dumps(ry.get(k), ensure_ascii=False)[:600]}")
    if len(la) != len(lb):
        print(f"{len(la)} vs {len(lb)} records")
        bad += 1
    print(f"{bad} differing records of {len(la)}" if bad else f"identical: {len(la)} records")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", help="write the snapshot here")
    ap.add_argument("--diff", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two snapshots")
    args = ap.parse_args()
    if args.diff:
        return diff(Path(args.diff[0]), Path(args.diff[1]))
    if not args.out:
        ap.error("-o or --diff")
    with open(args.out, "w", encoding="utf-8") as out:
        n = snapshot(out)
    print(f"{n} records -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
