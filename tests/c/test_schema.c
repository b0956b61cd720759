/*
 * test_schema.c - the schema registry: built-in entities, header matching,
 * enumerations and synonyms, reading cells for each field type, extension.
 */
#include <string.h>

#include "hgq.h"
#include "t.h"

static hgq_cell text_cell(const char *s)
{
    hgq_cell c;
    memset(&c, 0, sizeof c);
    c.type = HGQ_CELL_STRING;
    c.text = s;
    c.text_len = strlen(s);
    c.numfmt = "General";
    return c;
}

static hgq_cell num_cell(double x, hgq_cell_type type)
{
    hgq_cell c;
    memset(&c, 0, sizeof c);
    c.type = type;
    c.number = x;
    c.numfmt = "General";
    return c;
}

static size_t fidx(const hgq_schema *s, const char *id)
{
    long i = hgq_schema_find_field(s, id);
    if (i < 0)
        T_FAIL("no field %s in %s", id, hgq_schema_entity(s));
    return i < 0 ? 0 : (size_t)i;
}

/* Parses text for entity.field; returns the status, value in *p (caller clears). */
static hgq_parse_status parse_text(const hgq_schemas *reg, const char *entity, const char *field,
                                   const char *text, hgq_parsed *p)
{
    const hgq_schema *s = hgq_schemas_get(reg, entity);
    hgq_cell c = text_cell(text);
    return hgq_schema_parse(s, fidx(s, field), &c, NULL, p);
}

static void expect_text(const hgq_schemas *reg, const char *entity, const char *field,
                        const char *text, const char *want)
{
    hgq_parsed p;
    hgq_parse_status st = parse_text(reg, entity, field, text, &p);
    if (st != HGQ_PARSE_OK || p.value.type != HGQ_TEXT || strcmp(p.value.u.s, want) != 0)
        T_FAIL("%s.%s \"%s\": want \"%s\", got status %d \"%s\" (%s)", entity, field, text, want,
               (int)st, p.value.type == HGQ_TEXT ? p.value.u.s : "", p.reason);
    hgq_parsed_clear(&p);
}

static void expect_num(const hgq_schemas *reg, const char *entity, const char *field,
                       const char *text, double want)
{
    hgq_parsed p;
    double got = -1;
    hgq_parse_status st = parse_text(reg, entity, field, text, &p);
    if (st != HGQ_PARSE_OK || !hgq_value_number(&p.value, &got) || fabs(got - want) > 1e-9)
        T_FAIL("%s.%s \"%s\": want %.10g, got status %d %.10g (%s)", entity, field, text, want,
               (int)st, got, p.reason);
    hgq_parsed_clear(&p);
}

static void expect_bad(const hgq_schemas *reg, const char *entity, const char *field,
                       const char *text, const char *code)
{
    hgq_parsed p;
    hgq_parse_status st = parse_text(reg, entity, field, text, &p);
    if (st != HGQ_PARSE_BAD || !p.code || strcmp(p.code, code) != 0 || !p.reason[0])
        T_FAIL("%s.%s \"%s\": want BAD %s, got status %d %s", entity, field, text, code, (int)st,
               p.code ? p.code : "-");
    hgq_parsed_clear(&p);
}

