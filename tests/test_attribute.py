"""Attribution of period and place to counts (SPEC.md counts.period/place, "Periods" conventions).

Each case is a real passage (seed articles and the real corpus) with hand-built date, place and
count mentions, so these tests do not depend on the other stages; the expected periods and places
were read off the passages by hand (and agree with ../shared/corpus/seeds.gold.jsonl where the
passage comes from a seed).
"""
import datetime as dt

import pytest

from extractor.article import CST, Article
from extractor.attribute import attribute_counts, home_adcode, measure_issuer, value_anchor, within
from extractor.models import CountMention, DateMention, MeasureMention, PlaceMention
from extractor.sentences import clauses, paragraphs, sentences

D = dt.date


def _at(text, sub, nth=0):
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(sub, pos + 1)
    return pos


def date(text, sub, kind, frm, to, gran="year", nth=0):
    s = _at(text, sub, nth)
    return DateMention(text=sub, start=s, end=s + len(sub), kind=kind, from_=frm, to=to, granularity=gran)


def place(text, sub, adcode, level="city", nth=0, name=None):
    s = _at(text, sub, nth)
    return PlaceMention(text=sub, start=s, end=s + len(sub), name=name or sub, level=level, adcode=adcode)


def count(text, sub, value, unit, nth=0):
    s = _at(text, sub, nth)
    return CountMention(text=sub, start=s, end=s + len(sub), value=value, unit=unit)


def article(text, dates=(), places=(), counts=(), home=None, published=None):
    a = Article(source="t", text=text)
    a.dates, a.places, a.counts = list(dates), list(places), list(counts)
    if published:
        a.published_at = dt.datetime(*published, tzinfo=CST)
    if home is not None:
        a.context["home_place"] = home
    return a


def periods(a):
    return [(c.period.from_, c.period.to) if c.period else None for c in a.counts]


# ----------------------------------------------------------------------------- periods

SEED000_2017 = ("据统计,2017年,全市共巡察215个单位,其中市委巡察32个单位,县(市)区委巡察183个单位,"
                "发现“三大问题”1307个;根据巡察移交线索,已立案审查174人。向市县党委、政府提交专题报告68份;"
                "向被巡察党组织反馈问题3515条。根据巡察发现共性、倾向性问题,市县党委及相关部门建立健全60项制度。")


def test_sentence_lead_covers_the_sentence_and_its_qishi_list():
    t = SEED000_2017
    y2017 = (D(2017, 1, 1), D(2017, 12, 31))
    a = article(t, dates=[date(t, "2017年", "point", *y2017)],
                counts=[count(t, "215个", 215, "个"), count(t, "32个", 32, "个"), count(t, "183个", 183, "个"),
                        count(t, "1307个", 1307, "个"), count(t, "174人", 174, "人")])
    attribute_counts(a)
    assert periods(a) == [y2017] * 5
    assert {c.period_source for c in a.counts} == {"2017年"}


def test_paragraph_lead_covers_following_sentences_of_the_paragraph():
    t = SEED000_2017
    y2017 = (D(2017, 1, 1), D(2017, 12, 31))
    a = article(t, dates=[date(t, "2017年", "point", *y2017)],
                counts=[count(t, "68份", 68, "份"), count(t, "3515条", 3515, "条"), count(t, "60项", 60, "项")])
    attribute_counts(a)
    assert periods(a) == [y2017] * 3


def test_lead_does_not_cross_into_the_next_paragraph():
    t = ("2017年以来,成武县纪委监委坚持问题导向,注重效果取向,大胆探索实践。\n"
         "成武县纪委监委“巡回接访进乡村”入选庆祝中华人民共和国成立70周年大型成就展,"
         "10余个省内外纪检监察机构到该县交流学习镇街纪检监察工作规范化建设典型经验。")
    a = article(t, dates=[date(t, "2017年以来", "since", D(2017, 1, 1), D(2020, 11, 9))],
                counts=[count(t, "10余个", 10, "个")])
    attribute_counts(a)
    assert periods(a) == [None]


