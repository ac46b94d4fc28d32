#!/usr/bin/env bash
# Set up, then run the main job on corpus/: records in out/corpus.jsonl and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/extractor run corpus -o out/corpus.jsonl
.venv/bin/python scripts/summarize.py out/corpus.jsonl
