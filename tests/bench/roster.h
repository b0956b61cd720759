/*
 * roster.h - deterministic synthetic people for the benchmarks: students
 * and staff of Hunan technical schools, as the office rosters hold them.
 *
 * Everything comes from a splitmix64 stream seeded by the caller, so the
 * generator (gen.c) and raw libxlsxwriter writer (raw_write.c) produce
 * exactly the same cells. Names and ID numbers are plainly synthetic (ID
 * numbers carry a valid check digit); the mix of values is shaped like the
 * example school's so that shared-string tables and statistics are of a
 * realistic size.
 */
#ifndef BENCH_ROSTER_H
#define BENCH_ROSTER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* {====================================================================
 * Random numbers
 * ===================================================================== */

typedef struct bench_rng {
    uint64_t s;
} bench_rng;

static inline uint64_t rng_next(bench_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Integer in [a, b]. */
static inline int rng_int(bench_rng *r, int a, int b)
{
    return a + (int)((rng_next(r) >> 11) % (uint64_t)(b - a + 1));
}

/* 1 with probability p. */
static inline int rng_chance(bench_rng *r, double p)
{
    return (double)(rng_next(r) >> 11) < p * 9007199254740992.0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* }==================================================================== */

/* {====================================================================
 * Vocabulary
 * ===================================================================== */

static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
    "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
    "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
    "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
    "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔",
    "向", "汤",
};

static const char *const GIVEN[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏",
    "文", "辉", "建", "国", "宇", "浩", "俊", "婷", "雪", "琳", "晨", "欣", "怡", "佳",
    "子", "轩", "梓", "涵", "睿", "博", "然", "思", "雨", "泽", "一", "诺", "晓", "嘉",
    "宏", "志", "海", "波", "斌", "凯", "峰", "鑫", "龙", "飞", "亮", "林", "成", "春",
    "兰", "云", "凤", "梅", "燕", "青", "蕾", "莉", "倩", "璐", "瑶", "蓉", "颖", "媛",
    "新", "家", "天", "安", "乐", "兴", "旭", "阳", "东", "南", "湘", "衡", "岳", "韶",
    "湘", "宁", "远", "航", "晗", "昊", "铭", "航", "诚", "毅", "彬", "豪", "振", "坤",
    "玲", "茜", "薇", "妍", "露", "洁",
};

/* 湖南 counties: 6-digit region codes (as in ID numbers) and names. */
static const struct {
    const char *code, *name;
} COUNTIES[] = {
    {"430421", "衡阳县"}, {"430422", "衡南县"}, {"430423", "衡山县"}, {"430424", "衡东县"},
    {"430426", "祁东县"}, {"430481", "耒阳市"}, {"430482", "常宁市"}, {"430405", "珠晖区"},
    {"430406", "雁峰区"}, {"430407", "石鼓区"}, {"430408", "蒸湘区"}, {"430412", "南岳区"},
    {"430121", "长沙县"}, {"430181", "浏阳市"}, {"430182", "宁乡市"}, {"430221", "株洲县"},
    {"430281", "醴陵市"}, {"430321", "湘潭县"}, {"430381", "湘乡市"}, {"430521", "邵东县"},
    {"430522", "新邵县"}, {"430523", "邵阳县"}, {"430524", "隆回县"}, {"430525", "洞口县"},
    {"430621", "岳阳县"}, {"430624", "湘阴县"}, {"430626", "平江县"}, {"430681", "汨罗市"},
    {"430721", "安乡县"}, {"430723", "澧县"},   {"430922", "桃江县"}, {"430923", "安化县"},
    {"431021", "桂阳县"}, {"431022", "宜章县"}, {"431121", "祁阳县"}, {"431122", "东安县"},
    {"431221", "中方县"}, {"431222", "沅陵县"}, {"431321", "双峰县"}, {"431381", "冷水江市"},
};

/* Majors, with the categories 表2 splits new students by. */
typedef struct bench_major {
    const char *name, *short_name, *category;
    int years;
} bench_major;

