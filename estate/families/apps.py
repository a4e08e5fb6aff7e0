"""Family "apps": a county whose message board and service guides live on other hosts.

清漳县人民政府 (`qingzhang`), a fictional county of a fictional city in Hebei,
is a plain static site. What citizens use is elsewhere, and built as script
applications fed by JSON:

- the city's interaction platform (`canglan-hd`, 沧澜市政民互动平台): the
  county's letters list `/xjbl/list.html?area=130925` (page-number buttons
  that fetch `/api/letters?...&page=N`), its consultation list
  `/zxzx/list.html?area=130925` ("加载更多" appends the next page), and each
  message's detail page `/xjbl/detail.html?id=N` / `/zxzx/detail.html?id=N`
  filled from `/api/letter/N.json` (asked date, replied date or none). The
  write form `/xjbl/write.html` is static.
- the city's service hall (`canglan-zwfw`, 沧澜市政务服务网): the county's
  guide list `/bszn/list.html?area=130925` (cards, "加载更多") and each guide
  `/bszn/detail.html?id=N` filled from `/api/guide/N.json`, laid out as a
  label table, a definition list, cards, or tabs (the time limits in a tab
  that is hidden until clicked). Values are written by string concatenation,
  so a JSON `null` shows as "null", as on real pages.

Truth rows name the county as `site` and the platform or the hall as `host`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .. import texts
from ..workdays import add_workdays, sub_workdays, workday_on_or_before, workdays_between
from .base import (
    CONSULT,
    GUIDE,
    NEEDS_RENDER,
    REPLY,
    Family,
    FamilySite,
    Identity,
    articles,
    esc,
    footer,
    thanks,
)

TEMPLATE = "apps"
HOST_TEMPLATE = "platform"  # other hosts: not in the registry of inspected sites
AREA = "130925"
LIMIT_WD = 5
LOOKBACK_DAYS = 365
HOLIDAY_END = date(2026, 10, 12)  # the last reply date planted around the 2026 National Day

COUNTY = Identity(
    name="qingzhang", title="清漳县人民政府", organizer="清漳县人民政府办公室",
    region="河北省沧澜市清漳县", site_code="1309250001", kind="portal",
    domain="www.qingzhang.gov.cn", icp="冀ICP备09250001号-1", police="冀公网安备 13092502000101号",
    phone="0317-6621001", address="清漳县清河镇府前街8号",
)
HD = Identity(
    name="canglan-hd", title="沧澜市政民互动平台", organizer="沧澜市人民政府办公室",
    region="河北省沧澜市", site_code="1309000021", kind="portal",
    domain="hd.canglan.gov.cn", icp="冀ICP备09000021号-3", police="冀公网安备 13090002000121号",
    phone="0317-12345", address="沧澜市运河区永安大道18号",
)
ZWFW = Identity(
    name="canglan-zwfw", title="沧澜市政务服务网", organizer="沧澜市行政审批局",
    region="河北省沧澜市", site_code="1309000033", kind="portal",
    domain="zwfw.canglan.gov.cn", icp="冀ICP备09000033号-1", police="冀公网安备 13090002000133号",
    phone="0317-2151000", address="沧澜市运河区市民服务中心",
)


# --- messages -------------------------------------------------------------------------------
@dataclass
class Letter:
    title: str
    asker: str
    asked: datetime
    content: str
    replied: datetime | None
    reply: str
    dept: str
    status: str
    msg_id: int = 0
    mark: tuple[str, str, str] | None = None  # expect, problem, note


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute, (hour * 7 + minute) % 60))


def _answered(rng: random.Random, asked: date, replied: date,
              mark: tuple[str, str, str] | None = None) -> Letter:
    late = workdays_between(asked, replied)
    if mark is not None:
        expect, problem, note = mark
        if (expect == "flag") != (late > LIMIT_WD):
            raise AssertionError(f"{problem}: reply after {late} working days")
        mark = (expect, problem, f"{note}; asked {asked}, replied {replied}: {late} working days, "
                                 f"{(replied - asked).days} days".lstrip("; "))
    title, body = texts.letter(rng)
    dept = rng.choice(texts.DEPTS)
    return Letter(title, texts.person(rng), _at(asked, 9, 12), body, _at(replied, 16, 40),
                  texts.reply(rng, dept), dept, "已回复", mark=mark)


def _unanswered(rng: random.Random, as_of: date, asked: date, status: str,
                mark: tuple[str, str, str]) -> Letter:
    """Unanswered: overdue when past the limit and asked within the look-back year."""
    waited = workdays_between(asked, as_of)
    counted = (as_of - asked).days <= LOOKBACK_DAYS
    expect, problem, note = mark
    if (expect == "flag") != (waited > LIMIT_WD and counted):
        raise AssertionError(f"{problem}: unanswered {waited} working days, counted={counted}")
    mark = (expect, problem, f"{note}; asked {asked}, {status}, no reply after {waited} working "
                             f"days ({(as_of - asked).days} days)".lstrip("; "))
    title, body = texts.letter(rng)
    return Letter(title, texts.person(rng), _at(asked, 10, 5), body, None, "", "", status,
                  mark=mark)


def _normal(rng: random.Random, as_of: date, n: int) -> list[Letter]:
    found = []
    for _ in range(n):
        asked = workday_on_or_before(as_of - timedelta(days=rng.randint(12, 320)))
        found.append(_answered(rng, asked, add_workdays(asked, rng.randint(1, 4))))
    return found


def _board_letters(rng: random.Random, as_of: date) -> list[Letter]:
    letters = _normal(rng, as_of, 16)
    asked = workday_on_or_before(as_of - timedelta(days=40))
    letters.append(_answered(rng, asked, add_workdays(asked, 9),
                             ("flag", "late-reply", "deduct")))
    letters.append(_unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=150)),
                               "办理中", ("flag", "unanswered", "veto: 办理中, never answered")))
    letters.append(_unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=400)),
                               "办理中", ("decoy", "outside-lookback",
                                        "never answered, but asked more than a year before as-of")))
    asked = workday_on_or_before(as_of - timedelta(days=55))
    letters.append(_answered(rng, asked, add_workdays(asked, 5),
                             ("decoy", "within-limit", "exactly 5 working days")))
    letters.append(_unanswered(rng, as_of, sub_workdays(as_of, 2), "待回复",
                               ("decoy", "recent-unanswered", "asked 2 working days before as_of")))
    # Around the 2026 National Day holiday (10-01..07; 10-10 a Saturday workday).
    if HOLIDAY_END + timedelta(days=7) <= as_of and (as_of - date(2026, 9, 28)).days < 300:
        letters.append(_answered(rng, date(2026, 9, 28), add_workdays(date(2026, 9, 28), 6),
                                 ("flag", "late-reply", "deduct: across the National Day holiday")))
        letters.append(_answered(rng, date(2026, 9, 29), add_workdays(date(2026, 9, 29), 5),
                                 ("decoy", "holiday-within-limit",
                                  "13 calendar days but 5 working days: across the National Day "
                                  "holiday")))
    return letters


def _consult_letters(rng: random.Random, as_of: date) -> list[Letter]:
    letters = _normal(rng, as_of, 9)
    asked = workday_on_or_before(as_of - timedelta(days=250))
    letters.append(_answered(rng, asked, add_workdays(asked, 8),
                             ("flag", "late-reply", "deduct")))
    letters.append(_unanswered(rng, as_of, workday_on_or_before(as_of - timedelta(days=20)),
                               "待回复", ("flag", "unanswered", "deduct (under 3 months)")))
    asked = workday_on_or_before(as_of - timedelta(days=33))
    letters.append(_answered(rng, asked, add_workdays(asked, 3),
                             ("decoy", "within-limit", "3 working days")))
    return letters


HD_LIST_JS = """(function () {
  var box = document.getElementById('letter-list'), pager = document.getElementById('pager');
  var more = document.getElementById('load-more');
  var q = new URLSearchParams(location.search), area = q.get('area') || '';
  var kind = box.getAttribute('data-kind'), size = parseInt(box.getAttribute('data-size'), 10);
  function row(m) {
    return '<li class="letter-item"><a class="title" href="/' + kind + '/detail.html?id=' + m.id + '">' +
      m.title + '</a><span class="status s' + m.state + '">' + m.status + '</span>' +
      '<span class="time">' + m.asked + '</span></li>';
  }
  function load(page, append) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/' + kind + '?area=' + area + '&page=' + page + '&size=' + size);
    xhr.onload = function () {
      var d = JSON.parse(xhr.responseText), html = '';
      for (var i = 0; i < d.items.length; i++) { html += row(d.items[i]); }
      box.innerHTML = append ? box.innerHTML + html : html;
      var pages = Math.ceil(d.total / d.size);
      if (more) {
        more.style.display = page < pages ? '' : 'none';
        more.setAttribute('data-next', page + 1);
      } else {
        var nav = '';
        for (var p = 1; p <= pages; p++) {
          nav += '<button type="button" class="' + (p === page ? 'cur' : '') + '" data-page="' + p + '">' +
            p + '</button>';
        }
        pager.innerHTML = '共' + d.total + '条 ' + nav;
      }
    };
    xhr.send();
  }
  if (more) {
    more.onclick = function () { load(parseInt(more.getAttribute('data-next'), 10), true); };
  } else {
    pager.onclick = function (e) {
      var p = e.target.getAttribute('data-page');
      if (p) { load(parseInt(p, 10), false); }
    };
  }
  load(1, false);
})();
"""

HD_DETAIL_JS = """(function () {
  var box = document.getElementById('letter-detail');
  var id = new URLSearchParams(location.search).get('id');
  fetch('/api/letter/' + id + '.json').then(function (r) { return r.json(); }).then(function (m) {
    var rows = [['信件标题', m.title], ['来信人', m.asker], ['来信时间', m.asked], ['来信内容', m.content],
      ['办理状态', m.status], ['答复单位', m.dept || ''], ['答复时间', m.replied || ''],
      ['答复内容', m.reply || '']];
    if (box.getAttribute('data-layout') === 'dl') {
      box.innerHTML = '<h2 class="letter-title">' + m.title + '</h2><dl class="letter-info">' +
        rows.slice(1).map(function (r) { return '<dt>' + r[0] + '：</dt><dd>' + r[1] + '</dd>'; }).join('') +
        '</dl>';
    } else {
      box.innerHTML = '<table class="letter-table">' + rows.map(function (r) {
        return '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>';
      }).join('') + '</table>';
    }
    document.title = m.title + ' - 沧澜市政民互动平台';
  });
})();
"""

ZWFW_LIST_JS = """(function () {
  var box = document.getElementById('guide-list'), more = document.getElementById('load-more');
  var area = new URLSearchParams(location.search).get('area') || '';
  function load(page) {
    fetch('/api/guides?area=' + area + '&page=' + page).then(function (r) { return r.json(); })
      .then(function (d) {
        var html = '';
        d.items.forEach(function (g) {
          html += '<div class="sx-card"><a class="sx-name" href="/bszn/detail.html?id=' + g.id + '">' +
            g.name + '</a><div class="sx-dept">实施主体：' + g.dept + '</div>' +
            '<div class="sx-type">事项类型：' + g.type + '</div></div>';
        });
        box.insertAdjacentHTML('beforeend', html);
        var pages = Math.ceil(d.total / d.size);
        more.style.display = page < pages ? '' : 'none';
        more.setAttribute('data-next', page + 1);
      });
  }
  more.onclick = function () { load(parseInt(more.getAttribute('data-next'), 10)); };
  load(1);
})();
"""

ZWFW_DETAIL_JS = """(function () {
  var box = document.getElementById('guide');
  var id = new URLSearchParams(location.search).get('id');
  function table(rows) {
    return '<table class="guide-table">' + rows.map(function (r) {
      return '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>';
    }).join('') + '</table>';
  }
  function dl(rows, extra) {
    return '<dl class="guide-dl">' + rows.map(function (r) {
      return '<dt>' + r[0] + '</dt><dd>' + r[1] + '</dd>';
    }).join('') + (extra || '') + '</dl>';
  }
  function cards(rows) {
    return '<div class="guide-cards">' + rows.map(function (r) {
      return '<div class="card"><div class="card-label">' + r[0] + '</div><div class="card-value">' +
        r[1] + '</div></div>';
    }).join('') + '</div>';
  }
  function tabs(groups) {
    var head = '', body = '';
    groups.forEach(function (g, i) {
      head += '<li class="tab' + (i ? '' : ' active') + '" data-tab="' + i + '">' + g.name + '</li>';
      body += '<div class="tab-pane" data-tab="' + i + '"' + (i ? ' style="display:none"' : '') + '>' +
        table(g.rows) + '</div>';
    });
    return '<ul class="tab-head">' + head + '</ul><div class="tab-body">' + body + '</div>';
  }
  fetch('/api/guide/' + id + '.json').then(function (r) { return r.json(); }).then(function (g) {
    var main;
    if (g.layout === 'tabs') { main = tabs(g.groups); }
    else if (g.layout === 'dl') { main = dl(g.rows, g.extra); }
    else if (g.layout === 'cards') { main = cards(g.rows); }
    else { main = table(g.rows); }
    box.innerHTML = '<h2 class="guide-name">' + g.name + '</h2><div class="guide-sub">办事指南</div>' + main;
    document.title = g.name + '办事指南 - 沧澜市政务服务网';
    var heads = box.querySelectorAll('.tab-head .tab');
    for (var i = 0; i < heads.length; i++) {
      heads[i].onclick = function () {
        var n = this.getAttribute('data-tab'), panes = box.querySelectorAll('.tab-pane');
        for (var j = 0; j < panes.length; j++) {
          panes[j].style.display = panes[j].getAttribute('data-tab') === n ? '' : 'none';
        }
      };
    }
  });
})();
"""


# --- guides ---------------------------------------------------------------------------------
@dataclass
class GuideItem:
    name: str
    layout: str  # table | dl | cards | tabs
    legal: object  # a string, None (JSON null), or ... (row left out)
    committed: object
    mark: tuple[str, str, str]
    legal_again: str | None = None  # tabs: the statutory limit stated again in the 办理时限 tab
    extra: str = ""  # markup appended inside a <dl>
    guide_id: int = 0
    rows: list = field(default_factory=list)


OMIT = ...  # a limit whose row is not there at all

GUIDES = [
    GuideItem("建设工程消防验收", "table", "20个工作日", "",
              ("flag", "missing", "承诺办结时限 present but empty")),
    GuideItem("食品经营许可", "cards", None, None,
              ("flag", "missing", "both limits are JSON null: the cards show \"null\"")),
    GuideItem("二级建造师执业资格注册初审", "dl", "15个工作日", "无",
              ("flag", "missing", "承诺办结时限：无")),
    GuideItem("取水许可", "tabs", "-", "10个工作日",
              ("flag", "missing", "法定办结时限：- (in the hidden 办理时限 tab)")),
    GuideItem("城市建筑垃圾处置核准", "table", "20个工作日", "尽快办结",
              ("flag", "non-specific", "承诺办结时限：尽快办结")),
    GuideItem("公共场所卫生许可", "cards", "20个工作日", "30个工作日",
              ("flag", "commitment-exceeds-legal", "承诺30个工作日 > 法定20个工作日")),
    GuideItem("排水许可", "dl", "20个工作日", OMIT,
              ("flag", "missing", "only the statutory limit is stated: committed is missing")),
    GuideItem("户外广告设施设置审批", "tabs", "20个工作日", "10个工作日",
              ("flag", "inconsistent", "法定 20个工作日 in 基本信息, 15个工作日 in the 办理时限 tab"),
              legal_again="15个工作日"),
    GuideItem("医疗机构执业登记", "table", "45日", "20个工作日",
              ("decoy", "commitment-shorter", "20个工作日 < 45日")),
    GuideItem("个体工商户设立登记", "cards", "15个工作日", "即办",
              ("decoy", "immediate", "承诺: 即办")),
    GuideItem("民办非企业单位成立登记", "tabs", "六十日", "二十个工作日",
              ("decoy", "commitment-shorter", "二十个工作日 < 六十日, both in the hidden tab")),
    GuideItem("残疾人证核发", "dl", "20个工作日", "15个工作日",
              ("decoy", "commitment-shorter",
               "a commented-out <dd> follows one <dt> (<dt>…</dt><!--<dd>…</dd>-->)"),
              extra="<dt>网上办理深度</dt><!--<dd>四级</dd>--><dd>三级（全程网办）</dd>"),
]


def _guide_rows(g: GuideItem, dept: str) -> tuple[list, list]:
    """(basic rows, time-limit rows) as [label, value] pairs; a None value stays null."""
    basic = [["事项名称", g.name], ["事项类型", "行政许可" if "许可" in g.name or "审批" in g.name
                                     or "核准" in g.name else "行政确认"],
             ["实施主体", dept], ["设定依据", texts.GUIDE_NAMES[0][1]],
             ["申请条件", texts.CONDITIONS], ["申请材料", texts.MATERIALS],
             ["办理流程", texts.PROCEDURE]]
    limits = []
    if g.legal is not OMIT:
        limits.append(["法定办结时限", g.legal])
    if g.committed is not OMIT:
        limits.append(["承诺办结时限", g.committed])
    tail = [["收费标准", "不收费"], ["办理地点", "清漳县政务服务中心一楼综合窗口"],
            ["办理时间", "工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）"],
            ["咨询电话", "0317-6625100"], ["监督投诉电话", "12345"]]
    return basic, limits + tail


def build(as_of: date) -> Family:
    family = Family()
    county = FamilySite(COUNTY, TEMPLATE, family.truth)
    hd = FamilySite(HD, HOST_TEMPLATE, family.truth, owner=COUNTY.name)
    zwfw = FamilySite(ZWFW, HOST_TEMPLATE, family.truth, owner=COUNTY.name)
    rng = random.Random("apps:qingzhang")
    _interaction_platform(hd, rng, as_of)
    _service_hall(zwfw)
    _county(county, rng, as_of)
    family.sites += [county.spec(), hd.spec(), zwfw.spec()]
    return family


def _host_frame(ident: Identity, nav: list[tuple[str, str]], title: str, main: str,
                tail: str = "") -> str:
    links = "".join(f'<a href="{h}">{esc(t)}</a>' for t, h in nav)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="SiteName" content="{ident.title}">
<meta name="SiteIDCode" content="{ident.site_code}"><title>{esc(title)} - {ident.title}</title></head>
<body><div class="header"><div class="logo">{ident.title}</div><div class="nav">{links}</div></div>
<div class="container">{main}</div>{footer(ident)}{tail}</body></html>"""


