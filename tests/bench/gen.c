/*
 * gen.c - makes the benchmark workloads with libhgq's writer.
 *
 *   gen roster OUT.xlsx NROWS [cm]
 *       R: a student roster of NROWS rows and 12 columns (header row 1),
 *       shared strings, or inline strings in constant-memory mode ("cm").
 *       Prints rows=, gen_s= (making the values alone), write_s= (the
 *       writer's share: total minus gen_s), total_s=, write_cpu= (the
 *       writer's share in CPU time).
 *   gen roster-csv OUT.csv NROWS
 *       The same rows as CSV (UTF-8, birth date as its serial), for the
 *       peers' writers to read before they are timed writing them.
 *   gen province OUTDIR [NSCHOOLS [TOTAL]]
 *       P: NSCHOOLS school folders (default 150) shaped like
 *       examples/hengyang-2025, from 300 to 15,000 students each, TOTAL
 *       students in all (default 1,000,000) and staff about 6% of that;
 *       plus OUTDIR/all/{student,staff,major}.csv holding every school's
 *       records (field ids as headers) for the statistics benchmarks.
 *
 * Output is deterministic: the values come from roster.h's seeded streams.
 */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hgq.h"
#include "bench.h"
#include "roster.h"

static void check(hgq_status st, const hgq_error *err, const char *what)
{
    if (st != HGQ_OK)
        bench_die("gen: %s: %s (%s)", what, err->message, hgq_status_name(st));
}

static void mkdir_p(const char *path)
{
    char buf[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof buf)
        bench_die("gen: path too long");
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                bench_die("gen: mkdir %s: %s", buf, strerror(errno));
            buf[i] = c;
        }
    }
}

/* {====================================================================
 * R: the roster
 * ===================================================================== */

static const char *const ROSTER_FORMATS[12] = {
    "text", "text", "text", "text", "date", "text", "text", "integer", "integer",
    "text", "text", "text",
};

/* The 12 values of roster row `s`; text is borrowed from s. */
static void roster_values(const bench_student *s, hgq_value v[12])
{
    v[0] = hgq_text(s->student_no);
    v[1] = hgq_text(s->name);
    v[2] = hgq_text(s->gender);
    v[3] = hgq_text(s->id_number);
    v[4] = hgq_date(s->birth);
    v[5] = hgq_text(s->major->name);
    v[6] = hgq_text(s->class_name);
    v[7] = hgq_int(s->entry_year);
    v[8] = hgq_int(s->years);
    v[9] = hgq_text(s->origin);
    v[10] = s->hardship ? hgq_text(s->hardship) : hgq_null();
    v[11] = hgq_text(s->status);
}

static int gen_roster(const char *path, long nrows, int cm)
{
    hgq_writer_options wo;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    bench_rng rng = {20250901};
    bench_student s;
    hgq_value v[12];
    double t0, c0, gen_s, gen_cpu, total_s, total_cpu;
    volatile size_t sink = 0;
    long i;

    /* pass 1: the values alone, to subtract from the writing pass */
    t0 = bench_now();
    c0 = bench_cpu();
    for (i = 0; i < nrows; i++) {
        bench_make_student(&rng, &s, 1, i, 0, (int)NELEM(MAJORS));
        roster_values(&s, v);
        sink += strlen(s.name) + (size_t)v[4].u.d;
    }
    gen_s = bench_now() - t0;
    gen_cpu = bench_cpu() - c0;

    rng.s = 20250901;
    t0 = bench_now();
    c0 = bench_cpu();
    hgq_writer_options_init(&wo);
    wo.constant_memory = cm;
    wo.unmask_ids = 1;
    wo.created = 1756684800; /* 2025-09-01: the same bytes every time */
    wo.title = "学生名册";
    check(hgq_writer_new(&w, path, &wo, &err), &err, path);
    check(hgq_writer_add_sheet(w, "学生名册", NULL, &sh, &err), &err, "add sheet");
    hgq_table_layout_init(&t);
    t.ncols = 12;
    t.header_rows = 1;
    t.header = ROSTER_HEADER;
    t.formats = ROSTER_FORMATS;
    t.label_cols = 0;
    check(hgq_writer_sheet_begin_table(sh, &t, NULL, &err), &err, "begin table");
    for (i = 0; i < nrows; i++) {
        bench_make_student(&rng, &s, 1, i, 0, (int)NELEM(MAJORS));
        roster_values(&s, v);
        check(hgq_writer_sheet_append_row(sh, v, 12, &err), &err, "append row");
    }
    check(hgq_writer_sheet_end_table(sh, NULL, &err), &err, "end table");
    check(hgq_writer_close(w, &err), &err, "close");
    hgq_writer_free(w);
    total_s = bench_now() - t0;
    total_cpu = bench_cpu() - c0;
    printf("rows=%ld\ngen_s=%.4f\nwrite_s=%.4f\ntotal_s=%.4f\nwrite_cpu=%.4f\nmaxrss_kb=%ld\n",
           nrows, gen_s, total_s - gen_s, total_s, total_cpu - gen_cpu, bench_maxrss_kb());
    return sink == 0;
}

static int gen_roster_csv(const char *path, long nrows)
{
    bench_rng rng = {20250901};
    bench_student s;
    FILE *f = fopen(path, "w");
    long i;
    int c;
    if (!f)
        bench_die("gen: cannot create %s", path);
    for (c = 0; c < 12; c++)
        fprintf(f, "%s%c", ROSTER_HEADER[c], c == 11 ? '\n' : ',');
    for (i = 0; i < nrows; i++) {
        bench_make_student(&rng, &s, 1, i, 0, (int)NELEM(MAJORS));
        fprintf(f, "%s,%s,%s,%s,%.0f,%s,%s,%d,%d,%s,%s,%s\n", s.student_no, s.name, s.gender,
                s.id_number, s.birth, s.major->name, s.class_name, s.entry_year, s.years,
                s.origin, s.hardship ? s.hardship : "", s.status);
    }
    if (fclose(f))
        bench_die("gen: cannot write %s", path);
    printf("rows=%ld\n", nrows);
    return 0;
}

