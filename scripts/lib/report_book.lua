-- Writing the report workbook of `hgq report`: the six tables, the
-- indicators, the findings, charts and an explanation sheet.
local hgq = require "hgq"
local fs = require "hgq_fs"

local M = {}

M.SHEETS = {
  t1 = "表1 专业设置", t2 = "表2 新生人数", t3 = "表3 专任教师", t4 = "表4 校企合作",
  t5 = "表5 技能等级认定", t6 = "表6 学生资助",
  indicators = "指标", findings = "问题清单", charts = "图表", notes = "说明",
  definitions = "指标定义",
}

-- Columns of the 指标 sheet and their printed widths (characters; long text
-- wraps). `hgq summary` reads them back by header. The code, for scripts,
-- comes last: office staff read the Chinese name.
local INDICATOR_COLS = {
  { "序号", 5 }, { "分组", 9 }, { "指标", 18 }, { "数值", 10 }, { "单位", 6 }, { "表述", 10 },
  { "口径", 14 }, { "分子", 10 }, { "分母", 8 }, { "统计期", 7 }, { "上年值", 9 }, { "变化", 8 },
  { "增长率(%)", 8 }, { "标准", 11 }, { "标准依据", 20 }, { "达标", 8 }, { "数据来源", 12 },
  { "说明", 22 }, { "指标代码", 24 },
}
M.INDICATOR_HEADER = {}
for i, c in ipairs(INDICATOR_COLS) do M.INDICATOR_HEADER[i] = c[1] end

local function col_letter(c)
  local s = ""
  while c > 0 do
    local k = (c - 1) % 26
    s = string.char(65 + k) .. s
    c = (c - 1) // 26
  end
  return s
end
M.col_letter = col_letter

local function round2(v)
  if type(v) ~= "number" then return v end
  local r = math.floor(v * 100 + 0.5) / 100
  return math.tointeger(r) or r
end

local function check(ok, err)
  if not ok then error(err, 2) end
  return ok
end

-- Fixes the widths of a sheet's columns ({{header, width}, ...} or widths)
-- before its table is written, so that long text wraps instead of widening
-- the printed page.
local function set_widths(sh, cols)
  local w = {}
  for i, c in ipairs(cols) do w[i] = type(c) == "table" and c[2] or c end
  check(sh:widths(w))
end

-- Writes a footnote in the row under the sheet's last table, across its
-- width, wrapped: a note never widens the table's columns.
local function note(sh, text)
  check(sh:note(text))
end

-- {====================================================================
-- 表1 - 表6
-- =====================================================================

local function write_t1(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t1))
  local a = check(sh:table {
    title = string.format("表1 %s专业设置一览表", ctx.school),
    header = { { "序号", "专业名称", "学制", "是否开展新型学徒制" } },
    rows = t.rows,
    formats = { "integer", "text", "text", "text" },
    label_cols = 0,
  })
  note(sh, "数据来源：专业设置名册。")
end

