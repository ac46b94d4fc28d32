"""JSON Schema of the record, generated from the pydantic models into ``schemas/``.

    extractor schema            # write schemas/record.schema.json
    extractor schema --check    # exit 1 if the committed schema is out of date
"""
from __future__ import annotations

import json
from pathlib import Path

from .models import Record

SCHEMA_FILE = "record.schema.json"


def record_schema() -> dict:
    schema = Record.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "record.schema.json"
    return schema


def render() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def default_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas"


def write(directory: Path | None = None) -> Path:
    d = Path(directory or default_dir())
    d.mkdir(parents=True, exist_ok=True)
    p = d / SCHEMA_FILE
    p.write_text(render(), encoding="utf-8")
    return p


def is_current(directory: Path | None = None) -> bool:
    p = Path(directory or default_dir()) / SCHEMA_FILE
    return p.is_file() and p.read_text(encoding="utf-8") == render()
