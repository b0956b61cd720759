/*
 * schemas_builtin.c - the report's entities (NAMES.md) as C data.
 *
 * Each entity is a list of field definitions: the field id of the shared
 * contract, its Chinese name, its type and flags, and the spellings offices
 * use for its header and its values. Users extend these at run time through
 * the registry (hgq_schema_add_*), never by editing this file.
 */
#include "model.h"

#define REQ HGQ_FIELD_REQUIRED
#define UNIQ HGQ_FIELD_UNIQUE
#define SQZ HGQ_FIELD_SQUEEZE
#define RANGE (HGQ_FIELD_MIN | HGQ_FIELD_MAX)
#define MIN0 HGQ_FIELD_MIN

/* 1930-01-01 as a serial: no one on a roster was born earlier. */
#define BIRTH_MIN 10959.0

#define F(id, label, type, flags, min, max, unit, headers, values, synonyms, ref) \
    {id, label, type, flags, min, max, unit, headers, values, synonyms, ref}

/* Shared spellings. */
#define NAME_HEADERS "姓名|名字|学生姓名|教师姓名|职工姓名|教职工姓名|员工姓名|本人姓名"
#define ID_HEADERS "身份证号|身份证号码|身份证|证件号码|证件号|公民身份号码|身份证件号|身份证件号码|身份证件号码|居民身份证号码"
#define GENDER_HEADERS "性别"
#define BIRTH_HEADERS "出生日期|出生年月|出生年月日|生日|出生时间"

#define MAJOR_SYNONYMS                                                               \
    "数控技术=数控机床装配与维修|数控机床=数控机床装配与维修|数控技术应用=数控机床装配与维修|" \
    "数控加工=数控机床装配与维修|数控=数控机床装配与维修|数控机床装配与维修专业=数控机床装配与维修|" \
    "电子技术=电子技术应用|电子应用技术=电子技术应用|电子技术应用专业=电子技术应用|"        \
    "计算机应用=计算机应用与维修|计算机应用与维修专业=计算机应用与维修|"                \
    "工业机器人=工业机器人应用与维护|工业机器人应用与维护专业=工业机器人应用与维护|"      \
    "会计专业=会计|会计事务=会计|电子商务专业=电子商务|电商=电子商务|模具制造专业=模具制造"

#define MAJOR_CATEGORIES                                                               \
    "机械类|电工电子类|信息类|交通类|服务类|财经商贸类|农业类|能源类|化工类|冶金类|建筑类|" \
    "医药类|轻纺食品类|文化艺术类|其他"

#define HARDSHIP_SYNONYMS                                                         \
    "建档立卡贫困家庭=建档立卡|建档立卡户=建档立卡|建档立卡贫困户=建档立卡|"          \
    "建档立卡贫困家庭学生=建档立卡|非涉农困难=非涉农困难家庭|非涉农困难家庭学生=非涉农困难家庭|" \
    "无=|否=|非困难=|一般=|不是="