def test_an_event_date_opening_a_sentence_does_not_date_the_next_one():
    t = "2017年2月,我市全面启动巡察。市委巡察办先后28次前往县(市)区督导巡察工作,并分批分组对驻点的市委巡察组进行指导。"
    a = article(t, dates=[date(t, "2017年2月", "point", D(2017, 2, 1), D(2017, 2, 28), "month")],
                counts=[count(t, "28次", 28, "次")])
    attribute_counts(a)
    assert periods(a) == [None]


def test_range_lead_in_the_middle_of_a_paragraph():
    t = ("信访接待室是面对面接触群众的第一扇窗口,受理信访举报是监督执纪工作的第一棒。1至9月份,元宝山区纪委监委共有20多名干部参与信访接访工作,"
         "累计接待群众来访410批560余人次,其中反映党政机关干部问题的220批380余人次,反映农村干部问题的190批180人次。")
    r = (D(2020, 1, 1), D(2020, 9, 30))
    a = article(t, dates=[date(t, "1至9月份", "range", *r, "month")],
                places=[place(t, "元宝山区", "150403", "county")],
                counts=[count(t, "20多名", 20, "人"), count(t, "410批", 410, "批"), count(t, "560余人次", 560, "人次"),
                        count(t, "220批", 220, "批"), count(t, "180人次", 180, "人次")])
    attribute_counts(a)
    assert periods(a) == [r] * 5
    assert {c.place for c in a.counts} == {"150403"}


def test_distributive_enumeration_pairs_years_and_figures_in_order():
    t = ("2017年以来,全县各镇街纪(工)委监察室自办案件738件,占全县总立案数的44%;"
         "全县纪检监察机关查处的作风纪律等方面的问题由2017、2018年的218件、222件下降到2019、2020年的67、88件,干部作风明显好转。")
    since = (D(2017, 1, 1), D(2020, 11, 9))
    a = article(t, dates=[date(t, "2017年以来", "since", *since),
                          date(t, "2017", "range", D(2017, 1, 1), D(2017, 12, 31), nth=1),
                          date(t, "2018年", "range", D(2018, 1, 1), D(2018, 12, 31)),
                          date(t, "2019", "range", D(2019, 1, 1), D(2019, 12, 31)),
                          date(t, "2020年", "range", D(2020, 1, 1), D(2020, 12, 31))],
                counts=[count(t, "738件", 738, "件"), count(t, "44%", 44, "%"),
                        count(t, "218件", 218, "件"), count(t, "222件", 222, "件"),
                        count(t, "67", 67, "件"), count(t, "88件", 88, "件")])
    attribute_counts(a)
    assert periods(a) == [since, since,
                          (D(2017, 1, 1), D(2017, 12, 31)), (D(2018, 1, 1), D(2018, 12, 31)),
                          (D(2019, 1, 1), D(2019, 12, 31)), (D(2020, 1, 1), D(2020, 12, 31))]


def test_enumerated_years_with_one_figure_cover_both_years():
    t = "全县纪检监察机关查处的作风纪律等方面的问题由2017、2018年的440件下降到今年的88件。"
    a = article(t, dates=[date(t, "2017", "range", D(2017, 1, 1), D(2017, 12, 31)),
                          date(t, "2018年", "range", D(2018, 1, 1), D(2018, 12, 31))],
                counts=[count(t, "440件", 440, "件")])
    attribute_counts(a)
    assert periods(a) == [(D(2017, 1, 1), D(2018, 12, 31))]


