"""The demo estate's county and department sites, and what is planted in each.

One function per site. Planted items carry their truth marks here, so this
file is the one place to read to know what a crawl of the estate must find.
Site order here is the serving order (127.0.0.2, .3, ...).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import texts
from .content import (
    Article,
    Board,
    ChannelLink,
    Column,
    Footer,
    LinkBlock,
    LinkTarget,
    Mark,
    Message,
    SitePlan,
)
from .factory import (
    BROKEN,
    CONSULT,
    ELEMENTS,
    EMPTY,
    GUIDE,
    HIDDEN,
    HOME_STALE,
    IDENTIFIERS,
    REPLY,
    SEARCH,
    STALE,
    WORDING,
    Ids,
    answered,
    column,
    decoy,
    flag,
    guide,
    normal_messages,
    unanswered,
)
from .workdays import add_workdays, sub_workdays, workday_on_or_before

HOME_STALE_DAYS = 30  # the stale home pages' newest item: well past the 14-day rule
NATIONAL_DAY_NOTE = "asked before the 2026 National Day holiday (10-01..07), replied after it"
GD_CITY = "广东省南岭市"  # the modern-template sites: a fictional Guangdong city, gkmlpt URLs


def _identity(name: str, title: str, organizer: str, region: str, code: str, serial: str,
              kind: str, domain: str, short: str, sitemap_text: str, province: str = "滇",
              area: str = "0870") -> dict[str, object]:
    return {
        "name": name, "title": title, "organizer": organizer, "region": region,
        "region_code": code, "site_code": code + serial, "kind": kind, "domain": domain,
        "short": short, "sitemap_text": sitemap_text,
        "phone": f"{area}-{code[-2:]}1{serial}", "icp": f"{province}ICP备{code[-4:]}{serial}号-1",
        "police": f"{province}公网安备 {code}0200{serial}号",
    }


def _say(article: Article, sentence: str, mark: Mark) -> None:
    """Put a sentence into an article (its second paragraph) and mark the page."""
    article.paragraphs.insert(1, sentence)
    article.marks.append(mark)


def _column(columns: list[Column], name: str) -> Column:
    return next(c for top in columns for c in top.all_columns() if c.name == name)


def _aged(columns: list[Column], name: str, as_of: date, days: int, mark: Mark) -> None:
    """column-stale plantings: the column's items moved back so its newest is `days` old."""
    col = _column(columns, name)
    shift = as_of - timedelta(days=days) - max(a.day for a in col.articles)
    for article in col.articles:
        article.day += shift
    col.marks.append(mark)
def _hide(article: Article, block: LinkBlock) -> None:
    """Plant hidden links after an article's text, with the block's marks on its page."""
    article.blocks.append(block)
    article.marks.extend(block.marks)


# Off-site links a visitor sees or opens: hidden-links must leave them alone.
FRIENDS = [("中国政府网", "http://www.gov.cn/"), ("云南省人民政府", "http://www.yn.gov.cn/"),
           ("国家发展和改革委员会", "http://www.ndrc.gov.cn/"), ("教育部", "http://www.moe.gov.cn/")]
TAB_FRIENDS = [("国务院国资委", "http://www.sasac.gov.cn/"), ("自然资源部", "http://www.mnr.gov.cn/"),
               ("昆明市人民政府", "http://www.km.gov.cn/"), ("大理州人民政府", "http://www.dali.gov.cn/")]


def _decoy_links(note: str, *kinds: str, menu: list[tuple[str, str]] | None = None) -> list[LinkBlock]:
    blocks = {
        "skip": LinkBlock("skip", [("跳转到主要内容", "#main")], marks=[decoy(
            HIDDEN, "skip-link", "an on-site skip link, off-screen until focused")]),
        "dropdown": LinkBlock("dropdown", menu or [], marks=[decoy(
            HIDDEN, "on-site-dropdown", "a sub-menu of the site's own pages, display:none "
            "until hovered")]),
        "friends": LinkBlock("friends", FRIENDS, marks=[decoy(
            HIDDEN, "visible-friend-links", "a visible 友情链接 list of other sites")]),
        "friends-tabs": LinkBlock("friends-tabs", TAB_FRIENDS, marks=[decoy(
            HIDDEN, "friend-links-tab", f"友情链接 box: the second tab's off-site links are "
            f"display:none until its visible tab is hovered; {note}")]),
    }
    return [blocks[kind] for kind in kinds]


def _holiday(as_of: date, message: Message) -> list[Message]:
    """The holiday decoys have fixed 2026 dates: keep them only when as_of is after them."""
    assert message.replied is not None
    recent = message.replied.date() + timedelta(days=7) <= as_of
    return [message] if recent and (as_of - message.asked.date()).days < 300 else []


def _js_decoys(plan: SitePlan) -> SitePlan:
    """Hanweb columns filled by JavaScript are not empty: record them as decoys."""
    for col in plan.leaf_columns():
        if col.render == "js" and col.state == "ok" and col.articles:
            col.marks.append(decoy(EMPTY, "js-has-records", "needs render: items come from "
                                   "dataproxy.jsp, the static HTML list is empty"))
    return plan


