-- The writer as scripts use it: hgq.writer, sheets, tables with merged
-- headers and live totals, cells and formulas, streaming, cross-tabs, charts,
-- highlights, safe regeneration. Each workbook written is checked by reading
-- it back (hgq.open with formulas) and by looking at its XML parts.
local hgq = require "hgq"

local tmp = assert(os.getenv("HGQ_TMP"), "HGQ_TMP must be set")
local dir = tmp .. "/writer_spec"
os.execute("mkdir -p '" .. dir .. "'")

local function path(name) return dir .. "/" .. name end

-- A part of the xlsx zip, as text.
local function part(file, name)
  local p = assert(io.popen("unzip -p '" .. file .. "' '" .. name .. "' 2>/dev/null"))
  local s = p:read("a")
  p:close()
  return s
end

-- Every cell of a sheet read back: cells["C7"] = {value=, formula=, numfmt=}.
local function read_sheet(file, sheet)
  local wb = assert(hgq.open(file, {formulas = true}))
  local sh = assert(wb:sheet(sheet))
  local cells = {}
  for _, values, info in sh:rows{cells = true} do
    for col, c in pairs(info) do
      cells[c.ref] = {value = values[col], formula = c.formula, numfmt = c.numfmt}
    end
  end
  local merges = {}
  for _, m in ipairs(sh:merges()) do merges[m.ref] = true end
  wb:close()
  return cells, merges
end

