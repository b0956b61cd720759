-- The reader from Lua: hgq.open, workbooks, sheets, row iterators, merges,
-- and the hgq dump tool built on them.
local hgq = require "hgq"

local DATA = os.getenv("HGQ_TEST_DATA") or "tests/data"
local CORPUS = (os.getenv("HGQ_SHARED") or "../shared") .. "/corpus/calamine/"
local HGQ = os.getenv("HGQ") or "build/hgq"
local TMP = os.getenv("HGQ_TMP") or "/tmp"

local function fixture(name) return DATA .. "/xlsx/" .. name end

-- All rows of a sheet as { [row] = {values = ..., cells = ...} }.
local function read_rows(sh, opts)
  local rows, order = {}, {}
  for i, values, cells in sh:rows(opts) do
    rows[i] = { values = values, cells = cells }
    order[#order + 1] = i
  end
  return rows, order
end

-- A strict decoder for the flat JSON objects `hgq dump` writes.
local function decode_json_object(s)
  local pos = 1
  local function fail(what) error(("bad JSON at %d (%s): %s"):format(pos, what, s), 0) end
  local function ws() pos = s:find("[^ \t]", pos) or #s + 1 end
  local function str()
    if s:sub(pos, pos) ~= '"' then fail("string expected") end
    pos = pos + 1
    local out = {}
    while true do
      local c = s:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; break end
      if c:byte() < 0x20 then fail("control character in string") end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        local map = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        if map[e] then
          out[#out + 1] = map[e]; pos = pos + 2
        elseif e == "u" then
          local hex = s:sub(pos + 2, pos + 5)
          if not hex:match("^%x%x%x%x$") then fail("bad \\u escape") end
          out[#out + 1] = utf8.char(tonumber(hex, 16)); pos = pos + 6
        else
          fail("bad escape")
        end
      else
        out[#out + 1] = c; pos = pos + 1
      end
    end
    return table.concat(out)
  end
  local function value()
    ws()
    local c = s:sub(pos, pos)
    if c == '"' then return str() end
    for lit, v in pairs({ ["true"] = true, ["false"] = false, ["null"] = hgq }) do
      if s:sub(pos, pos + #lit - 1) == lit then pos = pos + #lit; return v end
    end
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not num or num == "" then fail("value expected") end
    pos = pos + #num
    return tonumber(num)
  end
  local obj = {}
  ws()
  if s:sub(pos, pos) ~= "{" then fail("object expected") end
  pos = pos + 1
  while true do
    ws()
    local k = str()
    ws()
    if s:sub(pos, pos) ~= ":" then fail("colon expected") end
    pos = pos + 1
    obj[k] = value()
    ws()
    local c = s:sub(pos, pos)
    pos = pos + 1
    if c == "}" then break end
    if c ~= "," then fail("comma expected") end
  end
  ws()
  if pos <= #s then fail("trailing text") end
  return obj
end

local function run(cmd)
  local p = io.popen(cmd .. " 2>" .. TMP .. "/reader_spec.err")
  local out = p:read("a")
  local ok, _, code = p:close()
  local ef = io.open(TMP .. "/reader_spec.err")
  local err = ef:read("a")
  ef:close()
  return out, ok and 0 or code, err
end

describe("hgq.open", function()
  it("opens a workbook and lists its sheets in order with their visibility", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local sheets = wb:sheets()
    assert.are.equal(2, #sheets)
    assert.are.same({ name = "学生名册", visibility = "visible", index = 1 }, sheets[1])
    assert.are.same({ name = "隐藏", visibility = "hidden", index = 2 }, sheets[2])
    assert.are.equal("xlsx", wb:kind())
    assert.are.equal(fixture("basic.xlsx"), wb:path())
    assert.is_false(wb:date1904())
    assert.truthy(tostring(wb):match("^hgq.workbook"))
    wb:close()
  end)

  it("knows very hidden sheets and the 1904 date system", function()
    local wb = assert(hgq.open(CORPUS .. "any_sheets.xlsx"))
    local s = wb:sheets()
    assert.are.equal("veryHidden", s[3].visibility)
    assert.are.equal("Chart", s[4].name)
    wb:close()
    wb = assert(hgq.open(CORPUS .. "date_1904.xlsx"))
    assert.is_true(wb:date1904())
    local rows = read_rows(wb:sheet(1))
    assert.are.equal("2021-01-01T00:00:00", tostring(rows[1].values[1]))
    wb:close()
  end)

  it("returns nil, a message naming the file and a code for files it cannot read", function()
    local cases = {
      { TMP .. "/no/such/file.xlsx", "HGQ_EIO" },
      { CORPUS .. "pass_protected.xlsx", "HGQ_EUNSUPPORTED" },
      { fixture("encrypted.xlsx"), "HGQ_EUNSUPPORTED" },
      { fixture("not_a_workbook.xlsx"), "HGQ_EFORMAT" },
      { fixture("truncated.xlsx"), "HGQ_EZIP" },
      { fixture("dup_entry.xlsx"), "HGQ_EZIP" },
      { fixture("escape_rel.xlsx"), "HGQ_EPART" },
    }
    for _, c in ipairs(cases) do
      local wb, msg, code = hgq.open(c[1])
      assert.is_nil(wb)
      assert.are.equal(c[2], code)
      assert.is_string(msg)
      assert.truthy(msg:find(c[1], 1, true), msg)
      assert.is_nil(msg:find("\n"))
    end
  end)

  it("raises on wrong arguments, naming the argument or the option", function()
    local function err_of(f, ...)
      local ok, e = pcall(f, ...)
      assert.is_false(ok)
      return e
    end
    assert.truthy(err_of(hgq.open):match("bad argument #1 to '[%w.]*open'"))
    assert.truthy(err_of(hgq.open, {}):match("bad argument #1"))
    assert.truthy(err_of(hgq.open, "x.xlsx", 5):match("bad argument #2"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { formula = true }):match("unknown option 'formula'"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { encoding = "latin1" }):match("encoding"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { delimiter = "||" }):match("delimiter"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { limits = 3 }):match("limits must be a table"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { limits = { max_ratio = 0 } }):match("max_ratio"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { limits = { max_cells = 1 } }):match("unknown limit 'max_cells'"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { threads = -1 }):match("threads must be an integer from 0 to 16"))
    assert.truthy(err_of(hgq.open, "x.xlsx", { threads = "two" }):match("'threads' must be an integer"))
  end)

  it("reads the same rows whatever the number of threads", function()
    local function all(threads)
      local wb = assert(hgq.open(CORPUS .. "date_iso.xlsx", { threads = threads }))
      local out = read_rows(wb:sheet(1))
      wb:close()
      return out
    end
    local one = all(1)
    assert.is_not_nil(next(one))
    assert.are.same(one, all(4))
    assert.are.same(one, all(0))
  end)

  it("applies the limits it is given", function()
    local wb = assert(hgq.open(CORPUS .. "date_iso.xlsx", { limits = { max_cell_bytes = 24 } }))
    local ok, e = pcall(read_rows, wb:sheet(1))
    assert.is_false(ok)
    assert.truthy(e:match("max_cell_bytes") and e:match("cell A4") and e:match("HGQ_ELIMIT"), e)
    wb:close()
    local wb2, msg, code = hgq.open(fixture("basic.xlsx"), { limits = { max_shared_strings = 3 } })
    assert.is_nil(wb2)
    assert.are.equal("HGQ_ELIMIT", code)
    assert.truthy(msg:match("max_shared_strings"))
    local bomb = assert(hgq.open(fixture("bomb.xlsx")))
    ok, e = pcall(read_rows, bomb:sheet(1))
    assert.is_false(ok)
    assert.truthy(e:match("ratio") and e:match("HGQ_ELIMIT"), e)
    bomb:close()
  end)

  it("opens a CSV file as one sheet named after the file", function()
    local path = TMP .. "/在校生名单.csv"
    local f = assert(io.open(path, "wb"))
    f:write("姓名,年龄\r\n张三,18\r\n")
    f:close()
    local wb = assert(hgq.open(path))
    assert.are.equal("csv", wb:kind())
    assert.are.same({ { name = "在校生名单", visibility = "visible", index = 1 } }, wb:sheets())
    local sh = assert(wb:sheet("在校生名单"))
    local rows = read_rows(sh, { cells = true })
    assert.are.equal("张三", rows[2].values[1])
    assert.are.equal("18", rows[2].values[2]) -- CSV fields are text
    assert.are.equal("s", rows[2].cells[2].type)
    assert.are.same({}, sh:merges())
    assert.are.same({}, wb:names())
    wb:close()
  end)

  it("passes the CSV encoding and delimiter through", function()
    local wb = assert(hgq.open(DATA .. "/csv/gbk.csv", { encoding = "gb18030", delimiter = "," }))
    local rows = read_rows(wb:sheet(1))
    assert.are.same({ "张三", "男", "2006-03-15", "数控加工" }, rows[2].values)
    wb:close()
    -- read as UTF-8 the same bytes are not text
    wb = assert(hgq.open(DATA .. "/csv/gbk.csv", { encoding = "utf-8" }))
    assert.has_error(function() read_rows(wb:sheet(1)) end)
    wb:close()
  end)
end)

describe("a workbook", function()
  it("lists its defined names", function()
    local wb = assert(hgq.open(CORPUS .. "issues.xlsx"))
    local names = wb:names()
    assert.are.equal(3, #names)
    assert.are.same({ name = "MyDataTypes", value = "datatypes!$A$1:$A$6", hidden = false }, names[2])
    wb:close()
    wb = assert(hgq.open(fixture("basic.xlsx")))
    assert.are.same({ { name = "名单", value = "学生名册!$A$1:$E$3", hidden = false } }, wb:names())
    wb:close()
    wb = assert(hgq.open(CORPUS .. "strict_iso_paths.xlsx"))
    local n = wb:names()[1]
    assert.are.equal(1, n.sheet)
    assert.is_true(n.hidden)
    wb:close()
  end)

  it("has a closed flag: close twice is harmless, use after close raises", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local sh = wb:sheet(1)
    wb:close()
    wb:close()
    assert.are.equal("hgq.workbook (closed)", tostring(wb))
    assert.has_error(function() wb:sheets() end, "attempt to use a closed workbook")
    assert.has_error(function() sh:rows() end, "attempt to use a closed workbook")
    assert.are.equal("学生名册", sh.name) -- a sheet's fields outlive the workbook
  end)

  it("closes as a to-be-closed variable", function()
    local keep
    do
      local wb <close> = assert(hgq.open(fixture("basic.xlsx")))
      keep = wb
    end
    assert.are.equal("hgq.workbook (closed)", tostring(keep))
  end)
end)

describe("a sheet", function()
  local wb
  before_each(function() wb = assert(hgq.open(fixture("basic.xlsx"))) end)
  after_each(function() wb:close() end)

  it("is found by name or by 1-based index", function()
    local a = assert(wb:sheet("隐藏"))
    assert.are.equal("隐藏", a.name)
    assert.are.equal(2, a.index)
    assert.are.equal("hidden", a.visibility)
    assert.are.equal("学生名册", assert(wb:sheet(1)).name)
    assert.truthy(tostring(a):match("hgq.sheet"))
  end)

  it("that does not exist gives nil, a message and HGQ_ENOTFOUND", function()
    local sh, msg, code = wb:sheet("nope")
    assert.is_nil(sh)
    assert.are.equal("HGQ_ENOTFOUND", code)
    assert.truthy(msg:find("no sheet named 'nope'", 1, true))
    assert.truthy(msg:find("学生名册", 1, true))
    sh, msg, code = wb:sheet(3)
    assert.is_nil(sh)
    assert.are.equal("HGQ_ENOTFOUND", code)
    assert.is_nil(wb:sheet(0))
  end)

  it("raises when asked with a wrong argument", function()
    assert.has_error(function() wb:sheet({}) end)
    assert.has_error(function() wb:sheet(1.5) end)
    assert.has_error(function() wb:sheet() end)
    local ok, e = pcall(wb.sheet, 42, 1)
    assert.is_false(ok)
    assert.truthy(e:match("hgq.workbook expected"))
  end)

  it("lists its merged ranges, 1-based", function()
    assert.are.same({ { first_row = 5, first_col = 1, last_row = 6, last_col = 1, ref = "A5:A6" } },
      wb:sheet(1):merges())
    assert.are.same({}, wb:sheet(2):merges())
    local c = assert(hgq.open(CORPUS .. "merge_cells.xlsx"))
    local m = c:sheet(1):merges()
    assert.are.equal(3, #m)
    assert.are.same({ first_row = 2, first_col = 2, last_row = 4, last_col = 4, ref = "B2:D4" }, m[3])
    c:close()
  end)
end)

describe("rows", function()
  it("yield the 1-based row number and the values by column", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local rows, order = read_rows(wb:sheet(1))
    assert.are.same({ 1, 2, 3, 5 }, order) -- row 4 holds only a styled empty cell
    local r2 = rows[2].values
    assert.are.equal("张三", r2[1])
    assert.are.equal(18, r2[2])
    assert.are.equal("integer", math.type(r2[2]))
    assert.is_true(hgq.isdate(r2[3]))
    assert.are.equal("2025-09-01T00:00:00", tostring(r2[3]))
    assert.are.equal(hgq.date(2025, 9, 1), r2[3])
    assert.is_true(r2[4])
    assert.are.equal(1.5, r2[5])
    assert.are.equal("float", math.type(r2[5]))
    local r3 = rows[3].values
    assert.are.equal('李四, "小李"', r3[1])
    assert.are.equal(19, r3[2])
    assert.are.equal("2024-02-29T08:30:00", tostring(r3[3]))
    assert.is_false(r3[4])
    assert.are.equal("#N/A", r3[5])
    local r5 = rows[5].values
    assert.is_nil(r5[1])
    assert.are.equal("tab\there\r\nnew", r5[2])
    assert.is_nil(r5[3])
    assert.are.equal(-0.25, r5[6])
    wb:close()
  end)

  it("give per-cell types, formats, refs and formulas when asked", function()
    local wb = assert(hgq.open(fixture("basic.xlsx"), { formulas = true }))
    local rows = read_rows(wb:sheet(1), { cells = true })
    local c2, c3 = rows[2].cells, rows[3].cells
    assert.are.equal("s", c2[1].type)
    assert.are.equal("n", c2[2].type)
    assert.are.equal("d", c2[3].type)
    assert.are.equal("mm-dd-yy", c2[3].numfmt)
    assert.are.equal("C2", c2[3].ref)
    assert.are.equal("b", c2[4].type)
    assert.are.equal("e", c3[5].type)
    assert.are.equal("B2+1", c3[2].formula)
    assert.is_nil(c2[2].formula)
    assert.are.equal("General", c2[2].numfmt)
    assert.is_nil(rows[2].cells[6])
    -- without cells = true only two values come
    local f, s = wb:sheet(1):rows()
    assert.are.equal(2, select("#", f(s)))
    s:close()
    wb:close()
  end)

  it("include rows of styled empty cells on request", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local rows, order = read_rows(wb:sheet(1), { empty = true })
    assert.are.same({ 1, 2, 3, 4, 5 }, order)
    assert.is_nil(next(rows[4].values))
    wb:close()
  end)

  it("release the iterator when the loop breaks", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local f, s, c, closing = wb:sheet(1):rows()
    assert.are.equal(s, closing)
    for i in f, s, c, closing do
      assert.are.equal(1, i)
      break
    end
    assert.are.equal("hgq.rows (closed)", tostring(s))
    assert.has_error(function() f(s) end, "attempt to use a closed row iterator")
    s:close() -- closing again is harmless
    wb:close()
  end)

  it("keep reading when the workbook is closed under them", function()
    local wb = assert(hgq.open(fixture("basic.xlsx")))
    local seen = {}
    for i in wb:sheet(1):rows() do
      seen[#seen + 1] = i
      if i == 1 then wb:close() end
    end
    assert.are.same({ 1, 2, 3, 5 }, seen)
  end)

  it("run side by side on one workbook", function()
    local wb = assert(hgq.open(CORPUS .. "issue_174.xlsx"))
    local sh = wb:sheet(1)
    local f1, s1 = sh:rows()
    local f2, s2 = sh:rows()
    local a1, b1 = f1(s1), f2(s2)
    local a2 = f1(s1)
    assert.are.equal(a1, b1)
    assert.is_true(a2 > a1)
    s1:close()
    s2:close()
    wb:close()
  end)

  it("raise an error naming the file, sheet, cell and code when a sheet is broken", function()
    local wb = assert(hgq.open(fixture("bad_ref.xlsx")))
    local got = {}
    local ok, e = pcall(function()
      for i, v in wb:sheet(1):rows() do got[#got + 1] = v[1] end
    end)
    assert.is_false(ok)
    assert.are.same({ 1 }, got) -- the good row came first
    assert.truthy(e:find("bad_ref.xlsx", 1, true))
    assert.truthy(e:find("sheet 'Sheet1' cell A2", 1, true))
    assert.truthy(e:find("XFE2", 1, true))
    assert.truthy(e:match("%(HGQ_EREF%)$"))
    assert.is_nil(e:match("reader_spec"))
    wb:close()
    for name, code in pairs({ ["bad_utf8.xlsx"] = "HGQ_EENCODING", ["entities.xlsx"] = "HGQ_ELIMIT",
                              ["sst_range.xlsx"] = "HGQ_EDATA" }) do
      wb = assert(hgq.open(fixture(name)))
      ok, e = pcall(read_rows, wb:sheet(1))
      assert.is_false(ok)
      assert.truthy(e:find(code, 1, true), e)
      wb:close()
    end
  end)

  it("read the values of the corpus", function()
    local wb = assert(hgq.open(CORPUS .. "errors.xlsx", { formulas = true }))
    local rows = read_rows(wb:sheet("Feuil1"), { cells = true })
    assert.are.equal("#DIV/0!", rows[1].values[1])
    assert.are.equal("e", rows[1].cells[1].type)
    assert.are.equal("5/0", rows[1].cells[1].formula)
    assert.are.equal("#N/A", rows[7].values[1])
    wb:close()
    wb = assert(hgq.open(CORPUS .. "rph.xlsx"))
    assert.are.equal("課きく　毛こ", read_rows(wb:sheet(1))[1].values[1])
    wb:close()
    wb = assert(hgq.open(CORPUS .. "shared_formula_simple.xlsx", { formulas = true }))
    rows = read_rows(wb:sheet(1), { cells = true })
    assert.are.equal("A3*2", rows[3].cells[2].formula)
    assert.are.equal(6, rows[3].values[2])
    wb:close()
  end)
end)

describe("hgq dump", function()
  it("prints one JSON object per non-empty cell", function()
    local out, code = run(HGQ .. " dump " .. fixture("basic.xlsx") .. " --format jsonl")
    assert.are.equal(0, code)
    local cells = {}
    for line in out:gmatch("[^\n]+") do
      local o = decode_json_object(line)
      cells[o.sheet .. "!" .. o.cell] = o
    end
    assert.are.same({ sheet = "学生名册", cell = "A2", type = "s", value = "张三" }, cells["学生名册!A2"])
    assert.are.same({ sheet = "学生名册", cell = "B2", type = "n", value = 18 }, cells["学生名册!B2"])
    assert.are.equal("2025-09-01T00:00:00", cells["学生名册!C2"].value)
    assert.are.equal("d", cells["学生名册!C2"].type)
    assert.is_true(cells["学生名册!D2"].value)
    assert.is_false(cells["学生名册!D3"].value)
    assert.are.same({ sheet = "学生名册", cell = "E3", type = "e", value = "#N/A" }, cells["学生名册!E3"])
    assert.are.equal('李四, "小李"', cells["学生名册!A3"].value)
    assert.are.equal("tab\there\r\nnew", cells["学生名册!B5"].value)
    assert.are.equal(-0.25, cells["学生名册!F5"].value)
    assert.is_nil(cells["学生名册!B4"]) -- styled but empty
    assert.are.equal("hidden", cells["隐藏!B2"].value)
  end)

  it("prints every corpus file as valid JSON lines or fails with one line", function()
    local p = io.popen("ls " .. CORPUS)
    local n = 0
    for name in p:lines() do
      if name:match("%.xlsx$") then
        local out, code, err = run(HGQ .. " dump '" .. CORPUS .. name .. "' --format jsonl --formulas")
        if code == 0 then
          for line in out:gmatch("[^\n]+") do decode_json_object(line) end
        else
          assert.truthy(err:match("^hgq dump: [^\n]+\n$"), name .. ": " .. err)
        end
        n = n + 1
      end
    end
    p:close()
    assert.is_true(n >= 60)
  end)
end)