def qingshan(as_of: date) -> SitePlan:
    """TRS county portal: one placeholder column, a late and an unanswered letter."""
    rng, ids = random.Random("qingshan"), Ids(4500)
    org, place = "青山县人民政府", "青山县"
    ident = _identity("qingshan", "青山县人民政府", "青山县人民政府办公室", "云南省临水市青山县",
                      "539921", "0001", "portal", "www.qingshan.gov.cn", "我县", "网站地图")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    gzdt = col("gzdt", "工作动态", 23, "news")
    _hide(gzdt.articles[6], LinkBlock(
        "hidden", [("装修公司", "http://www.zx-gs.example.com/")], "font-size",
        [flag(HIDDEN, "plain", "needs render: deduct: font-size:0 on the span around it")]))
    gzdt.articles[4].title = "我县本年度暂无新增地质灾害隐患点"
    gzdt.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    xwdt = Column("xwdt", "新闻动态", children=[gzdt, col("xzdt", "乡镇动态", 12, "news"),
                                              col("bmdt", "部门动态", 11, "news")])
    xwdt.marks.append(decoy(EMPTY, "subcolumns-only", "lists sub-columns which have items"))
    columns = [
        xwdt,
        col("tzgg", "通知公告", 14, "notice"),
        col("zcwj", "政策文件", 8, "policy"),
        Column("rsxx", "人事信息", state="placeholder", placeholder="暂无信息",
               marks=[flag(EMPTY, "placeholder", "暂无信息")]),
        col("czzj", "财政资金", 6, "notice"),
    ]
    _aged(columns, "政策文件", as_of, 200,
          flag(STALE, "policy-first-level", "a first-level policy column, newest item 200 days "
               "old (rule: 180): -5"))
    _column(columns, "工作动态").articles[1].blocks.append(
        LinkBlock("plain", [("全省政务服务平台专题", "http://{{host:platform}}/zt/2024/index.html")]))
    targets = [
        LinkTarget("/xwdt/202501/t20250110_9001.html", "missing", (flag(
            BROKEN, "home-404", "linked from the home page, answers 404: -1"),)),
        LinkTarget("/zt/g404/index.html", "page", (decoy(
            BROKEN, "title-says-404", "a working page titled G404国道…: no soft 404"),),
            title="G404国道县城段改造工程简报"),
        LinkTarget("/zt/2024/index.html", "missing", (flag(
            BROKEN, "offsite-404", "an article links the platform's removed page (one request, "
            "never crawled)"),), host="platform"),
    ]
    phone = str(ident["phone"])
    guides = [
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "table", "15个工作日", "即办",
              phone=phone, marks=(decoy(GUIDE, "immediate", "即办"),)),
        guide("临时救助申请", texts.GUIDE_NAMES[4][1], "table", None, None, phone=phone,
              marks=(flag(GUIDE, "missing", "no statutory or committed limit"),)),
        guide("残疾人证核发", texts.GUIDE_NAMES[3][1], "dl", "20个工作日", "15个工作日",
              list_limit="10个工作日", phone=phone,
              marks=(flag(GUIDE, "inconsistent",
                          "service list says 10个工作日, guide 15个工作日"),)),
        guide("公共场所卫生许可", texts.GUIDE_NAMES[7][1], "p", "二十个工作日", "二十个工作日",
              list_limit="20个工作日", phone=phone,
              marks=(decoy(GUIDE, "equal-numerals", "list 20个工作日 = guide 二十个工作日"),)),
        guide("户外广告设施设置审批", texts.GUIDE_NAMES[10][1], "table", "20个工作日",
              "10个工作日", phone=phone, marks=(decoy(GUIDE, "commitment-shorter"),)),
        guide("城乡居民基本养老保险参保登记", texts.GUIDE_NAMES[2][1], "dl", "十五个工作日",
              "5个工作日", phone=phone, drop=("设定依据", "办理时间"),
              blank={"收费标准": "—", "监督投诉方式": "无"},
              marks=(flag(ELEMENTS, "missing-4", "no 设定依据 or 办理时间; 收费标准 — and "
                          "监督投诉方式 无 state nothing"),)),
    ]
    messages = normal_messages(rng, as_of, 10)
    late_asked = workday_on_or_before(as_of - timedelta(days=40))
    messages += [
        answered(rng, late_asked, add_workdays(late_asked, 11),
                 flag(REPLY, "late-reply", "deduct")),
        unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=150)), "未回复",
                   flag(REPLY, "unanswered", "veto")),
        answered(rng, workday_on_or_before(as_of - timedelta(days=25)),
                 add_workdays(workday_on_or_before(as_of - timedelta(days=25)), 5),
                 decoy(REPLY, "within-limit", "exactly 5 working days")),
        unanswered(rng, as_of, sub_workdays(as_of, 2), "未回复",
                   decoy(REPLY, "recent-unanswered", "asked 2 working days before as_of")),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        link_targets=targets,
        channels=[ChannelLink("领导信箱", "board"), ChannelLink("我要咨询", "board")],
        board=Board("领导信箱", messages),
        consult_marks=[decoy(CONSULT, "working-form", "领导信箱 with a working form")],
        search_marks=[decoy(SEARCH, "works", "TRS WAS search with a hidden channelid field")],
        home_blocks=[LinkBlock("plain", [("2025年度工作总结", "/xwdt/202501/t20250110_9001.html"),
                                         ("G404国道县城段改造工程简报", "/zt/g404/index.html")]),
                     LinkBlock("hidden", [("网站建设", "http://www.jianzhan-seo.example.com/")],
                               "same-colour", [flag(HIDDEN, "plain", "needs render: deduct: white text on a "
                                                    "white background")])],
        address="青山县青山镇人民路88号",
    )


def linshui_fgw(as_of: date) -> SitePlan:
    """TRS department site: six empty columns (veto) and petition-only channels."""
    rng, ids = random.Random("linshui-fgw"), Ids(8800)
    org, place = "临水市发展和改革委员会", "临水市"
    ident = _identity("linshui-fgw", "临水市发展和改革委员会", "临水市发展和改革委员会",
                      "云南省临水市", "539900", "0012", "department", "fgw.linshui.gov.cn",
                      "我委", "站点地图")

    stale = as_of - timedelta(days=HOME_STALE_DAYS)  # nothing new for a month and more

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, stale, key, name, n, kind, org, place, **kw)

    def empty(key: str, name: str, state: str, text: str, problem: str, **kw: object) -> Column:
        return Column(key, name, state=state, placeholder=text,  # type: ignore[arg-type]
                      marks=[flag(EMPTY, problem, text)], **kw)  # type: ignore[arg-type]

    columns = [
        col("gzdt", "工作动态", 14, "news"),
        col("tzgg", "通知公告", 8, "notice"),
        col("zcwj", "政策文件", 6, "policy"),
        empty("jgjc", "价格监测", "blank", "", "blank"),
        empty("xmjs", "项目建设", "placeholder", "暂无数据", "placeholder"),
        empty("zcjd", "政策解读", "placeholder", "栏目建设中", "placeholder"),
        empty("xyjs", "信用建设", "placeholder", "信息正在更新", "placeholder"),
        empty("ghjh", "规划计划", "placeholder", "暂无信息", "placeholder"),
        Column("tjxx", "统计信息", state="missing", in_nav=False,
               marks=[flag(EMPTY, "column-404", "listed in the site map, answers 404"),
                      flag(BROKEN, "sitemap-404", "the site map's link answers 404: -0.1")]),
    ]
    _say(columns[0].articles[4], "我委会同市国土资源部门开展联合督查，并按国土资源部要求建立台账。",
         flag(WORDING, "outdated-name", "国土资源部 on a 2026 page (国土资源部门 beside it is "
              "a generic phrase, not the ministry)"))
    _column(columns, "工作动态").marks.append(
        flag(STALE, "news", f"newest item {HOME_STALE_DAYS}+ days old (rule: 14)"))
    _column(columns, "通知公告").articles[2].blocks.append(
        LinkBlock("plain", [("关于印发价格监测方案的通知", "/xxgk/202403/t20240305_881.html"),
                            ("国家价格监测平台", "http://{{host:platform}}/waf/index.html")]))
    targets = [
        LinkTarget("/xxgk/202403/t20240305_881.html", "soft-404", (flag(
            BROKEN, "soft-404", "answers 200 with a 页面不存在 page: -0.1"),)),
        LinkTarget("/waf/index.html", "challenge", (decoy(
            BROKEN, "challenge", "another host's bot-protection challenge (412): inconclusive, "
            "not broken"),), host="platform"),
    ]
    phone = str(ident["phone"])
    guides = [
        guide("企业投资项目备案", texts.GUIDE_NAMES[9][1], "table", "3个工作日", "当场办结",
              phone=phone, marks=(decoy(GUIDE, "immediate", "当场办结"),)),
        guide("固定资产投资项目节能审查", texts.GUIDE_NAMES[14][1], "dl", "20个工作日",
              "30个工作日", phone=phone,
              marks=(flag(GUIDE, "commitment-exceeds-legal", "承诺30个工作日 > 法定20个工作日"),)),
        guide("政府定价成本监审", "《政府制定价格成本监审办法》第六条", "p", "按规定时限办理",
              "按规定时限办理", phone=phone,
              marks=(flag(GUIDE, "non-specific", "按规定时限办理"),)),
        guide("粮食收购资格备案", "《粮食流通管理条例》第九条", "table", "二十个工作日",
              "10个工作日", phone=phone, marks=(decoy(GUIDE, "commitment-shorter"),)),
        guide("企业投资项目核准", "《企业投资项目核准和备案管理条例》第十一条", "p",
              "二十个工作日", "15个工作日", phone=phone),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides, channels=[],  # type: ignore[arg-type]
        link_targets=targets,
        consult_marks=[flag(CONSULT, "petition-only",
                            "only 网上信访 and 纪检举报 links, which do not count")],
        home_marks=[flag(HOME_STALE, "stale", f"every column's newest item is {HOME_STALE_DAYS}+ "
                         "days old; the home page shows them with yearless dates (MM-DD)"),
                    flag(IDENTIFIERS, "code-differs", "the footer shows 5399000021, the registry "
                         "5399000012 (two digits swapped)")],
        footer=Footer(shown_code="5399000021"),
        search="error",
        search_marks=[flag(SEARCH, "search-error", "the TRS search answers HTTP 500")],
        home_blocks=[LinkBlock("hidden", [("发票代开", "http://www.fp-daikai.example.com/")],
                               "off-screen", [flag(HIDDEN, "plain", "needs render: deduct: absolute, "
                                                   "left:-9999px")])],
        address="临水市龙泉路16号市级行政中心5号楼",
    )


