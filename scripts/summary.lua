-- summary: compare several schools' report workbooks, with the province's totals and medians
--
--   hgq summary DIR_OR_WORKBOOK... [-o OUT.xlsx] [--quiet]
--
-- Reads the 指标 sheet (and 说明) of report workbooks written by `hgq
-- report` - given as files, or found in the directories given - and writes
-- one comparison workbook: 指标明细 (for each indicator, one row per school,
-- then the province's total and median), 学校对比 (one row per school, one
-- column per indicator) and 说明 (the workbooks read).
local hgq = require "hgq"
local cli = require "hgq_cli"
local fs = require "hgq_fs"

local TOOL = "summary"

local USAGE = [[
usage: hgq summary DIR_OR_WORKBOOK... [-o OUT.xlsx] [--quiet]

Compares the report workbooks written by `hgq report` (files, or every such
workbook in the directories given) in one workbook: for each indicator one
row per school with the province's total and median.

  -o, --output OUT.xlsx  the workbook to write (default: summary.xlsx)
  -q, --quiet            print nothing but errors
  -h, --help             show this help
]]

local SPEC = {
  ["-o"] = { key = "out", value = true }, ["--output"] = { key = "out", value = true },
  ["-q"] = { key = "quiet" }, ["--quiet"] = { key = "quiet" },
  ["-h"] = { key = "help" }, ["--help"] = { key = "help" },
}

local function die(msg, code) cli.die(TOOL, msg, code) end

-- Units whose values add up across schools (when the indicator is not a ratio).
local ADDITIVE = { ["人"] = true, ["个"] = true, ["台"] = true, ["册"] = true, ["平方米"] = true,
                   ["万元"] = true, ["元"] = true, ["人次"] = true }

