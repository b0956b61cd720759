-- hgq.stats and hgq.catalogue: counts, group-bys, cross-tabs, medians,
-- ratios, history, and the indicator catalogue driven from Lua.
local hgq = require "hgq"

local TMP = os.getenv("HGQ_TMP") or "/tmp"

-- A small school: 20 enrolled students (12 entered 2025), 10 graduates of
-- 2024 (6 就业, 3 升学, 1 参军), 6 staff of whom 4 full-time teachers.
local function school(year)
  local ds = hgq.dataset{year = year or 2025, type = "技工学校"}
  assert(ds:add("school", {name = "测试技工学校", type = "技工学校", land_area = 40000,
                           building_area = 21000, equipment_value = 320.5, computers = 30}))
  assert(ds:add("major", {name = "数控机床装配与维修", category = "机械类"}))
  assert(ds:add("major", {name = "会计", category = "财经商贸类"}))
  for i = 1, 20 do
    assert(ds:add("student", {student_no = string.format("S%03d", i), name = "学生" .. i,
                              major = i <= 14 and "数控机床装配与维修" or "会计",
                              entry_year = i <= 12 and 2025 or 2024, status = "在校",
                              rural = i <= 15}))
  end
  local dest = {"就业", "就业", "就业", "就业", "就业", "就业", "升学", "升学", "升学", "参军"}
  for i = 1, 10 do
    assert(ds:add("graduate", {student_no = string.format("G%03d", i), name = "毕业生" .. i,
                               grad_year = 2024, destination = dest[i]}))
  end
  local staff = {
    {post = "专任教师", title = "中级", education = "本科", birth_date = hgq.date(1995, 12, 31), dual = true},
    {post = "专任教师", title = "初级", education = "本科", birth_date = hgq.date(1990, 5, 1), dual = false},
    {post = "专任教师", title = "中级", education = "研究生", birth_date = hgq.date(1975, 3, 3), dual = true},
    {post = "专任教师", title = "未定职级", education = "专科", birth_date = hgq.date(2000, 2, 29), dual = false},
    {post = "行政人员", title = "中级", education = "本科", birth_date = hgq.date(1970, 1, 1)},
    {post = "工勤人员", education = "高中及以下", birth_date = hgq.date(1968, 8, 8)},
  }
  for i, s in ipairs(staff) do
    s.staff_no = "T" .. i
    s.name = "教工" .. i
    assert(ds:add("staff", s))
  end
  return ds
end

local function find(results, id)
  for _, r in ipairs(results) do
    if r.id == id then return r end
  end
  error("no result " .. id)
end

