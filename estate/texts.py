"""Chinese text for demo pages: titles, paragraphs, letters, replies, guides.

Plausible wording matters: checks look for words like 暂无 or 工作日 in real
pages, so filler text must look like what county sites publish.
"""

from __future__ import annotations

import random
from datetime import date

TOPICS = [
    "秋季森林防火", "安全生产大检查", "高标准农田建设", "乡村振兴", "优化营商环境",
    "防汛抗旱", "耕地保护", "农村人居环境整治", "城乡居民医疗保险参保缴费", "消防安全",
    "食品安全", "义务教育招生", "退役军人优待", "地质灾害防治", "河湖长制",
    "森林草原防灭火", "城乡低保提标", "政务公开", "矛盾纠纷排查化解", "秸秆综合利用",
    "冬春农田水利建设", "农民工工资支付", "根治欠薪", "特种设备安全", "燃气安全专项整治",
]
TOWNS = ["东城镇", "西岭乡", "南山街道", "河口镇", "石桥乡", "龙潭镇", "马鞍山乡", "清水镇"]
DEPTS = [
    "县发展和改革局", "县教育体育局", "县公安局", "县民政局", "县财政局", "县人力资源和社会保障局",
    "县自然资源局", "县住房和城乡建设局", "县交通运输局", "县农业农村局", "县卫生健康局",
    "县应急管理局", "县市场监督管理局", "县医疗保障局", "县林业和草原局",
]
MEETINGS = ["工作推进会", "专题培训会", "工作部署会", "联席会议", "现场观摩会", "动员大会"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"

NEWS_PATTERNS = [
    "{org}召开{year}年{topic}{meeting}",
    "{town}扎实推进{topic}工作",
    "县领导到{town}调研{topic}工作",
    "{org}组织开展{topic}专题培训",
    "{town}多措并举做好{topic}工作",
    "{org}部署{topic}重点工作",
    "我县{topic}工作取得阶段性成效",
    "{town}开展{topic}宣传活动",
]
NOTICE_PATTERNS = [
    "关于开展{year}年{topic}工作的通知",
    "关于做好{year}年{topic}工作的通知",
    "{org}关于{topic}有关事项的公告",
    "关于{year}年{topic}检查结果的通报",
    "关于{topic}项目拟入选名单的公示",
]
POLICY_PATTERNS = [
    "{org}办公室关于印发{place}{topic}实施方案的通知",
    "关于进一步加强{topic}工作的实施意见",
    "{org}关于印发{place}{topic}三年行动计划（2026—2028年）的通知",
    "{place}{topic}管理办法",
]
PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院决策部署和省委、省政府工作要求，切实做好{topic}工作，"
    "结合{place}实际，现将有关事项通知如下。",
    "会议指出，{topic}工作事关人民群众切身利益，各乡镇、各部门要提高政治站位，压紧压实责任，"
    "确保各项措施落地见效。",
    "{town}坚持问题导向，组织工作人员深入村组、企业开展排查，建立问题清单，逐项明确整改时限和责任人。",
    "下一步，{org}将持续加强督促指导，及时总结推广经验做法，推动{topic}工作提质增效。",
    "各单位要严格落实值班值守制度，遇有重要情况及时报告，不得迟报、漏报、瞒报。",
    "活动期间，共发放宣传资料3200余份，解答群众咨询210余人次，营造了良好的社会氛围。",
    "请各乡镇、各有关部门于规定时间前将工作开展情况报送县{office}，联系电话：{phone}。",
]
OFFICES = ["政府办公室", "应急管理局", "农业农村局", "发展和改革局"]

LETTER_TITLES = [
    "咨询城乡居民医保缴费截止时间", "反映{town}某小区路灯长期不亮的问题",
    "关于孩子转学学籍办理的咨询", "咨询灵活就业人员社保补贴申请条件",
    "反映{town}村道路面破损严重", "关于不动产登记办理时限的咨询",
    "咨询高龄津贴申领流程", "反映{town}农贸市场夜间噪音扰民", "关于农村建房审批手续的咨询",
    "反映{town}自来水水压不足", "咨询新生儿落户需要哪些材料", "关于公租房申请条件的咨询",
    "反映{town}垃圾清运不及时", "咨询个体工商户注销办理流程", "关于耕地地力保护补贴发放的咨询",
    "反映某工地夜间施工扰民", "咨询残疾人两项补贴申请", "关于县城停车位收费标准的咨询",
]
LETTER_BODIES = [
    "您好！本人是{town}居民，{issue}，希望有关部门尽快核实处理，谢谢！",
    "尊敬的领导：{issue}，已多次向社区反映，至今未得到解决，恳请帮助协调。",
    "请问{issue}？在网上没有查到相关说明，麻烦给予解答。",
]
REPLIES = [
    "您好！您反映的问题已转交{dept}办理。经核实，{dept}已安排工作人员现场处理，目前问题已解决。"
    "感谢您对我县工作的关注和支持！",
    "您好！关于您咨询的问题，根据相关政策规定，请携带本人身份证及相关材料到县政务服务中心"
    "{dept}窗口办理，咨询电话：{phone}。感谢您的来信！",
    "网友您好！{dept}高度重视您反映的问题，已于收到来信后组织人员核查，"
    "并制定整改方案，将于近期完成整改。如有疑问，请致电{phone}。",
]

