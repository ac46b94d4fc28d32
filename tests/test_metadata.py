"""Metadata: headline, publication time, outlet, bylines, boilerplate cut — on real page dumps."""
import datetime as dt

import pytest

from extractor.article import CST
from extractor.pipeline import extract

from conftest import GOLD, REAL, SEEDS, need_shared


@pytest.mark.parametrize("page,title,when,outlet,authors,editors", [
    # seed 003's head (大众网): date line with 来源/作者 and a 通讯员 who is not an author
    ("成武:创新“三四三”工作模式 深化镇街纪检监察工作规范化建设\n\n2020-11-09 11:19:11 来源: 大众网 作者: 张迪 通讯员 刘蓝翔 杨娜娜\n\n"
     "  大众网·海报新闻记者 张迪 通讯员 刘蓝翔 杨娜娜 成武报道\n  2017年以来,成武县纪委监委坚持问题导向。\n\n初审编辑:刘进\n\n责任编辑:刘亚\n\n相关新闻\n推荐阅读",
     "成武:创新“三四三”工作模式 深化镇街纪检监察工作规范化建设", dt.datetime(2020, 11, 9, 11, 19, 11, tzinfo=CST),
     "大众网", ["张迪"], ["刘进", "刘亚"]),
    # seed 002's head: two-digit year, a bracketed column tag, a trailing (author author)
    ("【新时代 新作为 新篇章】元宝山区: 跑好监督执纪“第一棒”\n内蒙古新闻网  20-10-09 15:55  【打印本页】  来源:赤峰日报\n\n"
     "  信访接待室是面对面接触群众的第一扇窗口。(赵强 赵利华)\n\n[责任编辑: 萨其拉图]\n扫描左侧二维码下载草原客户端",
     "元宝山区: 跑好监督执纪“第一棒”", dt.datetime(2020, 10, 9, 15, 55, tzinfo=CST), "赤峰日报", ["赵强", "赵利华"],
     ["萨其拉图"]),
    # a ccdi JSON dump: column prefix 丨, URL line, the site byline opening the body
    ("深度关注丨以铁的纪律狠刹歪风邪气\n2025-04-28 06:30\nhttp://www.ccdi.gov.cn/toutiaon/202504/t20250428_419863.html\n\n"
     "中央纪委国家监委网站 陆丽环 王卓 福建省石狮市纪委监委紧盯违规公款消费。",
     "以铁的纪律狠刹歪风邪气", dt.datetime(2025, 4, 28, 6, 30, tzinfo=CST), "中央纪委国家监委网站", ["陆丽环", "王卓"], []),
    # a subtitle after —— is not part of the headline; 网站讯 is not a byline
    ("要留清气满乾坤——2024年以习近平同志为核心的党中央贯彻执行中央八项规定纪实\n2025-01-20 16:15\n\n中央纪委国家监委网站讯 正文在此。",
     "要留清气满乾坤", dt.datetime(2025, 1, 20, 16, 15, tzinfo=CST), "中央纪委国家监委网站", [], []),
])
def test_head_and_footer(page, title, when, outlet, authors, editors):
    r = extract(page)
    assert r.title == title
    assert r.published_at == when.isoformat()
    assert r.outlet == outlet
    assert r.authors == authors
    assert r.editors == editors
    assert "责任编辑" not in r.text and "相关新闻" not in r.text and "二维码" not in r.text


def test_date_line_stays_in_text_without_noise():
    r = extract("抓标本兼治 重在推动建章立制\n\nhttp://www.fzen.com.cn    2018-02-12 11:12:46    来源:福州日报    【字号:\n\n正文第一段。")
    assert r.text.startswith("2018-02-12 11:12:46")
    assert "【字号" not in r.text and "fzen" not in r.text


def test_given_metadata_wins():
    r = extract("正文。", published_at="2019-03-01", title="给定标题", outlet="某日报")
    assert (r.published_at, r.title, r.outlet) == ("2019-03-01T00:00:00+08:00", "给定标题", "某日报")


def test_seed_metadata_matches_gold(seed_records):
    """Issue 2: title, published_at (to the minute) and outlet right on every seed."""
    import json

    need_shared()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        r = seed_records[g["source"]]
        assert r.title == g["title"], g["source"]
        assert (r.published_at or "")[:16] == (g["published_at"] or "")[:16], g["source"]
        assert r.outlet == g["outlet"], g["source"]


def test_every_real_article_gets_a_dated_titled_record():
    from extractor.readers import iter_articles
    from extractor.pipeline import default_pipeline

    need_shared()
    recs = [default_pipeline().run(a) for a in iter_articles([REAL])]
    assert len(recs) == 56
    for r in recs:
        assert r.title and len(r.title) >= 4, r.source
        assert r.published_at, r.source
        # the scraper's file names carry the URL date (t20250428_…): the page's own date is within a day of it
        import re
        m = re.search(r"t(20\d{2})(\d{2})(\d{2})_", r.source)
        pub = dt.date.fromisoformat(r.published_at[:10])
        assert abs((pub - dt.date(int(m[1]), int(m[2]), int(m[3]))).days) <= 1, r.source
        assert len(r.text) > 50
