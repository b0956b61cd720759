/*
 * catalogue.c - the built-in indicators, as data.
 *
 * Each entry is one definition; entries with the same id are variants (a
 * different `variant`) or alternative sources of the same variant (tried in
 * order: records first, then the published tables). The teachers' structure
 * indicators (by age band, title, education) are generated from the lists in
 * `structure` below.
 */
#include <stdio.h>
#include <string.h>

#include "indicator_internal.h"

#define TEACHER "post=专任教师;part_time!=true"

/* Majors with at least one partner enterprise / majors, in percent. */
static hgq_status partner_major_coverage(void *ud, const hgq_ind_context *ctx,
                                         hgq_ind_value *out, hgq_error *err)
{
    const hgq_table *majors = hgq_dataset_table(ctx->ds, "major");
    const hgq_table *partners = hgq_dataset_table(ctx->ds, "partner");
    size_t m, p, nm, np, covered = 0, named = 0;
    (void)ud;
    (void)err;
    if (!majors) {
        out->missing = "major";
        return HGQ_OK;
    }
    if (!partners) {
        out->missing = "partner";
        return HGQ_OK;
    }
    if (hgq_table_find_column(majors, "name") < 0) {
        out->missing = "major.name";
        return HGQ_OK;
    }
    if (hgq_table_find_column(partners, "majors") < 0) {
        out->missing = "partner.majors";
        return HGQ_OK;
    }
    nm = hgq_table_nrows(majors);
    np = hgq_table_nrows(partners);
    for (m = 0; m < nm; m++) {
        const hgq_value *mv = hgq_table_get_by_name(majors, m, "name");
        size_t mlen;
        int hit = 0;
        if (mv->type != HGQ_TEXT || !*mv->u.s)
            continue;
        named++;
        mlen = strlen(mv->u.s);
        for (p = 0; p < np && !hit; p++) {
            const hgq_value *pv = hgq_table_get_by_name(partners, p, "majors");
            const char *s;
            if (pv->type != HGQ_TEXT)
                continue;
            s = pv->u.s;
            while (*s && !hit) {
                /* items are separated by 、 ， , ； ; / or spaces */
                size_t len = 0;
                while (s[len] && s[len] != ',' && s[len] != ';' && s[len] != '/' && s[len] != ' ' &&
                       strncmp(s + len, "、", 3) != 0 && strncmp(s + len, "，", 3) != 0 &&
                       strncmp(s + len, "；", 3) != 0)
                    len++;
                /* a shortened name ("数控机床" for 数控机床装配与维修) counts when it
                   is a prefix of at least two characters */
                if (len && ((len == mlen && memcmp(s, mv->u.s, len) == 0) ||
                            (len >= 6 && len < mlen && memcmp(s, mv->u.s, len) == 0) ||
                            (mlen >= 6 && mlen < len && memcmp(s, mv->u.s, mlen) == 0)))
                    hit = 1;
                s += len;
                if (*s == ',' || *s == ';' || *s == '/' || *s == ' ')
                    s++;
                else if (*s)
                    s += 3;
            }
        }
        covered += (size_t)hit;
    }
    out->num = (double)covered;
    out->den = (double)named;
    out->has_den = 1;
    if (named == 0) {
        out->missing = "major.name=0";
        return HGQ_OK;
    }
    out->value = (double)covered / (double)named * 100.0;
    out->defined = 1;
    return HGQ_OK;
}

#define N(id_, zh, en, unit_, grp) .id = id_, .name_zh = zh, .name_en = en, .unit = unit_, .group = grp
#define COUNT(ent, wh) .kind = HGQ_IND_COUNT, .entity = ent, .where = wh
#define RATIO(n, d, s) .kind = HGQ_IND_RATIO, .num = n, .den = d, .scale = s
#define PCT .format = HGQ_FMT_PERCENT