def yunxi(as_of: date) -> SitePlan:
    """Hanweb county portal: JS columns (one empty), a 404 column, holiday reply decoy."""
    rng, ids = random.Random("yunxi"), Ids(5600)
    org, place = "云溪县人民政府", "云溪县"
    ident = _identity("yunxi", "云溪县人民政府", "云溪县人民政府办公室", "云南省临水市云溪县",
                      "539922", "0001", "portal", "www.yunxi.gov.cn", "我县", "站点地图")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    bmdt = col("bmdt", "部门动态", 9, "news", col_id=4516, render="static", date_style="iso")
    bmdt.articles[2].title = "县应急管理局：汛期以来全县暂无重大险情发生"
    bmdt.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    columns = [
        col("zwyw", "政务要闻", 20, "news", col_id=4512, render="js", date_style="bracket",
            per_page=15),
        col("xzdt", "乡镇动态", 12, "news", col_id=4513, render="js", date_style="slash"),
        col("tzgg", "通知公告", 14, "notice", col_id=4514, render="xml", date_style="slash",
            marks=[decoy(EMPTY, "xml-has-records", "items in <script type=\"text/xml\">, "
                         "inserted by JavaScript")]),
        col("zcwj", "政策文件", 8, "policy", col_id=4515, render="static", date_style="iso"),
        bmdt,
        Column("zdxm", "重点项目", col_id=4517, render="js", state="js-empty",
               marks=[flag(EMPTY, "js-empty", "needs render: dataproxy.jsp returns 0 records")]),
        Column("tjsj", "统计数据", col_id=4518, state="missing", in_nav=False,
               marks=[flag(EMPTY, "column-404", "listed in the site map, answers 404"),
                      flag(BROKEN, "sitemap-404", "the site map's link answers 404: -0.1")]),
    ]
    phone = str(ident["phone"])
    guides = [
        guide("林木采伐许可证核发", texts.GUIDE_NAMES[5][1], "dl", "二十个工作日",
              "按规定时限办理", phone=phone,
              marks=(flag(GUIDE, "non-specific", "承诺: 按规定时限办理"),)),
        guide("取水许可", texts.GUIDE_NAMES[8][1], "table", "20个工作日", "15个工作日",
              phone=phone, notes=("法定期限：十五个工作日（自受理之日起计算）。",),
              marks=(flag(GUIDE, "inconsistent", "法定 stated as 20个工作日 and 十五个工作日"),)),
        guide("建设工程规划许可", "《中华人民共和国城乡规划法》第四十条", "table", "2个月",
              "20个工作日", phone=phone,
              marks=(decoy(GUIDE, "commitment-shorter", "20个工作日 < 2个月"),)),
        guide("城乡居民医保参保登记", "《中华人民共和国社会保险法》第二十五条", "p", "即办",
              "当场办结", phone=phone, marks=(decoy(GUIDE, "immediate", "即办 / 当场办结"),)),
        guide("高龄津贴申领", "《云南省老年人权益保障条例》", "table", "十五个工作日",
              "10个工作日", phone=phone, fee="无",
              relabel={"设定依据": "实施依据", "申请条件": "受理条件", "办理材料": "申报材料",
                       "办理地点": "受理地点", "监督投诉方式": "监督电话"},
              marks=(decoy(ELEMENTS, "synonyms", "实施依据, 受理条件, 申报材料, 受理地点, "
                           "监督电话; 收费标准 无 (no charge)"),)),
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "dl", "15个工作日", "3个工作日",
              phone=phone),
    ]
    messages = normal_messages(rng, as_of, 8)
    late_asked = workday_on_or_before(as_of - timedelta(days=60))
    messages += [
        answered(rng, late_asked, add_workdays(late_asked, 8),
                 flag(REPLY, "late-reply", "deduct")),
        unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=120)), "办理中",
                   flag(REPLY, "unanswered", "veto: 办理中, never answered")),
        *_holiday(as_of, answered(rng, date(2026, 9, 30), date(2026, 10, 10),
                 decoy(REPLY, "holiday-within-limit",
                       NATIONAL_DAY_NOTE + "; 10-10 is an adjusted workday (Saturday)"))),
        answered(rng, workday_on_or_before(as_of - timedelta(days=30)),
                 add_workdays(workday_on_or_before(as_of - timedelta(days=30)), 1),
                 decoy(REPLY, "within-limit", "replied the next working day")),
    ]
    return _js_decoys(SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("县长信箱", "board"), ChannelLink("我要咨询", "board"),
                  ChannelLink("建言献策", "board")],
        board=Board("县长信箱", messages),
        consult_marks=[decoy(CONSULT, "working-form", "县长信箱 with a working form")],
        search_marks=[decoy(SEARCH, "works-by-post", "Hanweb jrobot search: a POST form whose "
                            "button has no text (the field q and the action say search)")],
        address="云溪县云溪街道政府路1号",
    ))


