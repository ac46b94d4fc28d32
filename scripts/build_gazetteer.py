#!/usr/bin/env python3
"""Build the gazetteer data files in ``patterns/gazetteer/`` from a published division table.

    .venv/bin/python scripts/build_gazetteer.py            # write the files
    .venv/bin/python scripts/build_gazetteer.py --check    # exit 1 if the committed files differ

Source: the division table shipped in the ``jionlp`` package (Apache-2.0,
https://github.com/dongrixinyu/JioNLP): ``dictionary/china_location.zip``
(province / city / county with 6-digit adcodes, townships and villages below)
and ``dictionary/china_location_change.txt`` (renamed and abolished units).
jionlp is read as data only (its files are located, never imported), and only
here: the runtime reads the generated files. Short forms that are ordinary
words are flagged from the hand-kept ``ordinary_words.txt``.

Outputs (deterministic; sorted):
- ``divisions.tsv``  adcode, level, name, parent adcode, generated short forms, flags
- ``townships.tsv``  county adcode, '|'-joined official township names (镇/乡/街道/苏木)
- ``former_names.tsv`` former name → current adcode (jionlp change table + former_names_extra.tsv)

Rules (suffixes, ethnic-group names) come from ``patterns/gazetteer/short_forms.yaml``.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "patterns" / "gazetteer"

COUNTY_SUFFIXES = ("县", "区", "市", "旗")       # county-level units we keep (others are zones/farms)
TOWNSHIP_SUFFIXES = ("街道", "镇", "乡", "苏木")
GENERIC_FORMER = {"城区", "郊区", "矿区", "市辖区"}   # former names too generic to map


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed; it is needed to build the gazetteer")
    return Path(list(spec.submodule_search_locations)[0])


def read_location_table(jio: Path) -> list[str]:
    with zipfile.ZipFile(jio / "dictionary" / "china_location.zip") as zf:
        with zf.open("china_location.txt") as fh:
            return io.TextIOWrapper(fh, encoding="utf-8").read().splitlines()


def load_rules() -> dict:
    with open(OUT / "short_forms.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def short_forms(name: str, rules: dict) -> list[str]:
    """Short forms by rule: the stem (suffix and ethnic names stripped), and for autonomous units
    also stem + plain suffix (民和回族土族自治县 → 民和, 民和县; 恩施土家族苗族自治州 → 恩施, 恩施州)."""
    stem = short_form(name, rules)
    if not stem:
        return []
    out = [stem]
    for suf, plain in (rules.get("autonomous_plain_suffix") or {}).items():
        if name.endswith(suf) and not name.startswith(stem + suf):
            out.append(stem + plain)
    return out


def short_form(name: str, rules: dict) -> str | None:
    """The stem of a division name by rule: strip the administrative suffix, then ethnic names."""
    stem = name
    for suf in sorted(rules["division_suffixes"], key=len, reverse=True):
        if stem.endswith(suf) and len(stem) > len(suf):
            stem = stem[: -len(suf)]
            break
    ethnic = list(rules["ethnic_groups"])
    if "自治" in name:   # 新疆维吾尔自治区, 伊犁哈萨克自治州: the name may leave out 族
        ethnic += [e[:-1] for e in rules["ethnic_groups"] if e.endswith("族") and len(e) >= 3]
    ethnic.sort(key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            if stem.endswith(e) and len(stem) >= len(e) + 2:
                stem = stem[: -len(e)]
                changed = True
                break
    if stem == name or len(stem) < int(rules.get("min_length", 2)):
        return None
    return stem


def parse_divisions(lines: list[str]):
    """Yield (adcode, level, name, parent_adcode) and (county_adcode, township) from jionlp's indented table."""
    units: dict[str, tuple[str, str, str]] = {}      # adcode -> (level, name, parent)
    towns: dict[str, list[str]] = {}
    prov = city = county = None
    for line in lines:
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 0:
            if len(parts) != 3:
                continue
            name, code, _ = parts
            units[code] = ("province", name, "")
            prov, city, county = code, None, None
        elif depth == 1:
            if len(parts) != 3 or prov is None:
                city = None
                continue
            name, code, _ = parts
            if code == prov or "直辖" in name:      # municipality's own row; 省直辖县级行政区划
                city = prov
            else:
                units[code] = ("city", name, prov)
                city = code
            county = None
        elif depth == 2:
            county = None
            if len(parts) != 3 or city is None:
                continue
            name, code, _ = parts
            if not name.endswith(COUNTY_SUFFIXES) or "直辖" in name or code in units:
                continue                              # development zones, farms, 管委会
            units[code] = ("county", name, city)
            county = code
        elif depth == 3:
            if county is None:
                continue
            name = parts[0]
            cname = units[county][1]
            if name.startswith(cname) and len(name) > len(cname) + 1:
                name = name[len(cname):]               # 成武县九女集镇 → 九女集镇
            if name.endswith(TOWNSHIP_SUFFIXES) and name not in TOWNSHIP_SUFFIXES:
                towns.setdefault(county, [])
                if name not in towns[county]:
                    towns[county].append(name)
    return units, towns


