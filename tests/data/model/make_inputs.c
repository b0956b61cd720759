/*
 * make_inputs.c - writes the hand-made inputs of the model tests into the
 * current directory: rosters and published tables laid out the way school
 * offices lay them out (title rows, merged two-row headers, totals rows,
 * footnotes, full-width digits, units, every date spelling, a GBK CSV).
 *
 *   cc -o /tmp/make_inputs tests/data/model/make_inputs.c -lxlsxwriter
 *   (cd tests/data/model && /tmp/make_inputs)
 *
 * The outputs are committed; run this again only to change them.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

static void die(const char *what)
{
    fprintf(stderr, "make_inputs: %s\n", what);
    exit(1);
}

static void check(lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "make_inputs: %s: %s\n", what, lxw_strerror(e));
        exit(1);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
        die(path);
}

static void write_gbk(const char *path, const char *utf8)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t inleft = strlen(utf8), outsize = inleft * 2 + 16, outleft = outsize;
    char *out = malloc(outsize), *op = out, *ip = (char *)utf8;
    FILE *f;
    if (cd == (iconv_t)-1 || !out)
        die("iconv");
    if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1)
        die("iconv conversion");
    iconv_close(cd);
    f = fopen(path, "wb");
    if (!f || fwrite(out, 1, outsize - outleft, f) != outsize - outleft || fclose(f) != 0)
        die(path);
    free(out);
}

#define S(r, c, t) check(worksheet_write_string(ws, r, c, t, NULL), "write " t)
#define N(r, c, n) check(worksheet_write_number(ws, r, c, n, NULL), "write number")

/* roster_messy.xlsx: a student roster with everything offices do. */
static void roster_messy(void)
{
    lxw_workbook *wb = workbook_new("roster_messy.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "学生名册");
    lxw_format *date = workbook_add_format(wb);
    lxw_format *border = workbook_add_format(wb);
    lxw_datetime d1 = {2008, 9, 1, 0, 0, 0};
    int c;
    format_set_num_format(date, "yyyy-mm-dd");
    format_set_border(border, LXW_BORDER_THIN);
    check(worksheet_merge_range(ws, 0, 0, 0, 12, "衡阳工业技工学校2025年在校学生名册", NULL), "title");
    check(worksheet_merge_range(ws, 1, 0, 1, 12, "填报单位：教务科　　统计时间：2025年9月1日", NULL), "note");
    check(worksheet_merge_range(ws, 2, 0, 3, 0, "序号", NULL), "h");
    check(worksheet_merge_range(ws, 2, 1, 3, 1, "学号", NULL), "h");
    check(worksheet_merge_range(ws, 2, 2, 3, 2, "姓 名", NULL), "h");
    check(worksheet_merge_range(ws, 2, 3, 2, 5, "基本信息", NULL), "h");
    check(worksheet_merge_range(ws, 2, 6, 3, 6, "所学专业", NULL), "h");
    check(worksheet_merge_range(ws, 2, 7, 3, 7, "班级", NULL), "h");
    check(worksheet_merge_range(ws, 2, 8, 3, 8, "入学年度", NULL), "h");
    check(worksheet_merge_range(ws, 2, 9, 3, 9, "学籍状态", NULL), "h");
    check(worksheet_merge_range(ws, 2, 10, 3, 10, "是否农村户口", NULL), "h");
    check(worksheet_merge_range(ws, 2, 11, 2, 12, "联系方式", NULL), "h");
    S(3, 3, "性别");
    S(3, 4, "出生年月");
    S(3, 5, "身份证号码");
    S(3, 11, "电话");
    S(3, 12, "家长电话");
    /* row 5 */
    N(4, 0, 1); N(4, 1, 2025001); S(4, 2, "张三"); S(4, 3, "男");
    check(worksheet_write_datetime(ws, 4, 4, &d1, date), "date");
    S(4, 5, "430404200809011235"); S(4, 6, "数控技术");
    check(worksheet_merge_range(ws, 4, 7, 5, 7, "数控2501", NULL), "class");
    N(4, 8, 2025); S(4, 9, "在读"); S(4, 10, "√"); S(4, 11, "13800000001");
    /* row 6: serial number as birth date, name with a space, class merged from above */
    N(5, 0, 2); S(5, 1, "2025002"); S(5, 2, "李 娜"); S(5, 3, "女"); N(5, 4, 39767);
    S(5, 5, "430404200811152344"); S(5, 6, "会计"); S(5, 8, "2025级"); S(5, 9, "在校");
    S(5, 10, "是");
    /* row 7: full-width digits, slashes, spaces in the ID number */
    N(6, 0, 3); S(6, 1, "２０２５００３"); S(6, 2, "王五"); S(6, 3, "M"); S(6, 4, "2009/3/15");
    S(6, 5, "430421 2009 0315 3455"); S(6, 6, "数控机床装配与维修"); S(6, 7, "数控2502");
    S(6, 8, "２０２５"); S(6, 9, "正常"); S(6, 10, "否");
    /* row 8: dotted date, 农村 */
    N(7, 0, 4); S(7, 1, "2025004"); S(7, 2, "赵六"); S(7, 3, "女"); S(7, 4, "2008.07.20");
    S(7, 5, "430405200807204566"); S(7, 6, "电子商务"); S(7, 7, "商务2501"); N(7, 8, 2025);
    S(7, 9, "在校"); S(7, 10, "农村");
    /* row 9: no name: refused */
    N(8, 0, 5); S(8, 1, "2025005"); S(8, 3, "男"); S(8, 4, "2008年1月1日");
    S(8, 5, "430406200801015672"); S(8, 6, "会计"); S(8, 7, "会计2501"); N(8, 8, 2025);
    S(8, 9, "在校"); S(8, 10, "是");
    /* row 10: ID number stored as a number; year-month date */
    N(9, 0, 6); S(9, 1, "2025006"); S(9, 2, "孙七"); S(9, 3, "女"); S(9, 4, "2007年12月");
    N(9, 5, 430407200712316787.0); S(9, 6, "会计"); S(9, 7, "会计2501"); N(9, 8, 2025);
    S(9, 9, "在校"); S(9, 10, "是");
    /* row 11: only the sequence number: blank */
    N(10, 0, 7);
    /* row 12: a major the school does not have; gender as 1; ISO date */
    N(11, 0, 8); S(11, 1, "2025008"); S(11, 2, "周八"); N(11, 3, 1); S(11, 4, "2008-05-05");
    S(11, 5, "430408200805057899"); S(11, 6, "汽车维修"); S(11, 7, "汽修2501"); N(11, 8, 2025);
    S(11, 9, "在校"); S(11, 10, "Y");
    /* row 13: bad gender, impossible date, lowercase x */
    N(12, 0, 9); S(12, 1, "2025009"); S(12, 2, "吴九"); S(12, 3, "未知"); S(12, 4, "2008年13月");
    S(12, 5, "43040520090210159x"); S(12, 6, "会计"); S(12, 7, "会计2501"); N(12, 8, 2025);
    S(12, 9, "在校"); S(12, 10, "否");
    /* row 14: yyyymmdd as a number */
    N(13, 0, 10); S(13, 1, "2025010"); S(13, 2, "郑十"); S(13, 3, "女"); N(13, 4, 20080606);
    S(13, 5, "430409200806068908"); S(13, 6, "电子商务"); S(13, 7, "商务2501"); N(13, 8, 2025);
    S(13, 9, "休学"); S(13, 10, "否");
    /* row 15: totals; rows 16-17: footnotes; row 18: styled blanks */
    S(14, 0, "合计"); S(14, 2, "共9人");
    check(worksheet_merge_range(ws, 15, 0, 15, 12, "注：1.本表由教务科填写；2.身份证号码请以文本格式录入。", NULL), "foot");
    S(16, 0, "填表人：张老师"); S(16, 5, "审核人：李主任");
    for (c = 0; c < 13; c++)
        check(worksheet_write_blank(ws, 17, c, border), "blank");
    check(workbook_close(wb), "close roster_messy.xlsx");
}

/* aid_totals.xlsx: amounts with units, a right subtotal and a wrong total. */
static void aid_totals(void)
{
    lxw_workbook *wb = workbook_new("aid_totals.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "资助");
    check(worksheet_merge_range(ws, 0, 0, 0, 5, "2025年学生资助发放明细", NULL), "title");
    S(1, 0, "序号"); S(1, 1, "姓名"); S(1, 2, "学号"); S(1, 3, "困难类型"); S(1, 4, "资助项目");
    S(1, 5, "金额（元）");
    N(2, 0, 1); S(2, 1, "张三"); S(2, 2, "2025001"); S(2, 3, "建档立卡贫困户"); S(2, 4, "国家助学金"); S(2, 5, "1,000");
    N(3, 0, 2); S(3, 1, "李娜"); S(3, 2, "2025002"); S(3, 3, "非涉农困难"); S(3, 4, "国家助学金"); S(3, 5, "１０００元");
    S(4, 0, "小计"); N(4, 5, 2000);
    N(5, 0, 3); S(5, 1, "王五"); S(5, 2, "2025003"); S(5, 3, "无"); S(5, 4, "国家助学金"); S(5, 5, "0.1万元");
    N(6, 0, 4); S(6, 1, "赵六"); S(6, 2, "2025004"); S(6, 3, "建档立卡"); S(6, 4, "国家助学金"); N(6, 5, 1000);
    S(7, 0, "合计"); N(7, 5, 3500);
    S(8, 0, "注：金额单位为元。");
    check(workbook_close(wb), "close aid_totals.xlsx");
}

/* majors.xlsx: a cover sheet first, then 表1 with 学制 in words. */
static void majors(void)
{
    static const char *const rows[][3] = {
        {"数控机床装配与维修", "三年", "机械类"}, {"会计", "三年", "财经商贸类"},
        {"电子商务", "三年", "财经商贸类"}, {"模具制造", "三年", "机械类"},
        {"电子技术应用", "三年", "电工电子类"}, {"计算机应用与维修", "三年", "信息类"},
        {"工业机器人应用与维护", "三年", "机械类"}};
    lxw_workbook *wb = workbook_new("majors.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "封面");
    int i;
    S(0, 0, "衡阳工业技工学校专业设置");
    ws = workbook_add_worksheet(wb, "专业设置");
    check(worksheet_merge_range(ws, 0, 0, 0, 4, "表 1 衡阳工业技工学校专业设置一览表", NULL), "title");
    S(1, 0, "序号"); S(1, 1, "专业名称"); S(1, 2, "学制"); S(1, 3, "是否开展新型学徒制"); S(1, 4, "专业类别");
    for (i = 0; i < 7; i++) {
        N(2 + i, 0, i + 1);
        check(worksheet_write_string(ws, 2 + i, 1, rows[i][0], NULL), "m");
        check(worksheet_write_string(ws, 2 + i, 2, rows[i][1], NULL), "m");
        S(2 + i, 3, "是");
        check(worksheet_write_string(ws, 2 + i, 4, rows[i][2], NULL), "m");
    }
    check(workbook_close(wb), "close majors.xlsx");
}

static const int t5_years[] = {2013, 2014, 2015, 2016, 2017, 2018, 2019, 2022, 2023, 2024, 2025};
static const char *const t5_trade[] = {"车工", "", "", "钳工", "", "", "维修电工", "计算机", "总计"};
static const char *const t5_level[] = {"三级", "四级", "五级", "三级", "四级", "五级", "五级", "五级", ""};
static const int t5[9][12] = {
    {33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 33},
    {0, 0, 58, 18, 21, 0, 17, 5, 0, 0, 0, 119},
    {0, 105, 35, 33, 53, 35, 0, 0, 0, 0, 0, 261},
    {48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48},
    {0, 0, 44, 10, 7, 0, 1, 24, 30, 64, 32, 212},
    {0, 0, 14, 14, 26, 2, 0, 0, 0, 0, 0, 56},
    {0, 0, 33, 13, 78, 73, 0, 0, 0, 0, 0, 197},
    {0, 0, 0, 0, 33, 0, 0, 0, 0, 0, 0, 33},
    {81, 105, 184, 88, 218, 110, 18, 29, 30, 64, 32, 959}};

/* pub_table5.xlsx: the report's 表5 with trades merged down the rows. */
static void table5(void)
{
    lxw_workbook *wb = workbook_new("pub_table5.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "表5");
    int r, c;
    check(worksheet_merge_range(ws, 0, 0, 0, 13, "表 5 历年技能等级认定人数统计表", NULL), "title");
    S(1, 0, "工种"); S(1, 1, "等级");
    for (c = 0; c < 11; c++)
        N(1, 2 + c, t5_years[c]);
    S(1, 13, "合计");
    check(worksheet_merge_range(ws, 2, 0, 4, 0, "车工", NULL), "m");
    check(worksheet_merge_range(ws, 5, 0, 7, 0, "钳工", NULL), "m");
    S(8, 0, "维修电工"); S(9, 0, "计算机");
    check(worksheet_merge_range(ws, 10, 0, 10, 1, "总计", NULL), "m");
    for (r = 0; r < 9; r++) {
        if (r < 8)
            check(worksheet_write_string(ws, 2 + r, 1, t5_level[r], NULL), "level");
        for (c = 0; c < 12; c++)
            if (t5[r][c])
                N(2 + r, 2 + c, t5[r][c]);
    }
    check(workbook_close(wb), "close pub_table5.xlsx");
}

/* pub_table5_bad.csv: 表5 as a CSV (no merges: blank cells under a trade),
 * with 钳工 四级 2024 mistyped as 46. */
static void table5_bad(void)
{
    char buf[4096];
    size_t n = 0;
    int r, c;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "表 5 历年技能等级认定人数统计表\n工种,等级");
    for (c = 0; c < 11; c++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ",%d", t5_years[c]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, ",合计\n");
    for (r = 0; r < 9; r++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s,%s", t5_trade[r], t5_level[r]);
        for (c = 0; c < 12; c++) {
            int v = t5[r][c];
            if (r == 4 && c == 9)
                v = 46;
            if (v)
                n += (size_t)snprintf(buf + n, sizeof buf - n, ",%d", v);
            else
                n += (size_t)snprintf(buf + n, sizeof buf - n, ",");
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "\n");
    }
    n += (size_t)snprintf(buf + n, sizeof buf - n, "注：2020、2021年未开展认定。\n");
    write_file("pub_table5_bad.csv", buf);
}

/* pub_table3.xlsx: the report's 表3 as printed (its breakdowns disagree). */
static void table3(void)
{
    static const char *const items[] = {"中级", "初级", "未定职级", "本科", "专科"};
    static const int v[6][5] = {{63, 21, 19, 12, 11}, {18, 0, 2, 6, 10}, {6, 1, 1, 4, 0},
                                {39, 25, 11, 2, 1}, {58, 26, 15, 9, 8}, {5, 2, 0, 1, 2}};
    static const char *const bands[] = {"合计", "30岁以下", "31-40岁", "41-50岁", "51-60岁"};
    lxw_workbook *wb = workbook_new("pub_table3.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "表3");
    int r, c;
    check(worksheet_merge_range(ws, 0, 0, 0, 6, "表3 衡阳工业技工学校专任教师信息统计表", NULL), "title");
    check(worksheet_merge_range(ws, 1, 0, 1, 1, "", NULL), "corner");
    for (c = 0; c < 5; c++)
        check(worksheet_write_string(ws, 1, 2 + c, bands[c], NULL), "band");
    check(worksheet_merge_range(ws, 2, 0, 2, 1, "总计", NULL), "total");
    check(worksheet_merge_range(ws, 3, 0, 5, 0, "职称", NULL), "g1");
    check(worksheet_merge_range(ws, 6, 0, 7, 0, "学历", NULL), "g2");
    for (r = 0; r < 5; r++)
        check(worksheet_write_string(ws, 3 + r, 1, items[r], NULL), "item");
    for (r = 0; r < 6; r++)
        for (c = 0; c < 5; c++)
            N(2 + r, 2 + c, v[r][c]);
    check(workbook_close(wb), "close pub_table3.xlsx");
}

/* pub_table2.xlsx: 表2, one data row, no row dimension. */
static void table2(void)
{
    lxw_workbook *wb = workbook_new("pub_table2.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "表2");
    check(worksheet_merge_range(ws, 0, 0, 0, 3, "表 2 2025 年各类专业新生人数统计表", NULL), "title");
    S(1, 0, "新生总数"); S(1, 1, "机械、电工电子类 新生人数"); S(1, 2, "信息类 新生人数");
    S(1, 3, "财经商贸类 新生人数");
    N(2, 0, 549); N(2, 1, 363); S(2, 2, "90"); S(2, 3, "96人");
    check(workbook_close(wb), "close pub_table2.xlsx");
}

int main(void)
{
    roster_messy();
    aid_totals();
    majors();
    table5();
    table5_bad();
    table3();
    table2();
    write_file("pub_table6.csv",
               "年 份,在校生数,建档立卡贫困家庭学生人数,非涉农困难家庭学生人数,享受助学金学生总人数\n"
               "2025,1260,120,164,284\n"
               "2024,\"1,064\",86,117,203\n"
               "2023,657,35,60,95\n");
    write_file("pub_table3_headings.csv",
               "表3 专任教师信息统计表\n"
               ",,合计,30岁以下,31-40岁\n"
               "总计,,10,6,4\n"
               "职称,,,,\n"
               ",中级,4,2,2\n"
               ",初级,6,4,2\n"
               "学历,,,,\n"
               ",本科,10,6,4\n"
               "注：按2025年9月1日的年龄统计。\n");
    write_gbk("school_gbk.csv",
              "学校名称,主办单位,学校类型,占地面积,校舍建筑面积,实训场地面积,教学仪器设备总值,教学用计算机,图书,经费总额\r\n"
              "衡阳工业技工学校,中国地质装备集团有限公司,技校,93亩,\"21,000平方米\",５０００,6254600元,235台,12万册,680.13万元\r\n");
    write_file("staff.csv",
               "工号,姓名,性别,出生日期,身份证号码,岗位类别,职称,最高学历,是否双师型,专兼职\n"
               "T001,王芳,女,1985-03-12,430404198503121108,专任教师,讲师,大学本科,√,专职\n"
               "T002,李强,男,1990/7/1,430404199007012230,教师,助理讲师,本科,是,专职\n"
               "T003,张伟,男,1978.11.05,430404197811053333,行政,高级讲师,硕士研究生,否,专职\n"
               "T004,赵敏,女,1995年5月20日,430404199505204447,专任教师,未定级,大专,N,兼职\n"
               "T002,陈静,女,1992-02-02,430404199202025547,专任教师,中级职称,本科,Y,专职\n"
               "T006,刘洋,男,1988-08-08,430404198503121108,专任教师,工程师,本科,是,专职\n"
               "T007,周杰,男,1980-01-01,43040419800102667X,专任教师,一级实习指导教师,本科,是,专职\n"
               "T008,吴磊,女,1983-06-06,430404198306067771,教辅,技术员,大专,否,专职\n"
               "T009,孙丽,女,1999-09-09,4304 0419 9909 0910 2x,专任教师,无,本科,否,专职\n"
               "T010,郑凯,男,1970-01-01,43040419700101001,工勤,无,高中,否,专职\n"
               "T011,钱多,男,2030-01-01,,专任教师,初级,本科,否,专职\n"
               "T012,,男,1975-05-05,,专任教师,初级,本科,否,专职\n");
    {
        static const char *const names[] = {
            "甲一", "乙二", "", "丁四", "戊五", "己六", "庚七", "辛八", "壬九", "", "子一", "丑二",
            "寅三", "卯四", "辰五", "", "巳六", "午七", "未八", "申九", "酉十", "", "戌一", "亥二"};
        char buf[4096];
        size_t n = 0;
        int i;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "学号,姓名,性别,专业,入学年份\n");
        for (i = 0; i < 24; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "2024%03d,%s,%s,%s,2024\n", i + 1,
                                  names[i], i % 2 ? "女" : "男", i % 3 ? "会计" : "电子商务");
        write_file("scattered.csv", buf);
    }
    write_file("cert.csv",
               "年份,工种,等级,人数\n"
               "2025,车工,四级,32\n"
               "2025,钳工,中级工,10\n"
               "2024,,四级,5\n"
               "2024,维修电工,六级,3\n"
               "2023,车工,三级,若干\n"
               "2022,钳工,高级工,７\n"
               "合计,,,57\n");
    write_file("graduates.csv",
               "学号,姓名,毕业年份,毕业去向,就业单位,是否对口\n"
               "2025001,张三,2024,已就业,衡阳某机械厂,对口\n"
               "2099001,无名,2024,升入高职,湖南某职业技术学院,\n");
    return 0;
}