def baihe(as_of: date) -> SitePlan:
    """Hanweb county portal whose consultation and letters live on the provincial platform."""
    rng, ids = random.Random("baihe"), Ids(6100)
    org, place = "白河县人民政府", "白河县"
    ident = _identity("baihe", "白河县人民政府", "白河县人民政府办公室", "云南省临水市白河县",
                      "539923", "0001", "portal", "www.baihe.gov.cn", "我县", "网站导航")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    xxgk = Column("xxgk", "政府信息公开", col_id=4604, children=[
        col("czxx", "财政信息", 6, "notice", col_id=4605, render="static", date_style="iso"),
        col("rsxx", "人事信息", 5, "notice", col_id=4606, render="static", date_style="iso"),
    ], marks=[decoy(EMPTY, "subcolumns-only", "lists sub-columns which have items")])
    columns = [
        col("bhyw", "白河要闻", 18, "news", col_id=4601, render="js", date_style="bracket"),
        col("tzgg", "通知公告", 10, "notice", col_id=4602, render="js", date_style="iso"),
        col("zcwj", "政策文件", 7, "policy", col_id=4603, render="xml", date_style="slash",
            marks=[decoy(EMPTY, "xml-has-records", "items in <script type=\"text/xml\">")]),
        xxgk,
        Column("zsyz", "招商引资", col_id=4607, render="js", state="js-empty",
               marks=[flag(EMPTY, "js-empty", "needs render: dataproxy.jsp returns 0 records")]),
    ]
    _aged(columns, "财政信息", as_of, 400,
          decoy(STALE, "unclassified", "财政信息 is of no class: 400 days old, not judged"))
    phone = str(ident["phone"])
    guides = [
        guide("临时救助申请", texts.GUIDE_NAMES[4][1], "p", None, None, phone=phone,
              marks=(flag(GUIDE, "missing", "no statutory or committed limit"),)),
        guide("食品经营许可", texts.GUIDE_NAMES[1][1], "table", "二十个工作日", "十个工作日",
              phone=phone, marks=(decoy(GUIDE, "commitment-shorter"),)),
        guide("残疾人证核发", texts.GUIDE_NAMES[3][1], "dl", "20个工作日", "20个工作日",
              list_limit="二十个工作日", phone=phone,
              marks=(decoy(GUIDE, "equal-numerals", "list 二十个工作日 = guide 20个工作日"),)),
        guide("农村危房改造补助申请", "《农村危房改造基本安全技术导则》", "table", "三十日",
              "30日", phone=phone),
        guide("企业投资项目备案", texts.GUIDE_NAMES[9][1], "p", "3个工作日", "即办",
              phone=phone),
    ]
    messages = normal_messages(rng, as_of, 7)
    late_asked = workday_on_or_before(as_of - timedelta(days=75))
    messages += [
        answered(rng, late_asked, add_workdays(late_asked, 12),
                 flag(REPLY, "late-reply", "deduct: board on the provincial platform")),
        unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=100)), "办理中",
                   flag(REPLY, "unanswered", "veto: board on the provincial platform")),
        unanswered(rng, as_of, sub_workdays(as_of, 2), "未回复",
                   decoy(REPLY, "recent-unanswered", "asked 2 working days before as_of")),
    ]
    return _js_decoys(SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("在线咨询", "platform-12345"),
                  ChannelLink("留言板", "platform-board")],
        board=Board("县长信箱", messages, has_form=False, on_platform=True),
        consult_marks=[decoy(CONSULT, "platform-channel",
                             "在线咨询 and 留言板 live on the provincial platform (another host)")],
        address="白河县白河镇振兴路28号",
    ))


def yunxi_jyj(as_of: date) -> SitePlan:
    """Hanweb department site whose only consultation page is under maintenance."""
    rng, ids = random.Random("yunxi-jyj"), Ids(7300)
    org, place = "云溪县教育体育局", "云溪县"
    ident = _identity("yunxi-jyj", "云溪县教育体育局", "云溪县教育体育局", "云南省临水市云溪县",
                      "539922", "0015", "department", "jyj.yunxi.gov.cn", "我局", "网站地图")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    columns = [
        col("jydt", "教育动态", 18, "news", col_id=4701, render="js", date_style="bracket"),
        col("tzgg", "通知公告", 12, "notice", col_id=4702, render="static", date_style="slash"),
        Column("zsks", "招生考试", col_id=4703, state="placeholder", placeholder="栏目建设中",
               marks=[flag(EMPTY, "placeholder", "栏目建设中")]),
    ]
    notices = _column(columns, "通知公告")
    notices.date_style = "none"
    notices.marks.append(flag(STALE, "undated", "the list shows no dates (2015 census rule: "
                              "undated information is not updated)"))
    phone = str(ident["phone"])
    guides = [
        guide("教师资格认定", texts.GUIDE_NAMES[6][1], "table", "二十日", "三十日", phone=phone,
              marks=(flag(GUIDE, "commitment-exceeds-legal", "承诺三十日 > 法定二十日"),)),
        guide("民办学校设立审批", texts.GUIDE_NAMES[11][1], "dl", "3个月", "2个月",
              phone=phone, marks=(decoy(GUIDE, "commitment-shorter", "2个月 < 3个月"),)),
        guide("中小学校适龄儿童入学登记", texts.GUIDE_NAMES[15][1], "p", "即办", "当场办结",
              phone=phone, marks=(decoy(GUIDE, "immediate"),)),
        guide("校外培训机构设立审批", "《中华人民共和国民办教育促进法》第十二条", "table",
              "30个工作日", "按规定时限办理", phone=phone,
              marks=(flag(GUIDE, "non-specific", "承诺: 按规定时限办理"),)),
        guide("学生资助申请", "《学生资助资金管理办法》", "dl", "十五个工作日", "10个工作日",
              phone=phone),
    ]
    return _js_decoys(SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("我要咨询", "maintenance",
                              "系统维护中，暂停使用。给您带来不便，敬请谅解！")],
        consult_marks=[flag(CONSULT, "maintenance", "我要咨询 leads to 系统维护中")],
        search="nothing",
        search_marks=[flag(SEARCH, "finds-nothing", "the Hanweb search (POST) answers 没有找到 "
                           "for every query: its index is empty")],
        address="云溪县云溪街道文教路6号",
    ))


