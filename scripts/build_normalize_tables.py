"""Build the data tables of the ``normalize`` stage into ``patterns/normalize/``.

Run once (needs the dev dependency ``jionlp``, which ships a large character
frequency table and a character dictionary with pinyin readings):

    .venv/bin/python scripts/build_normalize_tables.py

Writes
- ``char_logfreq.tsv``: character → natural log of its relative frequency in
  jionlp's web-text corpus (Simplified; punctuation included). The mojibake
  detector calls a character *rare* below a threshold and scores repair
  candidates by mean log-frequency.
- ``pinyin_syllables.txt``: every toneless pinyin syllable that occurs as a
  reading in jionlp's character dictionary (``ü`` kept as ``ü``).
- ``word_pairs.tsv``: the two-character words of jieba's dictionary (frequency >= 3),
  grouped by natural log of their frequency (one decimal), each group one line of concatenated
  pairs (compact, and loaded in a few milliseconds). The mojibake repair uses them to tell
  real text from a shifted decode and to guess a lost byte.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

import jionlp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "patterns" / "normalize"
DICT_DIR = Path(jionlp.__file__).resolve().parent / "dictionary"
MIN_LOGP = -17.5   # rarer characters are left out and get the floor value at runtime


def build_char_logfreq() -> int:
    rows = []
    with open(DICT_DIR / "char_distribution.json", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                ch, n = json.loads(line)
                rows.append((ch, int(n)))
    total = sum(n for _, n in rows)
    kept = []
    for ch, n in sorted(rows, key=lambda r: -r[1]):
        if len(ch) != 1 or not ch.isprintable() or ch in "\t\n\r":
            continue
        lp = math.log(n / total)
        if lp < MIN_LOGP:
            break
        kept.append((ch, lp))
    with open(OUT / "char_logfreq.tsv", "w", encoding="utf-8") as fh:
        fh.write("# char\tlogp  (natural log of relative frequency; source: jionlp char_distribution.json;\n")
        fh.write(f"# built by scripts/build_normalize_tables.py; characters rarer than {MIN_LOGP} are omitted)\n")
        fh.write("char\tlogp\n")
        for ch, lp in kept:
            fh.write(f"{ch}\t{lp:.2f}\n")
    return len(kept)


def _strip_tone(s: str) -> str:
    s = s.translate(str.maketrans("ǖǘǚǜüv", "\0\0\0\0\0\0"))
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s.replace("\0", "ü")).lower()


def build_pinyin() -> int:
    syll = set()
    text = (DICT_DIR / "chinese_char_dictionary.txt").read_text(encoding="utf-8")
    for m in re.finditer(r"\[([^\[\]\s]{1,7})\]", text):
        s = _strip_tone(m.group(1))
        if re.fullmatch(r"[a-zü]{1,6}", s) and s != "uu":
            syll.add(s)
    syll |= {"m", "n", "ng", "hm", "hng", "ê", "ei", "yo", "lo"}
    with open(OUT / "pinyin_syllables.txt", "w", encoding="utf-8") as fh:
        fh.write("# Toneless Mandarin pinyin syllables (from jionlp's character dictionary; built by\n")
        fh.write("# scripts/build_normalize_tables.py). A parenthesized syllable with a tone mark right after\n")
        fh.write("# a Han character is an injected reading: 紀(jì)委 -> 紀委. Add syllables here.\n")
        for s in sorted(syll):
            fh.write(s + "\n")
    return len(syll)


MIN_WORD_FREQ = 3


def build_word_pairs() -> int:
    import jieba

    text = (Path(jieba.__file__).resolve().parent / "dict.txt").read_text(encoding="utf-8")
    groups: dict[int, list[str]] = {}
    for w, f in re.findall(r"^(\S\S) (\d+)", text, re.M):
        f = int(f)
        if f >= MIN_WORD_FREQ and all("\u4e00" <= c <= "\u9fff" for c in w):
            groups.setdefault(round(math.log(f), 1), []).append(w)
    with open(OUT / "word_pairs.tsv", "w", encoding="utf-8") as fh:
        fh.write("# Two-character words of jieba's dictionary (frequency >= %d), by ln(frequency), one decimal.\n"
                 % MIN_WORD_FREQ)
        fh.write("# Each line: ln_freq<TAB>the words concatenated (every 2 characters one word).\n")
        fh.write("# Built by scripts/build_normalize_tables.py; used by extractor/mojibake.py.\n")
        for lf in sorted(groups):
            fh.write(f"{lf}\t{''.join(sorted(groups[lf]))}\n")
    return sum(len(v) for v in groups.values())


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    print("char_logfreq.tsv:", build_char_logfreq(), "characters")
    print("pinyin_syllables.txt:", build_pinyin(), "syllables")
    print("word_pairs.tsv:", build_word_pairs(), "words")