static const hgq_field_def school_fields[] = {
    F("name", "学校名称", HGQ_FT_TEXT, REQ, 0, 0, NULL, "学校名称|学校|校名|单位名称", NULL, NULL, NULL),
    F("sponsor", "主办单位", HGQ_FT_TEXT, 0, 0, 0, NULL, "主办单位|举办单位|举办者|主管单位", NULL, NULL, NULL),
    F("founded", "创办时间", HGQ_FT_DATE, HGQ_FIELD_PAST, 0, 0, NULL, "创办时间|创办日期|建校时间|成立时间|建校日期", NULL, NULL, NULL),
    F("type", "学校类型", HGQ_FT_ENUM, 0, 0, 0, NULL, "学校类型|办学层次|学校类别|院校类型",
      "技工学校|高级技工学校|技师学院", "技校=技工学校|普通技工学校=技工学校|高级技校=高级技工学校", NULL),
    F("land_area", "占地面积", HGQ_FT_NUM, MIN0, 0, 0, "m²", "占地面积|校园占地面积|土地面积|学校占地面积", NULL, NULL, NULL),
    F("building_area", "校舍建筑面积", HGQ_FT_NUM, MIN0, 0, 0, "m²", "校舍建筑面积|建筑面积|校舍面积|总建筑面积", NULL, NULL, NULL),
    F("training_area", "实训场地面积", HGQ_FT_NUM, MIN0, 0, 0, "m²", "实训场地面积|实习实训场地面积|实训面积|实训场所面积", NULL, NULL, NULL),
    F("sports_area", "体育运动场地面积", HGQ_FT_NUM, MIN0, 0, 0, "m²", "体育运动场地面积|运动场面积|体育场地面积|运动场地面积", NULL, NULL, NULL),
    F("equipment_value", "教学仪器设备总值", HGQ_FT_NUM, MIN0, 0, 0, "万元", "教学仪器设备总值|设备总值|仪器设备总值|教学设备总值|实训设备总值", NULL, NULL, NULL),
    F("computers", "教学用计算机", HGQ_FT_INT, MIN0, 0, 0, NULL, "教学用计算机|计算机台数|教学用计算机台数|计算机", NULL, NULL, NULL),
    F("multimedia_rooms", "多媒体教室", HGQ_FT_INT, MIN0, 0, 0, NULL, "多媒体教室|多媒体教室数|多媒体教室间数", NULL, NULL, NULL),
    F("training_rooms", "实训室", HGQ_FT_INT, MIN0, 0, 0, NULL, "实训室|实训室数|实训室个数|专业实训室|专业实训室数", NULL, NULL, NULL),
    F("practice_factories", "实习工厂", HGQ_FT_INT, MIN0, 0, 0, NULL, "实习工厂|实习工厂数|校内实习工厂", NULL, NULL, NULL),
    F("vr_rooms", "虚拟仿真实训室", HGQ_FT_INT, MIN0, 0, 0, NULL, "虚拟仿真实训室|VR实训室|仿真实训室", NULL, NULL, NULL),
    F("books", "图书", HGQ_FT_INT, MIN0, 0, 0, NULL, "图书|藏书|图书册数|纸质图书|藏书量", NULL, NULL, NULL),
    F("master_studios", "技能大师工作室", HGQ_FT_INT, MIN0, 0, 0, NULL, "技能大师工作室|大师工作室", NULL, NULL, NULL),
    F("funding", "经费总额", HGQ_FT_NUM, MIN0, 0, 0, "万元", "经费总额|经费|办学经费|经费投入|总经费|年度经费总投入|经费总投入|年度经费投入", NULL, NULL, NULL),
    F("province", "省份", HGQ_FT_TEXT, 0, 0, 0, NULL, "省份|所在省份|省", NULL, NULL, NULL),
};

static const hgq_field_def major_fields[] = {
    F("name", "专业名称", HGQ_FT_TEXT, REQ | UNIQ | SQZ, 0, 0, NULL, "专业名称|专业|所学专业|开设专业", NULL, MAJOR_SYNONYMS, NULL),
    F("category", "专业类别", HGQ_FT_ENUM, 0, 0, 0, NULL, "专业类别|专业大类|类别|专业类", MAJOR_CATEGORIES,
      "机械=机械类|电工电子=电工电子类|信息=信息类|财经商贸=财经商贸类|财经=财经商贸类|交通=交通类|服务=服务类", NULL),
    F("years", "学制", HGQ_FT_INT, RANGE, 1, 6, NULL, "学制|学制年限|修业年限|学制（年）", NULL, NULL, NULL),
    F("apprenticeship", "新型学徒制", HGQ_FT_BOOL, 0, 0, 0, NULL, "新型学徒制|是否开展新型学徒制|是否新型学徒制|学徒制", NULL, NULL, NULL),
    F("key_major", "重点专业", HGQ_FT_BOOL, 0, 0, 0, NULL, "重点专业|是否重点专业|是否为重点专业", NULL,
      "省级重点=是|国家级重点=是|市级重点=是|重点=是|非重点=否", NULL),
    F("level", "培养层次", HGQ_FT_ENUM, 0, 0, 0, NULL, "培养层次|层次|办学层次|培养等级", "中级工|高级工|预备技师|技师",
      "中级=中级工|中技=中级工|高级=高级工|高技=高级工|预备技师（技师）=预备技师", NULL),
};

