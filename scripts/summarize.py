"""Print a short table of an output file: one line per article with its fact counts."""
import json
import sys


def main(path: str) -> int:
    n = 0
    tot = {"dates": 0, "places": 0, "counts": 0, "measures": 0, "issues": 0}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            n += 1
            for k in tot:
                tot[k] += len(r.get(k) or [])
            when = (r.get("published_at") or "")[:10] or "-"
            print(f"{when:10s}  {(r.get('outlet') or '-')[:10]:10s}  d{len(r['dates']):>3} p{len(r['places']):>3} "
                  f"c{len(r['counts']):>3} m{len(r['measures']):>3}  {(r.get('title') or '')[:40]}")
    print(f"{n} records: " + ", ".join(f"{v} {k}" for k, v in tot.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