describe("hgq.stats", function()
  local ds = school()

  it("counts records with table and function filters", function()
    assert.are.equal(20, hgq.stats.count(ds, "student"))
    assert.are.equal(12, hgq.stats.count(ds, "student", {entry_year = 2025}))
    assert.are.equal(14, hgq.stats.count(ds, "student", {major = "数控机床装配与维修"}))
    assert.are.equal(2, hgq.stats.count(ds, "staff", {title = {"初级", "未定职级"}}))
    assert.are.equal(2, hgq.stats.count(ds, "staff", {post = "专任教师", dual = true}))
    assert.are.equal(5, hgq.stats.count(ds, "student", function(r) return not r.rural end))
  end)

  it("reports unknown tables and fields as failures, bad filters as errors", function()
    local n, msg, code = hgq.stats.count(ds, "dormitory")
    assert.is_nil(n)
    assert.truthy(msg:match("dormitory"))
    assert.are.equal("HGQ_ENOTFOUND", code)
    n, msg, code = hgq.stats.count(ds, "student", {colour = "red"})
    assert.is_nil(n)
    assert.are.equal("HGQ_ENOTFOUND", code)
    assert.has_error(function() hgq.stats.count(ds, "student", 42) end)
    assert.are.equal(0, hgq.stats.count(ds, "student", {major = {}}))
  end)

  it("lets a Lua predicate raise without harm", function()
    local ok, err = pcall(hgq.stats.count, ds, "student", function(r)
      if r.student_no == "S007" then error("stop at S007") end
      return true
    end)
    assert.is_false(ok)
    assert.truthy(tostring(err):match("stop at S007"))
    assert.are.equal(20, hgq.stats.count(ds, "student"))
  end)

  it("groups with measures, shares and a total row", function()
    local rows = hgq.stats.group(ds, "student", {by = {"major"}, share = true, total = true,
                                                 measure = {"count", {agg = "count_distinct", field = "entry_year", name = "cohorts"}}})
    assert.are.equal(3, #rows)
    assert.are.equal("会计", rows[1].major)         -- byte order: 会 < 数
    assert.are.equal(6, rows[1].count)
    assert.are.equal(1, rows[1].cohorts)
    assert.are.equal(14, rows[2].count)
    assert.are.equal(2, rows[2].cohorts)
    assert.is_near(6 / 20, rows[1].share, 1e-12)
    assert.are.equal("合计", rows[3].major)
    assert.are.equal(20, rows[3].count)
    local m = hgq.stats.group(ds, "school", {measure = "sum:land_area"})
    assert.are.equal(40000, m[1].sum_land_area)
    assert.has_error(function() hgq.stats.group(ds, "student", {by = "major", measure = "mode:x"}) end)
    assert.has_error(function() hgq.stats.group(ds, "student", {bogus = 1}) end)
  end)

  it("cross-tabulates in the report's order, keeping empty categories", function()
    local x = hgq.stats.crosstab(ds, "staff", {rows = "title", cols = "age_band",
                                               filter = {post = "专任教师"}})
    assert.are.same({"正高级", "副高级", "中级", "初级", "未定职级"}, x.rows)
    assert.are.same({"30岁以下", "31-40岁", "41-50岁", "51-60岁", "60岁以上"}, x.cols)
    -- born 1995-12-31: 30 on 2025-12-31, still 30岁以下; born 2000-02-29: 25
    assert.are.equal(1, x.cells[3][1])
    assert.are.equal(1, x.cells[3][3])
    assert.are.equal(0, x.cells[1][1])
    assert.are.same({0, 0, 2, 1, 1}, x.row_totals)
    assert.are.same({2, 1, 1, 0, 0}, x.col_totals)
    assert.are.equal(4, x.total)
    assert.are.equal("title", x.row_name)
    assert.are.equal("age_band", x.col_name)
  end)

  it("cross-tabulates with functions, explicit orders and unlisted policies", function()
    local x = hgq.stats.crosstab(ds, "student", {
      rows = function(r) return r.rural and "农村" or "城镇" end,
      cols = "entry_year", row_order = {"城镇", "农村"}, col_order = {2023, 2024, 2025}})
    assert.are.same({"城镇", "农村"}, x.rows)
    assert.are.same({"2023", "2024", "2025"}, x.cols)
    assert.are.same({0, 5, 0}, x.cells[1])
    assert.are.same({0, 3, 12}, x.cells[2])
    assert.are.equal(20, x.total)
    local d = hgq.stats.crosstab(ds, "staff", {rows = "education", cols = "post",
                                               row_order = {"本科"}, unlisted = "drop"})
    assert.are.same({"本科"}, d.rows)
    assert.are.equal(3, d.dropped)
    local n, msg, code = hgq.stats.crosstab(ds, "staff", {rows = "education", cols = "post",
                                                          row_order = {"本科"}, unlisted = "error"})
    assert.is_nil(n)
    assert.are.equal("HGQ_EDATA", code)
    assert.has_error(function() hgq.stats.crosstab(ds, "staff", {rows = 1, cols = "post"}) end)
  end)

  it("takes medians, ratios and growth without inventing zeros", function()
    assert.are.equal(2, hgq.stats.median({3, 1, 2}))
    assert.are.equal(2.5, hgq.stats.median({4, 1, 3, 2}))
    assert.are.equal(3, hgq.stats.median({5, 5, 1, 1}))
    assert.is_nil(hgq.stats.median({}))
    local r = hgq.stats.ratio(132, 188, 100)
    assert.is_true(r.defined)
    assert.is_near(70.2127659, r.value, 1e-6)
    r = hgq.stats.ratio(5, 0, 100)
    assert.is_false(r.defined)
    assert.is_nil(r.value)
    assert.are.equal(0, r.den)
    assert.is_near(39.9014778, hgq.stats.growth(284, 203).value, 1e-6)
    assert.are.equal("31-40岁", hgq.stats.age_band(31))
    assert.are.equal("30岁以下", hgq.stats.age_band(30))
    assert.are.same({"研究生", "本科", "专科", "高中及以下"}, hgq.stats.categories("education"))
  end)

  it("summarises a numeric field", function()
    local s = hgq.stats.summary(ds, "school", "land_area")
    assert.are.equal(1, s.n)
    assert.are.equal(40000, s.median)
    s = hgq.stats.summary(ds, "school", "books")
    assert.are.equal(0, s.n)
    assert.is_nil(s.mean)
  end)
end)

describe("hgq.catalogue", function()
  local ds = school()

  it("evaluates the built-in indicators with variants", function()
    local cat = hgq.catalogue()
    local res = cat:evaluate(ds)
    assert.are.equal("技工学校", res.school_type)
    local r = find(res, "students")
    assert.are.equal(20, r.value)
    assert.are.equal("20人", r.text)
    r = find(res, "employment_rate")
    assert.are.equal("A", r.variant)
    assert.are.equal(6, r.num)
    assert.are.equal(10, r.den)
    assert.are.equal("60.00%", r.text)
    assert.are.equal(2024, r.period)
    r = find(res, "student_teacher_ratio")
    assert.are.equal("5:1", r.text)             -- 20 / 4
    assert.are.equal("达标", r.judgement)
    r = find(res, "land_area")
    assert.are.equal("met", r.judgement_code)
    assert.are.equal(10000, r.margin)
    r = find(res, "books_per_student")
    assert.is_false(r.defined)
    assert.is_nil(r.value)
    assert.are.equal("school.books", r.missing)
    assert.are.equal("—", r.text)
    assert.are.equal("unknown", r.judgement_code)
    res = cat:evaluate(ds, {variants = {employment_rate = "B"}})
    r = find(res, "employment_rate")
    assert.are.equal("B", r.variant)
    assert.are.equal("毕业去向落实率", r.variant_name)
    assert.are.equal("90.00%", r.text)          -- (6 + 3) / 10
    local v, msg, code = cat:evaluate(ds, {variants = {employment_rate = "Z"}})
    assert.is_nil(v)
    assert.are.equal("HGQ_ENOTFOUND", code)
    cat:close()
    assert.has_error(function() cat:evaluate(ds) end)
  end)

  it("lists indicators with their variants", function()
    local cat = hgq.catalogue{thresholds = false}
    local list = cat:indicators()
    local by = {}
    for _, d in ipairs(list) do by[d.id] = d end
    assert.are.equal("就业率", by.employment_rate.name)
    assert.are.equal(2, #by.employment_rate.variants)
    assert.are.equal("B", by.employment_rate.variants[2].code)
    assert.are.equal("A", by.student_teacher_ratio.variant)
    assert.are.equal(0, #cat:thresholds())
  end)

  it("adds Lua indicators, ratios of existing ones and history", function()
    local prev = school(2024)
    local cat = hgq.catalogue{thresholds = false}
    cat:add{id = "clubs", name = "社团数", unit = "个",
            compute = function(d) return d:year() == 2025 and 8 or 5 end}
    cat:add{id = "clubs_per_100", name = "每百名学生社团数", unit = "个",
            num = "clubs", den = "students", scale = 100}
    cat:add{id = "rural_teachers", name = "缺数据的指标", unit = "人",
            compute = function() return nil, "no register" end}
    cat:add{id = "girls", kind = "count", entity = "student", where = {gender = "女"}, unit = "人"}
    cat:add{id = "share_2025", name = "新生占比", unit = "%",
            compute = function(d) return hgq.stats.count(d, "student", {entry_year = 2025}),
                                         hgq.stats.count(d, "student") end}
    local res = cat:evaluate(ds, {history = prev})
    local r = find(res, "clubs")
    assert.are.equal(8, r.value)
    assert.are.equal(5, r.last_value)
    assert.are.equal(3, r.change)
    assert.is_near(60, r.growth, 1e-12)
    r = find(res, "clubs_per_100")
    assert.is_near(8 / 20 * 100, r.value, 1e-12)
    assert.are.equal("40.00个", r.text)
    r = find(res, "rural_teachers")
    assert.is_false(r.defined)
    assert.are.equal("no register", r.missing)
    r = find(res, "girls")
    assert.is_false(r.defined)                   -- no gender recorded: missing, not 0
    assert.are.equal("student.gender", r.missing)
    r = find(res, "share_2025")
    assert.are.equal("60.00%", r.text)          -- 12 / 20, percent by default for unit %
    assert.are.equal(12, r.num)
    local ok, err = pcall(cat.evaluate, cat, ds, {history = prev}) -- still fine
    assert.is_true(ok)
    cat:add{id = "broken", compute = function() error("broken compute") end}
    ok, err = pcall(cat.evaluate, cat, ds)
    assert.is_false(ok)
    assert.truthy(tostring(err):match("broken compute"))
    local v, msg, code = cat:add{id = "bad", num = "a +", den = "b"}
    assert.is_nil(v)
    assert.are.equal("HGQ_ESCHEMA", code)
    assert.has_error(function() cat:add{id = "x"} end)
  end)

  it("judges against thresholds a user adds or edits", function()
    local cat = hgq.catalogue()
    local r = find(cat:evaluate(ds), "land_area")
    assert.are.equal("达标", r.judgement)
    assert.are.equal(30000, r.threshold)
    assert.truthy(r.threshold_source:match("人社部发〔2012〕8号"))
    -- a province raises the bar in its own file
    local path = TMP .. "/province_thresholds.csv"
    local f = assert(io.open(path, "w"))
    f:write("indicator,school_type,comparison,value,unit,source,notes\n",
            "land_area,技工学校,>=,75,亩,某省办学条件标准,\n")
    f:close()
    assert(cat:load_thresholds(path))
    r = find(cat:evaluate(ds), "land_area")
    assert.are.equal("未达标", r.judgement)    -- 75 亩 = 50000 m² > 40000
    assert.is_near(-10000, r.margin, 1e-6)
    assert.are.equal("某省办学条件标准", r.threshold_source)
    -- and code can add one too
    cat:add_threshold{indicator = "computers_per_100", school_type = "*", comparison = ">=",
                      value = 100, unit = "台", source = "测试"}
    r = find(cat:evaluate(ds), "computers_per_100")
    assert.are.equal("达标", r.judgement)      -- 30 / 20 * 100 = 150
    assert.are.equal(50, r.margin)
    local only = hgq.catalogue{thresholds = {path}}
    assert.are.equal(1, #only:thresholds())
    local bad = TMP .. "/bad_thresholds.csv"
    f = assert(io.open(bad, "w"))
    f:write("indicator,comparison,value\nland_area,roughly,1\n")
    f:close()
    local v, msg, code = hgq.catalogue{thresholds = {bad}}
    assert.is_nil(v)
    assert.are.equal("HGQ_ESCHEMA", code)
    assert.truthy(msg:match("bad_thresholds.csv"))
    os.remove(path)
    os.remove(bad)
  end)
end)