-- The cell formats (<xf> of <cellXfs>) of a workbook, in index order (s="0" first).
local function cell_xfs(file)
  local xfs = {}
  local list = part(file, "xl/styles.xml"):match("<cellXfs[^>]*>(.-)</cellXfs>")
  for chunk in (list .. "<xf "):gmatch("(.-)<xf ") do
    if chunk ~= "" then xfs[#xfs + 1] = chunk end
  end
  return xfs
end

local function slurp(file)
  local f = io.open(file, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function spit(file, s)
  local f = assert(io.open(file, "wb"))
  f:write(s)
  f:close()
end

local function temp_files(name)
  local p = io.popen("ls -a '" .. dir .. "'")
  local n = 0
  for line in p:lines() do
    if line:find("." .. name .. ".tmp-", 1, true) then n = n + 1 end
  end
  p:close()
  return n
end

describe("hgq.writer", function()
  it("writes a titled table with merged two-level header and live totals", function()
    local file = path("t5.xlsx")
    local w = assert(hgq.writer(file, {title = "质量年度报告", author = "衡阳工业技工学校"}))
    local sh = assert(w:sheet("表5"))
    local t = assert(sh:table{
      title = "表5 历年技能等级认定人数统计表",
      header = {{"工种", "等级", "年份", "", ""},
                {"", "", "2013", "2014", "2015"}},
      formats = {"text", "text", "integer", "integer", "integer"},
      rows = {
        {"车工", "三级", 33, nil, nil},
        {"车工", "四级", nil, nil, 58},
        {"钳工", "五级", nil, 105, 14},
      },
      group_cols = 1,
      totals_row = "总计",
      totals_col = "合计",
    })
    assert.are.equal(1, t.first_row)
    assert.are.equal(1, t.title_row)
    assert.are.equal(2, t.header_first_row)
    assert.are.equal(3, t.header_last_row)
    assert.are.equal(4, t.body_first_row)
    assert.are.equal(6, t.body_last_row)
    assert.are.equal(7, t.totals_row)
    assert.are.equal(6, t.totals_col)
    assert.are.equal(3, t.body_rows)
    assert.are.equal("A1:F7", t.ref)
    assert.are.equal("C4:C6", t.cols[3])
    assert.is_true(w:close())
    assert.are.equal("hgq.writer (closed)", tostring(w))

    local cells, merges = read_sheet(file, "表5")
    assert.are.equal("表5 历年技能等级认定人数统计表", cells.A1.value)
    for _, ref in ipairs{"A1:F1", "A2:A3", "B2:B3", "C2:E2", "F2:F3", "A4:A5", "A7:B7"} do
      assert.is_true(merges[ref], ref)
    end
    assert.are.equal("2014", cells.D3.value)
    assert.are.equal("SUM(C4:E4)", cells.F4.formula)
    assert.are.equal(33, cells.F4.value)
    assert.are.equal("SUM(C6:E6)", cells.F6.formula)
    assert.are.equal(119, cells.F6.value)
    assert.are.equal("SUM(E4:E6)", cells.E7.formula)
    assert.are.equal(72, cells.E7.value)
    assert.are.equal("SUM(F4:F6)", cells.F7.formula)
    assert.are.equal(210, cells.F7.value)
    assert.are.equal("0", cells.C4.numfmt)

    local sheet = part(file, "xl/worksheets/sheet1.xml")
    assert.truthy(sheet:find('<f>SUM(F4:F6)</f><v>210</v>', 1, true))
    assert.truthy(sheet:find('paperSize="9"', 1, true))
    assert.truthy(sheet:find('<pane ySplit="3" topLeftCell="A4"', 1, true))
    assert.truthy(part(file, "xl/workbook.xml"):find("_xlnm.Print_Titles", 1, true))
    assert.truthy(part(file, "docProps/core.xml"):find("<dc:creator>衡阳工业技工学校</dc:creator>", 1, true))
  end)

  it("writes cells, formulas with cached values, dates and named formats", function()
    local file = path("cells.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("指标"))
    assert.is_true(sh:write(1, 1, "在校生数"))
    assert.is_true(sh:write(1, 2, 1260, "integer"))
    assert.is_true(sh:write(2, 1, "专任教师"))
    assert.is_true(sh:write(2, 2, 63, "integer"))
    assert.is_true(sh:formula(3, 2, "=B1/B2", 20, "ratio"))
    assert.is_true(sh:formula(4, 2, "=B2/B1", 63 / 1260, "percent"))
    assert.is_true(sh:write(5, 2, hgq.date(2025, 9, 1), "date"))
    assert.is_true(sh:write(6, 2, 625.46, "万元"))
    assert.is_true(sh:write(7, 2, true))
    assert.is_true(sh:merge("D1:F1", "说明", "text"))
    assert.is_true(sh:widths{[1] = 20, C = 12})
    assert.are.equal(8, sh:next_row())
    assert.are.equal("指标", sh:name())
    assert.has_error(function() sh:write(1, 1, "x", "integr") end)
    assert.has_error(function() sh:write(0, 1, "x") end)
    assert.has_error(function() sh:write(1, 1, {}) end)
    assert.is_true(w:close())

    local cells, merges = read_sheet(file, "指标")
    assert.are.equal("B1/B2", cells.B3.formula)
    assert.are.equal("B2/B1", cells.B4.formula)
    assert.are.equal("0.00%", cells.B4.numfmt)
    assert.is_true(math.abs(cells.B4.value - 0.05) < 1e-12)
    assert.are.equal(hgq.date(2025, 9, 1), cells.B5.value)
    assert.are.equal("yyyy-mm-dd", cells.B5.numfmt)
    assert.are.equal("#,##0.00", cells.B6.numfmt)
    assert.are.equal("是", cells.B7.value)
    assert.is_true(merges["D1:F1"])
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    assert.truthy(sheet:find('<col min="1" max="1" width="20', 1, true))
  end)

  it("masks ID numbers in idcard columns unless told not to", function()
    for _, unmask in ipairs{false, true} do
      local file = path("ids.xlsx")
      local w = assert(hgq.writer(file, {unmask_ids = unmask}))
      local sh = assert(w:sheet("学生"))
      assert(sh:table{header = {"姓名", "身份证号"}, formats = {"text", "idcard"},
                      rows = {{"张三", "43041220080101123X"}}})
      assert.is_true(w:close())
      local cells = read_sheet(file, "学生")
      assert.are.equal(unmask and "43041220080101123X" or "430412********123X", cells.B2.value)
    end
  end)

  it("streams rows in constant-memory mode", function()
    local file = path("stream.xlsx")
    local w = assert(hgq.writer(file, {constant_memory = true}))
    local sh = assert(w:sheet("明细"))
    local t = assert(sh:table{title = "明细", header = {"学号", "专业", "分数"},
                              formats = {"text", "text", "number"}, totals_row = "合计",
                              stream = true})
    assert.are.equal(3, t.body_first_row)
    assert.has_error(function() sh:table{header = {"x"}} end)
    local sum = 0
    for i = 1, 500 do
      local score = 60 + i % 40
      sum = sum + score
      assert.is_true(sh:append{string.format("S%04d", i), i <= 200 and "数控" or "会计", score})
    end
    local done = assert(sh:finish())
    assert.are.equal(503, done.totals_row)
    assert.are.equal(500, done.body_rows)
    local ok, err, code = sh:write(2, 1, "late")
    assert.is_nil(ok)
    assert.are.equal("HGQ_ESTATE", code)
    assert.truthy(err:find("constant-memory", 1, true))
    assert.is_true(sh:append{"备注", "plain row"})
    assert.is_true(w:close())
    local cells = read_sheet(file, "明细")
    assert.are.equal("S0500", cells.A502.value)
    assert.are.equal("SUM(C3:C502)", cells.C503.formula)
    assert.are.equal(sum, cells.C503.value)
    assert.are.equal("备注", cells.A504.value)
  end)

  it("writes a cross-tab from long-form records with SUM margins", function()
    local file = path("x3.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表3"))
    local data = {}
    local function add(g, i, band, v) data[#data + 1] = {group = g, item = i, age_band = band, value = v} end
    for _, r in ipairs{{"职称", "中级", {18, 0, 2, 6, 10}}, {"职称", "初级", {6, 1, 1, 4, 0}},
                       {"学历", "本科", {58, 26, 15, 9, 8}}} do
      for k, band in ipairs{"合计", "30岁以下", "31-40岁", "41-50岁", "51-60岁"} do
        add(r[1], r[2], band, r[3][k])
      end
    end
    local t = assert(sh:crosstab{data = data, dims = {"group", "item", "age_band"},
                                 row_labels = {"", ""}, title = "表3 专任教师信息统计表"})
    assert.are.equal(3, t.body_first_row)
    assert.are.equal(7, t.last_col)
    assert.has_error(function() sh:crosstab{data = {{group = {}}}, dims = {"group"}} end)
    assert.is_true(w:close())
    local cells, merges = read_sheet(file, "表3")
    assert.are.equal("SUM(D3:G3)", cells.C3.formula)
    assert.are.equal(18, cells.C3.value)
    assert.are.equal("30岁以下", cells.D2.value)
    assert.is_true(merges["A3:A4"])
  end)

  it("adds charts beside a table and highlights rows", function()
    local file = path("chart.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表6"))
    local t = assert(sh:table{
      title = "表6 学生资助情况统计表",
      header = {"年份", "在校生数", "享受助学金学生总人数", "达标"},
      formats = {"text", "integer", "integer", "text"},
      rows = {{"2023", 657, 95, "否"}, {"2024", 1064, 203, "是"}, {"2025", 1260, 284, "是"}},
    })
    assert.is_true(sh:chart{type = "line", title = "学生资助", categories = t.cols[1],
                            series = {{name = "在校生数", values = t.cols[2]},
                                      {name = "享受助学金学生总人数", values = t.cols[3]}}})
    assert.is_true(sh:chart{type = "column", categories = "A3:A5",
                            series = {{name = "在校生数",
                                       values = {sheet = "表6", first_row = 3, first_col = 2,
                                                 last_row = 5, last_col = 2}}},
                            at = "A20", width = 600})
    local ok, err, code = sh:chart{categories = "无此表!A3:A5", series = {{values = "B3:B5"}}}
    assert.is_nil(ok)
    assert.are.equal("HGQ_EARG", code)
    assert.has_error(function() sh:chart{type = "radar", series = {{values = "B3:B5"}}} end)
    assert.is_true(sh:highlight{range = t, column = 4, equals = "否"})
    assert.is_true(sh:highlight{range = "B3:B5", formula = "=$B3<1000", fill = 0xFFEB9C})
    assert.is_true(w:close())
    local chart = part(file, "xl/charts/chart1.xml")
    assert.truthy(chart:find("<c:lineChart>", 1, true))
    assert.truthy(chart:find("<c:f>'表6'!$B$3:$B$5</c:f>", 1, true))
    assert.truthy(part(file, "xl/charts/chart2.xml"):find("<c:barChart>", 1, true))
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    assert.truthy(sheet:find('<conditionalFormatting sqref="A3:D5"><cfRule type="expression" dxfId="0" priority="1"><formula>$D3="否"</formula>', 1, true))
    assert.truthy(sheet:find('<formula>$B3&lt;1000</formula>', 1, true))
  end)

  it("merges empty group cells (nil or \"\") into the label above", function()
    local file = path("groups.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表3"))
    assert(sh:table{header = {"", "", "合计"}, formats = {"text", "text", "integer"}, group_cols = 1,
                    rows = {{"职称", "中级", 18}, {"", "初级", 6}, {nil, "未定职级", 39},
                            {"学历", "本科", 58}, {"", "专科", 5}}})
    assert.is_true(w:close())
    local cells, merges = read_sheet(file, "表3")
    assert.is_true(merges["A2:A4"])
    assert.is_true(merges["A5:A6"])
    assert.are.equal("学历", cells.A5.value)
    assert.is_nil(cells.A3 and cells.A3.value)
  end)

  it("keeps a table's borders and formats on formula cells of its rows", function()
    local file = path("cells_in_table.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表6"))
    local t = assert(sh:table{
      title = "表6 学生资助情况统计表", at = "A1",
      header = {"年份", "建档立卡", "非涉农", "总人数", "覆盖率"},
      formats = {"text", "integer", "integer", "integer", "percent"},
      rows = {{"2025", 120, 164, {value = 284, formula = "=SUM(B3:C3)"},
               {value = 0.2254, formula = "=D3/1260", format = "code:0.0%"}},
              {"2024", 86, 117, {value = 203, formula = "=SUM(B4:C4)"}, nil}},
      totals_row = "合计",
    })
    assert.are.equal(5, t.totals_row)
    assert.has_error(function() sh:table{formats = {"text"}, rows = {{{value = 1, colour = "red"}}}} end)
    assert.has_error(function() sh:table{formats = {"text"}, rows = {{{value = 1, format = "nope"}}}} end)
    local st = assert(w:sheet("streamed"))
    assert(st:table{header = {"a", "b", "a+b"}, formats = {"integer", "integer", "integer"}, stream = true})
    assert.is_true(st:append{1, 2, {value = 3, formula = "=A2+B2"}})
    assert.has_error(function() st:append{1, 2, {value = 3, formula = 7}} end)
    assert(st:finish())
    assert.is_true(w:close())
    assert.are.equal("A2+B2", read_sheet(file, "streamed").C2.formula)
    local cells = read_sheet(file, "表6")
    assert.are.equal("SUM(B3:C3)", cells.D3.formula)
    assert.are.equal(284, cells.D3.value)
    assert.are.equal("0", cells.D3.numfmt)
    assert.are.equal("0.0%", cells.E3.numfmt)
    -- the totals row sums the cached values of formula cells too
    assert.are.equal("SUM(D3:D4)", cells.D5.formula)
    assert.are.equal(487, cells.D5.value)
    -- D3 has the same bordered body style as B3, unlike a cell written alone
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    local function style(ref) return sheet:match('<c r="' .. ref .. '" s="(%d+)"') end
    assert.are.equal(style("B3"), style("D3"))
    local xfs = cell_xfs(file)
    assert.truthy(xfs[tonumber(style("D3")) + 1]:find('borderId="[1-9]'))
  end)

  it("lets a cell of a table row span columns", function()
    local file = path("span.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("说明"))
    assert.is_true(sh:widths{12, 10, 10, 10})
    assert(sh:table{header = {"项目", "内容", "", ""}, formats = {"text", "text", "text", "text"},
                    rows = {{"学校", {value = "衡阳工业技工学校", span = 3}},
                            {"依据", {value = string.rep("技工院校设置标准", 4), span = 3}}}})
    local ok, err, code = sh:table{formats = {"text", "text"}, rows = {{{value = "x", span = 3}, nil}}}
    assert.is_nil(ok)
    assert.are.equal("HGQ_EARG", code)
    assert.truthy(err:find("spans", 1, true))
    assert.is_true(w:close())
    local cells, merges = read_sheet(file, "说明")
    assert.is_true(merges["B1:D1"])
    assert.is_true(merges["B2:D2"])
    assert.is_true(merges["B3:D3"])
    assert.are.equal("衡阳工业技工学校", cells.B2.value)
    -- 64 columns of text over 30 wraps onto three lines: its row grows
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    local ht = tonumber(sheet:match('<row r="3"[^>]* ht="([%d.]+)"'))
    assert.truthy(ht and ht > 40, tostring(ht))
    assert.is_nil(sheet:match('<row r="2"[^>]* ht="'))
  end)

  it("writes a cross-tab without row dimension as one row", function()
    local file = path("x2.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表2"))
    local data = {{category = "新生总数", value = 549}, {category = "机械、电工电子类新生人数", value = 363},
                  {category = "信息类新生人数", value = 90}, {category = "财经商贸类新生人数", value = 96}}
    local t = assert(sh:crosstab{data = data, dims = {"category"}, col_dims = {"category"},
                                 total = "新生总数", title = "表2 2025年各类专业新生人数统计表"})
    assert.are.equal(1, t.body_rows)
    assert.are.equal(4, t.last_col)
    local t2 = assert(sh:crosstab{data = data, dims = {"category"}, row_dims = {}, total = "新生总数",
                                  at = "A10"})
    assert.are.equal(11, t2.body_first_row)
    assert.are.equal(t2.body_first_row, t2.body_last_row)
    assert.is_true(w:close())
    local cells = read_sheet(file, "表2")
    assert.are.equal("新生总数", cells.A2.value)
    assert.are.equal("信息类新生人数", cells.C2.value)
    assert.are.equal("SUM(B3:D3)", cells.A3.formula)
    assert.are.equal(549, cells.A3.value)
    assert.are.equal(96, cells.D3.value)
    assert.is_nil(cells.A4)
    assert.are.equal("SUM(B11:D11)", cells.A11.formula)
  end)

  it("writes notes under a table without widening its columns", function()
    local file = path("note.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("表1"))
    local t = assert(sh:table{title = "表1 专业设置一览表", header = {"序号", "专业名称"},
                              formats = {"integer", "text"}, rows = {{1, "数控机床装配与维修"}}})
    local long = "数据来源：专业设置名册；学制按名册中的年数，新型学徒制按名册中“是否开展新型学徒制”一栏。"
    assert.are.equal(t.last_row + 1, sh:note(long))
    assert.are.equal(10, sh:note(10, "注：第二条说明。"))
    assert.is_true(sh:write(12, 1, long, "text", nil))
    assert.has_error(function() sh:note(0, "x") end)
    assert.has_error(function() sh:note() end)
    assert.is_true(w:close())
    local cells, merges = read_sheet(file, "表1")
    assert.are.equal(long, cells.A4.value)
    assert.is_true(merges["A4:B4"])
    assert.is_true(merges["A10:B10"])
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    -- column A is as wide as its widest cell written with sh:write (the long text),
    -- but the note alone would have left it narrow: compare with a workbook without that write
    local w2 = assert(hgq.writer(path("note2.xlsx")))
    local sh2 = assert(w2:sheet("表1"))
    assert(sh2:table{title = "表1 专业设置一览表", header = {"序号", "专业名称"},
                     formats = {"integer", "text"}, rows = {{1, "数控机床装配与维修"}}})
    assert(sh2:note(long))
    assert.is_true(w2:close())
    local sheet2 = part(path("note2.xlsx"), "xl/worksheets/sheet1.xml")
    local wa = tonumber(sheet:match('<col min="1" max="1" width="([%d.]+)"'))
    local wa2 = tonumber(sheet2:match('<col min="1" max="1" width="([%d.]+)"'))
    assert.truthy(wa > 30, tostring(wa))
    assert.truthy(wa2 < 10, tostring(wa2))
    -- the note's row grows to show its text on two lines or more
    local ht = tonumber(sheet2:match('<row r="4"[^>]* ht="([%d.]+)"'))
    assert.truthy(ht and ht >= 30, tostring(ht))
  end)

  it("wraps body text in a column whose width was fixed first", function()
    local file = path("fixed.xlsx")
    local w = assert(hgq.writer(file))
    local sh = assert(w:sheet("指标"))
    assert.is_true(sh:widths{8, 12})
    assert(sh:table{header = {"分组", "标准依据"}, formats = {"text", "text"},
                    rows = {{"学生规模", "《技工院校设置标准（试行）》人社部发〔2012〕8号"}, {"师资", "短"}}})
    assert.is_true(w:close())
    local sheet = part(file, "xl/worksheets/sheet1.xml")
    assert.truthy(sheet:find('<col min="2" max="2" width="12', 1, true))
    local ht = tonumber(sheet:match('<row r="2"[^>]* ht="([%d.]+)"'))
    assert.truthy(ht and ht > 45, tostring(ht))
    assert.is_nil(sheet:match('<row r="3"[^>]* ht="'))
    local xfs = cell_xfs(file)
    local s2 = tonumber(sheet:match('<c r="B2" s="(%d+)"'))
    local s3 = tonumber(sheet:match('<c r="B3" s="(%d+)"'))
    assert.truthy(xfs[s2 + 1]:find('wrapText="1"', 1, true))
    assert.falsy((xfs[s3 + 1] or ""):find('wrapText="1"', 1, true))
  end)

  it("leaves an earlier file untouched when writing fails", function()
    local file = path("keep.xlsx")
    spit(file, "earlier workbook")
    -- injected failure at the commit
    local w = assert(hgq.writer(file, {fail_before_rename = true}))
    assert(w:sheet("s")):write(1, 1, 1)
    local ok, err, code = w:close()
    assert.is_nil(ok)
    assert.are.equal("HGQ_EWRITE", code)
    assert.truthy(err:find(file, 1, true))
    assert.are.equal("earlier workbook", slurp(file))
    assert.are.equal(0, temp_files("keep.xlsx"))
    -- bad data: an invalid sheet name, then the writer is dropped
    w = assert(hgq.writer(file))
    ok, err, code = w:sheet("a[1]")
    assert.is_nil(ok)
    assert.are.equal("HGQ_EARG", code)
    assert.truthy(err:find("a[1]", 1, true))
    w = nil
    collectgarbage()
    collectgarbage()
    assert.are.equal("earlier workbook", slurp(file))
    assert.are.equal(0, temp_files("keep.xlsx"))
    -- an error inside a <close> scope abandons the writer
    assert.has_error(function()
      local w2 <close> = assert(hgq.writer(file))
      assert(w2:sheet("s")):write(1, 1, "half")
      error("script failed")
    end)
    assert.are.equal("earlier workbook", slurp(file))
    -- leaving the scope normally commits
    do
      local w3 <close> = assert(hgq.writer(file))
      assert(w3:sheet("s")):write(1, 1, "ok")
    end
    assert.truthy(part(file, "xl/worksheets/sheet1.xml"):find("<sheetData>", 1, true))
    assert.are.equal(0, temp_files("keep.xlsx"))
  end)

  it("refuses to overwrite an input file", function()
    local input = path("roster.xlsx")
    spit(input, "roster")
    local w, err, code = hgq.writer(input, {inputs = {path("nothing.xlsx"), input}})
    assert.is_nil(w)
    assert.are.equal("HGQ_EARG", code)
    assert.truthy(err:find("input", 1, true))
    w = assert(hgq.writer(dir .. "/./roster.xlsx"))
    local ok
    ok, err, code = w:input(input)
    assert.is_nil(ok)
    assert.are.equal("HGQ_EARG", code)
    w:close()
    assert.are.equal("roster", slurp(input))
    w, err, code = hgq.writer(path("no/such/dir/x.xlsx"))
    assert.is_nil(w)
    assert.are.equal("HGQ_EWRITE", code)
  end)

  it("refuses to use a sheet of a closed writer and checks options", function()
    local w = assert(hgq.writer(path("closed.xlsx")))
    local sh = assert(w:sheet("s", {landscape = true, freeze = false}))
    assert.is_true(w:close())
    assert.is_true(w:close())
    assert.has_error(function() sh:write(1, 1, 1) end, "attempt to use a sheet of a closed writer")
    assert.has_error(function() w:sheet("t") end)
    assert.has_error(function() hgq.writer(path("x.xlsx"), {colour = "red"}) end)
    assert.has_error(function() hgq.writer(path("x.xlsx"), {inputs = "a.xlsx"}) end)
    local sheet = part(path("closed.xlsx"), "xl/worksheets/sheet1.xml")
    assert.truthy(sheet:find('orientation="landscape"', 1, true))
  end)
end)