def _interaction_platform(hd: FamilySite, rng: random.Random, as_of: date) -> None:
    nav = [("首页", "/"), ("书记县长信箱", f"/xjbl/list.html?area={AREA}"),
           ("咨询投诉", f"/zxzx/list.html?area={AREA}"), ("我要写信", f"/xjbl/write.html?area={AREA}")]

    def page(title: str, main: str, tail: str = "") -> str:
        return _host_frame(HD, nav, title, main, tail)

    boards = (("xjbl", "书记县长信箱", _board_letters(rng, as_of), 10, "table", None),
              ("zxzx", "咨询投诉", _consult_letters(rng, as_of), 8, "dl", "加载更多"))
    next_id = 260001
    for kind, name, letters, size, layout, more in boards:
        letters.sort(key=lambda m: m.asked, reverse=True)
        for m in letters:
            m.msg_id = next_id
            next_id += 17
        items = [{"id": m.msg_id, "title": m.title, "asked": m.asked.strftime("%Y-%m-%d"),
                  "status": m.status, "state": 1 if m.replied else 0} for m in letters]
        pages = [items[i:i + size] for i in range(0, len(items), size)]
        for p, chunk in enumerate(pages, start=1):
            hd.json(f"/api/{kind}?area={AREA}&page={p}&size={size}",
                    {"total": len(items), "page": p, "size": size, "items": chunk})
        control = ('<button type="button" id="load-more" class="load-more">加载更多</button>' if more
                   else '<div class="pager" id="pager"></div>')
        hd.html(f"/{kind}/list.html", page(name, f"""<div class="crumb">首页 &gt; 清漳县 &gt; {name}</div>
<div class="tool"><a class="write" href="/xjbl/write.html?area={AREA}">我要写信</a></div>
<div class="list-head"><span>信件标题</span><span>办理状态</span><span>来信日期</span></div>
<ul class="letter-list" id="letter-list" data-kind="{kind}" data-size="{size}"></ul>{control}""",
                                           '<script src="/static/js/list.js?v=3.2"></script>'))
        # The list page is reached with ?area=; both spellings are the same document.
        hd.get_handlers[f"/{kind}/list.html"] = lambda _p, r=hd.resources[f"/{kind}/list.html"]: r
        shell = page("信件详情", f'<div class="crumb">首页 &gt; {name} &gt; 信件详情</div>'
                                 f'<div id="letter-detail" class="letter-detail" data-layout="{layout}"></div>',
                     '<script src="/static/js/detail.js?v=3.2"></script>')
        hd.html(f"/{kind}/detail.html", shell)
        shell_res = hd.resources[f"/{kind}/detail.html"]
        hd.get_handlers[f"/{kind}/detail.html"] = lambda _p, r=shell_res: r
        for pos, m in enumerate(letters):
            hd.json(f"/api/letter/{m.msg_id}.json", {
                "id": m.msg_id, "title": m.title, "asker": m.asker,
                "asked": m.asked.strftime("%Y-%m-%d %H:%M:%S"), "content": m.content,
                "status": m.status, "dept": m.dept,
                "replied": m.replied.strftime("%Y-%m-%d %H:%M:%S") if m.replied else None,
                "reply": m.reply})
            if m.mark is not None:
                expect, problem, note = m.mark
                where = (f"list page {pos // size + 1} (page button)" if not more else
                         f"batch {pos // size + 1} ('加载更多')")
                row = hd.flag if expect == "flag" else hd.decoy
                row(REPLY, f"/{kind}/detail.html?id={m.msg_id}", problem,
                    f"{NEEDS_RENDER}: {note}; {name}, {where}")
    hd.script("/static/js/list.js", HD_LIST_JS)
    hd.script("/static/js/detail.js", HD_DETAIL_JS)
    hd.get_handlers["/static/js/list.js"] = lambda _p: hd.resources["/static/js/list.js"]
    hd.get_handlers["/static/js/detail.js"] = lambda _p: hd.resources["/static/js/detail.js"]
    form = f"""<form action="/xjbl/save.do" method="post" class="write-form">
<input type="hidden" name="area" value="{AREA}">
<p><label>写信对象</label><select name="target"><option>清漳县委书记</option><option>清漳县县长</option></select></p>
<p><label>姓名</label><input type="text" name="name"></p><p><label>手机</label><input type="text" name="phone"></p>
<p><label>信件标题</label><input type="text" name="title"></p>
<p><label>信件内容</label><textarea name="content" rows="10"></textarea></p>
<p><button type="submit">提交</button></p></form>"""
    hd.html("/xjbl/write.html", _host_frame(HD, nav, "我要写信", f"<h2>我要写信</h2>{form}"))
    hd.get_handlers["/xjbl/write.html"] = lambda _p: hd.resources["/xjbl/write.html"]
    hd.post_handlers["/xjbl/save.do"] = thanks("我要写信")
    hd.html("/", _host_frame(HD, nav, "首页", '<div class="areas"><h3>各县（市、区）</h3><ul>'
                             f'<li><a href="/xjbl/list.html?area={AREA}">清漳县</a></li></ul></div>'))