-- {====================================================================
-- Reading report workbooks
-- =====================================================================

-- The rows of a sheet as arrays of values.
local function sheet_rows(wb, name)
  local sh = wb:sheet(name)
  if not sh then return nil end
  local rows = {}
  for r, values in sh:rows({}) do rows[r] = values end
  return rows
end

-- Reads one report workbook: {school=, year=, type=, path=, indicators={id -> row}, order={ids}}
-- or nil and a message.
local function read_report(path)
  local wb, err = hgq.open(path)
  if not wb then return nil, err end
  local rows = sheet_rows(wb, "指标")
  if not rows then
    wb:close()
    return nil, "no sheet 指标 (not a workbook written by hgq report)"
  end
  local header_row, col
  for r = 1, 10 do
    local row = rows[r]
    if row then
      for c, v in pairs(row) do
        if v == "指标代码" then header_row = r end
      end
      if header_row then
        col = {}
        for c, v in pairs(row) do col[v] = c end
        break
      end
    end
  end
  if not header_row or not col["数值"] then
    wb:close()
    return nil, "its 指标 sheet has no 指标代码 and 数值 columns"
  end
  local rep = { path = path, indicators = {}, order = {} }
  local maxr = 0
  for r in pairs(rows) do if r > maxr then maxr = r end end
  for r = header_row + 1, maxr do
    local row = rows[r]
    local id = row and row[col["指标代码"]]
    if type(id) == "string" and id:match("^[%w_]+$") then
      local function get(h) return col[h] and row[col[h]] end
      local function number(h)
        local v = get(h)
        return type(v) == "number" and v or nil
      end
      rep.indicators[id] = {
        id = id, name = get("指标"), unit = get("单位") or "", group = get("分组") or "",
        value = number("数值"), num = number("分子"), den = number("分母"),
        text = get("表述"), judgement = get("达标"), period = get("统计期"),
      }
      rep.order[#rep.order + 1] = id
    end
  end
  -- school, year and type from 说明, else from the 指标 title
  local notes = sheet_rows(wb, "说明") or {}
  for _, row in pairs(notes) do
    if row[1] == "学校" then rep.school = row[2] end
    if row[1] == "报告年度" then rep.year = tonumber(row[2]) end
    if row[1] == "学校类型" then rep.type = row[2] end
  end
  local title = rows[1] and rows[1][1]
  if not rep.school and type(title) == "string" then
    rep.school, rep.year = title:match("^(.-)%s+(%d%d%d%d)年度")
    rep.year = tonumber(rep.year)
  end
  rep.school = rep.school or fs.splitext(fs.basename(path))
  wb:close()
  if #rep.order == 0 then return nil, "its 指标 sheet lists no indicator" end
  return rep
end

-- The workbooks named by the arguments: files as given, directories'
-- *.xlsx files that have a 指标 sheet.
local function collect(args, out)
  local list, problems, seen = {}, {}, {}
  local function add(p)
    local key = p:gsub("/%./", "/"):gsub("^%./", "")
    if not seen[key] then
      seen[key] = true
      list[#list + 1] = p
    end
  end
  for _, a in ipairs(args) do
    if fs.is_dir(a) then
      local names = fs.list(a) or {}
      local found = 0
      for _, n in ipairs(names) do
        local _, ext = fs.splitext(n)
        local p = fs.join(a, n)
        if ext == "xlsx" and n:sub(1, 1) ~= "." and n:sub(1, 2) ~= "~$" and p ~= out then
          local wb = hgq.open(p)
          if wb then
            local has = false
            for _, s in ipairs(wb:sheets()) do if s.name == "指标" then has = true end end
            wb:close()
            if has then
              add(p)
              found = found + 1
            end
          end
        end
      end
      if found == 0 then problems[#problems + 1] = string.format("'%s' holds no report workbook", a) end
    elseif fs.is_file(a) then
      add(a)
    else
      problems[#problems + 1] = string.format("'%s' does not exist", a)
    end
  end
  return list, problems
end

-- }====================================================================

-- {====================================================================
-- Province figures
-- =====================================================================

local function round2(v)
  if type(v) ~= "number" then return v end
  local r = math.floor(v * 100 + 0.5) / 100
  return math.tointeger(r) or r
end

--[[
The province's figure of one indicator over the schools' rows: a sum for
additive amounts, a pooled ratio (sum of numerators over sum of
denominators, at the indicator's scale) for ratios, nothing otherwise; and
the median of the schools' values. Returns total, how ("合计" / "汇总比率" /
nil), median, n (schools with a value), scale (of a ratio).
]]
local function province(rows)
  local values, nums, dens, scale = {}, 0, 0, nil
  local ratio, additive = false, true
  for _, r in ipairs(rows) do
    if r.value then
      values[#values + 1] = r.value
      if r.den then
        ratio = true
        nums = nums + (r.num or 0)
        dens = dens + r.den
        if not scale and r.num and r.num ~= 0 and r.den ~= 0 then scale = r.value / (r.num / r.den) end
      end
      if not ADDITIVE[r.unit or ""] then additive = false end
    end
  end
  local median = #values > 0 and hgq.stats.median(values) or nil
  if #values == 0 then return nil, nil, nil, 0 end
  if ratio then
    if dens ~= 0 then
      -- scales are powers of ten (1, 100): keep them exact
      if scale then
        local p = 10 ^ math.floor(math.log(scale, 10) + 0.5)
        scale = math.tointeger(p) or p
      else
        scale = 1
      end
      return nums / dens * scale, "汇总比率", median, #values, scale
    end
    return nil, nil, median, #values
  end
  if additive then
    local s = 0
    for _, v in ipairs(values) do s = s + v end
    return s, "合计", median, #values
  end
  return nil, nil, median, #values
end

-- }====================================================================

local opts, pos = cli.parse(arg, SPEC)
if not opts then die(pos .. " (try hgq summary --help)", 2) end
if opts.help then
  io.write(USAGE)
  os.exit(0, true)
end
if #pos == 0 then die("give report workbooks or directories holding them (try hgq summary --help)", 2) end
local out = opts.out or "summary.xlsx"

local paths, problems = collect(pos, out)
if #problems > 0 then die(table.concat(problems, "; ")) end
if #paths == 0 then die("no report workbook to compare") end

local reports = {}
for _, p in ipairs(paths) do
  local rep, err = read_report(p)
  if not rep then die(string.format("%s: %s", p, err)) end
  reports[#reports + 1] = rep
end
table.sort(reports, function(a, b)
  if a.school ~= b.school then return a.school < b.school end
  return (a.year or 0) < (b.year or 0)
end)

-- indicators in the order of the first workbook, then any others
local ids, seen = {}, {}
for _, rep in ipairs(reports) do
  for _, id in ipairs(rep.order) do
    if not seen[id] then
      seen[id] = true
      ids[#ids + 1] = id
    end
  end
end
local function meta(id)
  for _, rep in ipairs(reports) do
    local r = rep.indicators[id]
    if r then return r end
  end
end

local function check(ok, err)
  if not ok then error(err, 2) end
  return ok
end

local function col_letter(c)
  local s = ""
  while c > 0 do
    local k = (c - 1) % 26
    s = string.char(65 + k) .. s
    c = (c - 1) // 26
  end
  return s
end

local w, werr = hgq.writer(out, { title = "质量年度报告指标汇总", subject = "技工教育质量年度报告",
                                  inputs = paths })
if not w then die(string.format("cannot write %s: %s", out, tostring(werr))) end

local ok, err = pcall(function()
  -- 指标明细: for each indicator, one row per school, then 全省合计 and 中位数
  local sh = check(w:sheet("指标明细", { landscape = true }))
  local rows = {}
  local marks = {}
  for _, id in ipairs(ids) do
    local m = meta(id)
    local group = {}
    for _, rep in ipairs(reports) do
      local r = rep.indicators[id]
      if r then group[#group + 1] = r end
      rows[#rows + 1] = { id, m.name or id, m.unit, rep.school, rep.year, r and r.value, r and r.num,
                          r and r.den, r and r.text or "—", r and r.judgement or "无数据" }
    end
    local total, how, median, _, scale = province(group)
    rows[#rows + 1] = { id, m.name or id, m.unit, how and ("全省" .. how) or "全省合计", nil,
                        total and round2(total), nil, nil, total and "" or "不可加总", "" }
    marks[#marks + 1] = { kind = "total", index = #rows, n = #reports, scale = scale }
    rows[#rows + 1] = { id, m.name or id, m.unit, "中位数", nil, median and round2(median), nil, nil, "", "" }
    marks[#marks + 1] = { kind = "median", index = #rows, n = #reports }
  end
  local a = check(sh:table {
    title = string.format("各校质量年度报告指标汇总（%d 所学校）", #reports),
    header = { { "指标代码", "指标", "单位", "学校", "年度", "数值", "分子", "分母", "表述", "达标" } },
    rows = rows,
    formats = { "text", "text", "text", "text", "general", "general", "general", "general", "text", "text" },
    label_cols = 0,
  })
  -- the province's rows as live formulas over the schools' rows above them
  for _, mk in ipairs(marks) do
    local r = a.body_first_row + mk.index - 1
    local first = (mk.kind == "total" and r - mk.n or r - mk.n - 1)
    local last = first + mk.n - 1
    local range = string.format("F%d:F%d", first, last)
    local row = rows[mk.index]
    if mk.kind == "median" and row[6] then
      check(sh:formula(r, 6, "=MEDIAN(" .. range .. ")", row[6], "general"))
    elseif mk.kind == "total" and row[6] and row[4] == "全省合计" then
      check(sh:formula(r, 6, "=SUM(" .. range .. ")", row[6], "general"))
    elseif mk.kind == "total" and row[6] then
      local scale = (mk.scale and mk.scale ~= 1) and ("*" .. tostring(mk.scale)) or ""
      check(sh:formula(r, 6, string.format("=IFERROR(SUM(G%d:G%d)/SUM(H%d:H%d)%s,\"\")", first, last, first, last, scale),
                       row[6], "general"))
    end
  end
  check(sh:highlight { range = a, column = 10, equals = "未达标" })

  -- 学校对比: one row per school, one column per indicator
  local sh2 = check(w:sheet("学校对比", { landscape = true }))
  local top, sub, fmts = { "学校", "年度" }, { "", "" }, { "text", "general" }
  local last_group
  for _, id in ipairs(ids) do
    local m = meta(id)
    local g = m.group ~= "" and m.group or "其他"
    top[#top + 1] = g ~= last_group and g or ""
    last_group = g
    sub[#sub + 1] = string.format("%s（%s）", m.name or id, m.unit ~= "" and m.unit or "比")
    fmts[#fmts + 1] = "general"
  end
  local body = {}
  for _, rep in ipairs(reports) do
    local row = { rep.school, rep.year }
    for _, id in ipairs(ids) do
      local r = rep.indicators[id]
      row[#row + 1] = r and r.value or nil
    end
    body[#body + 1] = row
  end
  local a2 = check(sh2:table {
    title = "各校指标对比", header = { top, sub }, rows = body, formats = fmts, label_cols = 2,
  })
  local trow, mrow = a2.body_last_row + 1, a2.body_last_row + 2
  check(sh2:write(trow, 1, "全省合计"))
  check(sh2:write(mrow, 1, "中位数"))
  for k, id in ipairs(ids) do
    local c = 2 + k
    local L = col_letter(c)
    local group = {}
    for _, rep in ipairs(reports) do
      if rep.indicators[id] then group[#group + 1] = rep.indicators[id] end
    end
    local total, how, median = province(group)
    local range = string.format("%s%d:%s%d", L, a2.body_first_row, L, a2.body_last_row)
    if total and how == "合计" then
      check(sh2:formula(trow, c, "=SUM(" .. range .. ")", round2(total), "general"))
    elseif total then
      check(sh2:write(trow, c, round2(total), "general"))
    end
    if median then check(sh2:formula(mrow, c, "=MEDIAN(" .. range .. ")", round2(median), "general")) end
  end
  check(sh2:write(mrow + 2, 1, "全省合计：人数、面积、金额等相加；比率为各校分子之和除以分母之和；其他指标不加总。"))

  -- 说明
  local sh3 = check(w:sheet("说明", { freeze = false }))
  local list = {}
  for _, rep in ipairs(reports) do
    local met, unmet = 0, 0
    for _, r in pairs(rep.indicators) do
      if r.judgement == "达标" then met = met + 1 elseif r.judgement == "未达标" then unmet = unmet + 1 end
    end
    list[#list + 1] = { rep.school, rep.year, rep.type or "", fs.basename(rep.path), #rep.order, met, unmet }
  end
  check(sh3:table { title = "汇总的报告工作簿",
                    header = { { "学校", "年度", "学校类型", "工作簿", "指标数", "达标", "未达标" } },
                    rows = list, formats = { "text", "general", "text", "text", "integer", "integer", "integer" },
                    label_cols = 4 })
  check(sh3:write(sh3:next_row() + 1, 1, string.format("生成时间：%s；生成程序：hgq %s。",
                                                       os.date("%Y-%m-%d %H:%M:%S"), hgq.version)))
end)
if not ok then
  w = nil
  collectgarbage()
  die(string.format("cannot write %s: %s", out, tostring(err)))
end
local cok, cerr = w:close()
if not cok then die(string.format("cannot write %s: %s", out, tostring(cerr))) end
if not opts.quiet then
  io.write(string.format("汇总 %d 所学校的 %d 个指标，已写入 %s\n", #reports, #ids, out))
end
os.exit(0, true)