static const hgq_field_def student_fields[] = {
    F("student_no", "学号", HGQ_FT_TEXT, UNIQ | SQZ, 0, 0, NULL, "学号|学籍号|学生编号|学生学号", NULL, NULL, NULL),
    F("name", "姓名", HGQ_FT_TEXT, REQ | SQZ, 0, 0, NULL, NAME_HEADERS, NULL, NULL, NULL),
    F("id_number", "身份证号码", HGQ_FT_IDCARD, UNIQ, 0, 0, NULL, ID_HEADERS, NULL, NULL, NULL),
    F("gender", "性别", HGQ_FT_GENDER, 0, 0, 0, NULL, GENDER_HEADERS, NULL, NULL, NULL),
    F("birth_date", "出生日期", HGQ_FT_DATE, HGQ_FIELD_MIN | HGQ_FIELD_PAST, BIRTH_MIN, 0, NULL, BIRTH_HEADERS, NULL, NULL, NULL),
    F("major", "专业", HGQ_FT_TEXT, SQZ, 0, 0, NULL, "专业|所学专业|专业名称|就读专业", NULL, NULL, "major.name"),
    F("class", "班级", HGQ_FT_TEXT, SQZ, 0, 0, NULL, "班级|班级名称|所在班级|班别", NULL, NULL, NULL),
    F("entry_year", "入学年份", HGQ_FT_INT, RANGE, 1990, 2100, NULL, "入学年份|入学年度|年级|入学时间|入学年|届别", NULL, NULL, NULL),
    F("status", "学籍状态", HGQ_FT_ENUM, 0, 0, 0, NULL, "学籍状态|在校状态|学生状态|状态|在籍状态", "在校|毕业|休学|退学",
      "在读=在校|在籍=在校|正常=在校|在校生=在校|已毕业=毕业|毕业生=毕业|已休学=休学|已退学=退学|退学离校=退学", NULL),
    F("rural", "农村生源", HGQ_FT_BOOL, 0, 0, 0, NULL, "农村生源|是否农村生源|是否农村户口|农村户口|户口性质|户籍性质", NULL,
      "农村=是|农业=是|农业户口=是|农村户口=是|城镇=否|城市=否|非农业=否|非农业户口=否|城镇户口=否|居民户口=否", NULL),
    F("hardship", "困难类型", HGQ_FT_ENUM, 0, 0, 0, NULL, "困难类型|家庭困难类型|困难类别|困难学生类型", "建档立卡|非涉农困难家庭",
      HARDSHIP_SYNONYMS, NULL),
    F("track", "班型", HGQ_FT_TEXT, 0, 0, 0, NULL, "班型|班级类型|培养方向|方向|升学班型", NULL, "无=|普通=|普通班=", NULL),
    F("origin", "生源地", HGQ_FT_TEXT, 0, 0, 0, NULL, "生源地|生源地区|户籍所在地|籍贯|家庭住址", NULL, NULL, NULL),
};

static const hgq_field_def graduate_fields[] = {
    F("student_no", "学号", HGQ_FT_TEXT, UNIQ | SQZ, 0, 0, NULL, "学号|学籍号|学生编号", NULL, NULL, "student.student_no"),
    F("name", "姓名", HGQ_FT_TEXT, REQ | SQZ, 0, 0, NULL, NAME_HEADERS "|毕业生姓名", NULL, NULL, NULL),
    F("grad_year", "毕业年份", HGQ_FT_INT, RANGE, 1990, 2100, NULL, "毕业年份|毕业年度|毕业时间|届别|毕业届别", NULL, NULL, NULL),
    F("destination", "毕业去向", HGQ_FT_ENUM, 0, 0, 0, NULL, "毕业去向|去向|就业去向|就业情况|毕业去向类别|去向类别",
      "就业|升学|创业|参军|待业|其他",
      "已就业=就业|签约就业=就业|协议就业=就业|灵活就业=就业|单位就业=就业|"
      "升入高职=升学|考入高职=升学|升入高校=升学|继续升学=升学|自主创业=创业|"
      "入伍=参军|应征入伍=参军|参军入伍=参军|未就业=待业|待就业=待业|暂未就业=待业", NULL),
    F("employer", "就业单位", HGQ_FT_TEXT, 0, 0, 0, NULL, "就业单位|工作单位|单位名称|用人单位|升学院校|去向单位|就业单位/升学院校|就业单位或升学院校", NULL, NULL, NULL),
    F("related", "专业对口", HGQ_FT_BOOL, 0, 0, 0, NULL, "专业对口|是否对口|是否专业对口|对口就业|是否对口就业", NULL,
      "对口=是|不对口=否|相关=是|不相关=否", NULL),
    F("management", "晋升管理岗", HGQ_FT_BOOL, 0, 0, 0, NULL, "晋升管理岗|是否晋升管理岗|管理岗|是否管理岗", NULL, NULL, NULL),
};