TEST(builtin_entities_follow_names)
{
    static const char *const expect[][20] = {
        {"school", "name", "sponsor", "founded", "type", "land_area", "building_area",
         "training_area", "sports_area", "equipment_value", "computers", "multimedia_rooms",
         "training_rooms", "practice_factories", "vr_rooms", "books", "master_studios", "funding",
         "province", NULL},
        {"major", "name", "category", "years", "apprenticeship", "key_major", "level", NULL},
        {"student", "student_no", "name", "id_number", "gender", "birth_date", "major", "class",
         "entry_year", "status", "rural", "hardship", "track", "origin", NULL},
        {"graduate", "student_no", "name", "grad_year", "destination", "employer", "related",
         "management", NULL},
        {"staff", "staff_no", "name", "id_number", "gender", "birth_date", "post", "title",
         "education", "dual", "part_time", "specialised", NULL},
        {"partner", "name", "majors", "kind", NULL},
        {"award", "year", "competition", "level", "participant", "prize", "person", NULL},
        {"certification", "year", "trade", "level", "persons", NULL},
        {"aid", "year", "student_no", "name", "hardship", "kind", "amount", NULL},
        {"training", "year", "client", "trade", "participants", NULL},
        {"event", "date", "text", NULL}};
    hgq_schemas *reg = hgq_schemas_new();
    size_t e, k;
    CHECK(reg != NULL);
    CHECK_EQ_INT(11, hgq_schemas_count(reg));
    for (e = 0; e < sizeof expect / sizeof expect[0]; e++) {
        hgq_schema *s = hgq_schemas_get(reg, expect[e][0]);
        CHECK(s != NULL);
        if (!s)
            continue;
        for (k = 1; expect[e][k]; k++)
            if (hgq_schema_find_field(s, expect[e][k]) < 0)
                T_FAIL("%s lacks field %s", expect[e][0], expect[e][k]);
        CHECK_EQ_INT(k - 1, hgq_schema_field_count(s));
    }
    {
        hgq_field_info fi;
        hgq_schema *st = hgq_schemas_get(reg, "student");
        CHECK(hgq_schema_field_info(st, fidx(st, "birth_date"), &fi));
        CHECK_EQ_INT(HGQ_FT_DATE, fi.type);
        CHECK_EQ_INT(HGQ_DATE, fi.vtype);
        CHECK(hgq_schema_field_info(st, fidx(st, "entry_year"), &fi));
        CHECK_EQ_INT(HGQ_INT, fi.vtype);
        CHECK(hgq_schema_field_info(st, fidx(st, "name"), &fi));
        CHECK(fi.flags & HGQ_FIELD_REQUIRED);
        CHECK(hgq_schema_field_info(st, fidx(st, "student_no"), &fi));
        CHECK(fi.flags & HGQ_FIELD_UNIQUE);
        CHECK(hgq_schema_field_info(st, fidx(st, "major"), &fi));
        CHECK_EQ_STR("major", fi.ref_entity);
        CHECK_EQ_STR("name", fi.ref_field);
        CHECK(!hgq_schema_field_info(st, 999, &fi));
        CHECK_EQ_STR("学生", hgq_schema_label(st));
        CHECK(hgq_schema_registry(st) == reg);
    }
    CHECK(hgq_schemas_get(reg, "nobody") == NULL);
    hgq_schemas_free(reg);
}

/* Every header name of every field leads back to that field: no two fields
 * of one entity share a spelling. */
TEST(header_names_are_unambiguous)
{
    hgq_schemas *reg = hgq_schemas_new();
    size_t e, f, h;
    for (e = 0; e < hgq_schemas_count(reg); e++) {
        hgq_schema *s = hgq_schemas_at(reg, e);
        for (f = 0; f < hgq_schema_field_count(s); f++) {
            const char *name;
            for (h = 0; (name = hgq_schema_field_header(s, f, h)) != NULL; h++) {
                long got = hgq_schema_match_header(s, name, strlen(name));
                if (got != (long)f) {
                    hgq_field_info a, b;
                    hgq_schema_field_info(s, f, &a);
                    hgq_schema_field_info(s, got < 0 ? 0 : (size_t)got, &b);
                    T_FAIL("%s: header '%s' of %s matches %s", hgq_schema_entity(s), name, a.id,
                           got < 0 ? "nothing" : b.id);
                }
            }
        }
    }
    hgq_schemas_free(reg);
}

TEST(header_matching)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_schema *st = hgq_schemas_get(reg, "student"), *sf = hgq_schemas_get(reg, "staff");
    hgq_schema *aid = hgq_schemas_get(reg, "aid");
    static const struct { const char *text, *field; } stu[] = {
        {"姓名", "name"}, {"姓　名", "name"}, {" 学生姓名 ", "name"}, {"名字", "name"},
        {"出生日期", "birth_date"}, {"出生年月", "birth_date"}, {"身份证号", "id_number"},
        {"身份证号码", "id_number"}, {"证件号码", "id_number"}, {"公民身份号码", "id_number"},
        {"学号", "student_no"}, {"*学号", "student_no"}, {"学号：", "student_no"},
        {"专业", "major"}, {"所学专业", "major"}, {"专业名称", "major"}, {"班级", "class"},
        {"入学年份", "entry_year"}, {"入学年度", "entry_year"}, {"年级", "entry_year"},
        {"学籍状态", "status"}, {"在校状态", "status"}, {"ID_NUMBER", "id_number"}};
    static const struct { const char *text, *field; } stf[] = {
        {"工号", "staff_no"}, {"职工编号", "staff_no"}, {"职称", "title"},
        {"专业技术职务", "title"}, {"学历", "education"}, {"最高学历", "education"},
        {"岗位", "post"}, {"岗位类别", "post"}, {"双师型", "dual"}, {"是否双师型", "dual"},
        {"教师姓名", "name"}};
    size_t i;
    for (i = 0; i < sizeof stu / sizeof stu[0]; i++)
        if (hgq_schema_match_header(st, stu[i].text, strlen(stu[i].text)) !=
            hgq_schema_find_field(st, stu[i].field))
            T_FAIL("student header '%s' should map to %s", stu[i].text, stu[i].field);
    for (i = 0; i < sizeof stf / sizeof stf[0]; i++)
        if (hgq_schema_match_header(sf, stf[i].text, strlen(stf[i].text)) !=
            hgq_schema_find_field(sf, stf[i].field))
            T_FAIL("staff header '%s' should map to %s", stf[i].text, stf[i].field);
    /* a parenthesised unit is ignored for matching */
    CHECK_EQ_INT(hgq_schema_find_field(aid, "amount"),
                 hgq_schema_match_header(aid, "发放金额（元）", strlen("发放金额（元）")));
    CHECK_EQ_INT(-1, hgq_schema_match_header(st, "联系电话", strlen("联系电话")));
    CHECK_EQ_INT(-1, hgq_schema_match_header(st, "", 0));
    hgq_schemas_free(reg);
}

