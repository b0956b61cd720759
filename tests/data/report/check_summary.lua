-- Checks the comparison workbook `hgq summary` wrote for three variations
-- of the example school (see tests/e2e/summary.sh), reading it back with
-- libhgq's reader. Prints "PASS|what" or "FAIL|what|detail" lines.
--
--   hgq run check_summary.lua SUMMARY.xlsx
local hgq = require "hgq"

local path = assert(arg[1], "usage: check_summary.lua SUMMARY.xlsx")
local function check(what, ok, detail)
  if ok then io.write("PASS|", what, "\n") else io.write("FAIL|", what, "|", tostring(detail or ""), "\n") end
end
local function eq(what, got, want)
  check(what, got == want, string.format("got %s, want %s", tostring(got), tostring(want)))
end

local wb, err = hgq.open(path, { formulas = true })
check("the summary workbook opens", wb, err)
if not wb then return end

local function grid(name)
  local sh = wb:sheet(name)
  check("it has a sheet " .. name, sh)
  local g = { values = {}, formulas = {} }
  if not sh then return g end
  for r, values, cells in sh:rows { cells = true } do
    g.values[r] = values
    g.formulas[r] = {}
    for c, cell in pairs(cells) do g.formulas[r][c] = cell.formula end
  end
  return g
end

-- 指标明细: id -> school -> row, plus the province's rows
local detail = grid("指标明细")
local by = {}
for r, row in pairs(detail.values) do
  if r > 2 and type(row[1]) == "string" then
    by[row[1]] = by[row[1]] or {}
    by[row[1]][row[4]] = { value = row[6], judgement = row[10], text = row[9], formula = detail.formulas[r][6] }
  end
end
local A, B, C = "衡阳工业技工学校", "测试技工学校乙", "测试技工学校丙"
local function val(id, who) return by[id] and by[id][who] and by[id][who].value end

eq("students: 1260 at each school", table.concat({ val("students", A), val("students", B), val("students", C) }, "/"),
   "1260/1260/1260")
eq("students: the province's total is 3780", val("students", "全省合计"), 3780)
check("students: the total is a live SUM", by.students and by.students["全省合计"].formula
      and by.students["全省合计"].formula:match("^SUM%("), by.students and by.students["全省合计"].formula)
eq("students: the median is 1260", val("students", "中位数"), 1260)
check("students: the median is a live MEDIAN", by.students and by.students["中位数"].formula
      and by.students["中位数"].formula:match("^MEDIAN%("))
eq("training: 675 at the example school", val("training_participants", A), 675)
eq("training: 975 at school 乙 (its CSV changed)", val("training_participants", B), 975)
eq("training: none at school 丙 (no training file)", val("training_participants", C), nil)
eq("training: 丙's row says there is no figure", by.training_participants and by.training_participants[C].text, "—")
eq("training: total over the schools with a figure 1650", val("training_participants", "全省合计"), 1650)
eq("training: median 825", val("training_participants", "中位数"), 825)
eq("training: 未达标 at the example school", by.training_participants and by.training_participants[A].judgement, "未达标")
eq("training: 达标 at school 乙", by.training_participants and by.training_participants[B].judgement, "达标")
eq("aid: without an aid roster 乙's figure is its published 表6's 284", val("aid_recipients", B), 284)
eq("aid: total 852", val("aid_recipients", "全省合计"), 852)
eq("employment rate: pooled 264/376 = 70.21", val("employment_rate", "全省汇总比率"), 70.21)
eq("employment rate: school 丙 has no graduates file", val("employment_rate", C), nil)
eq("equipment per student: pooled 4963.97 元", val("equipment_per_student", "全省汇总比率"), 4963.97)
eq("land area: total 186060", val("land_area", "全省合计"), 186060)

local cmp = grid("学校对比")
local schools = {}
for r, row in pairs(cmp.values) do
  if r > 3 and type(row[1]) == "string" and row[2] then schools[#schools + 1] = row[1] end
end
table.sort(schools)
local want = { A, B, C }
table.sort(want)
eq("学校对比 has one row per school", table.concat(schools, ","), table.concat(want, ","))
local total_row
for r, row in pairs(cmp.values) do if row[1] == "全省合计" then total_row = r end end
check("学校对比 has a 全省合计 row", total_row)

local notes = grid("说明")
local n = 0
for r, row in pairs(notes.values) do if r > 2 and (row[1] == A or row[1] == B or row[1] == C) then n = n + 1 end end
eq("说明 lists the three workbooks", n, 3)
wb:close()
