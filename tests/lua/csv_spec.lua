-- CSV files through hgq.open: encodings, delimiters, quoting, options and
-- errors, as a script sees them (one sheet named after the file, every
-- value a string).
local hgq = require "hgq"

local data = assert(os.getenv("HGQ_TEST_DATA"), "HGQ_TEST_DATA must be set") .. "/csv/"
local tmp = assert(os.getenv("HGQ_TMP"), "HGQ_TMP must be set")

-- Every row of the only sheet: { {index, values}, ... }
local function read_all(file, opts)
  local wb, err, code = hgq.open(file, opts)
  assert(wb, err)
  local out = {}
  for i, values in wb:sheet(1):rows() do
    out[#out + 1] = {i, values}
  end
  wb:close()
  return out
end

-- The error raised while reading the rows of a file that opens.
local function read_error(file, opts)
  local ok, err = pcall(read_all, file, opts)
  assert.is_false(ok)
  return tostring(err)
end

local function write(name, bytes)
  local path = tmp .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
  return path
end

local students = {
  {1, {"姓名", "性别", "出生日期", "专业"}},
  {2, {"张三", "男", "2006-03-15", "数控加工"}},
  {3, {"李四", "女", "2005-11-02", "电子商务"}},
  {4, {"王小明", "男", "2006-07-30", "计算机网络应用"}},
}

describe("hgq.open on CSV", function()
  it("shows a CSV file as a workbook of one sheet named after the file", function()
    local wb = assert(hgq.open(data .. "utf8.csv"))
    assert.are.equal("csv", wb:kind())
    local sheets = wb:sheets()
    assert.are.equal(1, #sheets)
    assert.are.equal("utf8", sheets[1].name)
    assert.is_truthy(wb:sheet("utf8"))
    wb:close()
  end)

  it("reads UTF-8, UTF-8 with BOM and CRLF, and GBK alike", function()
    assert.are.same(students, read_all(data .. "utf8.csv"))
    assert.are.same(students, read_all(data .. "utf8_bom.csv"))
    assert.are.same(students, read_all(data .. "gbk.csv"))
    assert.are.same(students, read_all(data .. "gbk.csv", {encoding = "gbk"}))
  end)

  it("reads UTF-16 with a BOM (Excel's Unicode text, tab-separated)", function()
    assert.are.same({
      {1, {"学号", "姓名", "奖助金额"}},
      {2, {"2024001", "张三", "1500"}},
      {3, {"2024002", "李\t四", "2000"}},
    }, read_all(data .. "utf16le.csv"))
  end)

  it("detects tab and semicolon delimiters", function()
    assert.are.same({
      {1, {"学号", "姓名", "班级"}},
      {2, {"2024001", "张三", "数控2401"}},
      {3, {"2024002", "李四", "电商2402"}},
    }, read_all(data .. "tab.csv"))
    assert.are.same({
      {1, {"项目", "金额(万元)", "备注"}},
      {2, {"实训设备", "1234,5", "含税;已验收"}},
      {3, {"图书", "88,0"}},
    }, read_all(data .. "semicolon.csv"))
  end)

  it("honours the delimiter option", function()
    local rows = read_all(data .. "utf8.csv", {delimiter = ";"})
    assert.are.same({"姓名,性别,出生日期,专业"}, rows[1][2])
  end)

  it("unquotes fields and numbers rows by the line they start on", function()
    assert.are.same({
      {1, {"学号", "姓名", "备注"}},
      {2, {"2024001", "张三", "家住城关镇, 二组"}},
      {3, {"2024002", "李\"小\"四", "第一行\n第二行\n第三行"}},
      {8, {"2024003", "王五", "说\"好\""}},
      {9, {"2024004", "赵六", "5\"寸"}},
    }, read_all(data .. "quoted.csv"))
  end)

  it("reads a last line without a newline, and CR line ends", function()
    local want = {{1, {"专业", "人数"}}, {2, {"数控加工", "120"}}, {3, {"电子商务", "86"}}}
    assert.are.same(want, read_all(data .. "no_newline.csv"))
    assert.are.same(want, read_all(data .. "cr.csv"))
  end)

  it("gives every value as a string, empty fields as holes", function()
    local path = write("types.csv", "1,2.5,,TRUE,2024-01-01\n")
    local rows = read_all(path)
    assert.are.same({[1] = "1", [2] = "2.5", [4] = "TRUE", [5] = "2024-01-01"}, rows[1][2])
    local wb = assert(hgq.open(path))
    for _, _, cells in wb:sheet(1):rows{cells = true} do
      assert.are.equal("s", cells[1].type)
      assert.are.equal("General", cells[1].numfmt)
      assert.are.equal("A1", cells[1].ref)
      assert.are.equal("E1", cells[5].ref)
    end
    wb:close()
  end)

  it("skips blank lines and lines of empty fields", function()
    local path = write("blank.csv", "a\n\n,,\n\"\"\nb\n")
    assert.are.same({{1, {"a"}}, {5, {"b"}}}, read_all(path))
  end)

  it("names the line of an unterminated quote", function()
    local err = read_error(data .. "unterminated.csv")
    assert.matches("HGQ_ECSV", err, 1, true)
    assert.matches("line 3", err, 1, true)
  end)

  it("names the line of bytes that are not GBK", function()
    local err = read_error(data .. "bad_gbk.csv")
    assert.matches("HGQ_EENCODING", err, 1, true)
    assert.matches("line 3", err, 1, true)
  end)

  it("names line and field of invalid UTF-8 when UTF-8 is asked for", function()
    local err = read_error(data .. "gbk.csv", {encoding = "utf-8"})
    assert.matches("HGQ_EENCODING", err, 1, true)
    assert.matches("line 1 field 1", err, 1, true)
    err = read_error(data .. "bad_utf8.csv", {encoding = "utf-8"})
    assert.matches("line 3 field 2", err, 1, true)
  end)

  it("applies max_cell_bytes to CSV fields", function()
    local err = read_error(data .. "utf8.csv", {limits = {max_cell_bytes = 12}})
    assert.matches("HGQ_ELIMIT", err, 1, true)
    assert.matches("line 4", err, 1, true)  -- 王小明 fits, 计算机网络应用 does not
  end)

  it("returns nil, message, code for a missing or binary file", function()
    local wb, err, code = hgq.open(data .. "no-such.csv")
    assert.is_nil(wb)
    assert.are.equal("HGQ_EIO", code)
    assert.matches("no-such.csv", err, 1, true)
    wb, err, code = hgq.open(write("binary.csv", "a,b\0\1\2\3"))
    assert.is_nil(wb)
    assert.are.equal("HGQ_EFORMAT", code)
  end)

  it("rejects unknown encodings and delimiters as argument errors", function()
    assert.has_error(function() hgq.open(data .. "utf8.csv", {encoding = "latin1"}) end)
    assert.has_error(function() hgq.open(data .. "utf8.csv", {delimiter = ",,"}) end)
  end)
end)