def _service_hall(zwfw: FamilySite) -> None:
    nav = [("首页", "/"), ("个人办事", f"/bszn/list.html?area={AREA}"),
           ("法人办事", f"/bszn/list.html?area={AREA}&type=fr")]
    dept_of = ["清漳县行政审批局", "清漳县市场监督管理局", "清漳县卫生健康局", "清漳县水务局"]
    size = 6
    items = []
    for i, g in enumerate(GUIDES):
        g.guide_id = 13092500101 + i * 3
        dept = dept_of[i % len(dept_of)]
        basic, limits = _guide_rows(g, dept)
        data: dict[str, object] = {"id": g.guide_id, "name": g.name, "layout": g.layout}
        if g.layout == "tabs":
            # The statutory limit may be stated twice: in 基本信息 and again in 办理时限.
            legal_basic = [["法定办结时限", g.legal]] if g.legal_again else []
            again = limits
            if g.legal_again:
                again = [["法定办结时限", g.legal_again]] + [r for r in limits
                                                          if r[0] != "法定办结时限"]
            data["groups"] = [{"name": "基本信息", "rows": basic + legal_basic},
                              {"name": "办理时限", "rows": again[:2]},
                              {"name": "办理地点及时间", "rows": again[2:]}]
        else:
            data["rows"] = basic + limits
            data["extra"] = g.extra
        zwfw.json(f"/api/guide/{g.guide_id}.json", data)
        items.append({"id": g.guide_id, "name": g.name, "dept": dept,
                      "type": "行政许可" if "许可" in g.name or "审批" in g.name else "行政确认"})
        expect, problem, note = g.mark
        row = zwfw.flag if expect == "flag" else zwfw.decoy
        row(GUIDE, f"/bszn/detail.html?id={g.guide_id}", problem,
            f"{NEEDS_RENDER}: {note}; layout {g.layout}; guide list batch {i // size + 1}"
            + (" ('加载更多')" if i >= size else ""))
    for p in range(0, len(items), size):
        zwfw.json(f"/api/guides?area={AREA}&page={p // size + 1}",
                  {"total": len(items), "page": p // size + 1, "size": size,
                   "items": items[p:p + size]})
    list_page = _host_frame(ZWFW, nav, "办事指南", """<div class="crumb">首页 &gt; 清漳县 &gt; 办事指南</div>
<div class="sx-list" id="guide-list"></div><button type="button" id="load-more" class="more">加载更多</button>""",
                            '<script src="/static/js/guides.js"></script>')
    zwfw.html("/bszn/list.html", list_page)
    zwfw.get_handlers["/bszn/list.html"] = lambda _p: zwfw.resources["/bszn/list.html"]
    zwfw.html("/bszn/detail.html", _host_frame(ZWFW, nav, "办事指南",
                                               '<div class="crumb">首页 &gt; 办事指南</div>'
                                               '<div id="guide" class="guide-detail"></div>',
                                               '<script src="/static/js/guide.js"></script>'))
    zwfw.get_handlers["/bszn/detail.html"] = lambda _p: zwfw.resources["/bszn/detail.html"]
    zwfw.script("/static/js/guides.js", ZWFW_LIST_JS)
    zwfw.script("/static/js/guide.js", ZWFW_DETAIL_JS)
    zwfw.html("/", _host_frame(ZWFW, nav, "首页", '<div class="areas"><h3>县（市、区）政务服务</h3>'
                               f'<a href="/bszn/list.html?area={AREA}">清漳县</a></div>'))