static const hgq_indicator_def builtins[] = {
    /* {============ 学生规模 ============ */
    {N("new_students", "招生人数", "New students", "人", "学生规模"), COUNT("student", "entry_year=$year"),
     .definition = "入学年份为报告年度的学生数"},
    {.id = "new_students", .kind = HGQ_IND_AGGREGATE, .entity = "pub_new_students",
     .definition = "表2 新生总数"},
    {N("new_students_mech_elec", "机械、电工电子类新生人数", "New students, mechanical and electrical", "人", "学生规模"),
     COUNT("student", "entry_year=$year;major.category=机械类|电工电子类|机械、电工电子类"),
     .definition = "报告年度入学、所学专业属机械类或电工电子类的学生数"},
    {.id = "new_students_mech_elec", .kind = HGQ_IND_AGGREGATE, .entity = "pub_new_students",
     .where = "category=机械、电工电子类|机械类|电工电子类", .definition = "表2 机械、电工电子类新生人数"},
    {N("new_students_info", "信息类新生人数", "New students, information", "人", "学生规模"),
     COUNT("student", "entry_year=$year;major.category=信息类"),
     .definition = "报告年度入学、所学专业属信息类的学生数"},
    {.id = "new_students_info", .kind = HGQ_IND_AGGREGATE, .entity = "pub_new_students",
     .where = "category=信息类", .definition = "表2 信息类新生人数"},
    {N("new_students_finance", "财经商贸类新生人数", "New students, finance and commerce", "人", "学生规模"),
     COUNT("student", "entry_year=$year;major.category=财经商贸类"),
     .definition = "报告年度入学、所学专业属财经商贸类的学生数"},
    {.id = "new_students_finance", .kind = HGQ_IND_AGGREGATE, .entity = "pub_new_students",
     .where = "category=财经商贸类", .definition = "表2 财经商贸类新生人数"},
    {N("students", "在校生数", "Students enrolled", "人", "学生规模"), COUNT("student", "status=在校"),
     .definition = "参考日期状态为在校的全日制学生数"},
    {.id = "students", .kind = HGQ_IND_AGGREGATE, .entity = "pub_aid", .where = "year=$year;item=在校生数",
     .timed = 1, .definition = "表6 在校生数"},
    {N("majors", "专业数", "Majors", "个", "学生规模"), COUNT("major", NULL), .definition = "开设专业数"},
    {N("rural_students", "农村生源学生数", "Students from rural areas", "人", "学生规模"),
     COUNT("student", "status=在校;rural=true"), .definition = "在校生中农村生源人数"},
    {N("rural_share", "农村生源占比", "Share of students from rural areas", "%", "学生规模"),
     RATIO("rural_students", "students", 100), PCT, .definition = "农村生源学生数÷在校生数"},
    /* }============ */

    /* {============ 毕业生 ============ */
    {N("graduates", "毕业生数", "Graduates", "人", "毕业生"), COUNT("graduate", "grad_year=$grad_year"),
     .timed = 1, .definition = "报告所述届别的毕业生数"},
    {N("employed", "就业人数", "Graduates employed", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;destination=就业"), .timed = 1, .definition = "去向为就业的毕业生数"},
    {N("progressing", "升学人数", "Graduates progressing to further study", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;destination=升学"), .timed = 1, .definition = "去向为升学的毕业生数"},
    {N("entrepreneurs", "创业人数", "Graduates starting a business", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;destination=创业"), .timed = 1, .definition = "去向为创业的毕业生数"},
    {N("employment_rate", "就业率", "Employment rate", "%", "毕业生"), .variant = "A", .variant_name = "就业÷毕业生",
     RATIO("employed", "graduates", 100), PCT, .timed = 1, .definition = "就业人数÷毕业生数"},
    {.id = "employment_rate", .variant = "B", .variant_name = "毕业去向落实率",
     RATIO("employed + progressing", "graduates", 100), PCT, .timed = 1,
     .definition = "（就业人数+升学人数）÷毕业生数"},
    {N("progression_rate", "升学率", "Progression rate", "%", "毕业生"), .variant = "A",
     .variant_name = "升学÷毕业生", RATIO("progressing", "graduates", 100), PCT, .timed = 1,
     .definition = "升学人数÷毕业生数"},
    {N("track_graduates", "升学班毕业生数", "Graduates of progression tracks", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;student.track!=NULL"), .timed = 1,
     .definition = "就读职教高考班等升学班的毕业生数"},
    {N("track_progressing", "升学班升学人数", "Track graduates progressing", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;student.track!=NULL;destination=升学"), .timed = 1,
     .definition = "升学班毕业生中升学的人数"},
    {.id = "progression_rate", .variant = "track", .variant_name = "升学班升学率",
     RATIO("track_progressing", "track_graduates", 100), PCT, .timed = 1,
     .definition = "升学班升学人数÷升学班毕业生数"},
    {N("employed_related", "对口就业人数", "Graduates employed in their field", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;destination=就业;related=true"), .timed = 1,
     .definition = "就业且专业对口的毕业生数"},
    {N("related_employment_rate", "对口就业率", "Employment in field rate", "%", "毕业生"),
     RATIO("employed_related", "employed", 100), PCT, .timed = 1, .definition = "对口就业人数÷就业人数"},
    {N("promoted_management", "晋升管理岗人数", "Graduates promoted to management", "人", "毕业生"),
     COUNT("graduate", "grad_year=$grad_year;management=true"), .timed = 1,
     .definition = "晋升到管理岗位的毕业生数"},
    {N("management_rate", "晋升管理岗比例", "Share promoted to management", "%", "毕业生"),
     RATIO("promoted_management", "graduates", 100), PCT, .timed = 1,
     .definition = "晋升管理岗人数÷毕业生数"},
    /* }============ */

    /* {============ 师资队伍 ============ */
    {N("staff", "教职员数", "Staff", "人", "师资队伍"), COUNT("staff", "part_time!=true"),
     .definition = "在编在岗教职工数（不含兼职）"},
    {N("teachers", "专任教师数", "Full-time teachers", "人", "师资队伍"), COUNT("staff", TEACHER),
     .definition = "岗位为专任教师的在岗教职工数（不含兼职）"},
    {N("part_time_teachers", "兼职教师数", "Part-time teachers", "人", "师资队伍"),
     COUNT("staff", "part_time=true"), .definition = "兼职教师数"},
    {N("student_teacher_ratio", "生师比", "Student-teacher ratio", "", "师资队伍"), .variant = "A",
     .variant_name = "在校生÷专任教师", RATIO("students", "teachers", 1), .format = HGQ_FMT_RATIO,
     .timed = 1, .definition = "在校生数÷专任教师数，写作20:1"},
    {.id = "student_teacher_ratio", .variant = "B", .variant_name = "兼职教师按0.5折算",
     RATIO("students", "teachers + 0.5*part_time_teachers", 1), .format = HGQ_FMT_RATIO, .timed = 1,
     .definition = "在校生数÷（专任教师数+兼职教师数×0.5）"},
    {N("teacher_student_ratio", "师生比", "Teacher-student ratio", "", "师资队伍"),
     RATIO("students", "teachers", 1), .format = HGQ_FMT_RATIO_INV, .timed = 1,
     .definition = "专任教师数与在校生数之比，写作1:20"},
    {N("dual_teachers", "双师型教师数", "Dual-qualified teachers", "人", "师资队伍"),
     COUNT("staff", TEACHER ";dual=true"), .definition = "专任教师中的双师型教师数"},
    {N("specialised_teachers", "专业课教师数", "Teachers of specialised subjects", "人", "师资队伍"),
     COUNT("staff", TEACHER ";specialised=true"), .definition = "专任教师中的专业课教师数"},
    {N("dual_specialised_teachers", "专业课双师型教师数", "Dual-qualified specialised teachers", "人", "师资队伍"),
     COUNT("staff", TEACHER ";specialised=true;dual=true"), .definition = "专业课教师中的双师型教师数"},
    {N("dual_teacher_share", "双师型教师比例", "Share of dual-qualified teachers", "%", "师资队伍"),
     .variant = "A", .variant_name = "占专任教师", RATIO("dual_teachers", "teachers", 100), PCT,
     .definition = "双师型教师数÷专任教师数"},
    {.id = "dual_teacher_share", .variant = "B", .variant_name = "占专业课教师",
     RATIO("dual_specialised_teachers", "specialised_teachers", 100), PCT,
     .definition = "专业课双师型教师数÷专业课教师数"},
    {N("senior_title_teachers", "高级职称专任教师数", "Teachers with senior titles", "人", "师资队伍"),
     COUNT("staff", TEACHER ";title=正高级|副高级"), .definition = "具有副高级及以上职称的专任教师数"},
    {N("senior_title_share", "高级职称比例", "Share of teachers with senior titles", "%", "师资队伍"),
     RATIO("senior_title_teachers", "teachers", 100), PCT, .definition = "副高级及以上职称专任教师数÷专任教师数"},
    /* }============ */

    /* {============ 办学条件 ============ */
#define FACT(id_, zh, en, unit_, fld, def_) \
    {N(id_, zh, en, unit_, "办学条件"), .kind = HGQ_IND_FIELD, .entity = "school", .field = fld, .definition = def_}
    FACT("land_area", "占地面积", "Campus land area", "平方米", "land_area", "学校校园占地面积"),
    FACT("building_area", "校舍建筑面积", "Building floor area", "平方米", "building_area", "校舍建筑面积"),
    FACT("training_area", "实习实训场地面积", "Training site area", "平方米", "training_area", "校内实习实训场地面积"),
    FACT("sports_area", "运动场地面积", "Sports ground area", "平方米", "sports_area", "运动场地面积"),
    FACT("equipment_value", "教学仪器设备总值", "Teaching equipment value", "万元", "equipment_value", "教学仪器设备总值"),
    FACT("computers", "教学用计算机", "Teaching computers", "台", "computers", "教学用计算机台数"),
    FACT("multimedia_rooms", "多媒体教室", "Multimedia classrooms", "个", "multimedia_rooms", "多媒体教室数"),
    FACT("training_rooms", "专业实训室", "Training rooms", "个", "training_rooms", "专业实训室数"),
    FACT("practice_factories", "实习工厂", "Practice factories", "个", "practice_factories", "实习工厂数"),
    FACT("vr_rooms", "VR模拟教学实训室", "VR training rooms", "个", "vr_rooms", "VR模拟教学实训室数"),
    FACT("master_studios", "技能大师工作室", "Master studios", "个", "master_studios", "技能大师工作室数"),
    FACT("books", "图书", "Books", "册", "books", "纸质图书册数"),
    FACT("funding", "办学经费总投入", "Total funding", "万元", "funding", "年度办学经费总投入"),
#undef FACT
    {N("land_per_student", "生均占地面积", "Land area per student", "平方米", "办学条件"),
     RATIO("land_area", "students", 1), .definition = "占地面积÷在校生数"},
    {N("building_per_student", "生均校舍建筑面积", "Building area per student", "平方米", "办学条件"),
     RATIO("building_area", "students", 1), .definition = "校舍建筑面积÷在校生数"},
    {N("training_area_per_student", "生均实训场地面积", "Training site area per student", "平方米", "办学条件"),
     RATIO("training_area", "students", 1), .definition = "实习实训场地面积÷在校生数"},
    {N("equipment_per_student", "生均教学仪器设备值", "Equipment value per student", "元", "办学条件"),
     RATIO("equipment_value", "students", 10000), .definition = "教学仪器设备总值（万元×10000）÷在校生数"},
    {N("computers_per_100", "每百名学生教学用计算机", "Computers per 100 students", "台", "办学条件"),
     RATIO("computers", "students", 100), .definition = "教学用计算机台数÷在校生数×100"},
    {N("books_per_student", "生均图书", "Books per student", "册", "办学条件"),
     RATIO("books", "students", 1), .definition = "图书册数÷在校生数"},
    {N("funding_per_student", "生均经费", "Funding per student", "元", "办学条件"),
     RATIO("funding", "students", 10000), .definition = "办学经费总投入（万元×10000）÷在校生数"},
    /* }============ */

    /* {============ 学生资助 ============ */
    {N("aid_recipients", "享受助学金学生人数", "Students receiving aid", "人", "学生资助"),
     COUNT("aid", "year=$year"), .field = "student_no", .timed = 1,
     .definition = "报告年度受资助学生数（按学号去重）"},
    {.id = "aid_recipients", .kind = HGQ_IND_AGGREGATE, .entity = "pub_aid",
     .where = "year=$year;item=享受助学金学生总人数", .timed = 1, .definition = "表6 享受助学金学生总人数"},
    {N("aid_registered_poor", "建档立卡贫困家庭学生人数", "Aided students from registered poor families", "人", "学生资助"),
     COUNT("aid", "year=$year;hardship=建档立卡"), .field = "student_no", .timed = 1,
     .definition = "报告年度受资助的建档立卡贫困家庭学生数"},
    {.id = "aid_registered_poor", .kind = HGQ_IND_AGGREGATE, .entity = "pub_aid",
     .where = "year=$year;item=建档立卡贫困家庭学生人数", .timed = 1, .definition = "表6 建档立卡贫困家庭学生人数"},
    {N("aid_other_hardship", "非涉农困难家庭学生人数", "Aided students from other hardship families", "人", "学生资助"),
     COUNT("aid", "year=$year;hardship=非涉农困难家庭"), .field = "student_no", .timed = 1,
     .definition = "报告年度受资助的非涉农困难家庭学生数"},
    {.id = "aid_other_hardship", .kind = HGQ_IND_AGGREGATE, .entity = "pub_aid",
     .where = "year=$year;item=非涉农困难家庭学生人数", .timed = 1, .definition = "表6 非涉农困难家庭学生人数"},
    {N("aid_coverage", "资助覆盖率", "Aid coverage", "%", "学生资助"), RATIO("aid_recipients", "students", 100),
     PCT, .timed = 1, .definition = "享受助学金学生人数÷在校生数"},
    {N("aid_amount", "资助金额", "Aid amount", "元", "学生资助"), .kind = HGQ_IND_SUM, .entity = "aid",
     .field = "amount", .where = "year=$year", .timed = 1, .definition = "报告年度资助金额合计"},
    /* }============ */

    /* {============ 社会服务 ============ */
    {N("certifications", "技能等级认定人数", "Persons certified", "人", "社会服务"), .kind = HGQ_IND_SUM,
     .entity = "certification", .field = "persons", .where = "year=$year", .timed = 1,
     .definition = "报告年度技能等级认定人数"},
    {.id = "certifications", .kind = HGQ_IND_AGGREGATE, .entity = "pub_certifications", .where = "year=$year",
     .timed = 1, .definition = "表5 当年总计"},
    {N("certifications_cumulative", "累计技能等级认定人数", "Persons certified, cumulative", "人", "社会服务"),
     .kind = HGQ_IND_SUM, .entity = "certification", .field = "persons", .where = "year<=$year", .timed = 1,
     .definition = "截至报告年度历年技能等级认定人数之和"},
    {.id = "certifications_cumulative", .kind = HGQ_IND_AGGREGATE, .entity = "pub_certifications",
     .where = "year<=$year", .timed = 1, .definition = "表5 截至报告年度各年总计之和"},
    {N("training_participants", "职业培训人次", "Vocational training participants", "人次", "社会服务"),
     .kind = HGQ_IND_SUM, .entity = "training", .field = "participants", .where = "year=$year", .timed = 1,
     .definition = "报告年度面向社会的职业培训人次"},
    {N("awards", "竞赛获奖人次", "Competition awards", "人次", "社会服务"), COUNT("award", "year=$year"),
     .timed = 1, .definition = "报告年度师生竞赛获奖人次"},
    /* }============ */

    /* {============ 产教融合 ============ */
    {N("partners", "合作企业数", "Partner enterprises", "个", "产教融合"), COUNT("partner", NULL),
     .definition = "开展校企合作的企业数"},
    {N("partner_major_coverage", "合作专业覆盖率", "Majors with a partner enterprise", "%", "产教融合"),
     .kind = HGQ_IND_FUNC, .fn = partner_major_coverage, PCT,
     .definition = "有合作企业的专业数÷专业数"},
    {N("key_majors", "重点专业数", "Key majors", "个", "产教融合"), COUNT("major", "key_major=true"),
     .definition = "列为重点专业的专业数"},
    {N("apprenticeship_majors", "新型学徒制专业数", "Majors with new-style apprenticeship", "个", "产教融合"),
     COUNT("major", "apprenticeship=true"), .definition = "开展新型学徒制的专业数"},
    /* }============ */
};

/* The teachers' structure: one count and one share per category. */
static const struct {
    const char *suffix, *field, *value, *label;
} structure[] = {
    {"age_30_under", "age_band", "30岁以下", "30岁以下"},
    {"age_31_40", "age_band", "31-40岁", "31-40岁"},
    {"age_41_50", "age_band", "41-50岁", "41-50岁"},
    {"age_51_60", "age_band", "51-60岁", "51-60岁"},
    {"age_60_over", "age_band", "60岁以上", "60岁以上"},
    {"title_full_senior", "title", "正高级", "正高级职称"},
    {"title_associate_senior", "title", "副高级", "副高级职称"},
    {"title_intermediate", "title", "中级", "中级职称"},
    {"title_junior", "title", "初级", "初级职称"},
    {"title_none", "title", "未定职级", "未定职级"},
    {"edu_postgraduate", "education", "研究生", "研究生学历"},
    {"edu_bachelor", "education", "本科", "本科学历"},
    {"edu_associate", "education", "专科", "专科学历"},
    {"edu_secondary", "education", "高中及以下", "高中及以下学历"},
};

static hgq_status add_structure(hgq_catalogue *cat, hgq_error *err)
{
    size_t i;
    hgq_status st = HGQ_OK;
    for (i = 0; i < sizeof structure / sizeof structure[0] && !st; i++) {
        char id[64], sid[72], where[160], zh[96], szh[96], def[160], sdef[160], en[96], sen[96];
        hgq_indicator_def d;
        snprintf(id, sizeof id, "teachers_%s", structure[i].suffix);
        snprintf(sid, sizeof sid, "%s_share", id);
        snprintf(where, sizeof where, TEACHER ";%s=%s", structure[i].field, structure[i].value);
        snprintf(zh, sizeof zh, "%s专任教师", structure[i].label);
        snprintf(szh, sizeof szh, "%s专任教师占比", structure[i].label);
        snprintf(def, sizeof def, "%s为%s的专任教师数", strcmp(structure[i].field, "age_band") == 0 ? "年龄段"
                 : strcmp(structure[i].field, "title") == 0 ? "职称" : "学历", structure[i].value);
        snprintf(sdef, sizeof sdef, "%s÷专任教师数", zh);
        snprintf(en, sizeof en, "Full-time teachers, %s %s", structure[i].field, structure[i].suffix);
        snprintf(sen, sizeof sen, "Share of full-time teachers, %s %s", structure[i].field, structure[i].suffix);
        memset(&d, 0, sizeof d);
        d.id = id;
        d.name_zh = zh;
        d.name_en = en;
        d.unit = "人";
        d.group = "师资结构";
        d.definition = def;
        d.kind = HGQ_IND_COUNT;
        d.entity = "staff";
        d.where = where;
        d.decimals = -1;
        if ((st = hgq_catalogue_add(cat, &d, err)))
            break;
        memset(&d, 0, sizeof d);
        d.id = sid;
        d.name_zh = szh;
        d.name_en = sen;
        d.unit = "%";
        d.group = "师资结构";
        d.definition = sdef;
        d.kind = HGQ_IND_RATIO;
        d.num = id;
        d.den = "teachers";
        d.scale = 100;
        d.format = HGQ_FMT_PERCENT;
        d.decimals = -1;
        st = hgq_catalogue_add(cat, &d, err);
    }
    return st;
}

hgq_status hgq_catalogue_add_builtins(hgq_catalogue *cat, hgq_error *err)
{
    size_t i;
    hgq_status st;
    for (i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        hgq_indicator_def d = builtins[i];
        d.decimals = -1;
        if ((st = hgq_catalogue_add(cat, &d, err)))
            return st;
        /* the structure follows the teacher counts it divides by */
        if (strcmp(d.id, "senior_title_share") == 0 && (st = add_structure(cat, err)))
            return st;
    }
    return HGQ_OK;
}