static const hgq_field_def staff_fields[] = {
    F("staff_no", "工号", HGQ_FT_TEXT, UNIQ | SQZ, 0, 0, NULL, "工号|职工编号|教工号|职工号|人员编号|编号", NULL, NULL, NULL),
    F("name", "姓名", HGQ_FT_TEXT, REQ | SQZ, 0, 0, NULL, NAME_HEADERS, NULL, NULL, NULL),
    F("id_number", "身份证号码", HGQ_FT_IDCARD, UNIQ, 0, 0, NULL, ID_HEADERS, NULL, NULL, NULL),
    F("gender", "性别", HGQ_FT_GENDER, 0, 0, 0, NULL, GENDER_HEADERS, NULL, NULL, NULL),
    F("birth_date", "出生日期", HGQ_FT_DATE, HGQ_FIELD_MIN | HGQ_FIELD_PAST, BIRTH_MIN, 0, NULL, BIRTH_HEADERS, NULL, NULL, NULL),
    F("post", "岗位类别", HGQ_FT_ENUM, 0, 0, 0, NULL, "岗位|岗位类别|岗位类型|人员类别|人员类型|岗位性质",
      "专任教师|行政人员|教辅人员|工勤人员",
      "教师=专任教师|专职教师=专任教师|任课教师=专任教师|专任=专任教师|行政=行政人员|管理人员=行政人员|"
      "管理=行政人员|行政管理=行政人员|管理岗=行政人员|教辅=教辅人员|教学辅助人员=教辅人员|"
      "工勤=工勤人员|后勤=工勤人员|后勤人员=工勤人员|工勤技能=工勤人员", NULL),
    F("title", "职称", HGQ_FT_ENUM, 0, 0, 0, NULL, "职称|专业技术职务|技术职称|职称等级|专业技术职称|职称级别",
      "正高级|副高级|中级|初级|未定职级",
      "正高=正高级|正高级职称=正高级|教授=正高级|正高级讲师=正高级|正高级实习指导教师=正高级|正高级工程师=正高级|"
      "副高=副高级|副高级职称=副高级|副教授=副高级|高级讲师=副高级|高级工程师=副高级|高级实习指导教师=副高级|"
      "高级会计师=副高级|高级经济师=副高级|高级教师=副高级|高级=副高级|"
      "中级职称=中级|讲师=中级|工程师=中级|一级实习指导教师=中级|会计师=中级|经济师=中级|一级教师=中级|"
      "初级职称=初级|助理讲师=初级|助理工程师=初级|二级实习指导教师=初级|三级实习指导教师=初级|"
      "助理会计师=初级|助理经济师=初级|技术员=初级|员级=初级|二级教师=初级|三级教师=初级|"
      "未定级=未定职级|未定职称=未定职级|未评=未定职级|未评级=未定职级|暂无=未定职级|无=未定职级|无职称=未定职级|"
      "见习=未定职级|试用期=未定职级", NULL),
    F("education", "学历", HGQ_FT_ENUM, 0, 0, 0, NULL, "学历|最高学历|文化程度|学历层次",
      "研究生|本科|专科|高中及以下",
      "博士=研究生|博士研究生=研究生|硕士=研究生|硕士研究生=研究生|研究生学历=研究生|"
      "大学本科=本科|本科学历=本科|大本=本科|学士=本科|"
      "大专=专科|大学专科=专科|专科学历=专科|高职=专科|大学专科学历=专科|"
      "高中=高中及以下|中专=高中及以下|中职=高中及以下|技校=高中及以下|职高=高中及以下|初中=高中及以下|"
      "初中及以下=高中及以下|高中以下=高中及以下|中技=高中及以下", NULL),
    F("dual", "双师型", HGQ_FT_BOOL, 0, 0, 0, NULL, "双师型|是否双师型|是否双师型教师|双师型教师|双师", NULL,
      "双师=是|双师型=是|非双师=否", NULL),
    F("part_time", "兼职", HGQ_FT_BOOL, 0, 0, 0, NULL, "兼职|是否兼职|是否兼职教师|兼职教师|专兼职", NULL,
      "专职=否|兼职=是|全职=否", NULL),
    F("specialised", "专业课教师", HGQ_FT_BOOL, 0, 0, 0, NULL, "专业课教师|是否专业课教师|课程类型|任教课程类别|专业课", NULL,
      "专业课=是|文化课=否|公共课=否|基础课=否", NULL),
};