/* }==================================================================== */

/* {====================================================================
 * P: a province of schools
 * ===================================================================== */

/* A small helper to lay cells out by hand, as the example school does. */
typedef struct book {
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_error err;
    const char *path;
} book;

static void book_open(book *b, const char *path, const char *title, const char *author)
{
    hgq_writer_options wo;
    hgq_writer_options_init(&wo);
    wo.title = title;
    wo.author = author;
    wo.unmask_ids = 1;
    wo.created = 1756684800;
    b->path = path;
    check(hgq_writer_new(&b->w, path, &wo, &b->err), &b->err, path);
    b->sh = NULL;
}

static void book_sheet(book *b, const char *name)
{
    check(hgq_writer_add_sheet(b->w, name, NULL, &b->sh, &b->err), &b->err, name);
}

static void put(book *b, uint32_t r, uint32_t c, hgq_value v, const char *fmt)
{
    check(hgq_writer_sheet_write(b->sh, r, c, &v, fmt, &b->err), &b->err, b->path);
}

static void merge(book *b, uint32_t r0, uint32_t c0, uint32_t r1, uint32_t c1, hgq_value v,
                  const char *fmt)
{
    hgq_range rg = {r0, c0, r1, c1};
    check(hgq_writer_sheet_merge(b->sh, &rg, &v, fmt, &b->err), &b->err, b->path);
}

static void book_close(book *b)
{
    check(hgq_writer_close(b->w, &b->err), &b->err, b->path);
    hgq_writer_free(b->w);
}

/* Starts a titled table of one header row on the current sheet. */
static void table_begin(book *b, const char *title, const char *const *header, size_t ncols,
                        const char *const *formats, size_t header_rows)
{
    hgq_table_layout t;
    hgq_table_layout_init(&t);
    t.title = title;
    t.ncols = ncols;
    t.header_rows = header_rows;
    t.header = header;
    t.formats = formats;
    t.label_cols = 0;
    check(hgq_writer_sheet_begin_table(b->sh, &t, NULL, &b->err), &b->err, b->path);
}

static void table_row(book *b, const hgq_value *v, size_t n)
{
    check(hgq_writer_sheet_append_row(b->sh, v, n, &b->err), &b->err, b->path);
}

static void table_end(book *b)
{
    check(hgq_writer_sheet_end_table(b->sh, NULL, &b->err), &b->err, b->path);
}

static const char *yesno(int b)
{
    return b ? "是" : "否";
}

/* A school of the province and what its files add up to. */
typedef struct school {
    int index;                  /* 0-based */
    char name[64];
    char dir[4096];
    long nstudents, nstaff;
    int major0, nmajors;
    const char *type;
} school;

typedef struct csv_out {
    FILE *student, *staff;
} csv_out;

static const char *const CITY[] = {
    "长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州",
    "永州", "怀化", "娄底", "湘西",
};
static const char *const TRADE[] = {
    "机电", "工业", "交通", "信息", "商贸", "建设", "轻工", "科技", "现代", "高级",
};

static void file_path(char *out, size_t size, const school *sc, const char *name)
{
    snprintf(out, size, "%s/%s", sc->dir, name);
}

/* 学校基本情况.xlsx: two-row merged header, one data row. */
static void write_basic(const school *sc, bench_rng *r)
{
    static const char *const h[] = {
        "基本信息", "", "", "", "", "面积（平方米）", "", "", "", "教学条件", "", "", "", "",
        "", "", "年度经费总投入",
        "学校名称", "主办单位", "创办时间", "学校类型", "所在省份", "占地面积", "校舍建筑面积",
        "实习实训场地面积", "运动场地面积", "教学仪器设备总值（万元）", "教学用计算机（台）",
        "多媒体教室（间）", "专业实训室（个）", "实习工厂（个）", "VR实训室（个）",
        "技能大师工作室（个）", "",
    };
    char path[4200], title[160], funding[32];
    hgq_value v[17];
    double scale = (double)sc->nstudents / 1000.0;
    book b;
    file_path(path, sizeof path, sc, "学校基本情况.xlsx");
    book_open(&b, path, "学校基本情况", sc->name);
    book_sheet(&b, "基本情况");
    snprintf(title, sizeof title, "%s基本情况表（2025年）", sc->name);
    table_begin(&b, title, h, 17, NULL, 2);
    snprintf(funding, sizeof funding, "%.2f万元", 500.0 * scale + rng_int(r, 0, 200));
    v[0] = hgq_text(sc->name);
    v[1] = hgq_text("湖南省人力资源和社会保障厅");
    v[2] = hgq_text("2003年4月");
    v[3] = hgq_text(sc->type);
    v[4] = hgq_text("湖南省");
    v[5] = hgq_num(40000 + 30.0 * (double)sc->nstudents);
    v[6] = hgq_num(20000 + 16.0 * (double)sc->nstudents);
    v[7] = hgq_num(8000 + 9.0 * (double)sc->nstudents);
    v[8] = hgq_num(9000 + 5.0 * (double)sc->nstudents);
    v[9] = hgq_num(300 + 450.0 * scale);
    v[10] = hgq_int((int64_t)(100 + 180 * scale));
    v[11] = hgq_int((int64_t)(10 + 18 * scale));
    v[12] = hgq_int((int64_t)(5 + 6 * scale));
    v[13] = hgq_int((int64_t)(2 + 3 * scale));
    v[14] = hgq_int(rng_int(r, 0, 4));
    v[15] = hgq_int(rng_int(r, 0, 3));
    v[16] = hgq_text(funding);
    table_row(&b, v, 17);
    table_end(&b);
    book_close(&b);
}

