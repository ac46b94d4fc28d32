"""Number normalization (extractor/numbers.py): numerals, qualifiers, ranges, units, money scaling.

Expected values are worked out by hand from the Chinese, not copied from the code's output.
"""
import pytest

from extractor.numbers import find_numbers, find_quantities, parse_numeral, quantity, to_halfwidth


@pytest.mark.parametrize("s,value", [
    # Arabic, full-width, thousands separators, decimals
    ("174", 174), ("１７４", 174), ("12,345", 12345), ("１２，３４５", 12345), ("73.6", 73.6), ("0.5", 0.5),
    ("192175", 192175),
    # Chinese numerals
    ("一", 1), ("十", 10), ("十一", 11), ("一十一", 11), ("二十", 20), ("两千三百", 2300),
    ("三千零五", 3005), ("一百零八", 108), ("一千零一万零一", 10010001), ("五亿七千万", 570000000),
    ("七十八万五百零六", 780506), ("四千万零六千", 40006000), ("两万", 20000),
    # financial forms and traditional characters
    ("壹佰贰拾叁", 123), ("貳拾", 20), ("柒萬", 70000),
    # digit-by-digit readings
    ("二〇一九", 2019), ("二零二零", 2020), ("一七二零点一三四", 1720.134),
    # decimals with 点, and a big unit after the decimals
    ("三点五", 3.5), ("零点零零一", 0.001), ("三点五万", 35000),
    # mixtures of Arabic digits and Chinese multipliers
    ("1.2亿", 120000000), ("3万", 30000), ("3千万", 30000000), ("12.550万", 125500), ("2.55万", 25500),
    ("10万万", 1000000000), ("345.2万", 3452000),
    # colloquial elisions of news text
    ("三万五", 35000), ("四千三", 4300), ("一百二", 120), ("两千六", 2600), ("一亿五", 150000000),
    # percentages and signs
    ("百分之四十", 40), ("百分之5", 5), ("73.6%", 73.6), ("负十", -10), ("-10.1", -10.1),
])
def test_parse_numeral(s, value):
    assert parse_numeral(s) == pytest.approx(value)


@pytest.mark.parametrize("s", ["", "百", "千", "万", "abc", "一点", "数百", "十几", "1.2.3", "点"])
def test_parse_numeral_rejects(s):
    assert parse_numeral(s) is None


def test_parse_numeral_never_raises_on_junk():
    for s in ["\x00", "亿亿亿亿", "零零零", "十十", "万一", "一一", "9" * 400, "%", "百分之", None, 12]:
        parse_numeral(s)  # no exception


def test_halfwidth_keeps_length():
    s = "１２．５％，３"
    assert to_halfwidth(s) == "12.5%,3" and len(to_halfwidth(s)) == len(s)