def songling(as_of: date) -> SitePlan:
    """Old GBK county portal: two empty columns, late and unanswered letters."""
    rng, ids = random.Random("songling"), Ids(1200)
    org, place = "松岭县人民政府", "松岭县"
    ident = _identity("songling", "松岭县人民政府", "松岭县人民政府办公室", "云南省临水市松岭县",
                      "539924", "0001", "portal", "www.songling.gov.cn", "我县", "网站导航")

    stale = as_of - timedelta(days=HOME_STALE_DAYS)  # nothing new for a month and more

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, stale, key, name, n, kind, org, place, **kw)

    xwzx = Column("xwzx", "新闻中心", col_id=1, children=[
        col("zwyw", "政务要闻", 20, "news", col_id=11, date_style="cn"),
        col("xzdt", "乡镇动态", 12, "news", col_id=12, date_style="dot"),
    ], marks=[decoy(EMPTY, "subcolumns-only", "lists sub-columns which have items")])
    zwyw, tzgg = xwzx.children[0], col("tzgg", "通知公告", 12, "notice", col_id=2,
                                        date_style="cn")
    _say(zwyw.articles[3], "会议强调，要坚持以习近平新时代中国特色社会主意思想为指导，推动各项工作落实落细。",
         flag(WORDING, "serious", "中国特色社会主意 for 中国特色社会主义, on a GBK page: veto"))
    _say(tzgg.articles[2], "各单位要按照国家工商行政管理总局的有关要求，做好个体工商户年报工作。",
         flag(WORDING, "outdated-name", "国家工商行政管理总局, abolished 2018, on a 2026 page"))
    _say(tzgg.articles[5], "原国土资源部印发的有关文件继续有效，由县自然资源局负责解释。",
         decoy(WORDING, "former-name", "原国土资源部: the former name, said as such"))
    _hide(zwyw.articles[6], LinkBlock(
        "hidden", [("六合彩开奖结果", "http://www.lhc-kj88.net/"),
                   ("时时彩计划", "http://www.ssc-jh.net/")], "style-class",
        [flag(HIDDEN, "gambling", "needs render: veto: a class of the page's <style> block "
              "puts the links 1200px above the page; GBK")]))
    columns = [
        xwzx,
        tzgg,
        col("zcfg", "政策法规", 7, "policy", col_id=3, date_style="dot"),
        Column("xczx", "乡村振兴", col_id=4, state="blank",
               marks=[flag(EMPTY, "blank", "list table has no rows")]),
        Column("zsyz", "招商引资", col_id=5, state="placeholder", placeholder="暂无数据",
               marks=[flag(EMPTY, "placeholder", "暂无数据")]),
    ]
    for name in ("政务要闻", "乡镇动态"):
        _column(columns, name).marks.append(
            flag(STALE, "news", f"GBK; newest item {HOME_STALE_DAYS}+ days old (rule: 14)"))
    _aged(columns, "政策法规", as_of, 190,
          flag(STALE, "policy-first-level", "GBK; a first-level policy column, newest item 190 "
               "days old, dates as 2026.05.10 (rule: 180): -5"))
    zwyw.articles[1].blocks.append(
        LinkBlock("plain", [("关于2024年度项目资金的公示", "/news/show.asp?id=99999")]))
    targets = [
        LinkTarget("/images/banner_2025.jpg", "missing", (flag(
            BROKEN, "home-image-404", "GBK home page: a picture that answers 404: -1"),)),
        LinkTarget("/upload/zwgkzn.pdf", "head-refused", (decoy(
            BROKEN, "head-refused", "the server answers HEAD 405, GET 200: works"),)),
        LinkTarget("/news/show.asp?id=99999", "soft-404", (flag(
            BROKEN, "soft-404", "GBK: 200 with a 页面不存在 page"),)),
    ]
    phone = str(ident["phone"])
    guides = [
        guide("林木采伐许可证核发", texts.GUIDE_NAMES[5][1], "p", "二十个工作日",
              "按规定时限办理", phone=phone,
              marks=(flag(GUIDE, "non-specific", "承诺期限：按规定时限办理"),)),
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "table", "十五个工作日",
              "十五个工作日", list_limit="10个工作日", phone=phone,
              marks=(flag(GUIDE, "inconsistent",
                          "service list says 10个工作日, guide 十五个工作日"),)),
        guide("临时救助申请", texts.GUIDE_NAMES[4][1], "dl", "即办", "即办", phone=phone,
              marks=(decoy(GUIDE, "immediate"),)),
        guide("农村村民住宅建设审批", "《中华人民共和国土地管理法》第六十二条", "table",
              "二十个工作日", "15个工作日", phone=phone,
              drop=("设定依据", "收费标准", "办理时间", "咨询方式", "监督投诉方式"),
              marks=(flag(ELEMENTS, "missing-5", "GBK guide without 设定依据, 收费标准, 办理时间, "
                          "咨询方式, 监督投诉方式"),)),
        guide("取水许可", texts.GUIDE_NAMES[8][1], "p", "45日", "20个工作日", phone=phone,
              marks=(decoy(GUIDE, "commitment-shorter", "20个工作日 < 45日"),)),
        guide("残疾人证核发", texts.GUIDE_NAMES[3][1], "table", "20个工作日", "10个工作日",
              phone=phone),
    ]
    messages = normal_messages(rng, as_of, 9)
    late_asked = workday_on_or_before(as_of - timedelta(days=62))
    messages += [
        answered(rng, late_asked, add_workdays(late_asked, 7),
                 flag(REPLY, "late-reply", "deduct")),
        unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=180)), "未回复",
                   flag(REPLY, "unanswered", "veto")),
        *_holiday(as_of, answered(rng, date(2026, 9, 24), date(2026, 10, 9),
                 decoy(REPLY, "holiday-within-limit",
                       "Mid-Autumn (09-25) and National Day holidays: exactly 5 working days"))),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        link_targets=targets,
        channels=[ChannelLink("县长信箱", "board"), ChannelLink("咨询投诉", "board")],
        board=Board("县长信箱", messages),
        home_marks=[flag(HOME_STALE, "stale", f"GBK page, dates as 2026.10.09: every "
                         f"column's newest item is {HOME_STALE_DAYS}+ days old"),
                    flag(IDENTIFIERS, "conac-missing+icp-unlinked", "GBK footer: no 党政机关 "
                         "mark, the ICP number is plain text")],
        footer=Footer(conac="none", icp_linked=False),
        search_marks=[decoy(SEARCH, "gbk-query", "the ASP search decodes its query as GBK: it "
                            "finds the article only when the query is sent GBK-encoded")],
        home_blocks=[LinkBlock("plain", [("2025年松岭县政府工作报告", "/images/banner_2025.jpg"),
                                         ("政务公开指南", "/upload/zwgkzn.pdf")]),
                     LinkBlock("hidden", [("皇冠娱乐城", "http://www.hg0088-yule.com/"),
                                          ("澳门百家乐", "http://www.bjl-8888.com/")],
                               "inline-none", [flag(HIDDEN, "gambling", "needs render: veto: "
                                                    "display:none on a div around them; GBK")])],
        consult_marks=[decoy(CONSULT, "working-form", "县长信箱 with a working form")],
        address="松岭县松岭镇中山路12号",
    )