TEST(enumerations_and_synonyms)
{
    hgq_schemas *reg = hgq_schemas_new();
    expect_text(reg, "staff", "title", "讲师", "中级");
    expect_text(reg, "staff", "title", "工程师", "中级");
    expect_text(reg, "staff", "title", "中级职称", "中级");
    expect_text(reg, "staff", "title", "中 级", "中级");
    expect_text(reg, "staff", "title", "未定级", "未定职级");
    expect_text(reg, "staff", "title", "无", "未定职级");
    expect_text(reg, "staff", "title", "高级讲师", "副高级");
    expect_text(reg, "staff", "education", "大学本科", "本科");
    expect_text(reg, "staff", "education", "大专", "专科");
    expect_text(reg, "staff", "education", "专科", "专科");
    expect_text(reg, "staff", "post", "教师", "专任教师");
    expect_text(reg, "student", "gender", "男", "男");
    expect_text(reg, "student", "gender", "M", "男");
    expect_text(reg, "student", "gender", "1", "男");
    expect_text(reg, "student", "gender", "女性", "女");
    expect_text(reg, "student", "status", "在读", "在校");
    expect_text(reg, "student", "major", "数控技术", "数控机床装配与维修");
    expect_text(reg, "major", "name", "数控技术", "数控机床装配与维修");
    expect_text(reg, "student", "major", "汽车维修", "汽车维修");
    expect_text(reg, "student", "name", "张  三", "张三");
    expect_text(reg, "student", "hardship", "建档立卡贫困户", "建档立卡");
    expect_text(reg, "certification", "level", "中级工", "四级");
    expect_text(reg, "award", "level", "全国", "国家级");
    expect_text(reg, "partner", "majors", "数控机床、会计，电子技术", "数控机床装配与维修、会计、电子技术应用");
    expect_bad(reg, "staff", "title", "教授级高工程师", "value.enum");
    expect_bad(reg, "student", "gender", "未知", "value.gender");
    expect_bad(reg, "certification", "level", "六级", "value.enum");
    {
        hgq_parsed p;
        CHECK_EQ_INT(HGQ_PARSE_EMPTY, parse_text(reg, "student", "hardship", "无", &p));
        CHECK_EQ_INT(HGQ_NULL, p.value.type);
        hgq_parsed_clear(&p);
        CHECK_EQ_INT(HGQ_PARSE_EMPTY, parse_text(reg, "student", "class", "　 ", &p));
        hgq_parsed_clear(&p);
        CHECK_EQ_INT(HGQ_PARSE_EMPTY, parse_text(reg, "student", "birth_date", "—", &p));
        hgq_parsed_clear(&p);
        CHECK_EQ_INT(HGQ_PARSE_BAD, parse_text(reg, "staff", "education", "幼儿园", &p));
        CHECK(strstr(p.reason, "研究生") != NULL);   /* the reason lists the values */
        hgq_parsed_clear(&p);
    }
    {
        hgq_schema *st = hgq_schemas_get(reg, "staff");
        size_t f = fidx(st, "title");
        CHECK_EQ_STR("中级", hgq_schema_canonical(st, f, "讲 师", strlen("讲 师")));
        CHECK(hgq_schema_canonical(st, f, "校长", strlen("校长")) == NULL);
    }
    hgq_schemas_free(reg);
}