# (phrase, value, approx, low, high, unit, unit class) — phrases from the seeds and real articles
@pytest.mark.parametrize("s,value,approx,low,high,unit,cls", [
    ("已立案审查174人", 174, "exact", None, None, "人", "count"),
    ("共有20多名干部", 20, "over", None, None, "人", "count"),
    ("累计接待群众来访410批", 410, "exact", None, None, "批", "count"),
    ("560余人次", 560, "over", None, None, "人次", "count"),
    ("10余个省内外纪检监察机构", 10, "over", None, None, "个", "count"),
    ("约谈党员干部40人次以上", 40, "over", None, None, "人次", "count"),
    ("覆盖率近90%", 90, "approx", None, None, "%", "percent"),
    ("每桌饭菜350元左右", 350, "approx", None, None, "元", "money"),
    ("有的标价虽不足500元", 500, "under", None, None, "元", "money"),
    ("单价超过500元的盒装月饼", 500, "over", None, None, "元", "money"),
    ("400万元以下工程项目", 4000000, "under", None, None, "元", "money"),
    ("1-3名纪检干事", 1, "range", 1, 3, "人", "count"),
    ("各选取1至2个部门", 1, "range", 1, 2, "个", "count"),
    ("1-2间综合办公室", 1, "range", 1, 2, "间", "measure"),
    ("两三个单位", 2, "range", 2, 3, "个", "count"),
    ("全市已巡察村(居)2401个", 2401, "exact", None, None, "个", "count"),
    ("挽回经济损失8.2亿余元", 820000000, "over", None, None, "元", "money"),
    ("斥资6000余万元", 60000000, "over", None, None, "元", "money"),
    ("收受贿赂1300余万元", 13000000, "over", None, None, "元", "money"),
    ("收受贿赂675万余元", 6750000, "over", None, None, "元", "money"),
    ("涉嫌受贿118万元", 1180000, "exact", None, None, "元", "money"),
    ("并处罚金人民币八十万元", 800000, "exact", None, None, "元", "money"),
    ("3.6万美元", 36000, "exact", None, None, "美元", "money"),
    ("接收信访举报345.2万件次", 3452000, "exact", None, None, "件次", "count"),
    ("开展谈话函询69件(次)", 69, "exact", None, None, "件次", "count"),
    ("开展行动12轮次", 12, "exact", None, None, "次", "count"),
    ("展示宣讲活动15场次", 15, "exact", None, None, "次", "count"),
    ("记者对话3位区纪委监委主要负责同志", 3, "exact", None, None, "人", "count"),
    ("升高了6.4个百分点", 6.4, "exact", None, None, "百分点", "percent"),
    ("百分之四十的受访者", 40, "exact", None, None, "%", "percent"),
    # not-count units are recognized as such (the counts stage drops them)
    ("跟班锻炼1个月", 1, "exact", None, None, "个月", "noncount"),
    ("35岁以下的人员", 35, "under", None, None, "岁", "noncount"),
    ("成立70周年", 70, "exact", None, None, "周年", "noncount"),
    ("1至9月份", 1, "range", 1, 9, "月份", "noncount"),
    ("6万多平方米", 60000, "over", None, None, "平方米", "noncount"),
])
def test_quantity(s, value, approx, low, high, unit, cls):
    q = [q for q in find_quantities(s) if q.unit is not None][0]
    assert (q.value, q.approx, q.low, q.high, q.unit, q.unit_class) == (
        pytest.approx(value), approx, low, high, unit, cls)
    assert s[q.start:q.end] == q.text


def test_list_shares_the_last_unit():
    s = "由2017、2018年的218件、222件下降到2019、2020年的67、88件"
    qs = find_quantities(s)
    got = [(q.value, q.unit, q.unit_class) for q in qs]
    assert got == [(2017, "年", "noncount"), (2018, "年", "noncount"), (218, "件", "count"),
                   (222, "件", "count"), (2019, "年", "noncount"), (2020, "年", "noncount"),
                   (67, "件", "count"), (88, "件", "count")]


def test_percent_list():
    qs = find_quantities("分别占比75%、63%")
    assert [(q.value, q.unit) for q in qs] == [(75, "%"), (63, "%")]


def test_find_numbers_spans():
    s = "共查处问题13件、处理22人，二〇一九年"
    toks = find_numbers(s)
    assert [(t.text, t.value) for t in toks] == [("13", 13), ("22", 22), ("二〇一九", 2019)]
    for t in toks:
        assert s[t.start:t.end] == t.text


@pytest.mark.parametrize("text,runs", [
    ("历时百多年", [("百", 100)]),          # a lone multiplier before 多/余 reads as its value
    ("千余万元", [("千", 1000)]),
    ("数百余人", []),                      # not after 数/几/成/上/好 (qualifiers.yaml, bare_multiplier)
    ("几百多名", []),
    ("好几千多人", []),
    ("百姓", []),                          # nor anywhere but before 余/多
    ("一百余人", [("一百", 100)]),          # a run with a digit is read as before
])
def test_lone_multiplier_runs(text, runs):
    assert [(n.text, n.value) for n in find_numbers(text)] == runs


def test_quantity_helper_and_junk():
    assert quantity("3万余元").value == 30000 and quantity("3万余元").approx == "over"
    assert quantity("") is None
    assert find_quantities("") == []
    for junk in ["，，，", "万万万万", "1-", "-1", "1..2", "第" * 1000, "0471-6659743、6659744"]:
        find_quantities(junk)  # never raises