def ordinary_words() -> set[str]:
    out = set()
    with open(OUT / "ordinary_words.txt", encoding="utf-8") as fh:
        for line in fh:
            w = line.split("#", 1)[0].strip()
            if w:
                out.add(w)
    return out


def build_divisions(units, rules) -> list[list[str]]:
    common = ordinary_words()
    high_names = set()
    for code, (level, name, _) in units.items():
        if level in ("province", "city"):
            high_names.add(name)
            s = short_form(name, rules)
            if s:
                high_names.add(s)
    rows = []
    for code in sorted(units):
        level, name, parent = units[code]
        shorts = short_forms(name, rules)
        if shorts and level == "county" and shorts[0] in high_names:
            shorts = []                                # 河北区 ↛ 河北
        flags = []
        if shorts and shorts[0] in common:
            flags.append("common")                     # 白银, 来宾, 长治: ordinary words too
        rows.append([code, level, name, parent, "|".join(shorts), ",".join(flags)])
    return rows


def resolve_path(units, path_names: list[str]) -> str | None:
    by_parent: dict[tuple[str, str], str] = {}
    for code, (level, name, parent) in units.items():
        by_parent[(parent, name)] = code
    parent = ""
    code = None
    for n in path_names:
        code = by_parent.get((parent, n))
        if code is None:
            return None
        parent = code
    return code


def build_former(units, jio: Path) -> list[list[str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    current_names = {name for (_, name, _) in units.values()}
    with open(jio / "dictionary" / "china_location_change.txt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if "=>" not in line:
                continue
            old, new = line.split("=>")
            old_parts = old.split("\t")
            new_parts = [p for p in new.split("\t") if p]
            date = old_parts[0]
            olds = old_parts[2:]
            # olds: prov, prov_short, city, city_short, [county, county_short]
            code = resolve_path(units, new_parts)
            if code is None:
                continue
            old_full = olds[-2]
            old_short = olds[-1]
            for n in (old_full, old_short):
                if not n or n in GENERIC_FORMER or n in current_names or len(n) < 2:
                    continue
                rows[(n, code)] = [n, code, date, "jionlp china_location_change"]
    with open(OUT / "former_names_extra.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t"):
            code = resolve_path(units, r["current_path"].split("/"))
            if code is None:
                raise SystemExit(f"former_names_extra.tsv: unknown current_path {r['current_path']}")
            rows[(r["former"], code)] = [r["former"], code, r["since"], r.get("note") or "hand-kept"]
    return [rows[k] for k in sorted(rows)]


def render(header: list[str], rows: list[list[str]], comment: str) -> str:
    out = io.StringIO()
    out.write("".join(f"# {c}\n" for c in comment.splitlines()))
    out.write("\t".join(header) + "\n")
    for r in rows:
        out.write("\t".join(r) + "\n")
    return out.getvalue()


def build() -> dict[str, str]:
    jio = package_dir("jionlp")
    rules = load_rules()
    units, towns = parse_divisions(read_location_table(jio))
    src = "Generated by scripts/build_gazetteer.py from jionlp's china_location table (Apache-2.0); do not edit."
    files = {
        "divisions.tsv": render(["adcode", "level", "name", "parent", "short", "flags"],
                                build_divisions(units, rules), src),
        "townships.tsv": render(["county", "townships"],
                                [[c, "|".join(sorted(towns[c]))] for c in sorted(towns)], src),
        "former_names.tsv": render(["former", "adcode", "since", "source"], build_former(units, jio), src),
    }
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = ap.parse_args(argv)
    files = build()
    bad = 0
    for name, content in files.items():
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                print(f"{path} differs from a fresh build", file=sys.stderr)
                bad += 1
        else:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path} ({content.count(chr(10))} lines, {len(content.encode())} bytes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