/* 专业设置.xlsx */
static void write_majors(const school *sc)
{
    static const char *const h[] = {"序号", "专业名称", "专业类别", "学制",
                                    "是否开展新型学徒制", "是否重点专业", "培养层次", "备注"};
    char path[4200], title[160], years[16];
    hgq_value v[8];
    book b;
    int i;
    file_path(path, sizeof path, sc, "专业设置.xlsx");
    book_open(&b, path, "专业设置", sc->name);
    book_sheet(&b, "专业设置");
    snprintf(title, sizeof title, "2025年专业设置情况");
    table_begin(&b, title, h, 8, NULL, 1);
    for (i = 0; i < sc->nmajors; i++) {
        const bench_major *m = &MAJORS[(sc->major0 + i) % (int)NELEM(MAJORS)];
        snprintf(years, sizeof years, "%d年", m->years);
        v[0] = hgq_int(i + 1);
        v[1] = hgq_text(m->name);
        v[2] = hgq_text(m->category);
        v[3] = hgq_text(years);
        v[4] = hgq_text(i % 3 == 0 ? "是" : "否");
        v[5] = hgq_text(i % 4 == 0 ? "√" : "");
        v[6] = hgq_text(m->years > 3 ? "高级工" : "中级工");
        v[7] = hgq_text(i % 4 == 0 ? "省级重点专业" : "");
        table_row(&b, v, 8);
    }
    table_end(&b);
    book_close(&b);
}

/* Per-school tallies the published tables are made from. */
typedef struct tallies {
    long new_by_cat[NELEM(MAJORS)];    /* 2025 entrants, by MAJORS category index */
    long in_school, rural_poor, other_poor;
    long grads, grads_employed, grads_study;
    long teachers;
    long title_band[5][5], edu_band[4][5], band[5];
} tallies;

static int band_of(int age)
{
    return age <= 30 ? 0 : age <= 40 ? 1 : age <= 50 ? 2 : age <= 60 ? 3 : 4;
}

static int age_on(int by, int bm, int bd, int y, int m, int d)
{
    int a = y - by;
    if (m < bm || (m == bm && d < bd))
        a--;
    return a;
}

static int cat_index(const char *category)
{
    size_t i;
    for (i = 0; i < NELEM(MAJORS); i++)
        if (strcmp(MAJORS[i].category, category) == 0)
            return (int)i;
    return 0;
}

/*
 * 学生花名册.xlsx, 毕业生去向.xlsx and 学生资助.xlsx from one pass over the
 * school's students; their rows also go to the province CSV.
 */
static void write_students(const school *sc, csv_out *csv, tallies *ta)
{
    static const char *const h[] = {"序号", "学号", "姓名", "性别", "身份证号", "出生日期",
                                    "专业", "班级", "入学年份", "学籍状态", "是否农村生源",
                                    "困难类型", "班型", "生源地", "备注"};
    static const char *const hf[] = {"integer", "text", "text", "text", "text", "date",
                                     "text", "text", "integer", "text", "text", "text",
                                     "text", "text", "text"};
    static const char *const gh[] = {"序号", "学号", "姓名", "专业", "毕业年份", "毕业去向",
                                     "就业单位/升学院校", "是否专业对口", "是否晋升管理岗"};
    static const char *const gf[] = {"integer", "text", "text", "text", "integer", "text",
                                     "text", "text", "text"};
    static const char *const ah[] = {"序号", "年度", "学号", "姓名", "困难类型", "资助项目",
                                     "金额（元）"};
    static const char *const af[] = {"integer", "integer", "text", "text", "text", "text",
                                     "integer"};
    static const char *const EMPLOYERS[] = {
        "湖南中车时代电动汽车股份有限公司", "三一重工股份有限公司", "长沙比亚迪汽车有限公司",
        "中联重科股份有限公司", "蓝思科技股份有限公司", "华为技术有限公司",
        "湖南华菱涟源钢铁有限公司", "株洲中车时代电气股份有限公司",
    };
    char path[4200], title[200], id[20];
    bench_rng r = {UINT64_C(0x5C40011) + (uint64_t)sc->index * 7919};
    book st, gr, aid;
    hgq_value v[15];
    bench_student s;
    long i, ng = 0, na = 0;

    file_path(path, sizeof path, sc, "学生花名册.xlsx");
    book_open(&st, path, "学生花名册", sc->name);
    book_sheet(&st, "学生花名册");
    snprintf(title, sizeof title, "%s学生花名册（截至2025年9月1日）", sc->name);
    table_begin(&st, title, h, 15, hf, 1);

    file_path(path, sizeof path, sc, "毕业生去向.xlsx");
    book_open(&gr, path, "毕业生去向", sc->name);
    book_sheet(&gr, "2024届毕业生");
    table_begin(&gr, "2024届毕业生去向统计表", gh, 9, gf, 1);

    file_path(path, sizeof path, sc, "学生资助.xlsx");
    book_open(&aid, path, "学生资助", sc->name);
    book_sheet(&aid, "2025年国家助学金");
    table_begin(&aid, "2025年国家助学金发放名册", ah, 7, af, 1);

    for (i = 0; i < sc->nstudents; i++) {
        char birth[16];
        bench_make_student(&r, &s, sc->index + 1, i, sc->major0, sc->nmajors);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", s.by, s.bm, s.bd);
        v[0] = hgq_int(i + 1);
        v[1] = hgq_text(s.student_no);
        v[2] = hgq_text(s.name);
        v[3] = hgq_text(s.gender);
        memcpy(id, s.id_number, sizeof id);
        v[4] = hgq_text(id);
        v[5] = hgq_date(s.birth);
        v[6] = hgq_text(s.major->name);
        v[7] = hgq_text(s.class_name);
        v[8] = hgq_int(s.entry_year);
        v[9] = hgq_text(s.status);
        v[10] = hgq_text(yesno(s.rural));
        v[11] = s.hardship ? hgq_text(s.hardship) : hgq_null();
        v[12] = s.track ? hgq_text(s.track) : hgq_null();
        v[13] = hgq_text(s.origin);
        v[14] = hgq_null();
        table_row(&st, v, 15);

        fprintf(csv->student, "%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s\n", s.student_no,
                s.name, s.id_number, s.gender, birth, s.major->name, s.class_name,
                s.entry_year, s.status, yesno(s.rural), s.hardship ? s.hardship : "",
                s.track ? s.track : "", s.origin, sc->name);

        if (s.entry_year == REPORT_YEAR)
            ta->new_by_cat[cat_index(s.major->category)]++;
        if (strcmp(s.status, "在校") == 0) {
            ta->in_school++;
            if (s.hardship) {
                hgq_value a[7];
                if (strcmp(s.hardship, "建档立卡") == 0)
                    ta->rural_poor++;
                else
                    ta->other_poor++;
                a[0] = hgq_int(++na);
                a[1] = hgq_int(REPORT_YEAR);
                a[2] = hgq_text(s.student_no);
                a[3] = hgq_text(s.name);
                a[4] = hgq_text(s.hardship);
                a[5] = hgq_text("国家助学金");
                a[6] = hgq_int(2300);
                table_row(&aid, a, 7);
            }
        } else if (strcmp(s.status, "毕业") == 0 && s.entry_year + s.years == REPORT_YEAR - 1) {
            hgq_value g[9];
            int study = s.track ? rng_chance(&r, 0.95) : rng_chance(&r, 0.08);
            int jobless = !study && rng_chance(&r, 0.03);
            ng++;
            ta->grads++;
            g[0] = hgq_int(ng);
            g[1] = hgq_text(s.student_no);
            g[2] = hgq_text(s.name);
            g[3] = hgq_text(s.major->name);
            g[4] = hgq_int(REPORT_YEAR - 1);
            g[5] = hgq_text(study ? "升学" : jobless ? "待业" : "就业");
            g[6] = study ? hgq_text("湖南机电职业技术学院")
                 : jobless ? hgq_null()
                           : hgq_text(EMPLOYERS[rng_int(&r, 0, NELEM(EMPLOYERS) - 1)]);
            g[7] = study || jobless ? hgq_null() : hgq_text(yesno(rng_chance(&r, 0.83)));
            g[8] = study || jobless ? hgq_null() : hgq_text(yesno(rng_chance(&r, 0.04)));
            if (study)
                ta->grads_study++;
            else if (!jobless)
                ta->grads_employed++;
            table_row(&gr, g, 9);
        }
    }
    table_end(&st);
    put(&st, hgq_writer_sheet_next_row(st.sh) + 1, 0,
        hgq_text("说明：学籍状态以2025年9月1日为准；已毕业学生保留其记录以便统计毕业生去向。"),
        NULL);
    book_close(&st);
    table_end(&gr);
    book_close(&gr);
    table_end(&aid);
    {
        uint32_t row = hgq_writer_sheet_next_row(aid.sh);
        char f[64];
        snprintf(f, sizeof f, "SUM(G3:G%u)", row);
        put(&aid, row, 0, hgq_text("合计"), NULL);
        check(hgq_writer_sheet_write_formula(aid.sh, row, 6, f,
                                             &(hgq_value){HGQ_INT, {.i = na * 2300}}, NULL,
                                             &aid.err),
              &aid.err, "formula");
    }
    book_close(&aid);
}

