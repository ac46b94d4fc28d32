"""The committed JSON Schema is current; the CLI runs end to end and accounts for every input."""
import json
import subprocess
import sys

from extractor import schema


def test_committed_schema_is_current():
    assert schema.is_current(), "schemas/record.schema.json is stale: run `extractor schema`"


def test_schema_has_spec_fields():
    props = schema.record_schema()["properties"]
    for f in ("id", "source", "title", "published_at", "outlet", "authors", "editors", "script", "text",
              "dates", "places", "counts", "measures", "issues"):
        assert f in props


def test_cli_run_bad_and_good_inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (d / "gbk.txt").write_bytes("标题在这里啊\n2020-01-19 07:37:57 来源:福州日报\n立案审查314人。".encode("gbk"))
    (d / "lines.jsonl").write_text('{"title": "一", "body": "正文一"}\n{"title": "二", "bo', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(d), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 5
    by = {r["source"].rsplit("/", 1)[-1]: r for r in recs}
    assert by["empty.txt"]["issues"] and by["binary.txt"]["issues"]
    assert by["gbk.txt"]["outlet"] == "福州日报" and "立案审查314人" in by["gbk.txt"]["text"]
    assert any("not valid JSON" in i["message"] for i in by["lines.jsonl:2"]["issues"])
    assert "5 articles → 5 records, 0 errors" in proc.stderr


def test_cli_missing_input_is_a_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(tmp_path / "nope"), "-o",
                           str(tmp_path / "o.jsonl")], capture_output=True, text=True)
    assert proc.returncode == 2 and "no such file" in proc.stderr
