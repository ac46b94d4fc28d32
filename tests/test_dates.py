"""The `dates` stage, table-driven over real sentences (seeds and ../shared/corpus/real).

Each case lists ALL dates expected in the sentence as (text, kind, from, to, granularity), checked by
hand against SPEC.md "dates" and its gold conventions. Unsolved cases are xfail with the reason.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extractor.dates import extract_dates, stage
from extractor import timeexpr as T

D = dt.date.fromisoformat


def got(sentence, pub):
    out = []
    for m in extract_dates(sentence, D(pub) if pub else None):
        assert sentence[m.start:m.end] == m.text
        out.append((m.text, m.kind, m.from_ and m.from_.isoformat(), m.to and m.to.isoformat(), m.granularity))
    return out


# (sentence, publication date, expected dates)
CASES = {
    # --- timestamps of the date line (minute) ----------------------------------------------------------
    "dateline": ("http://www.fzen.com.cn    2018-02-12 11:12:46    来源:福州日报", "2018-02-12",
                 [("2018-02-12 11:12:46", "point", "2018-02-12", "2018-02-12", "minute")]),
    "dateline_two_digit_year": ("内蒙古新闻网  20-10-09 15:55  【打印本页】  来源:赤峰日报", "2020-10-09",
                                [("20-10-09 15:55", "point", "2020-10-09", "2020-10-09", "minute")]),
    "dateline_ccdi": ("2025-04-28 06:30 中央纪委国家监委网站", "2025-04-28",
                      [("2025-04-28 06:30", "point", "2025-04-28", "2025-04-28", "minute")]),
    # --- points: day, month, year, xun, half, quarter ----------------------------------------------------
    "day": ("2012年12月4日，中共中央政治局召开会议", "2024-12-04",
            [("2012年12月4日", "point", "2012-12-04", "2012-12-04", "day")]),
    "month": ("2017年5月,仓山区委巡察组进驻对湖街道", "2018-02-12",
              [("2017年5月", "point", "2017-05-01", "2017-05-31", "month")]),
    "year": ("2017年,市纪委“开门全员接访”共接待群众232批315人", "2018-02-12",
             [("2017年", "point", "2017-01-01", "2017-12-31", "year")]),
    "xun": ("市委巡察办相关负责人介绍,2019年7月下旬,市委在开展调研的基础上", "2020-01-19",
            [("2019年7月下旬", "point", "2019-07-21", "2019-07-31", "xun")]),
    "half_relative": ("今年上半年，全国查处的享乐主义、奢靡之风问题", "2024-07-27",
                      [("今年上半年", "point", "2024-01-01", "2024-06-30", "half")]),
    "half_bare": ("数据显示，上半年，全国共查处", "2023-07-27",
                  [("上半年", "point", "2023-01-01", "2023-06-30", "half")]),
    "quarter": ("查“四风”问题，一季度全国查处违反中央八项规定精神问题", "2023-04-28",
                [("一季度", "point", "2023-01-01", "2023-03-31", "quarter")]),
    "first_three_quarters": ("2023年前三季度，全国纪检监察机关", "2024-01-08",
                             [("2023年前三季度", "range", "2023-01-01", "2023-09-30", "quarter")]),
    "year_end_part": ("2022年12月底，位于海南海口的", "2023-01-19",
                      [("2022年12月底", "point", "2022-12-21", "2022-12-31", "xun")]),
    "chinese_numerals": ("二〇一九年十一月，市纪委印发通知", "2020-01-19",
                         [("二〇一九年十一月", "point", "2019-11-01", "2019-11-30", "month")]),
    "chinese_numerals_day": ("二〇二〇年一月十九日，市委召开会议", None,
                             [("二〇二〇年一月十九日", "point", "2020-01-19", "2020-01-19", "day")]),
    # --- relative expressions ----------------------------------------------------------------------------
    "last_year_in_quote": ("“与去年相比,‘开门全员接访’制度落实到位了吗?”2017年9月4日起,市纪委领导不打招呼", "2018-02-12",
                           [("去年", "point", "2017-01-01", "2017-12-31", "year"),
                            ("2017年9月4日起", "since", "2017-09-04", "2018-02-12", "day")]),
    "last_year_month": ("去年11月,连江县纪委书记、县委巡察工作领导小组常务副组长程靖在通报会上指出", "2020-01-19",
                        [("去年11月", "point", "2019-11-01", "2019-11-30", "month")]),
    "this_year_month": ("今年3月，党中央部署在全党开展深入贯彻中央八项规定精神学习教育", "2025-04-28",
                        [("今年3月", "point", "2025-03-01", "2025-03-31", "month")]),
    "present_words": ("日前,连江县纪委设在县信访局一楼大厅的来访接待室正式挂牌接访", "2018-02-12",
                      [("日前", "point", "2018-02-12", "2018-02-12", "day")]),
    "present_in_quote": ("现在回想起来,实在是政治意识薄弱……”近日,面对仓山区对湖街道纪工委给予的党纪处分", "2018-02-12",
                         [("现在", "point", "2018-02-12", "2018-02-12", "day"),
                          ("近日", "point", "2018-02-12", "2018-02-12", "day")]),
    "until_now": ("截至目前,全市已巡察村(居)2401个,覆盖率近90%。", "2020-01-19",
                  [("截至目前", "until", None, "2020-01-19", "day")]),
    "to_this_day": ("时至今日，八项规定已成为", "2024-12-04",
                    [("时至今日", "until", None, "2024-12-04", "day")]),
    "last_month": ("分局每月还定期将上个月酒驾、醉驾涉案人员信息", "2023-04-28",
                   [("上个月", "point", "2023-03-01", "2023-03-31", "month")]),
    "n_years_since": ("12年来，以习近平同志为核心的党中央", "2024-12-04",
                      [("12年来", "since", "2012-12-04", "2024-12-04", "year")]),
    "one_year_since": ("一年来，各级纪检监察机关", "2024-01-08",
                       [("一年来", "since", "2023-01-08", "2024-01-08", "year")]),
    "past_year": ("过去一年，巡视工作坚持", "2024-01-08",
                  [("过去一年", "since", "2023-01-08", "2024-01-08", "year")]),
    # SPEC: a month without a year takes the publication year unless the sentence names another …
    "month_publication_year": ("7月，中央纪委国家监委与有关单位联合发布行贿犯罪典型案例", "2024-01-08",
                               [("7月", "point", "2024-07-01", "2024-07-31", "month")]),
    # … and a month later than the publication month, in a paragraph that named a year, is in that year
    "month_paragraph_year": ("2023年，中央纪委国家监委印发意见。7月，中央纪委国家监委与有关单位联合发布行贿犯罪典型案例",
                             "2024-01-08",
                             [("2023年", "point", "2023-01-01", "2023-12-31", "year"),
                              ("7月", "point", "2023-07-01", "2023-07-31", "month")]),
    "decade": ("上世纪80年代，他参加工作", "2021-06-14", [("上世纪80年代", "range", "1980-01-01", "1989-12-31", "year")]),
    "quarter_edge": ("去年四季度初，市纪委开展专项检查", "2021-06-14",
                     [("去年四季度初", "point", "2020-10-01", "2020-10-31", "month")]),
    "first_months": ("今年前五个月，全市共立案", "2021-06-14",
                     [("今年前五个月", "range", "2021-01-01", "2021-05-31", "month")]),
    "cv_month_range": ("1999.08-2002.02 任县纪委书记", "2021-06-14",
                       [("1999.08-2002.02", "range", "1999-08-01", "2002-02-28", "month")]),
    "decimal_not_month": ("挽回经济损失2019.12万元", "2021-06-14", []),
    # --- ranges, enumerations, context years ------------------------------------------------------------
    "bare_month_range_pub_year": ("1至9月份,元宝山区纪委监委共有20多名干部参与信访接访工作", "2020-10-09",
                                  [("1至9月份", "range", "2020-01-01", "2020-09-30", "month")]),
    "year_with_bare_range": ("数据显示，今年1至11月，全国共查处", "2024-12-31",
                             [("今年1至11月", "range", "2024-01-01", "2024-11-30", "month")]),
    "year_range": ("如2013年至2024年，农业农村部原副部长唐仁健", "2025-04-28",
                   [("2013年至2024年", "range", "2013-01-01", "2024-12-31", "year")]),
    "month_range_across_years": ("2022年6月至2024年5月，吕红兵在梁", "2024-09-12",
                                 [("2022年6月至2024年5月", "range", "2022-06-01", "2024-05-31", "month")]),
    "day_range_inherits_year": ("2017年4月28日至5月2日，姚伟国在浙", "2022-08-16",
                                [("2017年4月28日至5月2日", "range", "2017-04-28", "2017-05-02", "day")]),
    "day_range_pub_year": ("5月19日至6月3日，青海省纪检监察机关", "2023-08-08",
                           [("5月19日至6月3日", "range", "2023-05-19", "2023-06-03", "day")]),
    "bare_day_range": ("的住宿发票显示，7月16日至18日其均住在莆田", "2022-08-16",
                       [("7月16日至18日", "range", "2022-07-16", "2022-07-18", "day")]),
    "enumeration": ("全县纪检监察机关查处的作风纪律等方面的问题由2017、2018年的218件、222件下降到2019、2020年的67、88件",
                    "2020-11-09",
                    [("2017", "range", "2017-01-01", "2017-12-31", "year"),
                     ("2018年", "range", "2018-01-01", "2018-12-31", "year"),
                     ("2019", "range", "2019-01-01", "2019-12-31", "year"),
                     ("2020年", "range", "2020-01-01", "2020-12-31", "year")]),
    "sentence_year_context": ("2024年1月至12月，全国共查处，其中3月份查处最多", "2025-01-20",
                              [("2024年1月至12月", "range", "2024-01-01", "2024-12-31", "month"),
                               ("3月份", "point", "2024-03-01", "2024-03-31", "month")]),
    "bare_day_paragraph_month": ("2022年7月16日，王某入住酒店。17日下午就坐火车返回", "2022-08-16",
                                 [("2022年7月16日", "point", "2022-07-16", "2022-07-16", "day"),
                                  ("17日", "point", "2022-07-17", "2022-07-17", "day")]),
    "same_month_after_date": ("2017年2月,我市全面启动巡察。同月,市委巡察组向被巡察党组织反馈首轮巡察意见。", "2018-02-12",
                              [("2017年2月", "point", "2017-02-01", "2017-02-28", "month"),
                               ("同月", "point", "2017-02-01", "2017-02-28", "month")]),
    # --- since / until ------------------------------------------------------------------------------------
    "since_zi_qi": ("自2017年8月21日起,市纪委制定出台了《关于安排委局机关和派驻纪检组干部到信访室接访的意见》", "2018-02-12",
                    [("自2017年8月21日起", "since", "2017-08-21", "2018-02-12", "day")]),
    "since_yilai": ("2017年以来,成武县纪委监委坚持问题导向", "2020-11-09",
                    [("2017年以来", "since", "2017-01-01", "2020-11-09", "year")]),
    "since_year_start": ("年初以来,元宝山区纪委监委继续推行“1+X”轮流接访模式", "2020-10-09",
                         [("年初以来", "since", "2020-01-01", "2020-10-09", "month")]),
    "since_this_year": ("今年以来，各级纪检监察机关", "2023-12-29",
                        [("今年以来", "since", "2023-01-01", "2023-12-29", "year")]),
    "since_cong_qi": ("从今年4月起，重庆市万州区", "2023-07-10",
                      [("从今年4月起", "since", "2023-04-01", "2023-07-10", "month")]),
    "zi_alone_since": ("自2021年9月首次集中通报以来", "2023-07-11",
                       [("自2021年9月", "since", "2021-09-01", "2023-07-11", "month")]),
    "cong_alone_not_since": ("从2022年全国查处的违纪问题看", "2023-01-19",
                             [("2022年", "point", "2022-01-01", "2022-12-31", "year")]),
    "anchor_18th_congress": ("党的十八大以来，各级纪检监察机关", "2024-09-26",
                             [("党的十八大以来", "since", "2012-11-08", "2024-09-26", "day")]),
    "anchor_8_rules": ("中央八项规定实施以来，各地各部门", "2025-04-27",
                       [("中央八项规定实施以来", "since", "2012-12-04", "2025-04-27", "day")]),
    "anchor_20th_congress": ("党的二十大以来，截至2023年11月，全国共查处", "2024-01-08",
                             [("党的二十大以来", "since", "2022-10-16", "2024-01-08", "day"),
                              ("截至2023年11月", "until", None, "2023-11-30", "month")]),
    "until_year_end": ("“截至2019年末,市委巡察覆盖率73.6%", "2020-01-19",
                       [("截至2019年末", "until", None, "2019-12-31", "month")]),
    "until_before_year": ("2019年以前,长乐区文岭镇的乡亲们对久拖未通的金梅路文岭段道路满是怨言。", "2020-01-19",
                          [("2019年以前", "until", None, "2018-12-31", "year")]),
    "until_zhidao": ("直到2021年6月25日才印发通知", "2024-01-09",
                     [("直到2021年6月25日", "until", None, "2021-06-25", "day")]),
    # --- holidays -----------------------------------------------------------------------------------------
    "holiday_with_year": ("2023年端午节前，黑龙江省纪委监委", "2024-01-20",
                          [("2023年端午节前", "point", "2023-06-22", "2023-06-22", "day")]),
    "holiday_enumeration": ("2024年中秋、国庆节假前夕，中央纪委国家监委", "2024-09-16",
                            [("2024年中秋", "point", "2024-09-17", "2024-09-17", "day"),
                             ("国庆节假前夕", "point", "2024-10-01", "2024-10-01", "day")]),
    "holiday_marker_covers_list": ("元旦、春节将至，必须坚守节日“廉关”", "2024-12-31",
                                   [("元旦", "point", "2025-01-01", "2025-01-01", "day"),
                                    ("春节将至", "point", "2025-01-29", "2025-01-29", "day")]),
    "present_after_chu": ("申天寿案件反映出当前仍有部分党员干部", "2025-01-26",
                          [("当前", "point", "2025-01-26", "2025-01-26", "day")]),
    "holiday_marker_nearest": ("春节将至，各级纪检监察机关", "2024-01-29",
                               [("春节将至", "point", "2024-02-10", "2024-02-10", "day")]),
    "holiday_sentence_year": ("2023年6月27日，“七一”前夕，中央纪委国家监委", "2024-01-08",
                              [("2023年6月27日", "point", "2023-06-27", "2023-06-27", "day"),
                               ("“七一”前夕", "point", "2023-07-01", "2023-07-01", "day")]),
    # --- not dates ----------------------------------------------------------------------------------------
    "duration_month": ("要求新进机关和派驻纪检组的副科级及以下干部需分批到信访室跟班锻炼1个月", "2018-02-12", []),
    "duration_years": ("“六年了,领导也换了几任,可这最后一公里却迟迟没办法打通", "2020-01-19", []),
    "consecutive_years": ("成武县已连续11年无进京到省越级集体访", "2020-11-09", []),
    "frequency_year": ("各镇街每年平均约谈党员干部40人次以上", "2020-11-09", []),
    "frequency_day": ("对所有线索每月20日前向县纪委监委案件监督管理室报备", "2020-11-09", []),
    "frequency_quarter": ("实行“一月一暗访一通报、一季度一考评”", "2023-12-27", []),
    "anniversary_and_age": ("入选庆祝中华人民共和国成立70周年大型成就展，35岁以下的人员", "2020-11-09", []),
    "ordinals": ("从县委开展的前七轮巡察情况来看,从市委第四轮巡察反馈开始", "2020-01-19", []),
    "fourteenth_plan": ("2025年是“十四五”规划收官之年", "2025-01-20",
                        [("2025年", "point", "2025-01-01", "2025-12-31", "year")]),
    "slash_not_date": ("推进4/5G网络在农村全覆盖", "2020-01-19", []),
    "phone_number": ("联系方式:0471-6659743、6659744。", "2020-10-09", []),
    "duration_days_boilerplate": ("如涉及作品内容、版权等其他问题,请在15日内同本网联系。", "2018-02-12", []),
    "title_years": ("近日，中办、国办印发《关于做好2025年元旦春节期间有关工作的通知》，明确要求", "2025-01-26",
                    [("近日", "point", "2025-01-26", "2025-01-26", "day")]),
    "title_range": ("首次制定《中央反腐败协调小组工作规划（2023—2027年）》", "2024-01-08", []),
    "anaphor_same_month_new_paragraph": ("同月,市委巡察组向被巡察党组织反馈首轮巡察意见。", "2018-02-12", []),
    "anaphor_next_year": ("长沙市次年1月才印发方案", "2024-01-09", []),
    "generic_season": ("把握岁末年初“四风”问题规律", "2025-01-26", []),
    "generic_holiday": ("部分违纪行为发生在春节前后", "2024-01-29", []),
    "generic_holiday_no_marker": ("严禁春节期间违规发放津贴补贴", "2024-01-29", []),
    "jieri_qian": ("发生在中秋节等节日前后", "2023-09-20", []),
    "verb_tixian_zai": ("全面从严治党成效体现在方方面面", "2024-01-08", []),
    "jinnianlai_no_number": ("近年来，各地纪检监察机关", "2024-01-08", []),
    "dangnian_anaphor": ("当年，他任县长", "2024-01-08", []),
    "chu_bu": ("2019年初步核实问题线索", "2020-01-19",
               [("2019年", "point", "2019-01-01", "2019-12-31", "year")]),
    "chu_zhong_school": ("2008年初中毕业后参加工作", "2020-01-19",
                         [("2008年", "point", "2008-01-01", "2008-12-31", "year")]),
    "chu_then_zhongyang": ("2019年初中央巡视组进驻该市", "2020-01-19",
                           [("2019年初", "point", "2019-01-01", "2019-01-31", "month")]),
    "di_xian": ("守住2020年底线不放松", "2020-01-19",
                [("2020年", "point", "2020-01-01", "2020-12-31", "year")]),
    "di_shuju": ("2018年底数据显示,全市共立案审查174人", "2019-01-05",
                 [("2018年底", "point", "2018-12-01", "2018-12-31", "month")]),
    "qi_cao": ("2019年起草了相关办法", "2020-01-19",
               [("2019年", "point", "2019-01-01", "2019-12-31", "year")]),
    # --- articles without a publication date: relative dates keep from/to null -------------------------
    "no_pub_today": ("今天,记者对话3位区纪委监委主要负责同志", None, [("今天", "point", None, None, "day")]),
    "no_pub_this_year": ("比如,今年区纪委监委严肃查处了某村干部徐某某冒领截留残疾人补贴款问题。", None,
                         [("今年", "point", None, None, "year")]),
    "no_pub_until_now": ("截至目前,已为44名应保未保残疾人办理低保或低收入救助。", None,
                         [("截至目前", "until", None, None, "day")]),
    "no_pub_since": ("对2019年以来全区低保救助对象政策执行落实情况", None,
                     [("2019年以来", "since", "2019-01-01", None, "year")]),
    "no_pub_recent": ("近期,武清区纪委监委结合群众身边腐败和作风问题整治", None,
                      [("近期", "point", None, None, "day")]),
    "no_pub_bare_range": ("1至9月份,元宝山区纪委监委共有20多名干部参与信访接访工作", None,
                          [("1至9月份", "range", None, None, "month")]),
    "no_pub_absolute_kept": ("2017年5月,仓山区委巡察组进驻对湖街道", None,
                             [("2017年5月", "point", "2017-05-01", "2017-05-31", "month")]),
    "no_pub_holiday": ("春节将至，各级纪检监察机关", None, [("春节将至", "point", None, None, "day")]),
}


@pytest.mark.parametrize("sentence,pub,expected", list(CASES.values()), ids=list(CASES))
def test_sentences(sentence, pub, expected):
    assert got(sentence, pub) == expected


XFAIL = {
    "from_to_narrative": ("从1978年1月参加工作，到2020年3月退休", "2023-05-24",
                          [("从1978年1月参加工作，到2020年3月", "range", "1978-01-01", "2020-03-31", "month")],
                          "a range whose ends are separated by a verb phrase is read as since + point"),
    "topic_year_of_article": ("元旦、春节所在的1月，查处问题数最多", "2024-02-04",
                              [("1月", "point", "2023-01-01", "2023-01-31", "month")],
                              "the year is the article's topic year (2023 data), not in the sentence or paragraph"),
    "mid_month": ("2019年3月中，市委召开会议", "2020-01-19",
                  [("2019年3月中", "point", "2019-03-11", "2019-03-20", "xun")],
                  "月中 alone is not read (too often 中办/中央 follows)"),
}


@pytest.mark.parametrize("sentence,pub,expected,reason", list(XFAIL.values()), ids=list(XFAIL))
def test_unsolved(sentence, pub, expected, reason):
    if got(sentence, pub) != expected:
        pytest.xfail(reason)


# --- helpers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("s,v", [("12", 12), ("十二", 12), ("十", 10), ("二十三", 23), ("三十一", 31), ("两", 2),
                                 ("五", 5), ("", None), ("百", None)])
def test_cn_int(s, v):
    assert T.cn_int(s) == v


@pytest.mark.parametrize("s,v", [("二〇一九", 2019), ("一九九八", 1998), ("2020", 2020), ("二x一九", None)])
def test_cn_digits(s, v):
    assert T.cn_digits(s) == v


@pytest.mark.parametrize("yy,ref,v", [(15, 2021, 2015), (98, 1997, 1998), (20, 2020, 2020), (35, 2020, 1935)])
def test_two_digit_year(yy, ref, v):
    assert T.expand_two_digit_year(yy, ref) == v


def test_fold_keeps_length():
    s = "２０１９年１１月２１日 １０：３０"
    assert len(T.fold(s)) == len(s)
    assert got(s, "2020-01-01") == [(s, "point", "2019-11-21", "2019-11-21", "minute")]


def test_text_order_and_spans_on_a_seed():
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "shared/corpus/seeds/004_76dbad02926de9bb.txt"
    if not path.exists():
        pytest.skip("seed corpus not available")
    text = path.read_text(encoding="utf-8")
    ds = extract_dates(text, dt.date(2020, 1, 19))
    assert [d.start for d in ds] == sorted(d.start for d in ds)
    assert all(text[d.start:d.end] == d.text for d in ds)
    assert sum(1 for d in ds if d.text == "目前") == 2


def test_stage_fills_article_dates():
    from extractor.article import CST, Article

    art = Article(source="x")
    art.text = "2019年以来，全市共巡察。"
    art.published_at = dt.datetime(2020, 1, 19, 7, 37, tzinfo=CST)
    stage(art)
    assert [(d.text, d.kind, d.from_, d.to) for d in art.dates] == [
        ("2019年以来", "since", dt.date(2019, 1, 1), dt.date(2020, 1, 19))]


@pytest.mark.parametrize("junk", ["", "年", "月日", "2019年13月", "2019年2月30日", "0000年", "9999-99-99 99:99",
                                  "截至", "自起", "至今至今至今", "《2019年" * 50, "\x00\ud800", "1" * 10000,
                                  "2019、" * 500 + "2020年"])
def test_never_raises(junk):
    out = extract_dates(junk, dt.date(2020, 1, 1))
    assert all(junk[d.start:d.end] == d.text for d in out)
    assert all(d.from_ is None or d.to is None or d.from_ <= d.to for d in out)


def test_invalid_dates_dropped():
    assert got("2019年2月30日召开", "2020-01-01") == []
    assert got("2019年13月", "2020-01-01") == [("2019年", "point", "2019-01-01", "2019-12-31", "year")]


def test_hypothesis_never_raises():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    alphabet = st.sampled_from(list("0123456789年月日号至到-—、以来起前截至自从今去明上下半季度旬初末底近日目前春节元旦“”《》,。 \n"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=60), st.one_of(st.none(), st.dates()))
    def check(s, pub):
        for d in extract_dates(s, pub):
            assert s[d.start:d.end] == d.text
            assert d.from_ is None or d.to is None or d.from_ <= d.to

    check()


def test_holiday_table_matches_jionlp_lunar_conversion():
    jio = pytest.importorskip("jionlp")
    from extractor.resources import load_yaml

    for item in load_yaml("dates/holidays.yaml")["holidays"]:
        if "lunar" not in item:
            continue
        lm, ld = item["lunar_month_day"]
        for year, md in item["lunar"].items():
            assert jio.lunar2solar(int(year), lm, ld).strftime("%m-%d") == md, (item["key"], year)