def test_until_now_is_cumulative_to_the_publication_day():
    t = "推动市县巡察向村(社区)延伸。截至目前,全市已巡察村(居)2401个,覆盖率近90%。"
    until = (None, D(2020, 1, 19))
    a = article(t, dates=[date(t, "截至目前", "until", None, D(2020, 1, 19), "day")],
                places=[place(t, "全市", "350100")],
                counts=[count(t, "2401个", 2401, "个"), count(t, "近90%", 90, "%")])
    attribute_counts(a)
    assert periods(a) == [until, until]
    assert [c.period_source for c in a.counts] == ["截至目前", "截至目前"]


def test_unresolved_relative_date_gives_a_null_period():
    # 001 has no publication date: 截至目前 cannot be resolved
    t = "截至目前,已为44名应保未保残疾人办理低保或低收入救助。"
    a = article(t, dates=[date(t, "截至目前", "until", None, None, "day")], counts=[count(t, "44名", 44, "人")])
    attribute_counts(a)
    assert periods(a) == [None]


def test_qishi_sentence_continues_the_previous_sentence():
    t = ("6月28日,中央纪委国家监委公布今年5月全国查处违反中央八项规定精神问题汇总情况。"
         "其中,违规吃喝问题981起,位列查处享乐主义、奢靡之风问题总数第二位。")
    may = (D(2024, 5, 1), D(2024, 5, 31))
    a = article(t, dates=[date(t, "6月28日", "point", D(2024, 6, 28), D(2024, 6, 28), "day"),
                          date(t, "今年5月", "point", *may, "month")],
                counts=[count(t, "981起", 981, "起")])
    attribute_counts(a)
    assert periods(a) == [may]


def test_list_items_share_the_lead_of_the_paragraph_before():
    t = ("党委既是巡察工作的领导者、组织者,也是执行者、推动者。2019年,福州市委认真履行好巡察工作主体责任。\n"
         "——扛起政治责任,打牢工作基础。市委主要领导按照“四个亲自”的要求定期听取巡视巡察工作汇报,研究巡察工作7次。")
    y = (D(2019, 1, 1), D(2019, 12, 31))
    a = article(t, dates=[date(t, "2019年", "point", *y)], places=[place(t, "福州市", "350100")],
                counts=[count(t, "7次", 7, "次")])
    attribute_counts(a)
    assert periods(a) == [y]


def test_quotation_opening_with_until_year_end():
    t = "“截至2019年末,市委巡察覆盖率73.6%,县(区)委巡察覆盖率84.1%……”\n“根据巡察组移交的问题线索,立案审查314人……”"
    a = article(t, dates=[date(t, "截至2019年末", "until", None, D(2019, 12, 31), "month")],
                counts=[count(t, "73.6%", 73.6, "%"), count(t, "84.1%", 84.1, "%"), count(t, "314人", 314, "人")])
    attribute_counts(a)
    assert periods(a) == [(None, D(2019, 12, 31))] * 2 + [None]


def test_present_reference_in_the_same_sentence():
    t = "“目前,全市已建立起235人的市级巡察人才库和60人的巡察组长、副组长库,市委还先后制定下发了《中共福州市委巡察工作办法(试行)》等10项制度。”"
    day = (D(2018, 2, 12), D(2018, 2, 12))
    a = article(t, dates=[date(t, "目前", "point", *day, "day")],
                counts=[count(t, "235人", 235, "人"), count(t, "60人", 60, "人"), count(t, "10项", 10, "项")])
    attribute_counts(a)
    assert periods(a) == [day] * 3


def test_a_date_after_a_quotation_does_not_date_the_quoted_figure():
    # real/041: the date opens the narration after the quote
    t = ("“徐林军利用职务便利,通过虚报入库粮食数量、私卖国有政策性粮食等方式,贪污公款138万余元……”"
         "4月12日,安徽省纪委监委通报六安市霍邱县临水粮油购销有限责任公司原法定代表人徐林军贪污案。")
    a = article(t, dates=[date(t, "4月12日", "point", D(2023, 4, 12), D(2023, 4, 12), "day")],
                counts=[count(t, "138万余元", 1380000, "元")])
    attribute_counts(a)
    assert periods(a) == [None]