def _county(county: FamilySite, rng: random.Random, as_of: date) -> None:
    ident = COUNTY
    hd, zwfw = f"http://{{{{host:{HD.name}}}}}", f"http://{{{{host:{ZWFW.name}}}}}"
    nav = [("首页", "/"), ("清漳要闻", "/xwzx/qzyw/"), ("通知公告", "/xwzx/tzgg/"),
           ("办事服务", f"{zwfw}/bszn/list.html?area={AREA}"),
           ("互动交流", f"{hd}/xjbl/list.html?area={AREA}")]

    def page(title: str, main: str) -> str:
        links = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in nav)
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="{ident.title}">
<meta name="SiteDomain" content="{ident.domain}"><meta name="SiteIDCode" content="{ident.site_code}">
<title>{esc(title)}-{ident.title}</title></head>
<body><div class="top"><span>{ident.title}</span><a href="/wzdt/">网站地图</a></div>
<ul class="nav">{links}</ul><div class="main">{main}</div>{footer(ident)}</body></html>"""

    org, place = ident.title, "清漳县"
    cols = {"xwzx/qzyw": ("清漳要闻", articles(rng, as_of, 14, "news", org, place, 80101)),
            "xwzx/tzgg": ("通知公告", articles(rng, as_of, 8, "notice", org, place, 80501, (5, 15)))}
    for col, (name, arts) in cols.items():
        rows = "".join(f'<li><a href="/{col}/{a.art_id}.html">{esc(a.title)}</a>'
                       f"<span>{a.day.isoformat()}</span></li>" for a in arts)
        county.html(f"/{col}/index.html", page(name, f'<h2>{name}</h2><ul class="list">{rows}</ul>'))
        for a in arts:
            county.html(f"/{col}/{a.art_id}.html",
                        page(a.title, f"<h1>{esc(a.title)}</h1><p>{a.day.isoformat()}</p>"
                             + "".join(f"<p>{esc(t)}</p>" for t in a.paragraphs)))
    news = "".join(f'<li><a href="/xwzx/qzyw/{a.art_id}.html">{esc(a.title)}</a></li>'
                   for a in cols["xwzx/qzyw"][1][:6])
    home = f"""<div class="news"><h3>清漳要闻</h3><ul>{news}</ul></div>
<div class="hudong"><h3>政民互动</h3><a href="{hd}/xjbl/write.html?area={AREA}">我要写信</a>
<a href="{hd}/zxzx/list.html?area={AREA}">我要咨询</a>
<a href="{hd}/xjbl/list.html?area={AREA}">书记县长信箱</a></div>
<div class="bszn"><h3>办事服务</h3><a href="{zwfw}/bszn/list.html?area={AREA}">办事指南</a></div>"""
    county.html("/", page("首页", home))
    county.html("/wzdt/index.html", page("网站地图", '<h2>网站地图</h2><ul class="map">'
                                         '<li><a href="/xwzx/qzyw/">清漳要闻</a></li>'
                                         '<li><a href="/xwzx/tzgg/">通知公告</a></li>'
                                         f'<li><a href="{zwfw}/bszn/list.html?area={AREA}">办事指南</a></li>'
                                         f'<li><a href="{hd}/xjbl/list.html?area={AREA}">书记县长信箱</a></li>'
                                         "</ul>"))
    county.decoy(CONSULT, "/", "platform-channel",
                 "我要写信 / 我要咨询 / 书记县长信箱 lead to the city's interaction platform "
                 "(another host); the write form there is static")