/* 教职工名册.xlsx: merged two-row header, birth dates as dates. */
static void write_staff(const school *sc, csv_out *csv, tallies *ta)
{
    static const char *const h[] = {
        "序号", "基本信息", "", "", "", "", "岗位与职称", "", "", "教师资格", "", "",
        "", "工号", "姓名", "性别", "身份证号", "出生日期", "岗位类别", "职称", "最高学历",
        "是否双师型", "是否专业课教师", "是否兼职",
    };
    static const char *const f[] = {"integer", "text", "text", "text", "text", "date",
                                    "text", "text", "text", "text", "text", "text"};
    static const char *const TITLES[] = {"正高级", "副高级", "中级", "初级", "未定职级"};
    static const char *const EDUS[] = {"研究生", "本科", "专科", "高中及以下"};
    char path[4200], title[200], birth[16];
    bench_rng r = {UINT64_C(0x57AFF) + (uint64_t)sc->index * 104729};
    bench_staff p;
    hgq_value v[12];
    book b;
    long i;
    size_t k;
    file_path(path, sizeof path, sc, "教职工名册.xlsx");
    book_open(&b, path, "教职工名册", sc->name);
    book_sheet(&b, "在职教职工");
    snprintf(title, sizeof title, "%s教职工名册（2025年9月）", sc->name);
    table_begin(&b, title, h, 12, f, 2);
    for (i = 0; i < sc->nstaff; i++) {
        bench_make_staff(&r, &p, sc->index + 1, i);
        v[0] = hgq_int(i + 1);
        v[1] = hgq_text(p.staff_no);
        v[2] = hgq_text(p.name);
        v[3] = hgq_text(p.gender);
        v[4] = hgq_text(p.id_number);
        v[5] = hgq_date(p.birth);
        v[6] = hgq_text(p.post);
        v[7] = hgq_text(p.title);
        v[8] = hgq_text(p.education);
        v[9] = hgq_text(yesno(p.dual));
        v[10] = hgq_text(yesno(p.specialised));
        v[11] = hgq_text(yesno(p.part_time));
        table_row(&b, v, 12);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", p.by, p.bm, p.bd);
        fprintf(csv->staff, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p.staff_no, p.name,
                p.id_number, p.gender, birth, p.post, p.title, p.education, yesno(p.dual),
                yesno(p.part_time), yesno(p.specialised), sc->name);
        if (strcmp(p.post, "专任教师") == 0) {
            int band = band_of(age_on(p.by, p.bm, p.bd, REPORT_YEAR, 9, 1));
            ta->teachers++;
            ta->band[band]++;
            for (k = 0; k < NELEM(TITLES); k++)
                if (strcmp(p.title, TITLES[k]) == 0)
                    ta->title_band[k][band]++;
            for (k = 0; k < NELEM(EDUS); k++)
                if (strcmp(p.education, EDUS[k]) == 0)
                    ta->edu_band[k][band]++;
        }
    }
    table_end(&b);
    put(&b, hgq_writer_sheet_next_row(b.sh) + 1, 0, hgq_text("注：年龄以2025年9月1日计。"),
        NULL);
    book_close(&b);
}