static const hgq_field_def partner_fields[] = {
    F("name", "企业名称", HGQ_FT_TEXT, REQ, 0, 0, NULL, "企业名称|合作企业|合作企业名称|单位名称|企业", NULL, NULL, NULL),
    F("majors", "合作专业", HGQ_FT_TEXT, HGQ_FIELD_LIST, 0, 0, NULL, "合作专业|对接专业|合作的专业", NULL, NULL, "major.name"),
    F("kind", "合作形式", HGQ_FT_TEXT, 0, 0, 0, NULL, "合作形式|合作方式|合作类型|合作内容", NULL, NULL, NULL),
};

static const hgq_field_def award_fields[] = {
    F("year", "年份", HGQ_FT_INT, RANGE, 1990, 2100, NULL, "年份|年度|获奖年份|获奖时间|时间", NULL, NULL, NULL),
    F("competition", "竞赛名称", HGQ_FT_TEXT, REQ, 0, 0, NULL, "竞赛名称|比赛名称|赛事名称|竞赛|比赛项目|竞赛项目|项目名称", NULL, NULL, NULL),
    F("level", "竞赛级别", HGQ_FT_ENUM, 0, 0, 0, NULL, "竞赛级别|级别|比赛级别|赛事级别|获奖级别", "国家级|省级|市级|校级",
      "国家=国家级|全国=国家级|国赛=国家级|省=省级|省赛=省级|省部级=省级|市=市级|市赛=市级|地市级=市级|校=校级|校赛=校级|院级=校级", NULL),
    F("participant", "参赛类别", HGQ_FT_ENUM, 0, 0, 0, NULL, "参赛类别|参赛对象|组别|参赛组别|类别", "学生|教师",
      "学生组=学生|教师组=教师|学生赛=学生|教师赛=教师|师生=教师", NULL),
    F("prize", "获奖等次", HGQ_FT_TEXT, 0, 0, 0, NULL, "获奖等次|奖项|获奖等级|等次|名次|获奖情况", NULL, NULL, NULL),
    F("person", "获奖人", HGQ_FT_TEXT, 0, 0, 0, NULL, "获奖人|获奖者|获奖学生|获奖教师|参赛选手|选手|指导教师", NULL, NULL, NULL),
};

static const hgq_field_def certification_fields[] = {
    F("year", "年份", HGQ_FT_INT, REQ | RANGE, 1990, 2100, NULL, "年份|年度|认定年份|鉴定年份", NULL, NULL, NULL),
    F("trade", "工种", HGQ_FT_TEXT, REQ | SQZ, 0, 0, NULL, "工种|职业|职业（工种）|职业工种|认定工种|鉴定工种", NULL, NULL, NULL),
    F("level", "等级", HGQ_FT_ENUM, REQ, 0, 0, NULL, "等级|级别|技能等级|认定等级|鉴定等级", "五级|四级|三级|二级|一级",
      "初级工=五级|初级=五级|五级/初级工=五级|中级工=四级|中级=四级|四级/中级工=四级|高级工=三级|高级=三级|"
      "三级/高级工=三级|技师=二级|二级/技师=二级|高级技师=一级|一级/高级技师=一级|5级=五级|4级=四级|3级=三级|2级=二级|1级=一级", NULL),
    F("persons", "人数", HGQ_FT_INT, REQ | MIN0, 0, 0, NULL, "人数|认定人数|鉴定人数|合格人数|取证人数|获证人数", NULL, NULL, NULL),
};

