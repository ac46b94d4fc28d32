"""The generated gazetteer (patterns/gazetteer/) and its loader (extractor/gazetteer.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extractor.gazetteer import gazetteer

ROOT = Path(__file__).resolve().parent.parent


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gz():
    return gazetteer()


@pytest.mark.parametrize("adcode, name, level, path", [
    ("350122", "连江县", "county", ("福建省", "福州市", "连江县")),
    ("120105", "河北区", "county", ("天津市", "河北区")),          # municipality: no city level between
    ("150403", "元宝山区", "county", ("内蒙古自治区", "赤峰市", "元宝山区")),
    ("371723", "成武县", "county", ("山东省", "菏泽市", "成武县")),
    ("350100", "福州市", "city", ("福建省", "福州市")),
    ("120000", "天津市", "province", ("天津市",)),                 # municipalities are level province
    ("350112", "长乐区", "county", ("福建省", "福州市", "长乐区")),
    ("420600", "襄阳市", "city", ("湖北省", "襄阳市")),
])
def test_known_codes(gz, adcode, name, level, path):
    u = gz.get(adcode)
    assert u is not None and u.name == name and u.level == level
    assert gz.path(adcode) == path


@pytest.mark.parametrize("county, township", [
    ("120114", "上马台镇"), ("120114", "高村镇"), ("120105", "新开河街道"), ("350104", "对湖街道"),
    ("350124", "金沙镇"), ("350122", "苔菉镇"), ("150403", "元宝山镇"), ("350112", "文岭镇"),
    ("371723", "九女集镇"),      # the source writes 成武县九女集镇: the county prefix is stripped
])
def test_townships_under_their_county(gz, county, township):
    u = gz.get(f"{county}:{township}")
    assert u is not None and u.level == "township" and u.adcode == county
    assert gz.path(u.uid)[-2:] == (gz.get(county).name, township)


def test_county_prefixed_township_names_are_not_kept(gz):
    assert gz.get("371723:成武县九女集镇") is None


@pytest.mark.parametrize("written, adcodes", [
    ("连江县", {"350122", "710716"}),            # 福建 and 台湾: every same-named unit is a candidate
    ("福州", {"350100"}),                          # short form by rule
    ("长乐", {"350112"}),
    ("内蒙古", {"150000"}),
    ("广西", {"450000"}),                          # 广西壮族自治区: suffix and ethnic names stripped
    ("海西州", {"632800"}),                        # 海西蒙古族藏族自治州 written plainly
    ("长乐市", {"350112"}),                        # former name (2017) → the current district
    ("襄樊", {"420600"}),                          # former name (2010) → 襄阳市
])
def test_lookup(gz, written, adcodes):
    assert {gz.get(h.uid).adcode for h in gz.lookup(written)} == adcodes


@pytest.mark.parametrize("written", [
    "河北",      # 河北区 gets no short form that collides with 河北省
])
def test_no_colliding_county_short_form(gz, written):
    assert all(gz.get(h.uid).level == "province" for h in gz.lookup(written))


def test_former_names_are_marked(gz):
    assert [h.kind for h in gz.lookup("长乐市")] == ["former"]


def test_automaton_finds_overlapping_names(gz):
    text = "福州市连江县苔菉镇"
    found = {(gz.key(k), s, e) for k, s, e in gz.find(text)}
    assert ("福州市", 0, 3) in found and ("福州", 0, 2) in found
    assert ("连江县", 3, 6) in found and ("苔菉镇", 6, 9) in found


def test_find_on_empty_text(gz):
    assert gz.find("") == []


@pytest.mark.parametrize("name, short", [
    ("福州市", "福州"), ("长乐区", "长乐"), ("广西壮族自治区", "广西"), ("海西蒙古族藏族自治州", "海西"),
    ("新疆维吾尔自治区", "新疆"), ("鄂伦春自治旗", "鄂伦春"), ("香港特别行政区", "香港"), ("赵县", None),
])
def test_short_form_rule(name, short):
    mod = _build_module()
    assert mod.short_form(name, mod.load_rules()) == short


def test_town_forms_rule(gz):
    forms = {(f.form, f.kind) for f in gz.town_forms("120105")}
    assert ("新开河街", "jie") in forms and ("新开河", "stem") in forms


@pytest.mark.skipif(importlib.util.find_spec("jionlp") is None, reason="jionlp (build-time source) not installed")
def test_committed_data_equals_a_fresh_build():
    mod = _build_module()
    for name, content in mod.build().items():
        assert (ROOT / "patterns" / "gazetteer" / name).read_text(encoding="utf-8") == content, name