/* The small files: partners, awards, certifications, events. */
static void write_small(const school *sc, bench_rng *r, long certs[3][12])
{
    static const char *const ph[] = {"序号", "企业名称", "合作专业", "合作形式", "开始合作时间"};
    static const char *const wh[] = {"年度", "竞赛名称", "级别", "参赛类别", "获奖等次", "获奖人"};
    static const char *const ch[] = {"年度", "工种", "等级", "对应职业资格", "认定人数"};
    static const char *const eh[] = {"月份", "事件"};
    static const char *const KINDS[] = {"订单班", "实训基地", "学徒制"};
    static const char *const LEVELS[] = {"国家级", "省级", "市级", "校级"};
    static const char *const CLEVEL[] = {"三级", "四级", "五级"};
    static const char *const CNAME[] = {"高级工", "中级工", "初级工"};
    static const char *const MONTHS[] = {"一月", "三月", "四月", "五月", "六月", "9",
                                         "10", "11", "12"};
    char path[4200], buf[200], majors[200], person[32];
    hgq_value v[6];
    book b;
    int i, n, y, k;
    long total = 0;

    file_path(path, sizeof path, sc, "合作企业.xlsx");
    book_open(&b, path, "合作企业", sc->name);
    book_sheet(&b, "合作企业");
    table_begin(&b, "校企合作企业名单", ph, 5, NULL, 1);
    n = 4 + (int)(sc->nstudents / 1500);
    for (i = 0; i < n; i++) {
        const bench_major *m1 = &MAJORS[(sc->major0 + i) % (int)NELEM(MAJORS)];
        const bench_major *m2 = &MAJORS[(sc->major0 + i + 1) % (int)NELEM(MAJORS)];
        snprintf(buf, sizeof buf, "%s%s%s科技有限公司", CITY[(sc->index + i) % NELEM(CITY)],
                 TRADE[i % NELEM(TRADE)], i % 2 ? "智能" : "精密");
        snprintf(majors, sizeof majors, "%s、%s", m1->name, m2->name);
        snprintf(person, sizeof person, "%d年%d月", 2015 + i % 10, 1 + i % 12);
        v[0] = hgq_int(i + 1);
        v[1] = hgq_text(buf);
        v[2] = hgq_text(majors);
        v[3] = hgq_text(KINDS[i % 3]);
        v[4] = hgq_text(person);
        table_row(&b, v, 5);
    }
    table_end(&b);
    book_close(&b);

    file_path(path, sizeof path, sc, "竞赛获奖.xlsx");
    book_open(&b, path, "竞赛获奖", sc->name);
    book_sheet(&b, "获奖情况");
    table_begin(&b, "师生竞赛获奖情况登记表", wh, 6, NULL, 1);
    n = 5 + (int)(sc->nstudents / 500);
    for (i = 0; i < n; i++) {
        int student = rng_chance(r, 0.7);
        snprintf(buf, sizeof buf, "湖南省职业院校技能竞赛（%s）",
                 MAJORS[(sc->major0 + i) % (int)NELEM(MAJORS)].short_name);
        snprintf(person, sizeof person, student ? "学生%05d" : "教工%04d",
                 rng_int(r, 1, student ? (int)sc->nstudents : (int)sc->nstaff));
        v[0] = hgq_int(2024 + rng_int(r, 0, 1));
        v[1] = hgq_text(buf);
        v[2] = hgq_text(LEVELS[rng_int(r, 0, 3)]);
        v[3] = hgq_text(student ? "学生" : "教师");
        v[4] = hgq_text(rng_chance(r, 0.3) ? "二等奖" : "三等奖");
        v[5] = hgq_text(person);
        table_row(&b, v, 6);
    }
    table_end(&b);
    book_close(&b);

    file_path(path, sizeof path, sc, "技能等级认定.xlsx");
    book_open(&b, path, "技能等级认定", sc->name);
    book_sheet(&b, "历年认定");
    table_begin(&b, "历年技能等级认定人数", ch, 5, NULL, 1);
    for (y = 0; y < 12; y++) {
        for (k = 0; k < 3; k++) {
            long persons = rng_chance(r, 0.6) ? rng_int(r, 5, 20 + (int)(sc->nstudents / 100)) : 0;
            if (!persons)
                continue;
            certs[k][y] = persons;
            total += persons;
            v[0] = hgq_int(2014 + y);
            v[1] = hgq_text(k == 1 ? "车工" : "钳工");
            v[2] = hgq_text(CLEVEL[k]);
            v[3] = hgq_text(CNAME[k]);
            v[4] = hgq_int(persons);
            table_row(&b, v, 5);
        }
    }
    table_end(&b);
    {
        uint32_t row = hgq_writer_sheet_next_row(b.sh);
        char f[64];
        snprintf(f, sizeof f, "SUM(E3:E%u)", row);
        put(&b, row, 0, hgq_text("合计"), NULL);
        check(hgq_writer_sheet_write_formula(b.sh, row, 4, f,
                                             &(hgq_value){HGQ_INT, {.i = total}}, NULL, &b.err),
              &b.err, "formula");
    }
    book_close(&b);

    file_path(path, sizeof path, sc, "大事记.xlsx");
    book_open(&b, path, "大事记", sc->name);
    book_sheet(&b, "2025年大事记");
    table_begin(&b, "2025年学校大事记", eh, 2, NULL, 1);
    for (i = 0; i < (int)NELEM(MONTHS); i++) {
        snprintf(buf, sizeof buf, "开展第%d次专业技能竞赛与教学检查活动", i + 1);
        v[0] = hgq_text(MONTHS[i]);
        v[1] = hgq_text(buf);
        table_row(&b, v, 2);
    }
    table_end(&b);
    book_close(&b);
}

