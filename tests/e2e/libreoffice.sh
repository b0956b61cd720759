# The real client: LibreOffice opens the workbook we write, recalculates every
# formula, and must show the same figures as libhgq reads from the workbook's
# cached values; the workbook also converts to a PDF with its Chinese title.
#
# The workbook is the example report (hgq report examples/hengyang-2025) when
# scripts/report.lua exists, else a workbook written here with libxlsxwriter
# (SUM and cross-sheet formulas with cached values, Chinese text, formats).
# LibreOffice runs headless with a private profile under $HGQ_TMP set to
# recalculate .xlsx formulas on load (its default keeps cached values).
# Runs in the normal build only: the sanitized pass emits no test.
. tests/e2e/lib.sh
case $(basename "${HGQ_BUILD:-build}") in
*san*) done_testing; exit 0 ;;
esac

lo=$HGQ_TMP/libreoffice
mkdir -p "$lo/out" "$lo/profile/user"

SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ]; then
    _notok "LibreOffice (soffice) is installed: tests/deps.sh installs libreoffice-calc-nogui"
    done_testing
    exit 1
fi

# Recalculate OOXML and ODF formulas on load, always.
cat > "$lo/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU

# lo_convert FILTER OUTDIR FILE: one headless conversion, bounded in time.
lo_convert() {
    timeout 300 "$SOFFICE" "-env:UserInstallation=file://$lo/profile" --headless --norestore \
        --convert-to "$1" --outdir "$2" "$3" > "$lo/convert.log" 2>&1
}
CSV_FILTER='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

