"""Readers: encodings, formats, and bad input that must yield a record with an issue."""
import json

import pytest

from extractor.readers import decode_bytes, iter_articles, read_bytes

SENTENCE = "2017年,全市共巡察215个单位,其中市委巡察32个单位。"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_decodes_common_encodings(encoding):
    data = SENTENCE.encode(encoding)
    assert decode_bytes(data).text == SENTENCE


def test_big5_traditional():
    trad = "市紀委制定出臺了《關於安排委局機關幹部到信訪室接訪的意見》"
    assert decode_bytes(trad.encode("big5")).text == trad


def test_invalid_utf8_in_the_middle_stays_utf8_with_issue():
    data = (SENTENCE * 5).encode("utf-8")
    data = data[:40] + b"\xff\xfe" + data[40:]
    dec = decode_bytes(data)
    assert dec.encoding == "utf-8"
    assert "巡察215个单位" in dec.text
    assert dec.issues and "invalid UTF-8" in dec.issues[0]


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"   \n\n ", "empty"),
    (bytes(range(256)) * 10, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_unreadable_input_yields_one_article_with_issue(data, needle):
    arts = list(read_bytes(data, "x.txt"))
    assert len(arts) == 1
    assert arts[0].raw == ""
    assert any(needle in i.message for i in arts[0].issues)


def test_jsonl_maps_fields_and_reports_bad_lines():
    good = {"headline": "标题一", "pubdate": "2020-10-09 15:55", "来源": "赤峰日报", "content": SENTENCE,
            "link": "http://example.org/a.html"}
    data = (json.dumps(good, ensure_ascii=False) + "\n" + "[1, 2]\n" + '{"title": "截断').encode()
    arts = list(read_bytes(data, "f.jsonl", kind="jsonl"))
    assert len(arts) == 3
    a = arts[0]
    assert a.raw == SENTENCE and a.fields["title"] == "标题一" and a.fields["outlet"] == "赤峰日报"
    assert a.fields["page_date_raw"] == "2020-10-09 15:55" and a.fields["url"] == "http://example.org/a.html"
    assert "not an object" in arts[1].issues[0].message
    assert "not valid JSON" in arts[2].issues[0].message


def test_html_main_text_and_meta_without_entity_expansion(tmp_path):
    page = """<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY boom "AAAAAAAAAA">]>
<html><head><meta name="ArticleTitle" content="&lt;p&gt;深度关注|严查公款旅游&lt;/p&gt;">
<meta name="PubDate" content="2022-08-16  06:08 "><meta name="ContentSource" content="中央纪委国家监委网站">
<script>var x = "不是正文";</script></head>
<body><div class="nav"><a href="/">首页</a> <a>要闻</a></div>
<div class="content"><p>&xxe;&boom;海南省纪委监委通报保亭、琼中两县有关单位以考察培训为名变相公款旅游案件，32名党员干部受到处理。</p>
<p>四川省纪委监委通报5起借培训名义公款旅游典型案例，对2017年以来的各类培训活动进行全覆盖扫描。</p></div>
<div class="footer">版权所有 中央纪委国家监委网站</div></body></html>"""
    p = tmp_path / "a.html"
    p.write_text(page, encoding="utf-8")
    (a,) = list(iter_articles([p]))
    assert a.fields["title"] == "深度关注|严查公款旅游"
    assert a.fields["outlet"] == "中央纪委国家监委网站"
    assert "32名党员干部受到处理" in a.raw and "5起" in a.raw
    assert "root:" not in a.raw and "AAAAAAAAAA" not in a.raw and "不是正文" not in a.raw


def test_folder_walk_is_recursive_and_skips_non_articles(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "b.txt").write_text(SENTENCE, encoding="gb18030")
    (tmp_path / "SOURCES.tsv").write_text("file\turl\n", encoding="utf-8")
    arts = list(iter_articles([tmp_path]))
    assert sorted(a.source.rsplit("/", 1)[-1] for a in arts) == ["a.txt", "b.txt"]
    assert all(a.raw == SENTENCE for a in arts)