def test_a_date_after_the_figure_in_its_clause():
    t = "全省共查处违反中央八项规定精神问题1200余起,截至2023年底。"
    a = article(t, dates=[date(t, "截至2023年底", "until", None, D(2023, 12, 31), "month")],
                counts=[count(t, "1200余起", 1200, "起")])
    attribute_counts(a)
    assert periods(a) == [None]  # a comma separates them: not the same clause
    t2 = "全省共查处违反中央八项规定精神问题1200余起(截至2023年底)。"
    a2 = article(t2, dates=[date(t2, "截至2023年底", "until", None, D(2023, 12, 31), "month")],
                 counts=[count(t2, "1200余起", 1200, "起")])
    attribute_counts(a2)
    assert periods(a2) == [(None, D(2023, 12, 31))]


def test_the_page_timestamp_does_not_govern():
    t = "2020-11-09 11:19:11 来源: 大众网 作者: 张迪 成武县纪委监委会同组织部门为镇街各配备1名专职副书记。"
    a = article(t, dates=[date(t, "2020-11-09 11:19:11", "point", D(2020, 11, 9), D(2020, 11, 9), "minute")],
                counts=[count(t, "1名", 1, "人")])
    attribute_counts(a)
    assert periods(a) == [None]


def test_no_time_expression_gives_null():
    t = "在市、县、乡“三站走”中,市纪委领导督导接访两不误,对全市纪检干部提出“听”“督”“压”“降”等四点要求。"
    a = article(t, counts=[count(t, "四点", 4, "点")], home="350100")
    attribute_counts(a)
    assert periods(a) == [None]
    assert a.counts[0].place == "350100"


# ----------------------------------------------------------------------------- places

def test_nearest_organization_in_the_sentence():
    t = ("去年11月,连江县纪委书记、县委巡察工作领导小组常务副组长程靖在通报会上指出巡察过程中发现的普遍性、典型性问题,"
         "会上还印发了《巡察发现共性问题的清单》,包含6个方面67条共性问题。")
    a = article(t, places=[place(t, "连江县", "350122", "county")],
                counts=[count(t, "6个", 6, "个"), count(t, "67条", 67, "条")], home="350100")
    attribute_counts(a)
    assert [c.place for c in a.counts] == ["350122", "350122"]
    assert a.counts[0].place_source == "连江县"


def test_speaker_district_governs_the_following_paragraphs():
    t = ("沈洁:静海区纪委监委坚持以“小切口”调研式监督下沉问诊、主动调焦、带题督战。\n"
         "比如,今年区纪委监委严肃查处了某村干部徐某某冒领截留残疾人补贴款问题。截至目前,已为44名应保未保残疾人办理低保或低收入救助。")
    a = article(t, places=[place(t, "静海区", "120118", "county")], counts=[count(t, "44名", 44, "人")],
                home="120000")
    attribute_counts(a)
    assert a.counts[0].place == "120118"


def test_example_place_in_a_national_round_up_does_not_carry_over():
    # real/001: a photo caption names 石狮市; the next paragraph's figure is national
    t = ("福建省石狮市纪委监委紧盯违规公款消费、违规收送礼品礼金等问题,深入辖区酒店、餐馆、茶叶店等场所开展监督检查。\n"
         "梳理此次通报的10起案例可以看到,少数党员领导干部顶风违纪,在党的二十大后仍然不收敛不收手。")
    a = article(t, places=[place(t, "福建省石狮市", "350581", "county")], counts=[count(t, "10起", 10, "起")])
    attribute_counts(a)
    assert a.counts[0].place is None


@pytest.mark.parametrize("code,area,inside", [
    ("350122", "350100", True), ("120118", "120000", True), ("371723", "371723", True),
    ("371700", "371723", False), ("110101", "120000", False), ("350110", "350110", True),
])
def test_within(code, area, inside):
    assert within(code, area) is inside