static const bench_major MAJORS[] = {
    {"数控机床装配与维修", "数控", "机械类", 3},
    {"模具制造", "模具", "机械类", 3},
    {"工业机器人应用与维护", "机器人", "机械类", 3},
    {"机电一体化技术", "机电", "机械类", 3},
    {"焊接加工", "焊接", "机械类", 3},
    {"汽车维修", "汽修", "交通类", 3},
    {"新能源汽车检测与维修", "新能源", "交通类", 3},
    {"电子技术应用", "电子", "电工电子类", 3},
    {"电气自动化设备安装与维修", "电气", "电工电子类", 3},
    {"计算机应用与维修", "计算机", "信息类", 3},
    {"计算机网络应用", "网络", "信息类", 3},
    {"计算机程序设计", "程序", "信息类", 3},
    {"会计", "会计", "财经商贸类", 3},
    {"电子商务", "电商", "财经商贸类", 3},
    {"物流服务与管理", "物流", "财经商贸类", 3},
    {"中餐烹饪", "烹饪", "服务类", 3},
    {"美容美发与造型", "美发", "服务类", 3},
    {"幼儿教育", "幼教", "文化艺术类", 3},
    {"建筑施工", "建筑", "建筑类", 3},
    {"无人机应用技术", "无人机", "交通类", 5},
};

static const int REPORT_YEAR = 2025;

/* }==================================================================== */

/* {====================================================================
 * Dates and ID numbers
 * ===================================================================== */

static inline int bench_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int bench_mdays(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && bench_leap(y) ? 29 : md[m - 1];
}

/* Days since 1899-12-30 (the hgq / Excel serial of a date after 1900-03-01). */
static inline double bench_serial(int y, int m, int d)
{
    /* days from civil (Howard Hinnant), shifted to the 1899-12-30 epoch */
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    unsigned yoe = (unsigned)(yy - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long)era * 146097 + (long)doe - 719468;   /* since 1970-01-01 */
    return (double)(days + 25569);
}

/* Writes an 18-character ID number (with its check digit) into out[19]. */
static inline void bench_id_number(char *out, const char *region, int y, int m, int d,
                                   int seq, int male)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    char buf[64];
    int i, sum = 0;
    seq = (seq % 500) * 2 + (male ? 1 : 0);
    snprintf(buf, sizeof buf, "%.6s%04d%02d%02d%03d", region, y % 10000, m % 100, d % 100, seq);
    memcpy(out, buf, 17);
    for (i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = check[sum % 11];
    out[18] = '\0';
}

/* }==================================================================== */

/* {====================================================================
 * Students
 * ===================================================================== */

typedef struct bench_student {
    char student_no[24];
    char name[16];
    const char *gender;
    char id_number[20];
    int by, bm, bd;               /* birth date */
    double birth;                 /* its serial */
    const bench_major *major;
    char class_name[48];
    int entry_year;
    int years;                    /* 学制 */
    const char *origin;
    const char *hardship;         /* NULL when none */
    const char *status;
    int rural;
    const char *track;            /* NULL when none */
} bench_student;

/* The R roster's header, in column order. */
static const char *const ROSTER_HEADER[12] = {
    "学号", "姓名", "性别", "身份证号", "出生日期", "专业", "班级", "入学年份", "学制",
    "生源地", "困难类型", "学籍状态",
};

/*
 * Student `seq` (0-based) of a school numbered `school` drawing from
 * `nmajors` majors starting at `major0` of MAJORS. Uses the rng's stream;
 * call with a rng dedicated to the school (or the roster).
 */