TEST(numbers_units_and_percent)
{
    hgq_schemas *reg = hgq_schemas_new();
    expect_num(reg, "school", "computers", "235", 235);
    expect_num(reg, "school", "computers", "235台", 235);
    expect_num(reg, "school", "books", "１２６０", 1260);
    expect_num(reg, "school", "books", "12万册", 120000);
    expect_num(reg, "school", "books", "1,260", 1260);
    expect_num(reg, "school", "funding", "680.13万元", 680.13);
    expect_num(reg, "school", "funding", "6801300元", 680.13);
    expect_num(reg, "school", "funding", "680.13", 680.13);
    expect_num(reg, "school", "land_area", "62,020平方米", 62020);
    expect_num(reg, "school", "land_area", "93亩", 62000);
    expect_num(reg, "school", "land_area", "6.2万", 62000);
    expect_num(reg, "student", "entry_year", "2025级", 2025);
    expect_num(reg, "student", "entry_year", "２０２５", 2025);
    expect_num(reg, "major", "years", "三年", 3);
    expect_num(reg, "major", "years", "3年", 3);
    expect_num(reg, "aid", "amount", "１０００元", 1000);
    expect_num(reg, "aid", "amount", "0.1万元", 1000);
    expect_bad(reg, "school", "funding", "62亩", "value.unit");
    expect_bad(reg, "school", "computers", "96%", "value.unit");
    expect_bad(reg, "school", "computers", "二百多", "value.integer");
    expect_bad(reg, "school", "computers", "2.5", "value.integer");
    expect_bad(reg, "school", "land_area", "很大", "value.number");
    {
        /* the header's unit applies to bare numbers */
        hgq_schema *s = hgq_schemas_get(reg, "school");
        hgq_cell c = num_cell(93, HGQ_CELL_NUMBER);
        hgq_parsed p;
        CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, fidx(s, "land_area"), &c, "亩", &p));
        CHECK_EQ_DBL(62000, p.value.u.d, 1e-6);
        hgq_parsed_clear(&p);
        c = text_cell("680.13");
        CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, fidx(s, "equipment_value"), &c, "元", &p));
        CHECK_EQ_DBL(0.068013, p.value.u.d, 1e-12);
        hgq_parsed_clear(&p);
    }
    {
        double out;
        CHECK(hgq_unit_convert(1, "万元", "元", &out) && out == 10000);
        CHECK(hgq_unit_convert(1, "公顷", "m²", &out) && out == 10000);
        CHECK(hgq_unit_convert(5, "", "m²", &out) && out == 5);
        CHECK(!hgq_unit_convert(5, "亩", "元", &out));
        CHECK(!hgq_unit_convert(5, "furlong", "m²", &out));
    }
    hgq_schemas_free(reg);
}

TEST(dates_in_every_spelling)
{
    static const char *const spellings[] = {"2025-09-01", "2025/9/1", "2025.09.01",
                                            "2025年9月1日", "２０２５年９月１日", "20250901"};
    hgq_schemas *reg = hgq_schemas_new();
    hgq_schema *s = hgq_schemas_get(reg, "student");
    size_t f = fidx(s, "birth_date"), i;
    double want = hgq_date_from_ymd(2025, 9, 1);
    hgq_parsed p;
    hgq_cell c;
    for (i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        c = text_cell(spellings[i]);
        if (hgq_schema_parse(s, f, &c, NULL, &p) != HGQ_PARSE_OK || p.value.type != HGQ_DATE ||
            p.value.u.d != want)
            T_FAIL("date '%s' not read as 2025-09-01", spellings[i]);
        hgq_parsed_clear(&p);
    }
    c = text_cell("2025年9月");
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_DBL(want, p.value.u.d, 0);
    c = num_cell(want, HGQ_CELL_DATE);
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_DBL(want, p.value.u.d, 0);
    c = num_cell(want, HGQ_CELL_NUMBER);          /* a serial without a date format */
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_DBL(want, p.value.u.d, 0);
    c = num_cell(20250901, HGQ_CELL_NUMBER);      /* yyyymmdd typed as a number */
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_DBL(want, p.value.u.d, 0);
    expect_bad(reg, "student", "birth_date", "2025年13月", "value.date");
    expect_bad(reg, "student", "birth_date", "9/1/2025", "value.date");
    hgq_schemas_free(reg);
}