def test_deixis_mention_in_the_clause_wins_over_an_earlier_county():
    t = "福州市在长乐区、晋安区、闽清县开展村级巡察工作试点。截至目前,全市已巡察村(居)2401个,覆盖率近90%。"
    a = article(t, places=[place(t, "福州市", "350100"), place(t, "长乐区", "350112", "county"),
                           place(t, "晋安区", "350111", "county"), place(t, "闽清县", "350124", "county"),
                           place(t, "全市", "350100")],
                counts=[count(t, "2401个", 2401, "个")])
    attribute_counts(a)
    assert (a.counts[0].place, a.counts[0].place_source) == ("350100", "全市")


def test_place_after_the_figure_in_its_clause_when_nothing_precedes():
    t = "共有10余个省内外纪检监察机构到成武县交流学习镇街纪检监察工作规范化建设典型经验。"
    a = article(t, places=[place(t, "成武县", "371723", "county")], counts=[count(t, "10余个", 10, "个")])
    attribute_counts(a)
    assert a.counts[0].place == "371723"


@pytest.mark.parametrize("home,expected", [
    ("350100", "350100"),
    (PlaceMention(text="福州", start=0, end=2, name="福州市", level="city", adcode="350100"), "350100"),
    (None, None),
])
def test_home_place_fallback(home, expected):
    t = "先后28次前往县(市)区督导巡察工作。"
    a = article(t, counts=[count(t, "28次", 28, "次")], home=home)
    attribute_counts(a)
    assert a.counts[0].place == expected
    if expected:
        assert a.counts[0].place_source.startswith("home")


def test_home_adcode_reads_the_context_forms():
    a = Article(source="t")
    assert home_adcode(a) == (None, None)
    a.context["home_adcode"] = "150403"
    assert home_adcode(a)[0] == "150403"


# ----------------------------------------------------------------------------- measures

def test_measure_issuer_date_and_place():
    t = "自2017年8月21日起,市纪委制定出台了《关于安排委局机关和派驻纪检组干部到信访室接访的意见》,明确规定本委机关干部不分级别。"
    name = "关于安排委局机关和派驻纪检组干部到信访室接访的意见"
    s = t.index("《")
    m = MeasureMention(text=f"《{name}》", start=s, end=s + len(name) + 2, name=name, kind="意见", form="document")
    a = article(t, dates=[date(t, "自2017年8月21日起", "since", D(2017, 8, 21), D(2018, 2, 12), "day")],
                places=[place(t, "市纪委", "350100")])
    a.measures = [m]
    attribute_counts(a)
    got = a.measures[0]
    assert got.issuer == "市纪委"
    assert (got.date.from_, got.date.to) == (D(2017, 8, 21), D(2018, 2, 12))
    assert got.place == "350100"


def test_measure_without_an_adopting_organ_gets_no_issuer():
    t = "对2019年以来全区低保救助对象政策执行落实情况,开展“互不碰头”式交叉检查。"
    s = t.index("“")
    m = MeasureMention(text="“互不碰头”式交叉检查", start=s, end=s + 11, name="互不碰头", kind="检查", form="named")
    assert measure_issuer(t, (0, len(t)), m) is None


# ----------------------------------------------------------------------------- helpers and robustness

@pytest.mark.parametrize("text,value,expected", [
    ("接待群众232批315人", 315, "315"),
    ("2019、2020年的67、88件", 67, "67"),
    ("覆盖率73.6%", 73.6, "73.6"),
    ("二十多名", 20, "二十"),
])
def test_value_anchor(text, value, expected):
    c = CountMention(text=text, start=10, end=10 + len(text), value=value, unit="件")
    assert value_anchor(c) - 10 == text.index(expected)


