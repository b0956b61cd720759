/*
 * test_core.c - errors, values, dates, references, UTF-8, tables, datasets.
 */
#include "hgq.h"
#include "t.h"

TEST(error_format_names_every_place)
{
    hgq_error err;
    char line[1024];
    hgq_error_clear(&err);
    CHECK_EQ_INT(HGQ_OK, err.code);
    CHECK_EQ_INT(HGQ_EZIP, hgq_error_set(&err, HGQ_EZIP, "bad entry %d", 3));
    hgq_error_set_file(&err, "roster.xlsx");
    hgq_error_set_part(&err, "xl/worksheets/sheet1.xml");
    hgq_error_set_position(&err, 3, 17);
    hgq_error_set_sheet(&err, "学生");
    hgq_error_set_cell(&err, 6, 1);
    hgq_error_format(&err, line, sizeof line);
    CHECK_EQ_STR("roster.xlsx: part xl/worksheets/sheet1.xml line 3 column 17: sheet '学生' cell B7: bad entry 3", line);
    CHECK_EQ_STR("HGQ_EZIP", hgq_status_name(HGQ_EZIP));
    CHECK_EQ_STR("HGQ_UNKNOWN", hgq_status_name((hgq_status)999));
    CHECK(strlen(hgq_strerror(HGQ_ELIMIT)) > 0);
    CHECK_EQ_INT(HGQ_EARG, hgq_error_set(NULL, HGQ_EARG, "no detail wanted"));
}

TEST(error_message_truncates_on_utf8_boundary)
{
    hgq_error err;
    char big[2000];
    size_t i;
    for (i = 0; i + 3 < sizeof big; i += 3)
        memcpy(big + i, "学", 3);
    big[i] = '\0';
    hgq_error_set(&err, HGQ_EDATA, "%s", big);
    CHECK(strlen(err.message) < HGQ_ERROR_MESSAGE_MAX);
    CHECK(hgq_utf8_valid(err.message, strlen(err.message)));
}

TEST(dates_round_trip_and_excel_quirks)
{
    hgq_datetime dt;
    char iso[32];
    CHECK_EQ_DBL(45901.0, hgq_date_from_ymd(2025, 9, 1), 0);
    CHECK_EQ_DBL(61.0, hgq_date_from_ymd(1900, 3, 1), 0);
    /* Excel's serial 59 is 1900-02-28, 60 the fictional 02-29, 61 1900-03-01 */
    hgq_date_to_parts(hgq_date_from_excel(59, 0), &dt);
    CHECK(dt.year == 1900 && dt.month == 2 && dt.day == 28);
    hgq_date_to_parts(hgq_date_from_excel(61, 0), &dt);
    CHECK(dt.year == 1900 && dt.month == 3 && dt.day == 1);
    hgq_date_to_parts(hgq_date_from_excel(1, 0), &dt);
    CHECK(dt.year == 1900 && dt.month == 1 && dt.day == 1);
    /* 1904 system: serial 0 is 1904-01-01 */
    hgq_date_to_parts(hgq_date_from_excel(0, 1), &dt);
    CHECK(dt.year == 1904 && dt.month == 1 && dt.day == 1);
    hgq_date_format_iso(hgq_date_from_ymd(2025, 9, 1) + 0.5, iso, sizeof iso);
    CHECK_EQ_STR("2025-09-01T12:00:00", iso);
    CHECK(hgq_date_valid(2024, 2, 29));
    CHECK(!hgq_date_valid(2025, 2, 29));
    CHECK(!hgq_date_valid(1900, 2, 29));
    CHECK(hgq_date_valid(2000, 2, 29));
    CHECK(!hgq_date_valid(2025, 13, 1));
    /* a time that rounds up to midnight moves to the next day */
    hgq_date_to_parts(hgq_date_from_ymd(2025, 12, 31) + 0.9999999, &dt);
    CHECK(dt.year == 2026 && dt.month == 1 && dt.day == 1 && dt.hour == 0);
}

TEST(age_on_birthdays_and_leap_days)
{
    double leap_birth = hgq_date_from_ymd(2004, 2, 29);
    CHECK_EQ_INT(19, hgq_age_years(hgq_date_from_ymd(2005, 9, 1), hgq_date_from_ymd(2025, 8, 31)));
    CHECK_EQ_INT(20, hgq_age_years(hgq_date_from_ymd(2005, 9, 1), hgq_date_from_ymd(2025, 9, 1)));
    CHECK_EQ_INT(19, hgq_age_years(hgq_date_from_ymd(2005, 9, 2), hgq_date_from_ymd(2025, 9, 1)));
    /* born 29 Feb: a year older on 1 March in common years */
    CHECK_EQ_INT(21, hgq_age_years(leap_birth, hgq_date_from_ymd(2025, 3, 1)));
    CHECK_EQ_INT(20, hgq_age_years(leap_birth, hgq_date_from_ymd(2025, 2, 28)));
    CHECK_EQ_INT(20, hgq_age_years(leap_birth, hgq_date_from_ymd(2024, 2, 29)));
}