def songling_scjgj(as_of: date) -> SitePlan:
    """Old GBK department site: a 404 column, consultation suspended, bad guides."""
    rng, ids = random.Random("songling-scjgj"), Ids(2300)
    org, place = "松岭县市场监督管理局", "松岭县"
    ident = _identity("songling-scjgj", "松岭县市场监督管理局", "松岭县市场监督管理局",
                      "云南省临水市松岭县", "539924", "0021", "department",
                      "scjgj.songling.gov.cn", "我局", "网站地图")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    tzgg = col("tzgg", "通知公告", 12, "notice", col_id=22, date_style="dot")
    tzgg.articles[1].title = "关于2026年第三季度食品安全监督抽检暂无不合格产品的通告"
    tzgg.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    columns = [
        col("gzdt", "工作动态", 18, "news", col_id=21, date_style="cn"),
        tzgg,
        Column("cjxx", "抽检信息", col_id=23, state="missing", in_nav=False,
               marks=[flag(EMPTY, "column-404", "listed in the site map, answers 404"),
                      flag(BROKEN, "sitemap-404", "the site map's link answers 404: -0.1")]),
    ]
    _column(columns, "通知公告").articles[0].blocks.append(
        LinkBlock("plain", [("抽检结果汇总表", "/upload/2026/cjjg.doc")]))
    targets = [
        LinkTarget("/upload/2026/cjjg.doc", "server-error", (decoy(
            BROKEN, "suspected-503", "GBK: a file that answers 503: suspected, never deducted"),)),
    ]
    phone = str(ident["phone"])
    guides = [
        guide("食品经营许可", texts.GUIDE_NAMES[1][1], "table", "15个工作日", "30个工作日",
              phone=phone,
              marks=(flag(GUIDE, "commitment-exceeds-legal", "承诺30个工作日 > 法定15个工作日"),)),
        guide("特种设备使用登记", texts.GUIDE_NAMES[16][1], "dl", None, None, phone=phone,
              marks=(flag(GUIDE, "missing", "no statutory or committed limit"),)),
        guide("食品生产加工小作坊登记", texts.GUIDE_NAMES[17][1], "table", "20个工作日",
              "10个工作日", phone=phone, notes=("法定办结时限：二十个工作日。",),
              fee="无", blank={"申请条件": "无"},
              marks=(decoy(GUIDE, "equal-numerals",
                           "法定 stated as 20个工作日 and 二十个工作日"),
                     decoy(ELEMENTS, "none-is-an-answer", "GBK guide: 申请条件 无, 收费标准 无"))),
        guide("药品零售企业许可", texts.GUIDE_NAMES[12][1], "p", "三十个工作日", "15个工作日",
              phone=phone),
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "table", "15个工作日", "当场办结",
              phone=phone, marks=(decoy(GUIDE, "immediate", "当场办结"),)),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        link_targets=targets,
        channels=[ChannelLink("在线咨询", "maintenance", "该功能暂停使用。")],
        consult_marks=[flag(CONSULT, "maintenance", "在线咨询 leads to 暂停使用")],
        home_marks=[decoy(IDENTIFIERS, "conac-by-script", "GBK footer: the 党政机关 mark comes "
                          "from the official dcs.conac.cn script, no bszs.conac.cn link in the HTML")],
        footer=Footer(conac="script"),
        search="none",
        search_marks=[flag(SEARCH, "no-search-box", "no search form, field or link anywhere")],
        home_blocks=_decoy_links("GBK", "skip", "friends", "friends-tabs"),
        address="松岭县松岭镇建设路45号",
    )


def _friday_before(day: date) -> date:
    """The latest Friday on or before `day` that is a working day."""
    while day.weekday() != 4 or workday_on_or_before(day) != day:
        day -= timedelta(days=1)
    return day


