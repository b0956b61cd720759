-- hgq.dataset, hgq.schemas: the report's data model from Lua.
local hgq = require "hgq"

local DATA = (os.getenv("HGQ_TEST_DATA") or "tests/data") .. "/model/"
local TMP = os.getenv("HGQ_TMP") or "/tmp"

local function new_ds(extra)
  local args = { year = 2025, as_of = "2025-09-01", school = "衡阳工业技工学校", type = "技工学校" }
  for k, v in pairs(extra or {}) do args[k] = v end
  return hgq.dataset(args)
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function by_code(findings, code)
  local out = {}
  for _, f in ipairs(findings) do
    if f.code == code then out[#out + 1] = f end
  end
  return out
end

describe("hgq.dataset", function()
  it("holds the year, reference date and properties", function()
    local ds = new_ds()
    assert.are.equal(2025, ds:year())
    assert.are.equal("2025-09-01T00:00:00", tostring(ds:as_of()))
    assert.are.equal("衡阳工业技工学校", ds:property("school"))
    assert.are.equal("技工学校", ds:property("type"))
    assert.are.equal(0, #ds:tables())
    assert.matches("hgq.dataset", tostring(ds))
  end)

  it("checks its arguments", function()
    assert.has_error(function() hgq.dataset{} end)
    assert.has_error(function() hgq.dataset{ year = 2025, colour = "red" } end)
    assert.has_error(function() hgq.dataset{ year = 2025, as_of = "yesterday" } end)
    local ds = new_ds()
    assert.has_error(function() ds:import(DATA .. "staff.csv", "nobody") end)
    assert.has_error(function() ds:import(42, "staff") end)
    assert.has_error(function() ds:import(DATA .. "staff.csv", "staff", { colour = 1 }) end)
  end)

  it("imports a messy roster and keeps the row balance", function()
    local ds = new_ds()
    local s = assert(ds:import(DATA .. "roster_messy.xlsx", "student"))
    assert.are.equal("学生名册", s.sheet)
    assert.are.equal("student", s.entity)
    assert.are.equal(14, s.read)
    assert.are.equal(8, s.accepted)
    assert.are.equal(1, s.rejected)
    assert.are.equal(5, s.skipped)
    assert.are.equal(s.read, s.accepted + s.rejected + s.skipped)
    assert.are.equal(3, s.header_row)
    assert.are.equal(2, s.header_rows)
    assert.are.equal("C", s.mapping.name)
    assert.are.equal("F", s.mapping.id_number)
    local unmapped = {}
    for _, u in ipairs(s.unmapped) do unmapped[u.column] = u.header end
    assert.are.equal("联系方式/电话", unmapped.L)
    assert.are.equal(8, ds:count("student"))
    assert.are.equal(0, ds:count("staff"))
    -- the records, as Lua values
    local names, first = {}, nil
    for rec, i in ds:records("student") do
      names[#names + 1] = rec.name
      if i == 1 then first = rec end
    end
    assert.are.same({ "张三", "李娜", "王五", "赵六", "孙七", "周八", "吴九", "郑十" }, names)
    assert.are.equal("数控机床装配与维修", first.major)
    assert.are.equal(2025, first.entry_year)
    assert.is_true(first.rural)
    assert.is_true(hgq.isdate(first.birth_date))
    assert.are.equal(2008, first.birth_date.year)
    assert.is_nil(ds:record("student", 7).gender)
    -- origins
    local o = ds:origin("student", 2, "birth_date")
    assert.are.equal("E6", o.cell)
    assert.are.equal(6, o.row)
    assert.are.equal("学生名册", o.sheet)
    assert.matches("roster_messy.xlsx$", o.file)
    assert.are.equal(5, ds:origin("student", 1).row)
    assert.is_nil(ds:origin("student", 99))
    -- findings from the import
    local fs = ds:findings()
    local rej = by_code(fs, "import.rejected")
    assert.are.equal(1, #rej)
    assert.are.equal("错误", rej[1].severity)
    assert.are.equal(9, rej[1].row)
    assert.is_nil(rej[1].cell)
    assert.are.equal("第9行未导入：缺少姓名", rej[1].message)
    local idn = by_code(fs, "value.id_numeric")[1]
    assert.are.equal("F10", idn.cell)
    assert.are.equal("student", idn.entity)
    assert.are.equal("id_number", idn.field)
    assert.are.equal(1, #ds:findings("value.date"))
    -- sources
    local src = ds:sources()
    assert.are.equal(1, #src)
    assert.are.equal(14, src[1].read)
  end)

  it("fails on bad input with nil, message, code", function()
    local ds = new_ds()
    local s, msg, code = ds:import(DATA .. "no_such.xlsx", "student")
    assert.is_nil(s)
    assert.matches("no_such.xlsx", msg)
    assert.are.equal("HGQ_EIO", code)
    s, msg, code = ds:import(DATA .. "pub_table6.csv", "student")
    assert.is_nil(s)
    assert.are.equal("HGQ_ESCHEMA", code)
    s, msg, code = ds:import(DATA .. "staff.csv", "staff", { mapping = { name = "不存在的列" } })
    assert.is_nil(s)
    assert.are.equal("HGQ_ENOTFOUND", code)
  end)

  it("takes an explicit mapping, a sheet and a header row", function()
    local ds = new_ds()
    local s = assert(ds:import(DATA .. "staff.csv", "student",
                               { mapping = { class = "F", id_number = "身份证号码" } }))
    assert.are.equal("F", s.mapping.class)
    assert.are.equal("E", s.mapping.id_number)
    assert.are.equal("专任教师", ds:record("student", 1).class)
    local s2 = assert(ds:import(DATA .. "majors.xlsx", "major", { sheet = 2, header_row = 2 }))
    assert.are.equal("专业设置", s2.sheet)
    assert.are.equal(7, s2.accepted)
    assert.are.equal(3, ds:record("major", 1).years)
    local s3, _, code = ds:import(DATA .. "majors.xlsx", "major", { sheet = "封面" })
    assert.is_nil(s3)
    assert.are.equal("HGQ_ESCHEMA", code)
  end)

  it("reads a GBK CSV with units", function()
    local ds = new_ds()
    assert(ds:import(DATA .. "school_gbk.csv", "school"))
    local sch = ds:record("school", 1)
    assert.are.equal("技工学校", sch.type)
    assert.are.equal(62000, math.floor(sch.land_area + 0.5))
    assert.are.equal(680.13, sch.funding)
    assert.are.equal(120000, sch.books)
  end)

  it("imports from an open workbook", function()
    local wb = assert(hgq.open(DATA .. "majors.xlsx"))
    local ds = new_ds()
    local s = assert(ds:import(wb, "major"))
    assert.are.equal(7, s.accepted)
    wb:close()
    assert.has_error(function() ds:import(wb, "major") end)
  end)

  it("reports totals that do not add up", function()
    local ds = new_ds()
    local s = assert(ds:import(DATA .. "aid_totals.xlsx", "aid"))
    assert.are.equal(2, s.totals)
    local t = ds:findings("import.total")
    assert.are.equal(1, #t)
    assert.are.equal("F8", t[1].cell)
    assert.are.equal("F3", t[1].other.cell)
    assert.matches("3500", t[1].message)
  end)

  it("rejects scattered bad rows, each naming its row", function()
    local ds = new_ds()
    local s = assert(ds:import(DATA .. "scattered.csv", "student"))
    assert.are.equal(24, s.read)
    assert.are.equal(s.read, s.accepted + s.rejected + s.skipped)
    assert.are.equal(4, s.rejected)
    local rows = {}
    for _, f in ipairs(ds:findings("import.rejected")) do
      rows[#rows + 1] = f.row
      assert.matches("^第" .. f.row .. "行", f.message)
    end
    assert.are.same({ 4, 11, 17, 23 }, rows)
  end)

  it("validates: duplicates, ID numbers, references", function()
    local ds = new_ds()
    assert(ds:import(DATA .. "majors.xlsx", "major"))
    assert(ds:import(DATA .. "roster_messy.xlsx", "student"))
    assert(ds:import(DATA .. "staff.csv", "staff"))
    local added, total = ds:validate()
    assert.is_true(added > 0)
    assert.are.equal(#ds:findings(), total)
    local fs = ds:findings()
    local dup = by_code(fs, "unique.staff_no")[1]
    assert.are.equal("A6", dup.cell)
    assert.are.equal("A3", dup.other.cell)
    local ck = by_code(fs, "id.checksum")[1]
    assert.are.equal("第5行身份证号码校验位错误：430404199505204447（校验位应为6）", ck.message)
    assert.are.equal("E5", ck.cell)
    assert.are.equal("staff.csv", ck.file:match("[^/]+$"))
    assert.are.equal(1, #by_code(fs, "ref.major"))
    -- again: the same findings, not twice as many
    local again, total2 = ds:validate()
    assert.are.equal(added, again)
    assert.are.equal(total, total2)
    -- a subset
    local n = ds:validate{ checks = { "unique" } }
    assert.are.equal(2, n)
    assert.has_error(function() ds:validate{ checks = { "everything" } } end)
  end)

  it("adds records typed in a script", function()
    local ds = new_ds()
    local i = assert(ds:add("school", { name = "衡阳工业技工学校", land_area = "93亩", funding = "680.13万元",
                                        computers = 235, type = "技校" }))
    assert.are.equal(1, i)
    local r = ds:record("school", 1)
    assert.are.equal("技工学校", r.type)
    assert.are.equal(680.13, r.funding)
    local ok, msg = ds:add("school", { name = "x", founded = "去年" })
    assert.is_nil(ok)
    assert.matches("创办时间", msg)
    ok, msg = ds:add("school", { sponsor = "某集团" })
    assert.is_nil(ok)
    assert.matches("缺少学校名称", msg)
    assert.has_error(function() ds:add("school", { colour = "red" }) end)
    assert.are.equal(1, ds:count("school"))
  end)

  it("closes once and refuses use afterwards", function()
    local ds = new_ds()
    ds:close()
    ds:close()
    assert.matches("closed", tostring(ds))
    assert.has_error(function() ds:count("student") end, "attempt to use a closed dataset")
  end)
end)

describe("published tables", function()
  it("imports 表5 with merged trades and finds nothing wrong", function()
    local ds = new_ds()
    local s = assert(ds:import_aggregate(DATA .. "pub_table5.xlsx", "pub_certifications",
                                         { row_dims = { "trade", "level" }, col_dims = { "year" },
                                           measure = "人" }))
    assert.are.equal(108, s.cells)
    local info = ds:table("pub_certifications")
    assert.are.equal("aggregate", info.kind)
    assert.are.equal("trade,level,year", info.dims)
    assert.are.equal("人", info.measure)
    local total
    for rec, i in ds:records("pub_certifications") do
      if rec.trade == "合计" and rec.level == "合计" and rec.year == "合计" then
        total = rec.value
        assert.are.equal("N11", ds:origin("pub_certifications", i, "value").cell)
      end
    end
    assert.are.equal(959, total)
    assert.are.equal(0, ds:check_aggregate("pub_certifications"))
  end)

  it("reports a published table that does not add up, with its cells", function()
    local ds = new_ds()
    assert(ds:import_aggregate(DATA .. "pub_table5_bad.csv", "t5",
                               { row_dims = { "trade", "level" }, col_dims = { { name = "year", row = 2 } } }))
    local added = ds:validate()
    assert.are.equal(2, added)
    local cells = {}
    for _, f in ipairs(ds:findings("agg.margin")) do cells[#cells + 1] = f.cell .. "/" .. f.other.cell end
    table.sort(cells)
    assert.are.same({ "L11/L3", "N7/C7" }, cells)
  end)

  it("checks 表3's two breakdowns against its 总计 row", function()
    local ds = new_ds()
    assert(ds:import_aggregate(DATA .. "pub_table3.xlsx", "pub_teachers",
                               { row_dims = { "group", "item" }, col_dims = { "age_band" },
                                 margins = { "合计" }, breakdown = "group", breakdown_total = "总计" }))
    ds:validate()
    assert.are.equal(6, #ds:findings("agg.breakdown"))
    assert.are.equal(0, #ds:findings("agg.margin"))
  end)

  it("compares a published table with one computed from records", function()
    local ds = new_ds()
    assert(ds:import_aggregate(DATA .. "pub_table2.xlsx", "pub_new_students", {
      col_dims = { { name = "category", values = {
        ["新生总数"] = "合计", ["机械、电工电子类 新生人数"] = "机械、电工电子类",
        ["信息类 新生人数"] = "信息类", ["财经商贸类 新生人数"] = "财经商贸类" } } } }))
    local n = ds:compare("pub_new_students", {
      { category = "合计", value = 549 }, { category = "机械、电工电子类", value = 363 },
      { category = "信息类", value = 89 }, { category = "财经商贸类", value = 96 } })
    assert.are.equal(1, n)
    local f = ds:findings("cmp.")[1]
    assert.are.equal("cmp.value", f.code)
    assert.are.equal("C3", f.cell)
    assert.matches("89", f.message)
    local _, msg, code = ds:compare("pub_new_students", { { value = 1 } }, { dims = "nosuch" })
    assert.are.equal("HGQ_ESCHEMA", code)
  end)

  it("checks its spec", function()
    local ds = new_ds()
    assert.has_error(function() ds:import_aggregate(DATA .. "pub_table2.xlsx", "x", {}) end)
    assert.has_error(function() ds:import_aggregate(DATA .. "pub_table2.xlsx", "x", { col_dims = { 1 } }) end)
    assert.has_error(function()
      ds:import_aggregate(DATA .. "pub_table2.xlsx", "x", { col_dims = { "c" }, colour = 1 })
    end)
  end)
end)

describe("schemas from Lua", function()
  it("lists the built-in entities and their fields", function()
    local reg = hgq.schemas()
    local ents = reg:entities()
    assert.are.equal(11, #ents)
    local st = reg:entity("student")
    assert.are.equal("student", st:id())
    assert.are.equal("学生", st:label())
    local f = st:field("id_number")
    assert.are.equal("idcard", f.type)
    assert.is_true(f.unique)
    local has = false
    for _, h in ipairs(f.headers) do if h == "公民身份号码" then has = true end end
    assert.is_true(has)
    assert.are.equal("major.name", st:field("major").ref)
    assert.are.equal("中级", reg:entity("staff"):canonical("title", "讲师"))
    assert.is_nil(st:field("nosuch"))
    assert.are.equal(0, #hgq.schemas{ builtin = false }:entities())
  end)

  it("takes a school's own column and a province's own values", function()
    local ds = new_ds()
    local st = ds:schema("student")
    st:add_field{ id = "dorm", label = "宿舍", type = "text", headers = { "宿舍号", "寝室" } }
    st:add_synonym("major", "数铣", "数控机床装配与维修")
    ds:schema("staff"):add_field{ id = "title", values = { "特级" }, synonyms = { ["特级教师"] = "特级" } }
    local path = TMP .. "/model_own_column.csv"
    write(path, "姓名,专业,寝室,学籍状态\n张三,数铣,3-201,在读\n")
    local s = assert(ds:import(path, "student"))
    assert.are.equal("C", s.mapping.dorm)
    local r = ds:record("student", 1)
    assert.are.equal("3-201", r.dorm)
    assert.are.equal("数控机床装配与维修", r.major)
    assert.are.equal("在校", r.status)
    -- the staff title kept its type and gained a value
    assert.are.equal("enum", ds:schema("staff"):field("title").type)
    assert.are.equal("特级", ds:schema("staff"):canonical("title", "特级教师"))
    -- another dataset has its own registry
    assert.is_nil(new_ds():schema("student"):field("dorm"))
    assert.has_error(function() st:add_synonym("nosuch", "a", "b") end)
    assert.has_error(function() ds:schema("staff"):add_synonym("title", "院士", "院士级") end)
    assert.has_error(function() st:add_field{ label = "no id" } end)
    assert.has_error(function() st:add_field{ id = "x", type = "colour" } end)
  end)

  it("defines a new entity and shares a registry between datasets", function()
    local reg = hgq.schemas()
    local dorm = hgq.define_entity{ schemas = reg, id = "dormitory", label = "宿舍",
      fields = {
        { id = "room", label = "房间", headers = { "房间号" }, required = true },
        { id = "beds", label = "床位", type = "integer", min = 1, max = 12, headers = { "床位数" } },
        { id = "kind", label = "类型", type = "enum", values = { "男生", "女生" },
          synonyms = { { "男", "男生" }, { "女", "女生" } } },
      } }
    assert.are.equal("dormitory", dorm:id())
    local ds = new_ds{ schemas = reg }
    local path = TMP .. "/model_dorm.csv"
    write(path, "房间号,床位数,类型\n1-101,8,男\n1-102,20,女\n,6,男\n")
    local s = assert(ds:import(path, "dormitory"))
    assert.are.equal(2, s.accepted)
    assert.are.equal(1, s.rejected)
    assert.are.equal("男生", ds:record("dormitory", 1).kind)
    ds:validate()
    local r = ds:findings("field.range")
    assert.are.equal(1, #r)
    assert.are.equal("B3", r[1].cell)
    assert.are.equal(dorm:id(), ds:schemas():entity("dormitory"):id())
    assert.has_error(function() hgq.define_entity{ schemas = reg, id = "dormitory" } end)
    local ds2 = new_ds()
    ds:define_entity{ id = "canteen", fields = { { id = "name" } } }
    assert.is_not_nil(ds:schema("canteen"))
    assert.is_nil(ds2:schema("canteen"))
    hgq.define_entity(ds2, { id = "lab", label = "实验室" })
    assert.are.equal("实验室", ds2:schema("lab"):label())
  end)

  it("refuses use of a closed registry", function()
    local reg = hgq.schemas()
    local st = reg:entity("student")
    local ds = new_ds{ schemas = reg }
    reg:close()
    assert.has_error(function() st:fields() end, "attempt to use closed schemas")
    assert.has_error(function() ds:schema("student") end, "attempt to use closed schemas")
    assert.has_error(function() reg:entities() end)
  end)

  it("lets scripts add findings", function()
    local ds = new_ds()
    ds:add_finding{ severity = "提示", code = "script.note", message = "数据来自2024年名册" }
    ds:add_finding{ code = "script.warn", message = "w" }
    local fs = ds:findings("script.")
    assert.are.equal(2, #fs)
    assert.are.equal("提示", fs[1].severity)
    assert.are.equal("警告", fs[2].severity)
    assert.has_error(function() ds:add_finding{ severity = "致命", code = "x", message = "y" } end)
  end)

  it("keeps where a script's finding is, as ds:origin gives it", function()
    local ds = new_ds()
    local path = TMP .. "/model_partner.csv"
    write(path, "企业名称,合作专业\n光宝通信,电子技术应用\n纳思达,模具制造\n")
    assert(ds:import(path, "partner"))
    local where = ds:origin("partner", 2, "majors")
    assert.are.equal("B3", where.cell)
    ds:add_finding{ severity = "警告", code = "cmp.value", entity = "partner", field = "majors",
                    message = "「纳思达」的合作专业不同", where = where,
                    other = { file = "附表.xlsx", sheet = "表4", row = 9, col = 3 } }
    ds:add_finding{ code = "script.row", message = "整行", where = ds:origin("partner", 1) }
    ds:add_finding{ code = "script.cell", message = "按单元格", where = { file = "a.xlsx", cell = "F7" } }
    local f = ds:findings("cmp.")[1]
    assert.are.equal(path, f.file)
    assert.are.equal("B3", f.cell)
    assert.are.equal(3, f.row)
    assert.are.equal(2, f.col)
    assert.are.same({ file = "附表.xlsx", sheet = "表4", row = 9, col = 3, cell = "C9" }, f.other)
    f = ds:findings("script.row")[1]
    assert.are.equal(2, f.row)
    assert.is_nil(f.cell)
    f = ds:findings("script.cell")[1]
    assert.are.equal(7, f.row)
    assert.are.equal(6, f.col)
    -- the strings are the dataset's own copies
    where = nil
    collectgarbage()
    assert.are.equal("B3", ds:findings("cmp.")[1].cell)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = { sheet = "s", row = 1 } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = { file = "a", row = 0 } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = { file = "a" } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = { file = "a", row = 1, colour = 1 } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = { file = "a", row = 2, cell = "B3" } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", other = { file = "a", row = 1 } } end)
    assert.has_error(function() ds:add_finding{ code = "x", message = "y", where = "A1" } end)
  end)

  it("knows the headers of 总务科's and 招生就业办's forms", function()
    local ds = new_ds()
    local path = TMP .. "/model_school_form.csv"
    write(path, "学校名称,专业实训室（个）,年度经费总投入\n衡阳工业技工学校,8,680.13万元\n")
    local s = assert(ds:import(path, "school"))
    assert.are.equal("B", s.mapping.training_rooms)
    assert.are.equal("C", s.mapping.funding)
    assert.are.equal(8, ds:record("school", 1).training_rooms)
    assert.are.equal(680.13, ds:record("school", 1).funding)
    path = TMP .. "/model_graduates_form.csv"
    write(path, "学号,姓名,毕业去向,就业单位/升学院校\n202101001,学生1,升学,湖南铁道职业技术学院\n")
    s = assert(ds:import(path, "graduate"))
    assert.are.equal("D", s.mapping.employer)
    assert.are.equal("湖南铁道职业技术学院", ds:record("graduate", 1).employer)
  end)
end)