TEST(booleans_and_id_numbers)
{
    static const char *const yes[] = {"是", "√", "Y", "y", "1", "有", "TRUE"};
    static const char *const no[] = {"否", "×", "N", "0", "无"};
    hgq_schemas *reg = hgq_schemas_new();
    hgq_schema *s = hgq_schemas_get(reg, "staff");
    size_t f = fidx(s, "dual"), i;
    hgq_parsed p;
    hgq_cell c;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        c = text_cell(yes[i]);
        if (hgq_schema_parse(s, f, &c, NULL, &p) != HGQ_PARSE_OK || p.value.u.b != 1)
            T_FAIL("'%s' should read as true", yes[i]);
    }
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        c = text_cell(no[i]);
        if (hgq_schema_parse(s, f, &c, NULL, &p) != HGQ_PARSE_OK || p.value.u.b != 0)
            T_FAIL("'%s' should read as false", no[i]);
    }
    c = num_cell(1, HGQ_CELL_BOOL);
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_INT(1, p.value.u.b);
    expect_bad(reg, "staff", "dual", "也许", "value.bool");
    /* a boolean's own synonyms */
    {
        hgq_schema *st = hgq_schemas_get(reg, "student");
        size_t r = fidx(st, "rural");
        c = text_cell("农村");
        CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(st, r, &c, NULL, &p));
        CHECK_EQ_INT(1, p.value.u.b);
        c = text_cell("城镇户口");
        CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(st, r, &c, NULL, &p));
        CHECK_EQ_INT(0, p.value.u.b);
    }
    /* ID numbers: lowercase x, spaces, full-width digits; a number cell is an error */
    expect_text(reg, "staff", "id_number", "43040419990909102x", "43040419990909102X");
    expect_text(reg, "staff", "id_number", " 4304 0419 9909 0910 2X ", "43040419990909102X");
    expect_text(reg, "staff", "id_number", "４３０４０４１９９９０９０９１０２Ｘ", "43040419990909102X");
    expect_text(reg, "staff", "id_number", "43040419700101001", "43040419700101001");
    expect_bad(reg, "staff", "id_number", "4.30404E+17", "value.id_numeric");
    c = num_cell(430404199909091020.0, HGQ_CELL_NUMBER);
    f = fidx(s, "id_number");
    CHECK_EQ_INT(HGQ_PARSE_BAD, hgq_schema_parse(s, f, &c, NULL, &p));
    CHECK_EQ_STR("value.id_numeric", p.code);
    CHECK_EQ_INT(HGQ_NULL, p.value.type);
    hgq_schemas_free(reg);
}

TEST(long_text_is_kept_whole)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_schema *s = hgq_schemas_get(reg, "event");
    char big[5000];
    hgq_parsed p;
    hgq_cell c;
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    c = text_cell(big);
    CHECK_EQ_INT(HGQ_PARSE_OK, hgq_schema_parse(s, fidx(s, "text"), &c, NULL, &p));
    CHECK_EQ_INT(sizeof big - 1, strlen(p.value.u.s));
    hgq_parsed_clear(&p);
    CHECK(p.long_text == NULL);
    hgq_schemas_free(reg);
}