TEST(references_parse_format_and_bounds)
{
    uint32_t r, c;
    char buf[16];
    hgq_range rg;
    CHECK(hgq_ref_parse("B7", 2, &r, &c) && r == 6 && c == 1);
    CHECK(hgq_ref_parse("$AA$10", 6, &r, &c) && r == 9 && c == 26);
    CHECK(hgq_ref_parse("XFD1048576", 10, &r, &c) && r == HGQ_MAX_ROW && c == HGQ_MAX_COL);
    CHECK(!hgq_ref_parse("XFE1", 4, &r, &c));
    CHECK(!hgq_ref_parse("A1048577", 8, &r, &c));
    CHECK(!hgq_ref_parse("A0", 2, &r, &c));
    CHECK(!hgq_ref_parse("1A", 2, &r, &c));
    CHECK(!hgq_ref_parse("", 0, &r, &c));
    CHECK(!hgq_ref_parse("A99999999999999999999", 21, &r, &c));
    hgq_ref_format(HGQ_MAX_ROW, HGQ_MAX_COL, buf, sizeof buf);
    CHECK_EQ_STR("XFD1048576", buf);
    hgq_ref_format(0, 25, buf, sizeof buf);
    CHECK_EQ_STR("Z1", buf);
    hgq_ref_format(0, 26, buf, sizeof buf);
    CHECK_EQ_STR("AA1", buf);
    CHECK(hgq_range_parse("C3:A1", 5, &rg) && rg.first_row == 0 && rg.last_col == 2);
    CHECK(!hgq_range_parse("A1:", 3, &rg));
}

TEST(utf8_validity_and_width)
{
    CHECK(hgq_utf8_valid("衡阳 abc", strlen("衡阳 abc")));
    CHECK(!hgq_utf8_valid("\xC0\xAF", 2));        /* overlong */
    CHECK(!hgq_utf8_valid("\xED\xA0\x80", 3));    /* surrogate */
    CHECK(!hgq_utf8_valid("\xE8\xA1", 2));        /* truncated */
    CHECK_EQ_INT(7, hgq_utf8_width("衡阳 abc", strlen("衡阳 abc")) - 1);
    CHECK_EQ_INT(4, hgq_utf8_width("１２", strlen("１２")));
}