/* 2025年度质量报告附表.xlsx: 表2-表6 as printed, from the tallies. */
static void write_published(const school *sc, const tallies *ta, long certs[3][12])
{
    static const char *const TITLES[] = {"正高级", "副高级", "中级", "初级", "未定职级"};
    static const char *const EDUS[] = {"研究生", "本科", "专科", "高中及以下"};
    static const char *const BANDS[] = {"30岁以下", "31-40岁", "41-50岁", "51-60岁", "60岁以上"};
    static const char *const CLEVEL[] = {"三级", "四级", "五级"};
    char path[4200], title[200], buf[64];
    book b;
    size_t i, j;
    uint32_t r, c;
    long total;

    file_path(path, sizeof path, sc, "2025年度质量报告附表.xlsx");
    book_open(&b, path, "2025年度质量报告附表", sc->name);

    /* 表2: 新生总数 then one column per category with entrants */
    book_sheet(&b, "表2");
    total = 0;
    for (i = 0; i < NELEM(MAJORS); i++)
        total += ta->new_by_cat[i];
    c = 0;
    put(&b, 1, c, hgq_text("新生总数"), "text");
    put(&b, 2, c++, hgq_int(total), "integer");
    for (i = 0; i < NELEM(MAJORS); i++) {
        if (!ta->new_by_cat[i] || (size_t)cat_index(MAJORS[i].category) != i)
            continue;
        snprintf(title, sizeof title, "%s新生人数", MAJORS[i].category);
        put(&b, 1, c, hgq_text(title), "text");
        put(&b, 2, c++, hgq_int(ta->new_by_cat[i]), "integer");
    }
    merge(&b, 0, 0, 0, c - 1, hgq_text("表2 2025年各类专业新生人数统计表"), "text");

    /* 表3: 总计, 职称 and 学历 rows by age band */
    book_sheet(&b, "表3");
    snprintf(title, sizeof title, "表3 %s专任教师信息统计表", sc->name);
    merge(&b, 0, 0, 0, 6, hgq_text(title), "text");
    merge(&b, 1, 0, 1, 1, hgq_text(""), "text");
    put(&b, 1, 2, hgq_text("合计"), "text");
    for (j = 0; j < 4; j++)
        put(&b, 1, 3 + (uint32_t)j, hgq_text(BANDS[j]), "text");
    merge(&b, 2, 0, 2, 1, hgq_text("总计"), "text");
    put(&b, 2, 2, hgq_int(ta->teachers), "integer");
    for (j = 0; j < 4; j++)
        put(&b, 2, 3 + (uint32_t)j, hgq_int(ta->band[j]), "integer");
    r = 3;
    merge(&b, r, 0, r + 4, 0, hgq_text("职称"), "text");
    for (i = 0; i < 5; i++, r++) {
        long sum = 0;
        for (j = 0; j < 5; j++)
            sum += ta->title_band[i][j];
        put(&b, r, 1, hgq_text(TITLES[i]), "text");
        put(&b, r, 2, hgq_int(sum), "integer");
        for (j = 0; j < 4; j++)
            put(&b, r, 3 + (uint32_t)j, hgq_int(ta->title_band[i][j]), "integer");
    }
    merge(&b, r, 0, r + 3, 0, hgq_text("学历"), "text");
    for (i = 0; i < 4; i++, r++) {
        long sum = 0;
        for (j = 0; j < 5; j++)
            sum += ta->edu_band[i][j];
        put(&b, r, 1, hgq_text(EDUS[i]), "text");
        put(&b, r, 2, hgq_int(sum), "integer");
        for (j = 0; j < 4; j++)
            put(&b, r, 3 + (uint32_t)j, hgq_int(ta->edu_band[i][j]), "integer");
    }

    /* 表4: partners, as in 合作企业.xlsx but without the kind */
    book_sheet(&b, "表4");
    merge(&b, 0, 0, 0, 2, hgq_text("表4 产教融合校企合作专业一览表"), "text");
    put(&b, 1, 0, hgq_text("序号"), "text");
    put(&b, 1, 1, hgq_text("企业名称"), "text");
    put(&b, 1, 2, hgq_text("合作专业"), "text");
    for (i = 0; i < (size_t)(4 + sc->nstudents / 1500); i++) {
        char majors[200];
        const bench_major *m1 = &MAJORS[(sc->major0 + (int)i) % (int)NELEM(MAJORS)];
        const bench_major *m2 = &MAJORS[(sc->major0 + (int)i + 1) % (int)NELEM(MAJORS)];
        snprintf(buf, sizeof buf, "%s%s%s科技有限公司", CITY[(sc->index + i) % NELEM(CITY)],
                 TRADE[i % NELEM(TRADE)], i % 2 ? "智能" : "精密");
        snprintf(majors, sizeof majors, "%s、%s", m1->name, m2->name);
        put(&b, 2 + (uint32_t)i, 0, hgq_int((int64_t)i + 1), NULL);
        put(&b, 2 + (uint32_t)i, 1, hgq_text(buf), NULL);
        put(&b, 2 + (uint32_t)i, 2, hgq_text(majors), NULL);
    }

    /* 表5: trade and level by year, totals */
    book_sheet(&b, "表5");
    merge(&b, 0, 0, 0, 15, hgq_text("表5 历年技能等级认定人数统计表"), "text");
    put(&b, 1, 0, hgq_text("工种"), "text");
    put(&b, 1, 1, hgq_text("等级"), "text");
    for (j = 0; j < 12; j++) {
        snprintf(buf, sizeof buf, "%d", 2014 + (int)j);
        put(&b, 1, 2 + (uint32_t)j, hgq_text(buf), "text");
    }
    put(&b, 1, 14, hgq_text("合计"), "text");
    {
        long col_tot[12] = {0}, grand = 0;
        for (i = 0; i < 3; i++) {
            long sum = 0;
            put(&b, 2 + (uint32_t)i, 0, hgq_text(i == 1 ? "车工" : "钳工"), NULL);
            put(&b, 2 + (uint32_t)i, 1, hgq_text(CLEVEL[i]), NULL);
            for (j = 0; j < 12; j++) {
                if (certs[i][j])
                    put(&b, 2 + (uint32_t)i, 2 + (uint32_t)j, hgq_int(certs[i][j]), NULL);
                sum += certs[i][j];
                col_tot[j] += certs[i][j];
            }
            put(&b, 2 + (uint32_t)i, 14, hgq_int(sum), NULL);
            grand += sum;
        }
        put(&b, 5, 0, hgq_text("总计"), NULL);
        for (j = 0; j < 12; j++)
            put(&b, 5, 2 + (uint32_t)j, hgq_int(col_tot[j]), NULL);
        put(&b, 5, 14, hgq_int(grand), NULL);
    }

    /* 表6: aid, three years (earlier years scaled down) */
    book_sheet(&b, "表6");
    merge(&b, 0, 0, 0, 4, hgq_text("表6 学生资助情况统计表"), "text");
    {
        static const char *const h6[] = {"年 份", "在校生数", "建档立卡贫困家庭学生人数",
                                         "非涉农困难家庭学生人数", "享受助学金学生总人数"};
        for (j = 0; j < 5; j++)
            put(&b, 1, (uint32_t)j, hgq_text(h6[j]), "text");
        for (i = 0; i < 3; i++) {
            double f = i == 0 ? 1.0 : i == 1 ? 0.85 : 0.6;
            long a = (long)(ta->rural_poor * f), o = (long)(ta->other_poor * f);
            put(&b, 2 + (uint32_t)i, 0, hgq_int(REPORT_YEAR - (int)i), NULL);
            put(&b, 2 + (uint32_t)i, 1, hgq_int((long)(ta->in_school * f)), NULL);
            put(&b, 2 + (uint32_t)i, 2, hgq_int(a), NULL);
            put(&b, 2 + (uint32_t)i, 3, hgq_int(o), NULL);
            put(&b, 2 + (uint32_t)i, 4, hgq_int(a + o), NULL);
        }
    }
    book_close(&b);
}