static const hgq_field_def aid_fields[] = {
    F("year", "年份", HGQ_FT_INT, RANGE, 1990, 2100, NULL, "年份|年度|资助年度|发放年度", NULL, NULL, NULL),
    F("student_no", "学号", HGQ_FT_TEXT, SQZ, 0, 0, NULL, "学号|学籍号", NULL, NULL, "student.student_no"),
    F("name", "姓名", HGQ_FT_TEXT, REQ | SQZ, 0, 0, NULL, NAME_HEADERS "|受助学生姓名", NULL, NULL, NULL),
    F("hardship", "困难类型", HGQ_FT_ENUM, 0, 0, 0, NULL, "困难类型|家庭困难类型|困难类别|困难学生类型", "建档立卡|非涉农困难家庭",
      HARDSHIP_SYNONYMS, NULL),
    F("kind", "资助项目", HGQ_FT_TEXT, 0, 0, 0, NULL, "资助项目|资助类型|资助类别|资助名称|项目", NULL, NULL, NULL),
    F("amount", "资助金额", HGQ_FT_NUM, MIN0, 0, 0, "元", "资助金额|金额|发放金额|资助金额（元）|金额（元）", NULL, NULL, NULL),
};

static const hgq_field_def training_fields[] = {
    F("year", "年份", HGQ_FT_INT, RANGE, 1990, 2100, NULL, "年份|年度|培训年度|培训时间", NULL, NULL, NULL),
    F("client", "委托单位", HGQ_FT_TEXT, REQ, 0, 0, NULL, "委托单位|培训单位|合作单位|培训对象|服务单位|单位名称", NULL, NULL, NULL),
    F("trade", "培训工种", HGQ_FT_TEXT, 0, 0, 0, NULL, "培训工种|工种|培训项目|培训内容|培训专业", NULL, NULL, NULL),
    F("participants", "培训人次", HGQ_FT_INT, MIN0, 0, 0, NULL, "培训人次|人次|培训人数|参训人数|人数", NULL, NULL, NULL),
};

static const hgq_field_def event_fields[] = {
    F("date", "时间", HGQ_FT_TEXT, 0, 0, 0, NULL, "时间|日期|月份|月|时间（月）", NULL, NULL, NULL),
    F("text", "事件", HGQ_FT_TEXT, REQ, 0, 0, NULL, "事件|大事|内容|大事记|事项|主要事件", NULL, NULL, NULL),
};

typedef struct builtin {
    const char *entity;
    const char *label;
    const hgq_field_def *fields;
    size_t n;
} builtin;

#define B(id, label, arr) {id, label, arr, sizeof arr / sizeof arr[0]}

static const builtin builtins[] = {
    B("school", "学校", school_fields),
    B("major", "专业", major_fields),
    B("student", "学生", student_fields),
    B("graduate", "毕业生", graduate_fields),
    B("staff", "教职工", staff_fields),
    B("partner", "合作企业", partner_fields),
    B("award", "竞赛获奖", award_fields),
    B("certification", "技能等级认定", certification_fields),
    B("aid", "学生资助", aid_fields),
    B("training", "社会培训", training_fields),
    B("event", "大事记", event_fields),
};

hgq_status hgq_schemas_add_builtins(hgq_schemas *reg, hgq_error *err)
{
    size_t i, j;
    for (i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        hgq_schema *s;
        hgq_status st = hgq_schemas_define(reg, builtins[i].entity, builtins[i].label, &s, err);
        if (st != HGQ_OK)
            return st;
        for (j = 0; j < builtins[i].n; j++)
            if ((st = hgq_schema_add_field(s, &builtins[i].fields[j], err)) != HGQ_OK)
                return st;
    }
    return HGQ_OK;
}