def qingxi(as_of: date) -> SitePlan:
    """TRS county portal with nothing wrong: every check must pass it; decoys only."""
    rng, ids = random.Random("qingxi"), Ids(3300)
    org, place = "清溪县人民政府", "清溪县"
    ident = _identity("qingxi", "清溪县人民政府", "清溪县人民政府办公室", "云南省临水市清溪县",
                      "539925", "0001", "portal", "www.qingxi.gov.cn", "我县", "网站地图")

    def col(key: str, name: str, n: int, kind: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, **kw)

    qxyw = col("qxyw", "清溪要闻", 20, "news")
    qxyw.articles[5].title = "清溪县今年以来暂无较大以上生产安全事故发生"
    _say(qxyw.articles[2], "县生态环境局会同环境保护部门开展执法检查，严格落实环境保护责任。",
         decoy(WORDING, "generic-phrase", "环境保护部门 (departments) is not 环境保护部 (the "
               "abolished ministry)"))
    _say(qxyw.articles[7], "国家市场监督管理总局（原国家工商行政管理总局）发布了新版登记指南。",
         decoy(WORDING, "former-name", "原国家工商行政管理总局: named as the former body"))
    qxyw.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    columns = [  # flat: every column the site map lists shows dated items
        qxyw,
        col("xzdt", "乡镇动态", 10, "news"),
        col("tzgg", "通知公告", 12, "notice"),
        col("zcwj", "政策文件", 8, "policy"),
        col("rsxx", "人事信息", 6, "notice"),
        col("czzj", "财政资金", 6, "notice"),
    ]
    _aged(columns, "人事信息", as_of, 300,
          decoy(STALE, "personnel-within-year", "newest item 300 days old (rule: 365)"))
    phone = str(ident["phone"])
    guides = [
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "table", "15个工作日", "即办",
              phone=phone, marks=(decoy(GUIDE, "immediate", "承诺: 即办"),)),
        guide("残疾人证核发", texts.GUIDE_NAMES[3][1], "table", "20个工作日", "二十个工作日",
              phone=phone, marks=(decoy(GUIDE, "equal-numerals",
                                        "法定20个工作日 = 承诺二十个工作日"),)),
        guide("城乡居民基本养老保险参保登记", texts.GUIDE_NAMES[2][1], "p", "即办", "当场办结",
              phone=phone, marks=(decoy(GUIDE, "immediate", "即办 / 当场办结"),)),
        guide("取水许可", texts.GUIDE_NAMES[8][1], "dl", "45日", "20个工作日", phone=phone,
              marks=(decoy(GUIDE, "commitment-shorter",
                           "20个工作日 (at most 38 days on the official calendar) < 45日"),)),
        guide("林木采伐许可证核发", texts.GUIDE_NAMES[5][1], "dl", "二十个工作日", "10个工作日",
              phone=phone, marks=(decoy(GUIDE, "commitment-shorter", "10个工作日 < 二十个工作日"),)),
    ]
    for i, item in enumerate(guides):
        item.day = date(2026, 9, 1 + i)
    messages = normal_messages(rng, as_of, 10)
    five_asked = workday_on_or_before(as_of - timedelta(days=20))
    messages += [
        *_holiday(as_of, answered(rng, date(2026, 9, 29), date(2026, 10, 12),
                 decoy(REPLY, "holiday-within-limit",
                       NATIONAL_DAY_NOTE + "; 10-10 (Saturday) is an adjusted workday"))),
        answered(rng, five_asked, add_workdays(five_asked, 5),
                 decoy(REPLY, "within-limit", "exactly 5 working days")),
        unanswered(rng, as_of, sub_workdays(as_of, 1), "未回复",
                   decoy(REPLY, "recent-unanswered", "asked 1 working day before as_of")),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("领导信箱", "board"), ChannelLink("我要咨询", "board")],
        board=Board("领导信箱", messages),
        home_marks=[decoy(HOME_STALE, "fresh", "newest item a few days old, shown as MM-DD"),
                    decoy(IDENTIFIERS, "code-label-variant", "the footer writes 网站识别码")],
        footer=Footer(code_label="网站识别码"),
        consult_marks=[decoy(CONSULT, "working-form", "领导信箱 with a working form")],
        search="fuzzy",
        search_marks=[decoy(SEARCH, "among-others", "a fuzzy search: the article is listed "
                            "among up to 20 titles sharing four characters, shortest first")],
        home_blocks=_decoy_links("TRS", "skip", "dropdown", "friends", "friends-tabs",
                                 menu=[("政务公开", ""), ("政策文件", "/zcwj/"),
                                       ("通知公告", "/tzgg/"), ("网站地图", "/wzdt/")]),
        address="清溪县清溪镇滨河路9号",
    )


def lanshan(as_of: date) -> SitePlan:
    """Modern county portal (UTF-8, gkmlpt): an empty list, a 404 column, late letters."""
    rng, ids = random.Random("lanshan"), Ids(508860)
    org, place = "蓝山县人民政府", "蓝山县"
    ident = _identity("lanshan", "蓝山县人民政府", "蓝山县人民政府办公室", GD_CITY + "蓝山县",
                      "449921", "0001", "portal", "www.lanshan.gov.cn", "我县", "网站地图",
                      province="粤", area="0763")

    def col(key: str, name: str, n: int, kind: str, style: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, date_style=style, **kw)

    bmdt = col("bmdt", "部门动态", 10, "news", "cn")
    bmdt.articles[3].title = "县市场监管局：今年以来全县暂无重大食品安全事故发生"
    bmdt.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    xwzx = Column("xwzx", "新闻中心", children=[
        col("lsyw", "蓝山要闻", 20, "news", "cn"), bmdt, col("zjdt", "镇街动态", 8, "news", "cn"),
    ], marks=[decoy(EMPTY, "subcolumns-only", "lists sub-columns which have items")])
    address = "蓝山县蓝山镇府前路1号"
    columns = [
        xwzx,
        col("zwgk/tzgg", "通知公告", 10, "notice", "slash"),
        col("zwgk/zcwj", "政策文件", 7, "policy", "slash"),
        Column("zwgk/jgzn", "机构职能", state="single-page",
               body=texts.jgzn(texts.JGZN_COUNTY, org=org, place=place, address=address,
                               phone=str(ident["phone"])),
               marks=[decoy(EMPTY, "single-page", "several paragraphs of text and no list")]),
        Column("zwgk/zxzj", "专项资金", state="blank",
               marks=[flag(EMPTY, "blank", "<div class=\"zw-list\"> holds no item")]),
        Column("zwgk/tjsj", "统计数据", state="missing", in_nav=False,
               marks=[flag(EMPTY, "column-404", "listed in the site map, answers 404"),
                      flag(BROKEN, "sitemap-404", "the site map's link answers 404: -0.1")]),
    ]
    _aged(columns, "蓝山要闻", as_of, 13,
          decoy(STALE, "news-13-days", "newest item 13 days old (rule: 14)"))
    phone = str(ident["phone"])
    guides = [
        guide("临时救助申请", texts.GUIDE_NAMES[4][1], "dl", None, None, phone=phone,
              marks=(flag(GUIDE, "missing", "no statutory or committed limit"),)),
        guide("建设工程消防验收", texts.GUIDE_NAMES[13][1], "dl", "20个工作日", "30个工作日",
              phone=phone,
              marks=(flag(GUIDE, "commitment-exceeds-legal", "承诺30个工作日 > 法定20个工作日"),)),
        guide("户外广告设施设置审批", texts.GUIDE_NAMES[10][1], "dl", "十五个工作日",
              "15个工作日", phone=phone,
              marks=(decoy(GUIDE, "equal-numerals", "法定十五个工作日 = 承诺15个工作日"),)),
        guide("城乡居民基本养老保险参保登记", texts.GUIDE_NAMES[2][1], "p", "即办", "即办",
              drop=("设定依据", "办理时间", "咨询方式"),
              phone=phone, marks=(decoy(GUIDE, "immediate", "即办"),
                                  decoy(ELEMENTS, "three-missing", "no 设定依据, 办理时间, 咨询方式: "
                                        "one short of the rule's 4"))),
        guide("个体工商户设立登记", texts.GUIDE_NAMES[0][1], "p", "15个工作日", "当场办结",
              phone=phone, marks=(decoy(GUIDE, "immediate", "承诺: 当场办结"),)),
        guide("农村村民住宅建设审批", "《中华人民共和国土地管理法》第六十二条", "p",
              "二十个工作日", "10个工作日", phone=phone),
    ]
    messages = normal_messages(rng, as_of, 9)
    late_asked = workday_on_or_before(as_of - timedelta(days=50))
    weekend_asked = _friday_before(as_of - timedelta(days=12))
    messages += [
        answered(rng, late_asked, add_workdays(late_asked, 8),
                 flag(REPLY, "late-reply", "deduct")),
        *_holiday(as_of, answered(rng, date(2026, 10, 9), date(2026, 10, 16),
                 flag(REPLY, "late-reply", "deduct: late only because 10-10 (Saturday) is an "
                      "adjusted workday; counting Monday-Friday gives 5"))),
        unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=130)), "办理中",
                   flag(REPLY, "unanswered", "veto: 办理中, never answered")),
        answered(rng, weekend_asked, add_workdays(weekend_asked, 5),
                 decoy(REPLY, "within-limit", "asked on a Friday, replied 5 working days later "
                       "across the weekend")),
        unanswered(rng, as_of, sub_workdays(as_of, 1), "待处理",
                   decoy(REPLY, "recent-unanswered", "asked 1 working day before as_of")),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("我要咨询", "board")],
        board=Board("咨询投诉", messages),
        home_marks=[decoy(HOME_STALE, "fresh", "modern template: items in tabs, the second "
                          "tab hidden by style; newest item a few days old")],
        consult_marks=[decoy(CONSULT, "working-form", "我要咨询 with a working form")],
        search_marks=[decoy(SEARCH, "script-driven", "the results page is filled by a script "
                            "from /api/search: it finds the article only when rendered")],
        address=address, variant="portal",
    )