TEST(extension_without_c)
{
    hgq_schemas *reg = hgq_schemas_new(), *other = hgq_schemas_new();
    hgq_schema *st = hgq_schemas_get(reg, "student"), *dorm;
    hgq_field_def f;
    hgq_error err;
    hgq_field_info fi;
    long i;
    /* a school's own column */
    memset(&f, 0, sizeof f);
    f.id = "dorm";
    f.label = "宿舍";
    f.type = HGQ_FT_TEXT;
    f.headers = "宿舍|宿舍号|寝室";
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(st, &f, &err));
    i = hgq_schema_find_field(st, "dorm");
    CHECK(i >= 0);
    CHECK_EQ_INT(i, hgq_schema_match_header(st, "寝室", strlen("寝室")));
    /* a province's own value and synonym */
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_value(hgq_schemas_get(reg, "staff"), "title", "特聘专家", &err));
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_synonym(st, "major", "数铣", "数控机床装配与维修", &err));
    expect_text(reg, "student", "major", "数铣", "数控机床装配与维修");
    expect_text(reg, "staff", "title", "特聘专家", "特聘专家");
    /* the other registry is untouched: nothing is global */
    expect_text(other, "student", "major", "数铣", "数铣");
    expect_bad(other, "staff", "title", "特聘专家", "value.enum");
    CHECK(hgq_schema_find_field(hgq_schemas_get(other, "student"), "dorm") < 0);
    /* redefining a built-in field adds spellings and keeps the others */
    memset(&f, 0, sizeof f);
    f.id = "student_no";
    f.label = "学号";
    f.type = HGQ_FT_TEXT;
    f.flags = HGQ_FIELD_UNIQUE | HGQ_FIELD_SQUEEZE;
    f.headers = "注册号";
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(st, &f, &err));
    CHECK_EQ_INT(hgq_schema_find_field(st, "student_no"), hgq_schema_match_header(st, "注册号", strlen("注册号")));
    CHECK_EQ_INT(hgq_schema_find_field(st, "student_no"), hgq_schema_match_header(st, "学籍号", strlen("学籍号")));
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_header(st, "class", "行政班", &err));
    CHECK_EQ_INT(hgq_schema_find_field(st, "class"), hgq_schema_match_header(st, "行政班", strlen("行政班")));
    /* a new entity */
    CHECK_EQ_INT(HGQ_OK, hgq_schemas_define(reg, "dormitory", "宿舍", &dorm, &err));
    memset(&f, 0, sizeof f);
    f.id = "beds";
    f.label = "床位数";
    f.type = HGQ_FT_INT;
    f.flags = HGQ_FIELD_REQUIRED | HGQ_FIELD_MIN;
    f.min = 1;
    f.synonyms = "满=8";
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(dorm, &f, &err));
    expect_num(reg, "dormitory", "beds", "满", 8);
    CHECK(hgq_schema_field_info(dorm, 0, &fi));
    CHECK_EQ_STR("beds", fi.id);
    CHECK_EQ_INT(1, fi.nsynonyms);
    {
        const char *canon = NULL;
        CHECK_EQ_STR("满", hgq_schema_field_synonym(dorm, 0, 0, &canon));
        CHECK_EQ_STR("8", canon);
    }
    CHECK_EQ_INT(12, hgq_schemas_count(reg));
    /* errors */
    CHECK_EQ_INT(HGQ_EARG, hgq_schemas_define(reg, "dormitory", NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_schema_add_synonym(st, "nosuch", "a", "b", &err));
    CHECK_EQ_INT(HGQ_ENOTFOUND, err.code);
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_schema_add_synonym(hgq_schemas_get(reg, "staff"), "title", "院士", "院士级", &err));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_schema_add_synonym(hgq_schemas_get(reg, "staff"), "dual", "双", "或许", &err));
    memset(&f, 0, sizeof f);
    f.id = "x";
    f.ref = "nodot";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_schema_add_field(st, &f, &err));
    f.ref = NULL;
    f.synonyms = "no-equals-sign";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_schema_add_field(st, &f, &err));
    f.id = NULL;
    CHECK_EQ_INT(HGQ_EARG, hgq_schema_add_field(st, &f, &err));
    hgq_schemas_free(reg);
    hgq_schemas_free(other);
}

TEST(type_names)
{
    hgq_ftype t;
    CHECK_EQ_STR("idcard", hgq_ftype_name(HGQ_FT_IDCARD));
    CHECK(hgq_ftype_from_name("enumeration", &t) && t == HGQ_FT_ENUM);
    CHECK(hgq_ftype_from_name("integer", &t) && t == HGQ_FT_INT);
    CHECK(hgq_ftype_from_name("gender", &t) && t == HGQ_FT_GENDER);
    CHECK(!hgq_ftype_from_name("colour", &t));
    CHECK_EQ_INT(HGQ_TEXT, hgq_ftype_vtype(HGQ_FT_GENDER));
    CHECK_EQ_INT(HGQ_BOOL, hgq_ftype_vtype(HGQ_FT_BOOL));
}

TEST(empty_registry)
{
    hgq_schemas *reg = hgq_schemas_new_empty();
    CHECK(reg != NULL);
    CHECK_EQ_INT(0, hgq_schemas_count(reg));
    CHECK(hgq_schemas_at(reg, 0) == NULL);
    hgq_schemas_free(reg);
    hgq_schemas_free(NULL);
}

int main(void)
{
    RUN(builtin_entities_follow_names);
    RUN(header_names_are_unambiguous);
    RUN(header_matching);
    RUN(enumerations_and_synonyms);
    RUN(numbers_units_and_percent);
    RUN(dates_in_every_spelling);
    RUN(booleans_and_id_numbers);
    RUN(long_text_is_kept_whole);
    RUN(extension_without_c);
    RUN(type_names);
    RUN(empty_registry);
    return t_done();
}