/* 社会培训.csv: GB18030 as Excel in China saves it, a title line and totals. */
static void write_training(const school *sc, bench_rng *r)
{
    static const char *const CLIENT[] = {"人力资源和社会保障局", "中国地质装备集团有限公司",
                                         "阳光财产保险股份有限公司"};
    static const char *const PROG[] = {"电工（初级）", "车工、钳工技能提升培训", "话务员（中级）"};
    char path[4200], utf8[8192], gb[16384];
    size_t o = 0, inleft, outleft;
    char *in = utf8, *out = gb;
    long sum = 0;
    int y, k;
    iconv_t cd;
    FILE *f;
    o += (size_t)snprintf(utf8 + o, sizeof utf8 - o, "2023-2025年社会培训情况统计\r\n"
                                                    "年度,委托单位,培训项目,培训人次\r\n");
    for (y = 2023; y <= 2025; y++) {
        for (k = 0; k < 3; k++) {
            int n = rng_int(r, 40, 60 + (int)(sc->nstudents / 40));
            sum += n;
            o += (size_t)snprintf(utf8 + o, sizeof utf8 - o, "%d,%s%s,%s,%d\r\n", y,
                                  CITY[sc->index % NELEM(CITY)], CLIENT[k], PROG[k], n);
        }
    }
    o += (size_t)snprintf(utf8 + o, sizeof utf8 - o, "合计,,,%ld\r\n", sum);
    cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        bench_die("gen: iconv_open: %s", strerror(errno));
    inleft = o;
    outleft = sizeof gb;
    if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1)
        bench_die("gen: iconv: %s", strerror(errno));
    iconv_close(cd);
    file_path(path, sizeof path, sc, "社会培训.csv");
    f = fopen(path, "wb");
    if (!f || fwrite(gb, 1, sizeof gb - outleft, f) != sizeof gb - outleft || fclose(f))
        bench_die("gen: cannot write %s", path);
}

/* manifest.lua, as the example school's: what the folder is. */
static void write_manifest(const school *sc)
{
    char path[4200];
    FILE *f;
    file_path(path, sizeof path, sc, "manifest.lua");
    f = fopen(path, "w");
    if (!f)
        bench_die("gen: cannot create %s", path);
    fprintf(f,
            "return {\n"
            "  school = \"%s\",\n"
            "  year = 2025,\n"
            "  as_of = \"2025-09-01\",\n"
            "  type = \"%s\",\n"
            "  files = {\n"
            "    [\"学校基本情况.xlsx\"] = { entity = \"school\" },\n"
            "    [\"专业设置.xlsx\"] = { entity = \"major\" },\n"
            "    [\"学生花名册.xlsx\"] = { entity = \"student\", sheet = \"学生花名册\" },\n"
            "    [\"毕业生去向.xlsx\"] = { entity = \"graduate\" },\n"
            "    [\"教职工名册.xlsx\"] = { entity = \"staff\" },\n"
            "    [\"合作企业.xlsx\"] = { entity = \"partner\" },\n"
            "    [\"竞赛获奖.xlsx\"] = { entity = \"award\" },\n"
            "    [\"技能等级认定.xlsx\"] = { entity = \"certification\" },\n"
            "    [\"学生资助.xlsx\"] = { entity = \"aid\" },\n"
            "    [\"社会培训.csv\"] = { entity = \"training\", encoding = \"gb18030\" },\n"
            "    [\"大事记.xlsx\"] = { entity = \"event\" },\n"
            "    [\"2025年度质量报告附表.xlsx\"] = {\n"
            "      sheets = {\n"
            "        [\"表2\"] = { aggregate = \"pub_new_students\" },\n"
            "        [\"表3\"] = { aggregate = \"pub_teachers\" },\n"
            "        [\"表4\"] = { published = \"partner\" },\n"
            "        [\"表5\"] = { aggregate = \"pub_certifications\" },\n"
            "        [\"表6\"] = { aggregate = \"pub_aid\" },\n"
            "      },\n"
            "    },\n"
            "  },\n"
            "}\n",
            sc->name, sc->type);
    if (fclose(f))
        bench_die("gen: cannot write %s", path);
}