def lanshan_wjw(as_of: date) -> SitePlan:
    """Modern department site served in GBK: a placeholder column, consultation down."""
    rng, ids = random.Random("lanshan-wjw"), Ids(611200)
    org, place = "蓝山县卫生健康局", "蓝山县"
    ident = _identity("lanshan-wjw", "蓝山县卫生健康局", "蓝山县卫生健康局", GD_CITY + "蓝山县",
                      "449921", "0034", "department", "wjw.lanshan.gov.cn", "我局", "网站地图",
                      province="粤", area="0763")
    topics = texts.HEALTH_TOPICS

    def col(key: str, name: str, n: int, kind: str, style: str, **kw: object) -> Column:
        return column(rng, ids, as_of, key, name, n, kind, org, place, topics=topics,
                      date_style=style, **kw)

    gzdt = col("xwdt/gzdt", "工作动态", 16, "news", "slash")
    gzdt.articles[2].title = "我县入秋以来暂无流感聚集性疫情报告"
    gzdt.marks.append(decoy(EMPTY, "title-has-placeholder-word",
                            "an item title contains 暂无; the column is full"))
    address = "蓝山县蓝山镇健康路22号"
    columns = [
        gzdt,
        col("xxgk/tzgg", "通知公告", 9, "notice", "cn"),
        col("xxgk/zcwj", "政策文件", 6, "policy", "cn"),
        Column("xxgk/jgzn", "机构职能", state="single-page",
               body=texts.jgzn(texts.JGZN_HEALTH, org=org, place=place, address=address,
                               phone=str(ident["phone"])),
               marks=[decoy(EMPTY, "single-page", "several paragraphs of text and no list")]),
        Column("xxgk/wsjd", "卫生监督", state="placeholder", placeholder="暂无相关信息",
               marks=[flag(EMPTY, "placeholder", "<div class=\"empty\">暂无相关信息</div>")]),
        col("jkkp", "健康科普", 8, "news", "slash"),
    ]
    _aged(columns, "通知公告", as_of, 170,
          decoy(STALE, "notices-170-days", "GBK; newest item 170 days old (rule: 180)"))
    phone = str(ident["phone"])
    health = dict(texts.HEALTH_GUIDES)
    guides = [
        guide("医师执业注册", health["医师执业注册"], "p", "依法定时限", "按法定时限办理",
              phone=phone, place="县政务服务中心卫生健康窗口",
              marks=(flag(GUIDE, "non-specific", "法定: 依法定时限; 承诺: 按法定时限办理"),)),
        guide("医疗机构执业登记", health["医疗机构执业登记"], "dl", "20个工作日", "10个工作日",
              phone=phone, place="县政务服务中心卫生健康窗口",
              notes=("法定办结时限：三十个工作日（自受理之日起计算）。",),
              marks=(flag(GUIDE, "inconsistent", "法定 stated as 20个工作日 and 三十个工作日"),)),
        guide("放射诊疗许可", health["放射诊疗许可"], "p", "20个工作日", "3个月", phone=phone,
              place="县政务服务中心卫生健康窗口",
              marks=(flag(GUIDE, "commitment-exceeds-legal", "承诺3个月 > 法定20个工作日"),)),
        guide("出生医学证明首次签发", health["出生医学证明首次签发"], "dl", "即办", "当场办结",
              phone=phone, place="县妇幼保健院出生医学证明办理窗口",
              marks=(decoy(GUIDE, "immediate", "即办 / 当场办结"),)),
        guide("母婴保健技术服务执业许可", health["母婴保健技术服务执业许可"], "dl", "60日",
              "30个工作日", phone=phone, place="县政务服务中心卫生健康窗口",
              marks=(decoy(GUIDE, "commitment-shorter",
                           "30个工作日 (at most 52 days on the official calendar) < 60日"),)),
        guide("护士执业注册", health["护士执业注册"], "p", "20个工作日", "二十个工作日",
              phone=phone, place="县政务服务中心卫生健康窗口",
              marks=(decoy(GUIDE, "equal-numerals", "法定20个工作日 = 承诺二十个工作日"),)),
        guide("公共场所卫生许可", health["公共场所卫生许可"], "dl", "二十日", "5个工作日",
              phone=phone, place="县政务服务中心卫生健康窗口"),
    ]
    return SitePlan(
        **ident, columns=columns, guides=guides,  # type: ignore[arg-type]
        channels=[ChannelLink("我要咨询", "maintenance",
                              "系统升级维护中，暂停使用。给您带来的不便，敬请谅解！")],
        consult_marks=[flag(CONSULT, "maintenance", "我要咨询 leads to 系统升级维护中，暂停使用")],
        home_marks=[decoy(IDENTIFIERS, "email-contact", "GBK footer: the contact is an e-mail "
                          "address, no phone")],
        footer=Footer(contact="email"),
        search_marks=[decoy(SEARCH, "gbk-script-driven", "a GBK page's form sends GBK bytes; the "
                            "script passes them on to /api/search; found only when rendered")],
        address=address, charset="gbk", variant="dept",
    )


SITE_PLANS = (
    ("trs", qingshan),
    ("trs", linshui_fgw),
    ("hanweb", yunxi),
    ("hanweb", baihe),
    ("hanweb", yunxi_jyj),
    ("oldgbk", songling),
    ("oldgbk", songling_scjgj),
    ("trs", qingxi),
    ("modern", lanshan),
    ("modern", lanshan_wjw),
)