static inline void bench_make_student(bench_rng *r, bench_student *s, int school, long seq,
                                      int major0, int nmajors)
{
    int male, k, cohort, age16;
    const bench_major *m = &MAJORS[(major0 + rng_int(r, 0, nmajors - 1)) % (int)NELEM(MAJORS)];
    /* county and ID sequence from the student's number: ID numbers are then
     * unique within a school (up to 20,000 students) */
    int county = (int)((seq + (long)school * 7) % (long)NELEM(COUNTIES));
    /* cohorts 2021 (graduated), 2022 .. 2025 in school, younger cohorts larger */
    k = rng_int(r, 0, 99);
    cohort = k < 12 ? 2021 : k < 24 ? 2022 : k < 45 ? 2023 : k < 70 ? 2024 : 2025;
    if (cohort == 2022 && m->years < 4)
        cohort = 2023;
    s->major = m;
    s->entry_year = cohort;
    s->years = m->years;
    male = !rng_chance(r, strcmp(m->category, "财经商贸类") == 0 ? 0.7 : 0.2);
    s->gender = male ? "男" : "女";
    age16 = rng_chance(r, 0.6);
    s->by = cohort - 15 - age16;
    s->bm = rng_int(r, 1, 12);
    s->bd = rng_int(r, 1, bench_mdays(s->by, s->bm));
    s->birth = bench_serial(s->by, s->bm, s->bd);
    bench_id_number(s->id_number, COUNTIES[county].code, s->by, s->bm, s->bd,
                    (int)((seq / (long)NELEM(COUNTIES)) % 500), male);
    snprintf(s->student_no, sizeof s->student_no, "%d%03d%02d%05ld", cohort, school % 1000,
             (int)(m - MAJORS), seq % 100000);
    if (rng_chance(r, 0.25))
        snprintf(s->name, sizeof s->name, "%s%s", SURNAMES[rng_int(r, 0, NELEM(SURNAMES) - 1)],
                 GIVEN[rng_int(r, 0, NELEM(GIVEN) - 1)]);
    else
        snprintf(s->name, sizeof s->name, "%s%s%s",
                 SURNAMES[rng_int(r, 0, NELEM(SURNAMES) - 1)],
                 GIVEN[rng_int(r, 0, NELEM(GIVEN) - 1)], GIVEN[rng_int(r, 0, NELEM(GIVEN) - 1)]);
    snprintf(s->class_name, sizeof s->class_name, "%d级%s%d班", cohort, m->short_name,
             rng_int(r, 1, 6));
    s->origin = COUNTIES[county].name;
    k = rng_int(r, 0, 999);
    s->hardship = k < 40 ? "建档立卡" : k < 100 ? "非涉农困难家庭" : NULL;
    s->rural = k < 40 ? 1 : k < 100 ? 0 : rng_chance(r, 0.8);
    if (cohort + s->years <= REPORT_YEAR - 1)
        s->status = "毕业";
    else {
        k = rng_int(r, 0, 999);
        s->status = k < 8 ? "休学" : k < 15 ? "退学" : "在校";
    }
    s->track = rng_chance(r, 0.06) ? "职教高考班" : NULL;
}

/* }==================================================================== */

/* {====================================================================
 * Staff
 * ===================================================================== */

typedef struct bench_staff {
    char staff_no[32];
    char name[16];
    const char *gender;
    char id_number[20];
    int by, bm, bd;
    double birth;
    const char *post, *title, *education;
    int dual, specialised, part_time;
} bench_staff;

static inline void bench_make_staff(bench_rng *r, bench_staff *p, int school, long seq)
{
    static const char *const posts[] = {"专任教师", "行政人员", "教辅人员", "工勤人员"};
    static const char *const titles[] = {"正高级", "副高级", "中级", "初级", "未定职级"};
    static const char *const edus[] = {"研究生", "本科", "专科", "高中及以下"};
    int k = rng_int(r, 0, 99), male = rng_chance(r, 0.5);
    int county = (int)((seq + (long)school * 7) % (long)NELEM(COUNTIES));
    int age = rng_int(r, 23, 59);
    p->post = posts[k < 76 ? 0 : k < 90 ? 1 : k < 95 ? 2 : 3];
    k = rng_int(r, 0, 99);
    p->title = titles[k < 2 ? 0 : k < 14 ? 1 : k < 44 ? 2 : k < 64 ? 3 : 4];
    k = rng_int(r, 0, 99);
    p->education = p->post == posts[3] ? edus[3] : edus[k < 8 ? 0 : k < 88 ? 1 : 2];
    p->gender = male ? "男" : "女";
    p->by = REPORT_YEAR - age;
    p->bm = rng_int(r, 1, 12);
    p->bd = rng_int(r, 1, bench_mdays(p->by, p->bm));
    p->birth = bench_serial(p->by, p->bm, p->bd);
    bench_id_number(p->id_number, COUNTIES[county].code, p->by, p->bm, p->bd,
                    (int)((seq / (long)NELEM(COUNTIES)) % 500), male);
    snprintf(p->staff_no, sizeof p->staff_no, "JG%03d%04ld", school % 1000, seq);
    snprintf(p->name, sizeof p->name, "%s%s%s", SURNAMES[rng_int(r, 0, NELEM(SURNAMES) - 1)],
             GIVEN[rng_int(r, 0, NELEM(GIVEN) - 1)], GIVEN[rng_int(r, 0, NELEM(GIVEN) - 1)]);
    p->specialised = p->post == posts[0] && rng_chance(r, 0.7);
    p->dual = p->specialised && rng_chance(r, 0.5);
    p->part_time = rng_chance(r, 0.03);
}

/* }==================================================================== */

#endif