GUIDE_NAMES = [
    ("个体工商户设立登记", "《促进个体工商户发展条例》第八条"),
    ("食品经营许可", "《中华人民共和国食品安全法》第三十五条"),
    ("城乡居民基本养老保险参保登记", "《中华人民共和国社会保险法》第二十条"),
    ("残疾人证核发", "《中华人民共和国残疾人保障法》"),
    ("临时救助申请", "《社会救助暂行办法》第四十七条"),
    ("林木采伐许可证核发", "《中华人民共和国森林法》第五十六条"),
    ("教师资格认定", "《中华人民共和国教师法》第十条"),
    ("公共场所卫生许可", "《公共场所卫生管理条例》第八条"),
    ("取水许可", "《取水许可和水资源费征收管理条例》第二条"),
    ("企业投资项目备案", "《企业投资项目核准和备案管理条例》第十三条"),
    ("户外广告设施设置审批", "《城市市容和环境卫生管理条例》第十一条"),
    ("民办学校设立审批", "《中华人民共和国民办教育促进法》第十二条"),
    ("药品零售企业许可", "《中华人民共和国药品管理法》第五十二条"),
    ("建设工程消防验收", "《中华人民共和国消防法》第十三条"),
    ("固定资产投资项目节能审查", "《固定资产投资项目节能审查办法》第四条"),
    ("中小学校适龄儿童入学登记", "《中华人民共和国义务教育法》第十二条"),
    ("特种设备使用登记", "《中华人民共和国特种设备安全法》第三十三条"),
    ("食品生产加工小作坊登记", "《云南省食品生产加工小作坊和食品摊贩管理条例》"),
]

MATERIALS = ("1.申请书；2.申请人身份证明复印件；3.相关证明材料（原件及复印件）；"
             "4.法律法规规定的其他材料。")
PROCEDURE = "申请—受理—审查—决定—送达。申请人可通过窗口或网上办事大厅提交申请。"
CONDITIONS = "申请人应当具有完全民事行为能力，并符合法律法规规定的条件。"

# A county health commission (卫生健康局) writes about its own work.
HEALTH_TOPICS = [
    "基本公共卫生服务", "家庭医生签约服务", "秋冬季传染病防控", "爱国卫生运动", "职业病防治",
    "医疗质量安全", "妇幼健康", "健康素养促进", "无偿献血", "老年健康服务", "院前急救",
    "基层医疗卫生机构能力提升", "医疗卫生行业综合监管", "学校卫生", "饮用水卫生监测",
]

HEALTH_GUIDES = [
    ("医疗机构执业登记", "《医疗机构管理条例》第十五条"),
    ("医师执业注册", "《中华人民共和国医师法》第十三条"),
    ("公共场所卫生许可", "《公共场所卫生管理条例》第八条"),
    ("出生医学证明首次签发", "《中华人民共和国母婴保健法》第二十三条"),
    ("放射诊疗许可", "《放射诊疗管理规定》第十一条"),
    ("母婴保健技术服务执业许可", "《中华人民共和国母婴保健法实施办法》第三十五条"),
    ("护士执业注册", "《护士条例》第八条"),
]