def test_sentences_clauses_paragraphs_offsets():
    t = "  信访接待室是第一扇窗口。1至9月份,元宝山区纪委监委共有20多名干部;其中1,234人次!\n\n“好。”市纪委表示。"
    ss = sentences(t)
    assert [t[s:e] for s, e in ss] == ["信访接待室是第一扇窗口。", "1至9月份,元宝山区纪委监委共有20多名干部;其中1,234人次!",
                                       "“好。”", "市纪委表示。"]
    s, e = ss[1]
    assert [t[a:b] for a, b in clauses(t, s, e)] == ["1至9月份", "元宝山区纪委监委共有20多名干部", "其中1,234人次!"]
    assert len(paragraphs(t)) == 2


def test_flattened_page_paragraphs_split_at_spaces():
    # real/007: paragraphs joined by a space; the padded name 沈 洁 (seed 001) stays whole
    t = ("这是该数据连续第135个月公布。以习近平同志为核心的党中央常抓不懈。 重拳纠治干部群众反映强烈的形式主义、官僚主义,"
         "推动党员干部求真务实、真抓实干 2024年11月,中央层面整治形式主义为基层减负专项工作机制办公室对3起典型问题进行通报。\n"
         "沈 洁 静海区委常委、区纪委书记、区监委主任")
    assert [t[s:e][:6] for s, e in paragraphs(t)] == ["这是该数据连", "重拳纠治干部", "2024年1", "沈 洁 静海"]


def test_a_year_lead_does_not_run_through_a_flattened_page():
    t = ("2024年,中央纪委国家监委和各级纪检监察机关毫不松懈狠抓作风,坚决遏制风腐问题滋生蔓延。 "
         "整治形式主义、官僚主义,习近平总书记高度重视。 上海市纪委监委推动市委社工部将信息系统全部接入“社区云”,"
         "全市6500多个村居使用的平台系统基本实现“一键登录、一屏使用”。")
    a = article(t, dates=[date(t, "2024年", "point", D(2024, 1, 1), D(2024, 12, 31))],
                counts=[count(t, "6500多个", 6500, "个")])
    attribute_counts(a)
    assert periods(a) == [None]


@pytest.mark.parametrize("text", ["", "。。。", "\n\n", "1" * 10000, "其中,其中。" * 500, "  \u3000 " * 300])
def test_never_raises(text):
    counts = [CountMention(text="1", start=0, end=1, value=1, unit="个")] if text.startswith("1") else []
    counts.append(CountMention(text="x", start=10**6, end=10**6 + 1, value=1, unit="个"))  # outside the text
    a = article(text, counts=counts, home="350100")
    a.dates = [DateMention(text="z", start=10**6, end=10**6 + 1, kind="point")]
    attribute_counts(a)
    assert len(a.counts) == len(counts)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=list("2019年,。其中全市3个人\n ——、以来截至"), max_size=120), st.data())
def test_fuzz_attribution_never_raises(text, data):
    n = len(text)
    spans = st.tuples(st.integers(0, n + 3), st.integers(0, 4))
    ds = []
    for s, w in data.draw(st.lists(spans, max_size=5)):
        ds.append(DateMention(text=text[s:s + w], start=s, end=s + len(text[s:s + w]), kind="point",
                              from_=D(2019, 1, 1), to=D(2019, 12, 31), granularity="year"))
    cs = []
    for s, w in data.draw(st.lists(spans, max_size=5)):
        cs.append(CountMention(text=text[s:s + w], start=s, end=s + len(text[s:s + w]), value=3, unit="个"))
    ps = [PlaceMention(text=text[s:s + w], start=s, end=s + len(text[s:s + w]), name="x", level="city", adcode="350100")
          for s, w in data.draw(st.lists(spans, max_size=3))]
    a = article(text, dates=ds, places=ps, counts=cs, home=data.draw(st.sampled_from([None, "350100", 42, object()])))
    attribute_counts(a)
    assert len(a.counts) == len(cs)
