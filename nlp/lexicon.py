"""Closed word lists of the genre: procedural roles, representative labels, causes, suffixes."""

from __future__ import annotations

# Procedural roles of parties, as written in the party paragraphs. Longest first matters.
PARTY_ROLES: tuple[str, ...] = tuple(sorted({
    "原告", "被告", "第三人", "上诉人", "被上诉人", "原审原告", "原审被告", "原审第三人",
    "一审原告", "一审被告", "一审第三人", "二审上诉人", "二审被上诉人",
    "申请执行人", "被执行人", "申请人", "被申请人", "再审申请人", "申请再审人", "被申请再审人",
    "复议申请人", "申请复议人", "被复议人", "异议人", "案外人", "申诉人", "被申诉人",
    "起诉人", "反诉原告", "反诉被告", "原告人", "被告人",
    "当事人", "被处罚人", "被处罚单位", "违法行为人", "违法嫌疑人", "被处罚对象", "行政相对人",
    "申请执行人（原告）", "追加被执行人", "被追加人", "债权人", "债务人", "担保人", "抵押人",
    "利害关系人", "保证人", "受处罚人", "受处罚单位", "被处罚当事人", "受处罚当事人", "被处罚主体",
    "受处罚主体",
}, key=len, reverse=True))

# Labels as written → the contract's leading role (penalty decisions name their parties many ways;
# the label as written is kept in `role_full`).
ROLE_CANON: dict[str, str] = {
    "被处罚单位": "当事人", "被处罚人": "当事人", "受处罚人": "当事人", "受处罚单位": "当事人",
    "被处罚当事人": "当事人", "受处罚当事人": "当事人", "被处罚主体": "当事人",
    "受处罚主体": "当事人", "被处罚对象": "当事人", "行政相对人": "当事人", "名称": "当事人",
    "单位名称": "当事人", "个人姓名": "当事人",
}

# Roles that are legal only inside a party paragraph block (not in narrative sentences).
WEAK_ROLES = {"债权人", "债务人", "担保人", "抵押人", "保证人", "利害关系人"}

# People who act for a party; they are not parties themselves.
REPRESENTATIVE_LABELS: tuple[str, ...] = tuple(sorted({
    "法定代表人", "负责人", "主要负责人", "法定代理人", "诉讼代表人", "投资人", "经营者",
    "执行事务合伙人", "代表人", "法定代表人（负责人）", "法定代表人或负责人", "单位负责人",
}, key=len, reverse=True))
AGENT_LABELS: tuple[str, ...] = tuple(sorted({
    "委托诉讼代理人", "委托代理人", "诉讼代理人", "指定代理人", "共同委托诉讼代理人",
    "共同委托代理人", "代理人", "特别授权代理人",
}, key=len, reverse=True))

# Field labels that continue a party paragraph on its own line (penalty decisions, notices).
DETAIL_LABELS: tuple[str, ...] = (
    "统一社会信用代码", "社会信用代码", "组织机构代码", "注册号", "营业执照注册号",
    "身份证号码", "公民身份号码", "身份证号", "身份证件号码", "证件号码", "住所地", "住所",
    "住址", "地址", "经营场所", "现住址", "户籍地", "户籍所在地", "联系电话", "电话", "性别",
    "出生日期", "民族", "职务", "工作单位", "类型", "名称", "姓名", "国籍", "文化程度",
    "经营者姓名", "主体资格证照名称", "营业执照", "成立日期", "注册资本", "经营范围",
)

# 民事案件案由 most relevant to bank credit risk (longest match wins), plus generic fallbacks.
CAUSES: tuple[str, ...] = tuple(sorted({
    "金融借款合同纠纷", "借款合同纠纷", "民间借贷纠纷", "保证合同纠纷", "追偿权纠纷",
    "买卖合同纠纷", "信用卡纠纷", "储蓄存款合同纠纷", "抵押合同纠纷", "质押合同纠纷",
    "融资租赁合同纠纷", "保理合同纠纷", "票据追索权纠纷", "票据付款请求权纠纷", "票据纠纷",
    "企业借贷纠纷", "小额借款合同纠纷", "同业拆借纠纷", "合同纠纷", "债权转让合同纠纷",
    "债务转移合同纠纷", "债权人代位权纠纷", "债权人撤销权纠纷", "建设工程施工合同纠纷",
    "租赁合同纠纷", "房屋租赁合同纠纷", "房屋买卖合同纠纷", "承揽合同纠纷", "服务合同纠纷",
    "劳务合同纠纷", "劳动争议", "不当得利纠纷", "委托合同纠纷", "股权转让纠纷", "合伙协议纠纷",
    "执行异议之诉", "案外人执行异议之诉", "申请执行人执行异议之诉", "借记卡纠纷",
    "担保物权纠纷", "实现担保物权", "抵押权纠纷", "质权纠纷", "保证保险合同纠纷",
    "财产保险合同纠纷", "人身保险合同纠纷", "运输合同纠纷", "机动车交通事故责任纠纷",
    "金融委托理财合同纠纷", "委托理财合同纠纷", "定金合同纠纷", "典当纠纷", "分期付款买卖合同纠纷",
    "婚姻家庭纠纷", "离婚纠纷", "离婚后财产纠纷", "继承纠纷", "物权保护纠纷", "所有权确认纠纷",
    "股东出资纠纷", "损害公司债权人利益责任纠纷", "公司解散纠纷", "破产债权确认纠纷",
    "申请破产清算", "追收未缴出资纠纷", "确认合同无效纠纷", "侵权责任纠纷", "财产损害赔偿纠纷",
    "撤销权纠纷", "代位权纠纷", "买卖合同纠纷、保证合同纠纷", "借款合同、保证合同纠纷",
}, key=len, reverse=True))