-- 表2 as printed: one row under the categories, a cross-tab without row
-- dimension, so that 新生总数 comes first as a live SUM of the others.
local function write_t2(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t2))
  local data = { { category = "新生总数", value = t.total } }
  for _, col in ipairs(t.columns) do
    data[#data + 1] = { category = col.label .. "新生人数", value = col.count }
  end
  local a = check(sh:crosstab {
    data = data, dims = { "category" }, col_dims = { "category" },
    title = string.format("表2 %d年各类专业新生人数统计表", ctx.year),
    format = "integer", total = "新生总数",
  })
  note(sh, string.format("数据来源：学生花名册中入学年份为%d年的学生，按所学专业的专业类别统计。", ctx.year))
  return a
end

-- 表3 as a cross-tab: 合计 first as live SUMs; 总计 counts every teacher of
-- an age band, 职称 and 学历 each break the same teachers down.
local function write_t3(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t3))
  local data = {}
  local function add(group, item, total, cells)
    data[#data + 1] = { group = group, item = item, band = "合计", value = total }
    for j, b in ipairs(t.bands) do data[#data + 1] = { group = group, item = item, band = b, value = cells[j] } end
  end
  add("总计", "总计", t.total, t.band_totals)
  for _, g in ipairs(t.groups) do
    for _, it in ipairs(g.items) do add(g.name, it.name, it.total, it.cells) end
  end
  local a = check(sh:crosstab {
    data = data, dims = { "group", "item", "band" }, row_labels = { "", "" },
    title = string.format("表3 %s专任教师信息统计表", ctx.school), format = "integer",
  })
  note(sh, string.format("数据来源：教职工名册中岗位类别为专任教师的人员；年龄按%s计算。", ctx.as_of_text))
  return a
end

local function write_t4(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t4))
  local a = check(sh:table {
    title = "表4 产教融合校企合作专业一览表",
    header = { { "序号", "企业名称", "合作专业", "合作形式" } },
    rows = t.rows, formats = { "integer", "text", "text", "text" }, label_cols = 0,
  })
  note(sh, "数据来源：合作企业名单。")
end

local function write_t5(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t5, { landscape = true }))
  local data = {}
  for _, r in ipairs(t.rows) do
    for j, y in ipairs(t.years) do
      if r.values[j] then data[#data + 1] = { trade = r.trade, level = r.level, year = y, value = r.values[j] } end
    end
    data[#data + 1] = { trade = r.trade, level = r.level, year = "合计", value = r.total }
  end
  for j, y in ipairs(t.years) do
    data[#data + 1] = { trade = "合计", level = "合计", year = y, value = t.year_totals[j] }
  end
  data[#data + 1] = { trade = "合计", level = "合计", year = "合计", value = t.total }
  if #t.rows == 0 then
    local a = check(sh:table { title = "表5 历年技能等级认定人数统计表", header = { { "工种", "等级", "合计" } },
                               rows = {}, formats = { "text", "text", "integer" } })
    note(sh, "没有技能等级认定记录。")
    return nil
  end
  local a = check(sh:crosstab {
    data = data, dims = { "trade", "level", "year" }, row_labels = { "工种", "等级" },
    title = "表5 历年技能等级认定人数统计表", total_label = "总计", format = "integer",
    sort_cols = true,
  })
  note(sh, "数据来源：技能等级认定记录，按年度、工种、等级汇总。")
  return a
end

local T6_HEADER = { "年份", "在校生数", "建档立卡贫困家庭学生人数", "非涉农困难家庭学生人数",
                    "享受助学金学生总人数" }

-- 表6 as printed; 享受助学金学生总人数 is a live SUM of its two parts in the
-- years whose figures add up, and the number counted in any other.
local function write_t6(w, ctx, t)
  local sh = check(w:sheet(M.SHEETS.t6))
  local from_pub = {}
  local rows = {}
  local first_body = 3   -- title in row 1, header in row 2
  for i, r in ipairs(t.rows) do
    if r.source ~= "名册" then from_pub[#from_pub + 1] = tostring(r.year) end
    local recipients = r.recipients
    if r.poor and r.other and r.recipients and r.poor + r.other == r.recipients then
      local row = first_body + i - 1
      recipients = { value = r.recipients, formula = string.format("=SUM(C%d:D%d)", row, row) }
    end
    rows[#rows + 1] = { tostring(r.year), r.students, r.poor, r.other, recipients }
  end
  local a = check(sh:table {
    title = "表6 学生资助情况统计表", header = { T6_HEADER }, rows = rows,
    formats = { "text", "integer", "integer", "integer", "integer" }, at = { row = 1, col = 1 },
  })
  assert(#rows == 0 or a.body_first_row == first_body)
  local msg = string.format("数据来源：%d年为学生花名册（学籍状态为在校）和学生资助名册", ctx.year)
  if #from_pub > 0 then
    msg = msg .. string.format("；%s年取自已公布的表6", table.concat(from_pub, "年、"))
  end
  note(sh, msg .. "。")
  return a
end

-- }====================================================================

-- {====================================================================
-- 指标
-- =====================================================================

local function variant_text(r)
  if not r.variant or r.variant == "" then return "" end
  if r.variant_name and r.variant_name ~= "" then
    return string.format("%s（%s）", r.variant, r.variant_name)
  end
  return r.variant
end

local SOURCE_NAMES = { student = "学生花名册", staff = "教职工名册", graduate = "毕业生去向",
                       school = "学校基本情况", major = "专业设置", partner = "合作企业",
                       award = "竞赛获奖", certification = "技能等级认定", aid = "学生资助",
                       training = "社会培训", event = "大事记", pub_aid = "已公布表6",
                       pub_certifications = "已公布表5", pub_teachers = "已公布表3",
                       pub_new_students = "已公布表2", history = "上年数据" }

local function source_text(s)
  if not s or s == "" then return "" end
  local parts = {}
  for p in s:gmatch("[^+]+") do parts[#parts + 1] = SOURCE_NAMES[p] or p end
  return table.concat(parts, "、")
end
M.source_text = source_text

local function write_indicators(w, ctx, results)
  local sh = check(w:sheet(M.SHEETS.indicators, { landscape = true }))
  local rows = {}
  for i, r in ipairs(results) do
    local v = {
      ["序号"] = i, ["分组"] = r.group or "", ["指标代码"] = r.id, ["指标"] = r.name or "",
      ["数值"] = r.defined and round2(r.value) or nil, ["单位"] = r.unit or "", ["表述"] = r.text or "",
      ["口径"] = variant_text(r), ["分子"] = r.defined and round2(r.num) or nil,
      ["分母"] = r.defined and r.den and round2(r.den) or nil,
      ["统计期"] = r.period and tostring(r.period) or "",
      ["上年值"] = r.last_value and round2(r.last_value) or nil,
      ["变化"] = r.change and round2(r.change) or nil, ["增长率(%)"] = r.growth and round2(r.growth) or nil,
      ["标准"] = r.threshold_text or "", ["标准依据"] = r.threshold_source or "",
      ["达标"] = r.judgement or "", ["数据来源"] = source_text(r.source), ["说明"] = r.note or "",
    }
    local row = {}
    for c, h in ipairs(M.INDICATOR_HEADER) do row[c] = v[h] end
    rows[#rows + 1] = row
  end
  local numeric = { ["序号"] = "integer", ["数值"] = "general", ["分子"] = "general", ["分母"] = "general",
                    ["上年值"] = "general", ["变化"] = "general", ["增长率(%)"] = "general" }
  local formats, judged = {}, nil
  for c, h in ipairs(M.INDICATOR_HEADER) do
    formats[c] = numeric[h] or "text"
    if h == "达标" then judged = c end
  end
  set_widths(sh, INDICATOR_COLS)
  local a = check(sh:table {
    title = string.format("%s %d年度质量报告指标", ctx.school, ctx.year),
    header = { M.INDICATOR_HEADER }, rows = rows, formats = formats, label_cols = 0,
  })
  if #rows > 0 then
    check(sh:highlight { range = a, column = a.first_col + judged - 1, equals = "未达标" })
  end
  note(sh, "达标：按“指标定义”页所列标准判断，未达标的指标以红色标出；“无标准”表示该指标没有适用于本校类型的标准，“无法判断”表示缺少输入。")
  return a
end

-- }====================================================================

-- {====================================================================
-- 问题清单
-- =====================================================================

local SEVERITY_RANK = { ["错误"] = 1, ["警告"] = 2, ["提示"] = 3 }

-- Sorts findings by severity, then file, sheet, row and column.
function M.sort_findings(list)
  table.sort(list, function(a, b)
    local sa, sb = SEVERITY_RANK[a.severity] or 9, SEVERITY_RANK[b.severity] or 9
    if sa ~= sb then return sa < sb end
    local fa, fb = a.file or "", b.file or ""
    if fa ~= fb then return fa < fb end
    local ha, hb = a.sheet or "", b.sheet or ""
    if ha ~= hb then return ha < hb end
    local ra, rb = a.row or 0, b.row or 0
    if ra ~= rb then return ra < rb end
    local ca, cb = a.col or 0, b.col or 0
    if ca ~= cb then return ca < cb end
    return (a.code or "") < (b.code or "")
  end)
  return list
end

-- ID numbers in a message are masked: findings are published with the report.
local function mask_ids(s)
  return (s:gsub("%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d[%dXx]", function(id)
    return hgq.normalize.mask_id(id) or (id:sub(1, 6) .. "********" .. id:sub(15))
  end))
end
M.mask_ids = mask_ids

local FINDING_WIDTHS = { 5, 8, 16, 48, 20, 10, 8, 20, 10, 8 }

local function write_findings(w, ctx, findings)
  local sh = check(w:sheet(M.SHEETS.findings, { landscape = true }))
  local rows = {}
  for i, f in ipairs(findings) do
    local other = f.other or {}
    rows[#rows + 1] = {
      i, f.severity or "", f.code or "", mask_ids(f.message or ""),
      f.file and fs.basename(f.file) or "", f.sheet or "", f.cell or (f.row and ("第" .. f.row .. "行")) or "",
      other.file and fs.basename(other.file) or "", other.sheet or "",
      other.cell or (other.row and ("第" .. other.row .. "行")) or "",
    }
  end
  set_widths(sh, FINDING_WIDTHS)
  local a = check(sh:table {
    title = string.format("%s %d年度质量报告数据问题清单", ctx.school, ctx.year),
    header = { { "序号", "严重程度", "代码", "问题说明", "位置", "", "", "对照位置", "", "" },
               { "", "", "", "", "文件", "工作表", "单元格", "文件", "工作表", "单元格" } },
    rows = rows,
    formats = { "integer", "text", "text", "text", "text", "text", "text", "text", "text", "text" },
    label_cols = 0,
  })
  if #rows > 0 then
    check(sh:highlight { range = a, column = a.first_col + 1, equals = "错误" })
    note(sh, "错误：会使报告数字出错，须改正后重新生成（以红色标出）；警告：可能有误，请核对；提示：供参考。"
             .. "位置为问题所在的文件、工作表和单元格，对照位置为与之比对的另一处。")
  else
    note(sh, "未发现问题。")
  end
  return a
end

-- }====================================================================

-- {====================================================================
-- 图表
-- =====================================================================

-- The small tables the charts draw go down the left (columns A-D); the
-- charts, numbered as their tables, stand two by two on the right, so that
-- the sheet prints on one landscape page.
local CHART_W, CHART_H, CHART_ROWS = 480, 288, 16
local CHART_COL, CHART_COLS = 6, 8       -- first chart column (F), columns per chart

local function write_charts(w, ctx, tables)
  local sh = check(w:sheet(M.SHEETS.charts, { freeze = false, landscape = true }))
  local row, placed = 1, 0
  local function block(spec, chart)
    spec.at = { row = row, col = 1 }
    local a = check(sh:table(spec))
    chart.at = { row = 1 + (placed // 2) * CHART_ROWS, col = CHART_COL + (placed % 2) * CHART_COLS }
    chart.width, chart.height = CHART_W, CHART_H
    chart.y_title = chart.y_title or "人"
    for _, s in ipairs(chart.series) do
      s.values = a.cols[s.col]
      s.col = nil
    end
    chart.categories = a.cols[1]
    check(sh:chart(chart))
    row = a.last_row + 2
    placed = placed + 1
  end
  set_widths(sh, { 18, 12, 12, 12 })
  -- 在校生 and 资助 by year, from 表6 (oldest first)
  local t6 = {}
  for _, r in ipairs(tables.t6.rows) do t6[#t6 + 1] = r end
  table.sort(t6, function(a, b) return a.year < b.year end)
  if #t6 > 0 then
    local rows = {}
    for _, r in ipairs(t6) do rows[#rows + 1] = { tostring(r.year), r.students } end
    block({ title = "图1 在校生数", header = { { "年份", "在校生数" } }, rows = rows,
            formats = { "text", "integer" }, label_cols = 1 },
          { type = "column", title = "图1 历年在校生数", series = { { name = "在校生数", col = 2 } } })
    rows = {}
    for _, r in ipairs(t6) do rows[#rows + 1] = { tostring(r.year), r.poor, r.other, r.recipients } end
    block({ title = "图2 学生资助", header = { { "年份", "建档立卡贫困家庭学生", "非涉农困难家庭学生",
            "享受助学金学生总数" } }, rows = rows, formats = { "text", "integer", "integer", "integer" },
            label_cols = 1 },
          { type = "line", title = "图2 历年享受助学金学生人数",
            series = { { name = "建档立卡贫困家庭学生", col = 2 }, { name = "非涉农困难家庭学生", col = 3 },
                       { name = "享受助学金学生总数", col = 4 } } })
  end
  -- 认定人数 by year, from 表5
  if #tables.t5.years > 0 then
    local rows = {}
    for j, y in ipairs(tables.t5.years) do rows[#rows + 1] = { y, tables.t5.year_totals[j] } end
    block({ title = string.format("图%d 技能等级认定人数", placed + 1), header = { { "年份", "认定人数" } },
            rows = rows, formats = { "text", "integer" }, label_cols = 1 },
          { type = "column", title = string.format("图%d 历年技能等级认定人数", placed + 1),
            series = { { name = "认定人数", col = 2 } } })
  end
  -- 新生 by category, from 表2
  if #tables.t2.columns > 0 then
    local rows = {}
    for _, c in ipairs(tables.t2.columns) do rows[#rows + 1] = { c.label, c.count } end
    block({ title = string.format("图%d %d年新生人数", placed + 1, ctx.year),
            header = { { "专业类别", "新生人数" } }, rows = rows, formats = { "text", "integer" },
            label_cols = 1 },
          { type = "column", title = string.format("图%d %d年各类专业新生人数", placed + 1, ctx.year),
            series = { { name = "新生人数", col = 2 } } })
  end
  if placed == 0 then check(sh:write(1, 1, "没有可以作图的数据。")) end
end

-- }====================================================================

-- {====================================================================
-- 说明
-- =====================================================================

local KIND_TEXT = { records = "名册", aggregate = "已公布表格", published = "已公布名单",
                    skipped = "跳过", unknown = "未识别", error = "读取失败" }

-- The 说明 sheet's columns: those of the list of files read; the two-column
-- tables above it let their text span the columns after the first.
local NOTES_WIDTHS = { 28, 16, 11, 22, 9, 7, 7, 7, 7, 20 }

-- A two-column table on the 说明 sheet: label, then text across the sheet.
local function wide_table(sh, title, head, rows)
  local n = #NOTES_WIDTHS
  local header = { head[1], head[2] }
  for c = 3, n do header[c] = "" end
  local body = {}
  for _, r in ipairs(rows) do body[#body + 1] = { r[1], { value = r[2], span = n - 1 } } end
  local formats = {}
  for c = 1, n do formats[c] = "text" end
  return check(sh:table { title = title, header = { header }, rows = body, formats = formats, ncols = n })
end

local function write_notes(w, ctx, inputs, results)
  local sh = check(w:sheet(M.SHEETS.notes, { freeze = false }))
  set_widths(sh, NOTES_WIDTHS)
  local standards, seen = {}, {}
  for _, r in ipairs(results) do
    -- the standards themselves, without the article of each threshold
    local src = r.threshold_source and r.threshold_source:gsub("%s*第[^%s第]+条$", "")
    if src and src ~= "" and not seen[src] then
      seen[src] = true
      standards[#standards + 1] = src
    end
  end
  local info = {
    { "学校", ctx.school },
    { "学校类型", ctx.type or "" },
    { "报告年度", tostring(ctx.year) },
    { "统计基准日", ctx.as_of_text },
    { "输入目录", ctx.dir_name },
    { "清单文件", ctx.manifest and "manifest.lua" or "无" },
    { "生成时间", ctx.generated },
    { "生成程序", string.format("hgq %s（libhgq %s）", hgq.version, hgq.version) },
    { "达标判断依据", #standards > 0 and table.concat(standards, "；") or "无" },
    { "指标定义", "各指标的定义、可选口径和所用标准见“" .. M.SHEETS.definitions .. "”页。" },
    { "个人信息", "本工作簿只含统计数，不含学生和教职工的姓名、身份证号等个人信息。" },
  }
  wide_table(sh, string.format("%s %d年度质量报告数据说明", ctx.school, ctx.year), { "项目", "内容" }, info)

  wide_table(sh, "各表的数据来源", { "表格", "来源与计算" }, {
    { "表1 专业设置", "专业设置名册（major）" },
    { "表2 新生人数", "学生花名册（student）：入学年份为报告年度的学生，按专业类别；与已公布表2比对" },
    { "表3 专任教师", "教职工名册（staff）：岗位类别为专任教师，年龄按统计基准日；与已公布表3比对" },
    { "表4 校企合作", "合作企业名单（partner）；与已公布表4比对" },
    { "表5 技能等级认定", "技能等级认定记录（certification）；与已公布表5比对" },
    { "表6 学生资助", "学生花名册与学生资助名册（报告年度），以往年度取自已公布表6；与已公布表6比对" },
  })

  local rows = {}
  for _, d in ipairs(inputs.decisions) do
    local s = d.summary
    local label = d.entity or ""
    if d.kind == "records" or d.kind == "published" then
      local sc = ctx.schemas and ctx.schemas:entity(d.entity)
      if sc then label = string.format("%s（%s）", sc:label(), d.entity) end
    end
    rows[#rows + 1] = {
      d.file, d.sheet or "", KIND_TEXT[d.kind] or d.kind, label, d.how or "",
      s and s.read or nil, s and s.accepted or nil, s and s.rejected or nil, s and s.skipped or nil,
      d.note and mask_ids(tostring(d.note)) or "",
    }
  end
  check(sh:table { title = "读取的文件", header = { { "文件", "工作表", "用途", "数据", "识别依据",
                   "读取行数", "接受", "拒绝", "跳过", "备注" } }, rows = rows,
                   formats = { "text", "text", "text", "text", "text", "integer", "integer", "integer",
                               "integer", "text" }, label_cols = 5, totals_row = "合计" })
  note(sh, "跳过的行：表头下的合计行、注释和空行；拒绝的行见“" .. M.SHEETS.findings .. "”。")
end

local DEFINITION_COLS = {
  { "指标", 18 }, { "单位", 6 }, { "定义", 34 }, { "可选口径", 26 }, { "本表所用口径", 16 },
  { "标准", 12 }, { "标准依据", 26 }, { "备注", 26 }, { "指标代码", 24 },
}

local function write_definitions(w, ctx, results, catalogue)
  local sh = check(w:sheet(M.SHEETS.definitions, { landscape = true }))
  local by_id = {}
  for _, r in ipairs(results) do by_id[r.id] = r end
  local rows = {}
  for _, ind in ipairs(catalogue:indicators()) do
    local r = by_id[ind.id] or {}
    local variants = {}
    for _, v in ipairs(ind.variants or {}) do
      if v.code and v.code ~= "" then
        variants[#variants + 1] = string.format("%s：%s", v.code, v.name ~= "" and v.name or v.definition or "")
      end
    end
    rows[#rows + 1] = {
      ind.name or "", ind.unit or "", r.definition or ind.definition or "", table.concat(variants, "；"),
      variant_text(r), r.threshold_text or "", r.threshold_source or "", r.threshold_notes or "", ind.id,
    }
  end
  local header, formats = {}, {}
  for c, d in ipairs(DEFINITION_COLS) do
    header[c] = d[1]
    formats[c] = "text"
  end
  set_widths(sh, DEFINITION_COLS)
  check(sh:table { title = string.format("%s %d年度质量报告指标定义与依据", ctx.school, ctx.year),
                   header = { header }, rows = rows, formats = formats })
  note(sh, "标准按学校类型（" .. (ctx.type or "未注明") .. "）选用；标准可由用户修改或替换，每项均注明其依据。")
end

-- }====================================================================

--[[
Writes the workbook to `path`. ctx: school, year, type, as_of_text, dir_name,
generated, manifest, schemas, inputs (paths the writer must not replace),
fail_before_rename. Returns true or nil, message.
]]
function M.write(path, ctx, inputs, tables, results, findings, catalogue)
  local w, err = hgq.writer(path, {
    title = string.format("%s %d年度质量报告数据", ctx.school, ctx.year),
    subject = "技工教育质量年度报告", author = ctx.school, inputs = ctx.input_paths,
    fail_before_rename = ctx.fail_before_rename or nil,
  })
  if not w then return nil, err end
  local ok, werr = pcall(function()
    write_t1(w, ctx, tables.t1)
    write_t2(w, ctx, tables.t2)
    write_t3(w, ctx, tables.t3)
    write_t4(w, ctx, tables.t4)
    write_t5(w, ctx, tables.t5)
    write_t6(w, ctx, tables.t6)
    write_indicators(w, ctx, results)
    write_findings(w, ctx, findings)
    write_charts(w, ctx, tables)
    write_notes(w, ctx, inputs, results)
    write_definitions(w, ctx, results, catalogue)
  end)
  if not ok then
    w = nil
    collectgarbage()
    return nil, tostring(werr)
  end
  return w:close()
end

return M
