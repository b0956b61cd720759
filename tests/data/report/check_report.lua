-- Checks a report workbook written by `hgq report examples/hengyang-2025`
-- against the figures printed in the school's 2025 report, reading it back
-- with libhgq's reader. Prints one line per check: "PASS|what" or
-- "FAIL|what|detail" (tests/e2e/report.sh turns them into TAP).
--
--   hgq run check_report.lua REPORT.xlsx
local hgq = require "hgq"

local path = assert(arg[1], "usage: check_report.lua REPORT.xlsx")

local function pass(what) io.write("PASS|", what, "\n") end
local function fail(what, detail) io.write("FAIL|", what, "|", tostring(detail):gsub("\n", " "), "\n") end
local function check(what, ok, detail)
  if ok then pass(what) else fail(what, detail or "") end
end
local function eq(what, got, want)
  check(what, got == want, string.format("got %s, want %s", tostring(got), tostring(want)))
end

local wb, err = hgq.open(path, { formulas = true })
if not wb then
  fail("the workbook opens", err)
  return
end
pass("the workbook opens")

-- Every sheet as a grid: grid[row][col] = value, formulas[row][col] = text.
local sheets, names = {}, {}
for _, info in ipairs(wb:sheets()) do
  local g = { values = {}, formulas = {}, merges = {} }
  for r, values, cells in wb:sheet(info.index):rows { cells = true } do
    g.values[r] = values
    g.formulas[r] = {}
    for c, cell in pairs(cells) do
      if cell.formula then g.formulas[r][c] = cell.formula end
    end
  end
  for _, m in ipairs(wb:sheet(info.index):merges()) do g.merges[m.ref] = true end
  sheets[info.name] = g
  names[#names + 1] = info.name
end

local function sheet(name)
  local s = sheets[name]
  check("the workbook has a sheet '" .. name .. "'", s ~= nil, "sheets: " .. table.concat(names, ", "))
  return s
end
local function v(s, r, c) return s and s.values[r] and s.values[r][c] end
local function f(s, r, c) return s and s.formulas[r] and s.formulas[r][c] end

-- The row whose cell in column `c` is `text`, from row `from`.
local function find_row(s, c, text, from)
  if not s then return nil end
  local maxr = 0
  for r in pairs(s.values) do if r > maxr then maxr = r end end
  for r = from or 1, maxr do
    if s.values[r] and s.values[r][c] == text then return r end
  end
end

-- The column of header `text` in row `r`.
local function find_col(s, r, text)
  local row = s and s.values[r]
  if not row then return nil end
  for c, x in pairs(row) do if x == text then return c end end
end

-- {====================================================================
-- 表1 - 表6
-- =====================================================================

local t1 = sheet("表1 专业设置")
eq("表1 is titled as in the report", v(t1, 1, 1), "表1 衡阳工业技工学校专业设置一览表")
do
  local n = 0
  for r = 3, 20 do if type(v(t1, r, 1)) == "number" then n = n + 1 end end
  eq("表1 lists the 7 majors", n, 7)
  eq("表1 row 1 is 数控机床装配与维修, 三年, 是", (v(t1, 3, 2) or "") .. (v(t1, 3, 3) or "") .. (v(t1, 3, 4) or ""),
     "数控机床装配与维修三年是")
end

local t2 = sheet("表2 新生人数")
eq("表2 is titled as in the report", v(t2, 1, 1), "表2 2025年各类专业新生人数统计表")
do
  -- as printed: the header 新生总数 | 机械、电工电子类新生人数 | …, one row of figures, no 年份
  local r = 3
  local c = find_col(t2, 2, "新生总数")
  eq("表2 has the header 新生总数 first", c, 1)
  check("表2 has no 年份 column", not find_col(t2, 2, "年份"))
  check("表2 has a single row of figures", t2 and v(t2, 3, 1) ~= nil and type(v(t2, 4, 1)) ~= "number",
        t2 and tostring(v(t2, 4, 1)))
  eq("表2 新生总数 is 549", c and v(t2, r, c), 549)
  eq("表2 新生总数 is a live SUM of the categories", c and f(t2, r, c), "SUM(B3:D3)")
  local want = { { "机械、电工电子类新生人数", 363 }, { "信息类新生人数", 90 }, { "财经商贸类新生人数", 96 } }
  for _, w in ipairs(want) do
    local cc = find_col(t2, 2, w[1])
    eq("表2 " .. w[1] .. " " .. w[2], r and cc and v(t2, r, cc), w[2])
  end
end

local t3 = sheet("表3 专任教师")
eq("表3 is titled as in the report", v(t3, 1, 1), "表3 衡阳工业技工学校专任教师信息统计表")
do
  local want_head = { [3] = "合计", [4] = "30岁以下", [5] = "31-40岁", [6] = "41-50岁", [7] = "51-60岁" }
  local ok = true
  for c, h in pairs(want_head) do if v(t3, 2, c) ~= h then ok = false end end
  check("表3 header: 合计, 30岁以下, 31-40岁, 41-50岁, 51-60岁", ok)
  local r = find_row(t3, 1, "总计")
  local got = r and table.concat({ v(t3, r, 3), v(t3, r, 4), v(t3, r, 5), v(t3, r, 6), v(t3, r, 7) }, "/")
  eq("表3 总计 63 = 21/19/12/11", got, "63/21/19/12/11")
  check("表3 总计 is a live SUM", r and f(t3, r, 3) and f(t3, r, 3):match("^SUM%("), r and f(t3, r, 3))
  check("表3 总计 label is merged over two columns", t3 and t3.merges["A" .. (r or 0) .. ":B" .. (r or 0)])
  local want = { ["中级"] = 18, ["初级"] = 6, ["未定职级"] = 39, ["本科"] = 58, ["专科"] = 5 }
  for item, n in pairs(want) do
    local rr = find_row(t3, 2, item)
    eq("表3 " .. item .. " " .. n, rr and v(t3, rr, 3), n)
    check("表3 " .. item .. " total is a live SUM", rr and f(t3, rr, 3) and f(t3, rr, 3):match("^SUM%("))
  end
  local rr = find_row(t3, 2, "中级")
  check("表3 职称 is merged down its rows", rr and t3.merges["A" .. rr .. ":A" .. (rr + 2)])
end

local t4 = sheet("表4 校企合作")
eq("表4 is titled as in the report", v(t4, 1, 1), "表4 产教融合校企合作专业一览表")
do
  local n = 0
  for r = 3, 40 do if type(v(t4, r, 1)) == "number" then n = n + 1 end end
  eq("表4 lists the 12 partner enterprises", n, 12)
  local r = find_row(t4, 2, "湖南中德汽车自动变速器股份有限公司")
  check("表4 spells 数控机床 in full (synonym mapped)", r and tostring(v(t4, r, 3)):find("数控机床装配与维修", 1, true),
        r and v(t4, r, 3))
end

local t5 = sheet("表5 技能等级认定")
eq("表5 is titled as in the report", v(t5, 1, 1), "表5 历年技能等级认定人数统计表")
do
  local years = { "2013", "2014", "2015", "2016", "2017", "2018", "2019", "2022", "2023", "2024", "2025" }
  local totals = { 81, 105, 184, 88, 218, 110, 18, 29, 30, 64, 32 }
  local r = find_row(t5, 1, "总计")
  check("表5 has a 总计 row", r)
  for k, y in ipairs(years) do
    local c = find_col(t5, 2, y) or find_col(t5, 2, tonumber(y))
    eq("表5 总计 " .. y .. " is " .. totals[k], r and c and v(t5, r, c), totals[k])
    check("表5 总计 " .. y .. " is a live SUM", r and c and f(t5, r, c) and f(t5, r, c):match("^SUM%("))
  end
  local cc = find_col(t5, 2, "合计")
  eq("表5 grand total 959", r and cc and v(t5, r, cc), 959)
  local rows = { { "车工", "三级", 33 }, { nil, "四级", 119 }, { nil, "五级", 261 }, { "钳工", "三级", 48 },
                 { nil, "四级", 212 }, { nil, "五级", 56 }, { "维修电工", "五级", 197 }, { "计算机", "五级", 33 } }
  local got, want = {}, {}
  for i, row in ipairs(rows) do
    got[#got + 1] = tostring(cc and v(t5, 2 + i, cc))
    want[#want + 1] = tostring(row[3])
  end
  eq("表5 row totals 33/119/261/48/212/56/197/33", table.concat(got, "/"), table.concat(want, "/"))
  eq("表5 2025 钳工四级 32", find_col(t5, 2, "2025") and v(t5, 7, find_col(t5, 2, "2025")), 32)
end

local t6 = sheet("表6 学生资助")
eq("表6 is titled as in the report", v(t6, 1, 1), "表6 学生资助情况统计表")
do
  local want = { ["2025"] = "1260/120/164/284", ["2024"] = "1064/86/117/203", ["2023"] = "657/35/60/95" }
  for y, w in pairs(want) do
    local r = find_row(t6, 1, y)
    eq("表6 " .. y .. " is " .. w, r and table.concat({ v(t6, r, 2), v(t6, r, 3), v(t6, r, 4), v(t6, r, 5) }, "/"), w)
  end
  eq("表6 header in the printed order",
     table.concat({ v(t6, 2, 1) or "", v(t6, 2, 2) or "", v(t6, 2, 3) or "", v(t6, 2, 4) or "", v(t6, 2, 5) or "" }, "|"),
     "年份|在校生数|建档立卡贫困家庭学生人数|非涉农困难家庭学生人数|享受助学金学生总人数")
  for y in pairs(want) do
    local r = find_row(t6, 1, y)
    eq("表6 " .. y .. " 享受助学金学生总人数 is a live SUM of the two aid columns", r and f(t6, r, 5),
       r and string.format("SUM(C%d:D%d)", r, r))
  end
end

-- }====================================================================

-- {====================================================================
-- 指标
-- =====================================================================

local ind = sheet("指标")
do
  local col = {}
  for c, h in pairs(ind and ind.values[2] or {}) do col[h] = c end
  check("指标 has the columns 指标代码, 数值, 单位, 口径, 分子, 分母, 上年值, 变化, 标准, 标准依据, 达标",
        col["指标代码"] and col["数值"] and col["单位"] and col["口径"] and col["分子"] and col["分母"]
        and col["上年值"] and col["变化"] and col["标准"] and col["标准依据"] and col["达标"])
  local by = {}
  for r, row in pairs(ind and ind.values or {}) do
    if r > 2 and col["指标代码"] and row[col["指标代码"]] then by[row[col["指标代码"]]] = row end
  end
  local function value(id) return by[id] and by[id][col["数值"]] end
  local want = {
    new_students = 549, new_students_mech_elec = 363, new_students_info = 90, new_students_finance = 96,
    students = 1260, graduates = 188, employed = 132, progressing = 56, staff = 83, teachers = 63,
    teachers_age_30_under = 21, teachers_age_31_40 = 19, teachers_age_41_50 = 12, teachers_age_51_60 = 11,
    teachers_title_intermediate = 18, teachers_title_junior = 6, teachers_title_none = 39,
    teachers_edu_bachelor = 58, teachers_edu_associate = 5, majors = 7, partners = 12,
    land_area = 62020, building_area = 32956.51, training_area = 24884.67, sports_area = 17102.48,
    equipment_value = 625.46, computers = 235, multimedia_rooms = 25, training_rooms = 8,
    practice_factories = 5, vr_rooms = 3, master_studios = 1, funding = 680.13,
    student_teacher_ratio = 20, certifications = 32, certifications_cumulative = 959,
    aid_recipients = 284, aid_registered_poor = 120, aid_other_hardship = 164, track_graduates = 50,
    track_progressing = 48,
  }
  local ids = {}
  for id in pairs(want) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do eq("指标 " .. id .. " = " .. want[id], value(id), want[id]) end
  eq("指标 employment_rate 70.21 (132/188)", value("employment_rate"), 70.21)
  eq("指标 employment_rate keeps its denominator 188", by.employment_rate and by.employment_rate[col["分母"]], 188)
  check("指标 employment_rate names its variant", by.employment_rate and tostring(by.employment_rate[col["口径"]]):find("就业÷毕业生", 1, true),
        by.employment_rate and by.employment_rate[col["口径"]])
  eq("指标 students: last year 1064 (published 表6)", by.students and by.students[col["上年值"]], 1064)
  eq("指标 students: change 196", by.students and by.students[col["变化"]], 196)
  eq("指标 land_area 达标 (≥30000)", by.land_area and by.land_area[col["达标"]], "达标")
  check("指标 land_area names its source standard", by.land_area and tostring(by.land_area[col["标准依据"]]):find("人社部发〔2012〕8号", 1, true))
  eq("指标 training_participants 675 未达标 (≥800)", by.training_participants and
     (tostring(by.training_participants[col["数值"]]) .. " " .. by.training_participants[col["达标"]]), "675 未达标")
  eq("指标 books cannot be judged (no figure)", by.books_per_student and by.books_per_student[col["达标"]], "无法判断")
end

-- }====================================================================

-- {====================================================================
-- 问题清单: the known inconsistencies of 表3, with their cells
-- =====================================================================

local fs_ = sheet("问题清单")
do
  local rows = {}
  for r, row in pairs(fs_ and fs_.values or {}) do
    if r > 3 and row[2] then
      rows[#rows + 1] = { sev = row[2], code = row[3], msg = row[4], file = row[5], sheet = row[6], cell = row[7],
                          ocell = row[10] }
    end
  end
  local function has(code, sheetname, cell, ocell)
    for _, x in ipairs(rows) do
      if x.code == code and x.sheet == sheetname and x.cell == cell and (not ocell or x.ocell == ocell) then
        return x
      end
    end
  end
  -- within 表3: 职称 rows sum to 26/14 against 21/19; 学历 rows to 28/15/10/10 against 21/19/12/11
  for _, k in ipairs({ { "D3", "D4" }, { "E3", "E4" }, { "D3", "D7" }, { "E3", "E7" }, { "F3", "F7" }, { "G3", "G7" } }) do
    local x = has("agg.breakdown", "表3", k[1], k[2])
    check(string.format("问题清单: 表3 %s does not equal its parts from %s (agg.breakdown)", k[1], k[2]), x)
    check(string.format("问题清单: that finding is an error naming 2025年度质量报告附表.xlsx"),
          x and x.sev == "错误" and x.file == "2025年度质量报告附表.xlsx", x and (x.sev .. " " .. tostring(x.file)))
  end
  -- 表3 against the staff roster
  for _, cell in ipairs({ "D6", "E6", "D7", "E7", "F7", "G7" }) do
    check("问题清单: 表3 " .. cell .. " differs from the staff roster (cmp.value)", has("cmp.value", "表3", cell))
  end
  local errors = 0
  for _, x in ipairs(rows) do if x.sev == "错误" then errors = errors + 1 end end
  eq("问题清单: exactly those 12 errors (表2, 表5, 表6 agree with the rosters)", errors, 12)
  local order_ok, rank = true, { ["错误"] = 1, ["警告"] = 2, ["提示"] = 3 }
  local prev = 0
  for r = 4, 200 do
    local s = fs_ and fs_.values[r] and fs_.values[r][2]
    if s then
      if (rank[s] or 9) < prev then order_ok = false end
      prev = rank[s] or 9
    end
  end
  check("问题清单 is sorted by severity", order_ok)
end

-- }====================================================================

-- {====================================================================
-- Charts' data, 说明, and no personal data anywhere
-- =====================================================================

check("the workbook has a 图表 sheet", sheet("图表") ~= nil)
do
  local defs = sheet("指标定义")
  local r = find_row(defs, 1, "就业率")
  check("指标定义 defines 就业率 with its variants", r and tostring(v(defs, r, 4)):find("A", 1, true), r and v(defs, r, 4))
end
local notes = sheet("说明")
do
  local text = {}
  for _, row in pairs(notes and notes.values or {}) do
    for _, x in pairs(row) do text[#text + 1] = tostring(x) end
  end
  local all = table.concat(text, "\n")
  check("说明 gives the reference date 2025-09-01", all:find("2025-09-01", 1, true))
  check("说明 gives the school's name", all:find("衡阳工业技工学校", 1, true))
  check("说明 lists the input 学生花名册.xlsx", all:find("学生花名册.xlsx", 1, true))
  check("说明 names the standard 人社部发〔2012〕8号", all:find("人社部发〔2012〕8号", 1, true))
  check("说明 names the version of hgq", all:find("hgq " .. hgq.version, 1, true))
end

do
  local leaks = {}
  for name, g in pairs(sheets) do
    for r, row in pairs(g.values) do
      for c, x in pairs(row) do
        local s = tostring(x)
        if s:find("%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d[%dXx]") or s:find("学生%d%d%d%d") or s:find("教工%d%d%d") then
          leaks[#leaks + 1] = string.format("%s!R%dC%d %s", name, r, c, s)
        end
      end
    end
  end
  check("no report sheet holds an ID number or a person's name", #leaks == 0, table.concat(leaks, "; "))
end

wb:close()