TEST(table_values_origins_and_meta)
{
    hgq_table *t = hgq_table_new("student");
    hgq_error err;
    size_t c_name, c_year, row;
    hgq_value v;
    hgq_origin o = {"in/学生.xlsx", "花名册", 6, 2}, got;
    char where[128], text[8];
    CHECK(t != NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_table_add_column(t, "name", HGQ_TEXT, &c_name, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_table_add_column(t, "entry_year", HGQ_INT, &c_year, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_table_add_column(t, "name", HGQ_TEXT, NULL, &err));
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ_INT(HGQ_OK, hgq_table_append_row(t, &row, &err));
        /* the text buffer is reused: the table must copy it */
        snprintf(text, sizeof text, "%s", i % 2 ? "张三" : "李四");
        v = hgq_text(text);
        hgq_table_set(t, row, c_name, &v, &err);
        v = hgq_int(2023 + i % 3);
        hgq_table_set(t, row, c_year, &v, &err);
    }
    snprintf(text, sizeof text, "x");
    CHECK_EQ_INT(1000, hgq_table_nrows(t));
    CHECK_EQ_STR("张三", hgq_table_get(t, 999, c_name)->u.s);
    CHECK_EQ_INT(2025, hgq_table_get_by_name(t, 2, "entry_year")->u.i);
    CHECK_EQ_INT(HGQ_NULL, hgq_table_get(t, 5000, 0)->type);
    CHECK_EQ_INT(HGQ_EARG, hgq_table_set(t, 5000, 0, &v, &err));
    /* origins: none, then a row's, then a cell's own */
    CHECK(!hgq_table_origin(t, 6, c_name, &got));
    CHECK_EQ_INT(HGQ_OK, hgq_table_set_row_origin(t, 6, &o, &err));
    CHECK(hgq_table_origin(t, 6, c_name, &got) && got.col == HGQ_WHOLE_ROW && got.row == 6);
    hgq_origin_format(&got, where, sizeof where);
    CHECK_EQ_STR("学生.xlsx 花名册 第7行", where);
    CHECK_EQ_INT(HGQ_OK, hgq_table_set_origin(t, 6, c_name, &o, &err));
    CHECK(hgq_table_origin(t, 6, c_name, &got) && got.col == 2);
    hgq_origin_format(&got, where, sizeof where);
    CHECK_EQ_STR("学生.xlsx 花名册!C7", where);
    /* a column added later reads NULL in old rows */
    CHECK_EQ_INT(HGQ_OK, hgq_table_add_column(t, "late", HGQ_TEXT, NULL, &err));
    CHECK_EQ_INT(HGQ_NULL, hgq_table_get_by_name(t, 10, "late")->type);
    CHECK_EQ_INT(HGQ_OK, hgq_table_set_meta(t, "kind", "aggregate", &err));
    CHECK_EQ_STR("aggregate", hgq_table_meta(t, "kind"));
    hgq_table_set_meta(t, "kind", NULL, &err);
    CHECK(hgq_table_meta(t, "kind") == NULL);
    hgq_table_free(t);
}

TEST(dataset_tables_sources_findings)
{
    hgq_dataset *ds = hgq_dataset_new(2025, 0);
    hgq_error err;
    hgq_source src = {"a.xlsx", "S", "student", 10, 8, 1, 1};
    hgq_origin w1 = {"b.xlsx", "S", 9, 1}, w2 = {"a.xlsx", "S", 3, 0};
    CHECK(ds != NULL);
    CHECK_EQ_DBL(hgq_date_from_ymd(2025, 12, 31), hgq_dataset_as_of(ds), 0);
    CHECK_EQ_INT(HGQ_OK, hgq_dataset_add_table(ds, hgq_table_new("student"), &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_dataset_add_table(ds, hgq_table_new("student"), &err));
    CHECK(hgq_dataset_table(ds, "student") != NULL);
    CHECK_EQ_INT(1, hgq_dataset_table_count(ds));
    CHECK_EQ_INT(1, hgq_dataset_drop_table(ds, "student"));
    CHECK_EQ_INT(0, hgq_dataset_table_count(ds));
    CHECK_EQ_INT(HGQ_OK, hgq_dataset_add_source(ds, &src, &err));
    CHECK_EQ_STR("student", hgq_dataset_source(ds, 0)->entity);
    hgq_dataset_set_property(ds, "school", "衡阳工业技工学校", &err);
    CHECK_EQ_STR("衡阳工业技工学校", hgq_dataset_property(ds, "school"));
    hgq_dataset_add_finding(ds, HGQ_SEV_WARNING, "x.w", NULL, NULL, &w1, NULL, "警告%d", 1);
    hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "x.e", "student", "name", &w1, &w2, "错误");
    hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "y.e", NULL, NULL, &w2, NULL, "错误2");
    hgq_dataset_sort_findings(ds);
    CHECK_EQ_STR("y.e", hgq_dataset_finding(ds, 0)->code);   /* errors first, a.xlsx before b.xlsx */
    CHECK_EQ_STR("x.e", hgq_dataset_finding(ds, 1)->code);
    CHECK_EQ_STR("a.xlsx", hgq_dataset_finding(ds, 1)->other.file);
    CHECK_EQ_STR("警告1", hgq_dataset_finding(ds, 2)->message);
    hgq_dataset_clear_findings(ds, "x.");
    CHECK_EQ_INT(1, hgq_dataset_finding_count(ds));
    CHECK_EQ_STR("错误", hgq_severity_name(HGQ_SEV_ERROR));
    hgq_dataset_free(ds);
}

TEST(finding_messages_are_whole_and_valid_utf8)
{
    hgq_dataset *ds = hgq_dataset_new(2025, 0);
    char longtext[5000];
    size_t i;
    for (i = 0; i + 3 < sizeof longtext; i += 3)
        memcpy(longtext + i, "学", 3);
    longtext[i] = '\0';
    /* a long message is kept whole, not cut at a fixed size */
    CHECK_EQ_INT(HGQ_OK, hgq_dataset_add_finding(ds, HGQ_SEV_NOTE, "t.long", NULL, NULL, NULL, NULL, "%s", longtext));
    CHECK_EQ_INT(strlen(longtext), strlen(hgq_dataset_finding(ds, 0)->message));
    /* a character cut in two by a caller's buffer is dropped, the rest kept */
    CHECK_EQ_INT(HGQ_OK, hgq_dataset_add_finding(ds, HGQ_SEV_NOTE, "t.cut", NULL, NULL, NULL, NULL, "%s", "第3行\xE5\xAD值"));
    CHECK_EQ_STR("第3行值", hgq_dataset_finding(ds, 1)->message);
    hgq_dataset_free(ds);
}

int main(void)
{
    RUN(error_format_names_every_place);
    RUN(error_message_truncates_on_utf8_boundary);
    RUN(dates_round_trip_and_excel_quirks);
    RUN(age_on_birthdays_and_leap_days);
    RUN(references_parse_format_and_bounds);
    RUN(utf8_validity_and_width);
    RUN(table_values_origins_and_meta);
    RUN(dataset_tables_sources_findings);
    RUN(finding_messages_are_whole_and_valid_utf8);
    return t_done();
}