static void write_school(const school *sc, csv_out *csv)
{
    bench_rng r = {UINT64_C(0xC0FFEE) + (uint64_t)sc->index};
    tallies ta;
    long certs[3][12];
    mkdir_p(sc->dir);
    write_manifest(sc);
    memset(&ta, 0, sizeof ta);
    memset(certs, 0, sizeof certs);
    write_basic(sc, &r);
    write_majors(sc);
    write_students(sc, csv, &ta);
    write_staff(sc, csv, &ta);
    write_small(sc, &r, certs);
    write_published(sc, &ta, certs);
    write_training(sc, &r);
}

/*
 * School sizes: lo + (hi - lo) * x^k over x evenly spread in [0, 1], k chosen
 * so that the sizes add up to `total`, the rounding left over given to the
 * largest schools that can take it. lo and hi are 300 and 15,000 when the
 * total allows (a small province for tests gets smaller schools).
 */
static void school_sizes(long *n, int count, long total)
{
    double lo = 300, hi = 15000, klo = 0.01, khi = 50, k = 1;
    long sum = 0;
    int i, it;
    if (lo * count > (double)total)
        lo = (double)(total / count);
    if (count > 1 && hi > (double)total - lo * (count - 1))
        hi = (double)total - lo * (count - 1);
    if (hi < lo)
        hi = lo;
    for (it = 0; it < 200; it++) {
        double t = 0;
        k = (klo + khi) / 2;
        for (i = 0; i < count; i++)
            t += lo + (hi - lo) * pow(count > 1 ? (double)i / (count - 1) : 1, k);
        if (t > (double)total)
            klo = k;
        else
            khi = k;
    }
    for (i = 0; i < count; i++) {
        n[i] = (long)floor(lo + (hi - lo) * pow(count > 1 ? (double)i / (count - 1) : 1, k) + 0.5);
        sum += n[i];
    }
    /* the largest school keeps its size when another can take the rest */
    for (i = count > 1 ? count - 2 : 0; sum != total; i = i > 0 ? i - 1 : count - 1) {
        long d = total - sum;
        if (n[i] + d >= 1 && n[i] + d <= 15000) {
            n[i] += d;
            sum += d;
        }
        if (i == count - 1)
            break;
    }
}

static int gen_province(const char *outdir, int count, long total)
{
    static const char *const TYPES[] = {"技工学校", "高级技工学校", "技师学院"};
    char path[4200];
    long *sizes = calloc((size_t)count, sizeof *sizes);
    long students = 0, staff = 0;
    csv_out csv;
    FILE *majors;
    double t0 = bench_now();
    size_t i;
    int s;
    if (!sizes)
        bench_die("gen: out of memory");
    school_sizes(sizes, count, total);
    snprintf(path, sizeof path, "%s/all", outdir);
    mkdir_p(path);
    snprintf(path, sizeof path, "%s/all/student.csv", outdir);
    csv.student = fopen(path, "w");
    snprintf(path, sizeof path, "%s/all/staff.csv", outdir);
    csv.staff = fopen(path, "w");
    snprintf(path, sizeof path, "%s/all/major.csv", outdir);
    majors = fopen(path, "w");
    if (!csv.student || !csv.staff || !majors)
        bench_die("gen: cannot create %s/all/*.csv", outdir);
    fputs("student_no,name,id_number,gender,birth_date,major,class,entry_year,status,rural,"
          "hardship,track,origin,school\n", csv.student);
    fputs("staff_no,name,id_number,gender,birth_date,post,title,education,dual,part_time,"
          "specialised,school\n", csv.staff);
    fputs("name,category,years\n", majors);
    for (i = 0; i < NELEM(MAJORS); i++)
        fprintf(majors, "%s,%s,%d\n", MAJORS[i].name, MAJORS[i].category, MAJORS[i].years);
    fclose(majors);
    for (s = 0; s < count; s++) {
        school sc;
        memset(&sc, 0, sizeof sc);
        sc.index = s;
        sc.nstudents = sizes[s];
        sc.nstaff = (sizes[s] * 6 + 50) / 100;
        sc.type = TYPES[sizes[s] < 3000 ? 0 : sizes[s] < 8000 ? 1 : 2];
        sc.major0 = (s * 7) % (int)NELEM(MAJORS);
        sc.nmajors = 4 + (int)(sizes[s] / 1500);
        if (sc.nmajors > (int)NELEM(MAJORS))
            sc.nmajors = (int)NELEM(MAJORS);
        /* 长沙机电技工学校 and the like; the 141st on are 第二 */
        snprintf(sc.name, sizeof sc.name, "%s%s%s%s", CITY[s % NELEM(CITY)],
                 TRADE[(s / (int)NELEM(CITY)) % (int)NELEM(TRADE)],
                 s >= (int)(NELEM(CITY) * NELEM(TRADE)) ? "第二" : "", sc.type);
        snprintf(sc.dir, sizeof sc.dir, "%s/%03d-%s", outdir, s + 1, sc.name);
        write_school(&sc, &csv);
        students += sc.nstudents;
        staff += sc.nstaff;
    }
    if (fclose(csv.student) || fclose(csv.staff))
        bench_die("gen: cannot write the province CSV files");
    printf("schools=%d\nstudents=%ld\nstaff=%ld\nmin_students=%ld\nmax_students=%ld\n"
           "total_s=%.2f\n", count, students, staff, sizes[0], sizes[count - 1],
           bench_now() - t0);
    free(sizes);
    return 0;
}

/* }==================================================================== */

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "roster") == 0)
        return gen_roster(argv[2], atol(argv[3]), argc > 4 && strcmp(argv[4], "cm") == 0);
    if (argc >= 4 && strcmp(argv[1], "roster-csv") == 0)
        return gen_roster_csv(argv[2], atol(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "province") == 0)
        return gen_province(argv[2], argc > 3 ? atoi(argv[3]) : 150,
                            argc > 4 ? atol(argv[4]) : 1000000);
    fprintf(stderr, "usage: gen roster OUT.xlsx NROWS [cm]\n"
                    "       gen roster-csv OUT.csv NROWS\n"
                    "       gen province OUTDIR [NSCHOOLS [TOTAL]]\n");
    return 2;
}