# Endings of organisation names.
ORG_SUFFIXES: tuple[str, ...] = (
    "公司", "银行", "分行", "支行", "营业部", "合作社", "信用社", "联社", "中心", "厂", "店",
    "经营部", "商行", "门市部", "门市", "超市", "集团", "事务所", "委员会", "村委会", "协会",
    "学校", "学院", "大学", "医院", "卫生院", "诊所", "研究院", "研究所", "局", "处", "站",
    "政府", "办事处", "管理处", "中队", "大队", "支队", "总队", "分局", "分公司", "部",
    "工作室", "俱乐部", "酒店", "宾馆", "饭店", "餐厅", "农场", "林场", "养殖场", "种植场",
    "作坊", "商店", "药房", "药店", "加油站", "基金会", "联合会", "商会", "社", "馆", "院",
    "所", "行", "家庭农场", "个体工商户", "有限合伙", "（有限合伙）", "（普通合伙）", "基金",
    "资产管理计划", "信托计划", "企业", "监管局", "监管分局", "金融监管局",
)
ORG_INFIXES: tuple[str, ...] = ("公司", "银行", "合作社", "信用社", "集团", "有限", "股份",
                                 "合伙", "企业", "工作室", "事务所")

# Issuing authorities of penalty decisions / names of courts.
AUTHORITY_SUFFIXES: tuple[str, ...] = (
    "人民法院", "法院", "市场监督管理局", "监督管理局", "管理局", "监管局", "监管分局", "分局",
    "公安局", "派出所", "委员会", "银保监会", "证监会", "人民银行", "中心支行", "分行",
    "总局", "局", "支队", "大队", "人民政府", "管理委员会",
)

GUARANTEE_TYPES: tuple[str, ...] = (
    "最高额连带责任保证", "连带责任保证", "最高额保证", "一般保证", "最高额抵押", "最高额质押",
    "抵押", "质押", "留置", "定金", "保证",
)

# Common Chinese surnames (single and compound). A name found only in running text (a guarantor or
# debtor who is not a party: `经宋某介绍并担保`, `担保人：矫某`, `为吴某的借款`) must start with one.
SURNAMES_2: frozenset[str] = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "申屠", "夏侯",
    "轩辕", "长孙", "宇文", "司徒", "端木", "西门", "独孤", "南宫", "万俟", "闻人", "澹台", "呼延",
})
SURNAMES_1: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳"
    "甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解"
    "牟艾尤阳穆农司卓古吉缪简车项连芦卢麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边"
    "卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚"
    "鄢劳谌奚皮粟冼蔺楼满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋相初门"
    "云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿鲜印逯隆茹诸战慕危玉银亢嵇湛宾戎勾茅"
    "於揭干尉冶斯元束檀衣信展昝"
    # rarer ones, all seen as surnames of litigants
    "矫逄郗佴笪蔚郦雎暴贲糜钮缑仉訾闾眭鄂鄞尕揣庹蹇綦隗禚昌弓扶堵宓蓬郤丘钦凤双幸韶蓟怀从咸籍赖"
    "阴能苍莘贡宰璩濮寿通别习宦鱼慎庾暨居衡步弘广禄东殳沃越夔厍融毋乜养须巢蒯后红竺益桓督郈琴归"
    "法汝伯赏墨哈谯年言福铁线洪付代邴邱仇逢荀侍秋谌隗奉种揭贵回尧郦芈伦"
)
# Substrings that never occur in a person's name but often follow 担保人/介绍 in running text.
NOT_NAME_PARTS: tuple[str, ...] = (
    "未", "不", "没", "无", "均", "已", "也", "都", "应", "需", "签", "责任", "保证", "担保", "借款",
    "还款", "同意", "愿意", "自愿", "承担", "出具", "本人", "双方", "一方", "此", "该", "其", "上述",
    "到庭", "答辩", "处", "栏", "身份", "的", "原告", "被告", "法院", "银行", "公司",
)


def plausible_person_name(s: str) -> bool:
    """Return True when ``s`` (2–4 characters, masked forms such as 张某/李某1/王×× too) reads as a
    person's name: a common surname first and no word that cannot be part of a name."""
    if not 2 <= len(s.rstrip("0123456789")) <= 4:
        return False
    # 其 is a given-name character in the middle of a three-character name (`翁其伟`), a pronoun elsewhere
    rest = s[:1] + s[2:] if len(s) == 3 and s[1] == "其" else s
    if any(w in rest for w in NOT_NAME_PARTS):
        return False
    return s[:2] in SURNAMES_2 or s[0] in SURNAMES_1