# {================================================================
# Helper programs on libhgq's public C API and on libxlsxwriter.
# ================================================================}
# compare.lua DUMP PREFIX: every number in DUMP (hgq dump --format jsonl
# --formulas of the workbook: its cached values) must equal the value
# LibreOffice shows in PREFIX-<sheet>.csv after recalculating.
# compare.lua --title DUMP: prints the first text of the first sheet.
cat > "$lo/compare.lua" <<'LUA'
local function json_line(s)
    local o, i = {}, 1
    local function str()
        local out = {}
        i = i + 1
        while true do
            local c = s:sub(i, i)
            if c == '"' then i = i + 1 return table.concat(out) end
            if c == "" then error("unterminated string") end
            if c == "\\" then
                local e = s:sub(i + 1, i + 1)
                if e == "u" then
                    out[#out + 1] = utf8.char(tonumber(s:sub(i + 2, i + 5), 16))
                    i = i + 6
                else
                    out[#out + 1] = ({ b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" })[e] or e
                    i = i + 2
                end
            else
                out[#out + 1] = c
                i = i + 1
            end
        end
    end
    i = s:find("{", 1, true) + 1
    while true do
        i = s:find("%S", i)
        if s:sub(i, i) == "}" then return o end
        local k = str()
        i = s:find(":", i, true) + 1
        i = s:find("%S", i)
        local v
        if s:sub(i, i) == '"' then
            v = str()
        else
            local tok = s:match("^[^,}%s]+", i)
            i = i + #tok
            v = tok == "true" or (tok ~= "false" and tok ~= "null" and tonumber(tok)) or nil
        end
        o[k] = v
        i = s:find("%S", i)
        if s:sub(i, i) == "," then i = i + 1 end
    end
end

local function read_csv(path)
    local f = io.open(path, "rb")
    if not f then return nil end
    local s = f:read("a")
    f:close()
    local rows, row, i, n = {}, {}, 1, #s
    while i <= n do
        local field
        if s:sub(i, i) == '"' then
            local parts = {}
            i = i + 1
            while i <= n do
                local j = s:find('"', i, true)
                parts[#parts + 1] = s:sub(i, j - 1)
                if s:sub(j + 1, j + 1) == '"' then
                    parts[#parts + 1] = '"'
                    i = j + 2
                else
                    i = j + 1
                    break
                end
            end
            field = table.concat(parts)
        else
            local j = s:find("[,\r\n]", i) or n + 1
            field = s:sub(i, j - 1)
            i = j
        end
        row[#row + 1] = field
        local c = s:sub(i, i)
        if c == "," then
            i = i + 1
        else
            if c == "\r" then i = i + 1 end
            if s:sub(i, i) == "\n" then i = i + 1 end
            rows[#rows + 1] = row
            row = {}
        end
    end
    return rows
end

local function ref(a1)
    local letters, digits = a1:match("^(%u+)(%d+)$")
    local col = 0
    for k = 1, #letters do col = col * 26 + letters:byte(k) - 64 end
    return tonumber(digits), col
end

local function lo_number(text)
    local pct = text:match("^(.*)%%$")
    local v = tonumber(pct or text)
    if v and pct then v = v / 100 end
    return v
end

local mode, dump, prefix = arg[1], arg[2], arg[3]
local cells = {}
for line in io.lines(dump) do
    if line:find("^{") then cells[#cells + 1] = json_line(line) end
end
if mode == "--title" then
    for _, c in ipairs(cells) do
        if c.sheet == cells[1].sheet and c.type == "s" and c.value ~= "" then
            print(c.value)
            return
        end
    end
    os.exit(1)
end

local grids, numbers, formulas, bad, per_sheet = {}, 0, 0, 0, {}
for _, c in ipairs(cells) do
    if grids[c.sheet] == nil then
        grids[c.sheet] = read_csv(prefix .. "-" .. c.sheet .. ".csv") or false
        if not grids[c.sheet] then
            print(("sheet %s: LibreOffice wrote no %s-%s.csv"):format(c.sheet, prefix, c.sheet))
            bad = bad + 1
        end
        per_sheet[#per_sheet + 1] = c.sheet
        per_sheet[c.sheet] = { 0, 0 }
    end
    local g = grids[c.sheet]
    if g and c.type == "n" then
        local r, col = ref(c.cell)
        local shown = g[r] and g[r][col] or ""
        local v = lo_number(shown)
        numbers = numbers + 1
        per_sheet[c.sheet][1] = per_sheet[c.sheet][1] + 1
        if c.formula then
            formulas = formulas + 1
            per_sheet[c.sheet][2] = per_sheet[c.sheet][2] + 1
        end
        if not v or math.abs(v - c.value) > 1e-9 * math.max(1, math.abs(c.value)) then
            print(("sheet %s cell %s%s: hgq dump reads %.15g, LibreOffice shows %q"):format(
                c.sheet, c.cell, c.formula and (" =" .. c.formula) or "", c.value, shown))
            bad = bad + 1
        end
    end
end
for _, name in ipairs(per_sheet) do
    print(("sheet %s: %d numbers, %d of them formulas"):format(name, per_sheet[name][1],
        per_sheet[name][2]))
end
print(("%d numbers compared, %d formulas, %d differ"):format(numbers, formulas, bad))
os.exit(bad == 0 and numbers > 0 and formulas > 0)
LUA

cat > "$lo/mkbook.c" <<'C'
/* mkbook OUT.xlsx [WRONG]: a small report-like workbook with formulas and
 * their cached values; with WRONG, one cached value is deliberately wrong. */
#include <string.h>
#include <xlsxwriter.h>
int main(int argc, char **argv)
{
    lxw_workbook *wb = workbook_new(argv[1]);
    lxw_worksheet *t = workbook_add_worksheet(wb, "表1 在校生");
    lxw_worksheet *s = workbook_add_worksheet(wb, "汇总");
    lxw_format *bold = workbook_add_format(wb), *pct = workbook_add_format(wb);
    lxw_format *money = workbook_add_format(wb);
    static const char *majors[] = {"会计事务", "电子商务", "数控加工", "汽车维修", "计算机应用"};
    static const double counts[][3] = {{120, 131, 98}, {88, 92.5, 101}, {210, 199, 187},
                                       {64, 70, 73}, {150, 149, 160}};
    double col[3] = {0, 0, 0}, all = 0;
    int wrong = argc > 2, r, c;
    format_set_bold(bold);
    format_set_num_format(pct, "0.0%");
    format_set_num_format(money, "#,##0.00");
    worksheet_merge_range(t, 0, 0, 0, 4, "衡阳技师学院在校生统计表", bold);
    worksheet_write_string(t, 1, 0, "专业", bold);
    worksheet_write_string(t, 1, 1, "一年级", bold);
    worksheet_write_string(t, 1, 2, "二年级", bold);
    worksheet_write_string(t, 1, 3, "三年级", bold);
    worksheet_write_string(t, 1, 4, "合计", bold);
    for (r = 0; r < 5; r++) {
        double sum = 0;
        char f[64];
        worksheet_write_string(t, (lxw_row_t)(2 + r), 0, majors[r], NULL);
        for (c = 0; c < 3; c++) {
            worksheet_write_number(t, (lxw_row_t)(2 + r), (lxw_col_t)(1 + c), counts[r][c], NULL);
            sum += counts[r][c];
            col[c] += counts[r][c];
        }
        snprintf(f, sizeof f, "=SUM(B%d:D%d)", 3 + r, 3 + r);
        worksheet_write_formula_num(t, (lxw_row_t)(2 + r), 4, f, NULL, sum);
        all += sum;
    }
    worksheet_write_string(t, 7, 0, "合计", bold);
    for (c = 0; c < 3; c++) {
        char f[64];
        snprintf(f, sizeof f, "=SUM(%c3:%c7)", 'B' + c, 'B' + c);
        worksheet_write_formula_num(t, 7, (lxw_col_t)(1 + c), f, NULL, col[c]);
    }
    worksheet_write_formula_num(t, 7, 4, "=SUM(E3:E7)", NULL, wrong ? all + 1 : all);
    worksheet_write_string(s, 0, 0, "指标", bold);
    worksheet_write_string(s, 0, 1, "数值", bold);
    worksheet_write_string(s, 1, 0, "在校生总数", NULL);
    worksheet_write_formula_num(s, 1, 1, "='表1 在校生'!E8", NULL, all);
    worksheet_write_string(s, 2, 0, "一年级占比", NULL);
    worksheet_write_formula_num(s, 2, 1, "='表1 在校生'!B8/'表1 在校生'!E8", pct, col[0] / all);
    worksheet_write_string(s, 3, 0, "生均经费（元）", NULL);
    worksheet_write_number(s, 3, 1, 12345.678, money);
    worksheet_write_formula_num(s, 4, 1, "=ROUND(B4*B2/10000,2)", money,
                                ((long long)(12345.678 * all / 10000 * 100 + 0.5)) / 100.0);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
C

# compare BOOK PREFIX: hgq dump's figures against LibreOffice's CSV.
compare() {
    "$HGQ" dump --format jsonl --formulas "$1" > "$lo/dump.jsonl" &&
        "$HGQ" run "$lo/compare.lua" compare "$lo/dump.jsonl" "$2"
}

# {================================================================
# The workbook under test
# ================================================================}
book=$lo/report.xlsx
if [ -f scripts/report.lua ] && [ -d examples/hengyang-2025 ]; then
    check "hgq report writes the example report" \
        "$HGQ" report examples/hengyang-2025 -o "$book"
else
    check "the stand-in workbook writer builds" \
        cc -std=c11 -o "$lo/mkbook" "$lo/mkbook.c" -lxlsxwriter
    check "the stand-in workbook is written" "$lo/mkbook" "$book"
fi

check "LibreOffice converts every sheet to CSV" lo_convert "$CSV_FILTER" "$lo/out" "$book"
check "LibreOffice's figures, formulas recalculated, equal hgq dump's cached values" \
    compare "$book" "$lo/out/report"
sed 's/^/# /' "$HGQ_TMP/e2e.out" | tail -n 8

# Proof that the comparison sees recalculated values: a wrong cached total
# must show up as a difference.
[ -x "$lo/mkbook" ] || cc -std=c11 -o "$lo/mkbook" "$lo/mkbook.c" -lxlsxwriter
"$lo/mkbook" "$lo/wrong.xlsx" wrong
lo_convert "$CSV_FILTER" "$lo/out" "$lo/wrong.xlsx"
check_fail "LibreOffice recalculates: a wrong cached total is caught" \
    compare "$lo/wrong.xlsx" "$lo/out/wrong"
check_grep "the difference found is the wrong total" "cell E8 =SUM(E3:E7)" "$HGQ_TMP/e2e.out"

# {================================================================
# PDF
# ================================================================}
check "LibreOffice converts the workbook to PDF" lo_convert pdf "$lo/out" "$book"
check "the PDF is a PDF" sh -c "head -c 5 '$lo/out/report.pdf' | grep -q '^%PDF-'"
if command -v pdftotext > /dev/null 2>&1; then
    "$HGQ" dump --format jsonl "$book" > "$lo/title.jsonl"
    title=$("$HGQ" run "$lo/compare.lua" --title "$lo/title.jsonl" | head -n 1)
    pdftotext "$lo/out/report.pdf" "$lo/report.txt" 2> "$lo/pdftotext.log"
    check "the workbook has a Chinese title ($title)" \
        sh -c 'printf "%s" "$1" | LC_ALL=C grep -q "[^ -~]"' sh "$title"
    check "pdftotext finds the title in the PDF" \
        sh -c '[ -n "$1" ] && grep -qF -- "$1" "$2"' sh "$title" "$lo/report.txt"
fi
done_testing