# 机构职能: a single-page column, several paragraphs and no list.
JGZN_COUNTY = [
    "{org}是{place}的国家行政机关，对{place}人民代表大会及其常务委员会和上级人民政府负责并"
    "报告工作，接受上级国家行政机关的统一领导。",
    "主要职责：（一）执行{place}人民代表大会及其常务委员会的决议和上级国家行政机关的决定和命令，"
    "规定行政措施，发布决定和命令；（二）领导所属各工作部门和下级人民政府的工作；（三）改变或者撤销"
    "所属各工作部门的不适当的命令、指示和下级人民政府的不适当的决定、命令；（四）依照法律的规定任免、"
    "培训、考核和奖惩国家行政机关工作人员；（五）编制和执行国民经济和社会发展规划纲要、计划和预算，"
    "管理本行政区域内的经济、教育、科学、文化、卫生、体育、城乡建设等事业和生态环境保护、自然资源、"
    "财政、民政、社会保障、公安、民族事务、司法行政、人口与计划生育等行政工作；（六）保护社会主义的"
    "全民所有的财产和劳动群众集体所有的财产，保护公民私人所有的合法财产，维护社会秩序，保障公民的"
    "人身权利、民主权利和其他权利；（七）办理上级国家行政机关交办的其他事项。",
    "{org}实行县长负责制。县长领导县人民政府的工作，副县长协助县长工作。县人民政府工作中的重大"
    "问题，须经县人民政府常务会议或者全体会议讨论决定。",
    "办公地址：{address}；办公时间：工作日上午8:30—12:00，下午14:30—17:30；联系电话：{phone}。",
]
JGZN_HEALTH = [
    "{org}是{place}人民政府工作部门，为正科级，贯彻落实党中央关于卫生健康工作的方针政策和"
    "决策部署，在履行职责过程中坚持和加强党对卫生健康工作的集中统一领导。",
    "主要职责：（一）贯彻执行国家和省、市卫生健康法律法规和政策，拟订全县卫生健康事业发展规划并"
    "组织实施；（二）协调推进深化医药卫生体制改革，推进公立医院综合改革；（三）负责疾病预防控制"
    "工作，组织实施免疫规划，负责卫生应急工作，组织指导突发公共卫生事件的预防控制和各类突发公共"
    "事件的医疗卫生救援；（四）组织实施国家基本药物制度；（五）负责职责范围内的职业卫生、放射卫生、"
    "环境卫生、学校卫生、公共场所卫生、饮用水卫生等公共卫生的监督管理；（六）负责医疗机构、医疗"
    "服务行业管理办法的执行，建立医疗服务评价和监督管理体系；（七）负责计划生育管理和服务工作，"
    "开展人口监测预警；（八）指导基层医疗卫生、妇幼健康服务体系建设，推进卫生健康公共服务均等化；"
    "（九）完成县委、县人民政府交办的其他任务。",
    "内设机构：办公室、规划发展与信息化股、医政医管股、疾病预防控制股、基层卫生健康股、"
    "人口监测与家庭发展股、综合监督股。",
    "办公地址：{address}；联系电话：{phone}。",
]


def jgzn(paragraph_patterns: list[str], **given: str) -> list[str]:
    return [p.format(**given) for p in paragraph_patterns]


def fill(rng: random.Random, pattern: str, topics: list[str] | None = None,
         **given: str) -> str:
    """Fill a pattern's {slots} from the pools, keeping what the caller gave."""
    slots = {
        "topic": rng.choice(topics or TOPICS),
        "town": rng.choice(TOWNS),
        "meeting": rng.choice(MEETINGS),
        "dept": rng.choice(DEPTS),
        "office": rng.choice(OFFICES),
        "phone": f"0870-{rng.randint(3100000, 3199999)}",
        "year": "2026",
    }
    slots.update(given)
    return pattern.format(**slots)


def news_title(rng: random.Random, kind: str, org: str, place: str,
               topics: list[str] | None = None) -> str:
    patterns = {"news": NEWS_PATTERNS, "notice": NOTICE_PATTERNS, "policy": POLICY_PATTERNS}
    return fill(rng, rng.choice(patterns[kind]), topics, org=org, place=place)


def paragraphs(rng: random.Random, org: str, place: str, n: int = 3,
               topics: list[str] | None = None) -> list[str]:
    topic = rng.choice(topics or TOPICS)
    chosen = rng.sample(PARAGRAPHS, n)
    return [fill(rng, p, org=org, place=place, topic=topic) for p in chosen]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["先生", "女士", "**", "某某"])


def letter(rng: random.Random) -> tuple[str, str]:
    """A (title, body) pair for a citizen's letter."""
    title = fill(rng, rng.choice(LETTER_TITLES))
    issue = title.removeprefix("关于").removeprefix("咨询").removeprefix("反映")
    body = fill(rng, rng.choice(LETTER_BODIES), issue=issue)
    return title, body


def reply(rng: random.Random, dept: str) -> str:
    return fill(rng, rng.choice(REPLIES), dept=dept)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
