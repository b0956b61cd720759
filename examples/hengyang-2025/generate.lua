-- Writes the example input spreadsheets of 衡阳工业技工学校 for report year 2025.
--
--   build/hgq run examples/hengyang-2025/generate.lua [OUTDIR]
--
-- The rosters are synthetic: names (学生0001, 教工001) and ID numbers (region
-- code 430400, valid check digits) are plainly made up, but the counts they
-- add up to are the figures printed in the school's 2025 report. The report's
-- own tables (表2-表6) are copied as printed into 2025年度质量报告附表.xlsx,
-- including the places where 表3 does not add up.
--
-- Output is deterministic: a fixed-seed splitmix64 generator below, never
-- math.random. The one CSV file is written as UTF-8 and converted to GB18030
-- with iconv(1), as Excel in China would save it. See README.md.

local hgq = require "hgq"

local OUT = arg and arg[1] or (arg[0]:match("^(.*)/[^/]*$") or ".")

-- {====================================================================
-- Deterministic random numbers: splitmix64 on Lua 5.4 integers (which wrap
-- modulo 2^64; >> is a logical shift).
-- =====================================================================

local function newrng(seed)
  local s = seed
  local r = {}
  function r.next()
    s = s + 0x9E3779B97F4A7C15
    local z = s
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    return z ~ (z >> 31)
  end
  -- integer in [a, b]
  function r.int(a, b)
    return a + (r.next() >> 11) % (b - a + 1)
  end
  -- true with probability p
  function r.chance(p)
    return (r.next() >> 11) < p * 9007199254740992.0
  end
  function r.pick(t)
    return t[r.int(1, #t)]
  end
  function r.shuffle(t)
    for i = #t, 2, -1 do
      local j = r.int(1, i)
      t[i], t[j] = t[j], t[i]
    end
    return t
  end
  return r
end

local rng = newrng(20250901)

-- }====================================================================

-- {====================================================================
-- Dates and ID numbers
-- =====================================================================

local MDAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function leap(y)
  return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
end

local function mdays(y, m)
  if m == 2 and leap(y) then return 29 end
  return MDAYS[m]
end

local function random_day(y)
  local m = rng.int(1, 12)
  return { y = y, m = m, d = rng.int(1, mdays(y, m)) }
end

-- Age in whole years on date `at` of someone born on `b`.
local function age(b, at)
  local a = at.y - b.y
  if at.m < b.m or (at.m == b.m and at.d < b.d) then a = a - 1 end
  return a
end

local AS_OF = { y = 2025, m = 9, d = 1 }

-- A birth date giving age `a` on AS_OF.
local function birth_for_age(a)
  local b = random_day(2000)
  if b.m == 2 and b.d == 29 then b.d = 28 end
  if b.m < AS_OF.m or (b.m == AS_OF.m and b.d <= AS_OF.d) then
    b.y = AS_OF.y - a
  else
    b.y = AS_OF.y - a - 1
  end
  assert(age(b, AS_OF) == a)
  return b
end

local function iso(b)
  return string.format("%04d-%02d-%02d", b.y, b.m, b.d)
end

local ID_WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local ID_CHECK = "10X98765432"

local function id_check(d17)
  local sum = 0
  for i = 1, 17 do
    sum = sum + (d17:byte(i) - 48) * ID_WEIGHTS[i]
  end
  local k = sum % 11 + 1
  return ID_CHECK:sub(k, k)
end

-- Every synthetic person gets region 430400 (衡阳市 as a whole, which no
-- resident's number carries) and a sequence unique within the birth date.
local used_ids = {}
local function id_number(b, male)
  local date = string.format("%04d%02d%02d", b.y, b.m, b.d)
  for _ = 1, 1000 do
    local seq = rng.int(0, 99) * 10 + (male and 2 * rng.int(0, 4) + 1 or 2 * rng.int(0, 4))
    local d17 = "430400" .. date .. string.format("%03d", seq)
    local id = d17 .. id_check(d17)
    if not used_ids[id] then
      used_ids[id] = true
      return id
    end
  end
  error("no free ID number sequence for " .. date)
end

-- }====================================================================

-- {====================================================================
-- The school's facts (seed: 1.1, 2.3.3, 6.3, 6.4)
-- =====================================================================

local SCHOOL = {
  name = "衡阳工业技工学校",
  sponsor = "中国地质装备集团有限公司",
  founded = "2003年4月",
  type = "技工学校",
  land_area = 62020,
  building_area = 32956.51,
  training_area = 24884.67,
  sports_area = 17102.48,
  equipment_value = 625.46,
  computers = "２３５",
  multimedia_rooms = 25,
  training_rooms = 8,
  practice_factories = 5,
  vr_rooms = 3,
  master_studios = 1,
  funding = "680.13万元",
  province = "湖南省",
}

-- 表1, with the categories that make 表2's split: 机械类 + 电工电子类 363,
-- 信息类 90, 财经商贸类 96.
local MAJORS = {
  { name = "数控机床装配与维修", short = "数控", category = "机械类", key = true },
  { name = "会计", short = "会计", category = "财经商贸类", key = false },
  { name = "电子商务", short = "电商", category = "财经商贸类", key = false },
  { name = "模具制造", short = "模具", category = "机械类", key = false },
  { name = "电子技术应用", short = "电子", category = "电工电子类", key = true },
  { name = "计算机应用与维修", short = "计算机", category = "信息类", key = false },
  { name = "工业机器人应用与维护", short = "机器人", category = "机械类", key = true },
}
local MAJOR = {}
for i, m in ipairs(MAJORS) do
  m.index = i
  MAJOR[m.short] = m
end

-- }====================================================================

-- {====================================================================
-- Students
--
-- Cohorts by year of entry. In school on 2025-09-01: 549 + 420 + 291 = 1260.
-- The 2021 cohort graduated in 2024 (188, the report's 毕业生); the roster
-- keeps them with status 毕业 so that graduates can be joined to their
-- class track. Ten students of 2023/2024 are 休学 or 退学.
-- =====================================================================

local COHORTS = {
  { year = 2025, status = "在校", track = 52,
    n = { ["数控"] = 120, ["模具"] = 66, ["机器人"] = 105, ["电子"] = 72, ["计算机"] = 90, ["会计"] = 50, ["电商"] = 46 } },
  { year = 2024, status = "在校", track = 48,
    n = { ["数控"] = 92, ["模具"] = 50, ["机器人"] = 78, ["电子"] = 58, ["计算机"] = 70, ["会计"] = 38, ["电商"] = 34 },
    away = { { "数控", "休学" }, { "计算机", "休学" }, { "模具", "退学" }, { "机器人", "退学" },
             { "电子", "退学" }, { "会计", "退学" } } },
  { year = 2023, status = "在校", track = 45,
    n = { ["数控"] = 66, ["模具"] = 36, ["机器人"] = 52, ["电子"] = 40, ["计算机"] = 48, ["会计"] = 26, ["电商"] = 23 },
    away = { { "机器人", "休学" }, { "数控", "退学" }, { "电商", "退学" }, { "计算机", "退学" } } },
  { year = 2021, status = "毕业", track = 50,
    n = { ["数控"] = 44, ["模具"] = 22, ["机器人"] = 30, ["电子"] = 28, ["计算机"] = 32, ["会计"] = 18, ["电商"] = 14 } },
}

-- 生源地: over 90% from the counties (seed 5.3).
local COUNTIES = {
  { "耒阳市", 22 }, { "衡东县", 16 }, { "祁东县", 16 }, { "衡阳县", 12 }, { "衡南县", 11 },
  { "常宁市", 8 }, { "衡山县", 7 }, { "南岳区", 1 }, { "珠晖区", 2 }, { "雁峰区", 2 },
  { "石鼓区", 2 }, { "蒸湘区", 1 },
}
local function county()
  local total = 0
  for _, c in ipairs(COUNTIES) do total = total + c[2] end
  local k = rng.int(1, total)
  for _, c in ipairs(COUNTIES) do
    k = k - c[2]
    if k <= 0 then return c[1] end
  end
end

local FEMALE_SHARE = { ["会计"] = 0.75, ["电商"] = 0.6, ["计算机"] = 0.35 }

local students = {}
local seq = 0

local function add_student(cohort, major, status)
  seq = seq + 1
  local m = MAJOR[major]
  local male = not rng.chance(FEMALE_SHARE[major] or 0.12)
  -- entrants are 15 or 16 on 1 September of their year of entry
  local y = cohort.year - 15 - (rng.chance(0.6) and 1 or 0)
  local b = random_day(y)
  if b.m >= 9 and y == cohort.year - 15 then b.y = b.y - 1 end
  local s = {
    seq = seq,
    name = string.format("学生%04d", seq),
    gender = male and "男" or "女",
    birth = b,
    id = id_number(b, male),
    major = m,
    entry_year = cohort.year,
    status = status,
    origin = county(),
  }
  students[#students + 1] = s
  return s
end

for _, cohort in ipairs(COHORTS) do
  local first = #students + 1
  for _, m in ipairs(MAJORS) do
    for _ = 1, cohort.n[m.short] do add_student(cohort, m.short, cohort.status) end
  end
  -- the 职教高考班 of each cohort: from 计算机, 数控 and 电子, in that order
  local want, picked = cohort.track, 0
  for _, short in ipairs({ "计算机", "数控", "电子" }) do
    local quota = math.min(math.ceil(cohort.track * 0.4), want - picked)
    for i = first, #students do
      local s = students[i]
      if quota > 0 and s.major.short == short and not s.track then
        s.track = "职教高考班"
        quota = quota - 1
        picked = picked + 1
      end
    end
  end
  assert(picked == cohort.track)
  for _, a in ipairs(cohort.away or {}) do
    add_student(cohort, a[1], a[2])
  end
  -- classes: the track students of a major form its 高考班; the others are
  -- split into classes of at most 50
  local by_major = {}
  for i = first, #students do
    local s = students[i]
    if s.track then
      s.class = string.format("%d级%s高考班", cohort.year, s.major.short)
    else
      local list = by_major[s.major.short] or {}
      by_major[s.major.short] = list
      list[#list + 1] = s
    end
  end
  for short, list in pairs(by_major) do
    local nclass = math.ceil(#list / 50)
    for i, s in ipairs(list) do
      s.class = string.format("%d级%s%d班", cohort.year, short, (i - 1) % nclass + 1)
    end
  end
end

-- student numbers: year of entry, major, sequence in the cohort
do
  local n = {}
  for _, s in ipairs(students) do
    local k = s.entry_year * 100 + s.major.index
    n[k] = (n[k] or 0) + 1
    s.student_no = string.format("%d%02d%03d", s.entry_year, s.major.index, n[k])
  end
end

-- Hardship among students in school: 120 建档立卡 (rural families), 164
-- 非涉农困难家庭 (table 6, 2025). Rural origin: every 建档立卡 family, no
-- 非涉农 one, about 85% of the others.
do
  local inschool = {}
  for _, s in ipairs(students) do
    if s.status == "在校" then inschool[#inschool + 1] = s end
  end
  assert(#inschool == 1260)
  rng.shuffle(inschool)
  for i, s in ipairs(inschool) do
    if i <= 120 then
      s.hardship = "建档立卡"
      s.rural = true
    elseif i <= 284 then
      s.hardship = "非涉农困难家庭"
      s.rural = false
    else
      s.rural = rng.chance(0.85)
    end
  end
  for _, s in ipairs(students) do
    if s.rural == nil then s.rural = rng.chance(0.85) end
  end
end

-- }====================================================================

-- {====================================================================
-- Graduates of 2024 (the 2021 cohort): 188, 就业 132, 升学 56; the
-- 职教高考班 sends 48 of its 50 on (96%).
-- =====================================================================

local EMPLOYERS = {
  "衡阳富泰宏精密工业有限公司", "光宝通信（广州）有限公司", "长沙比亚迪汽车有限公司",
  "纳思达股份有限公司", "衡阳泰豪通信车辆有限公司", "衡阳恒泰电气有限公司",
  "衡阳中地装备探矿工程机械有限公司", "湖南中德汽车自动变速器股份有限公司",
  "科沃斯机器人股份有限公司", "华拓金服数码科技集团有限公司",
}
local COLLEGES = {
  "湖南机电职业技术学院", "湖南工业职业技术学院", "衡阳财经工业职业技术学院",
  "湖南化工职业技术学院", "湖南铁道职业技术学院", "湖南信息职业技术学院",
}

local graduates = {}
do
  local track, other = {}, {}
  for _, s in ipairs(students) do
    if s.status == "毕业" then
      if s.track then track[#track + 1] = s else other[#other + 1] = s end
    end
  end
  assert(#track == 50 and #other == 138)
  rng.shuffle(track)
  rng.shuffle(other)
  for i, s in ipairs(track) do s.destination = i <= 48 and "升学" or "就业" end
  for i, s in ipairs(other) do s.destination = i <= 8 and "升学" or "就业" end
  local employed = 0
  for _, s in ipairs(students) do
    if s.status == "毕业" then
      local g = { s = s, destination = s.destination }
      if g.destination == "就业" then
        employed = employed + 1
        g.employer = rng.pick(EMPLOYERS)
        g.related = employed % 6 ~= 0        -- 110 of 132 in a related job
        g.management = employed % 22 == 0    -- 6 promoted to management
      else
        g.employer = rng.pick(COLLEGES)
      end
      graduates[#graduates + 1] = g
    end
  end
  assert(#graduates == 188 and employed == 132)
end

-- }====================================================================

-- {====================================================================
-- Staff: 83, of whom 63 专任教师. The teachers' cross-tabs are made to
-- agree with the report's prose (age 21/19/12/11 on 2025-09-01, titles
-- 18/6/39, education 58/5); the printed 表3 does not add up to them.
-- =====================================================================

local BANDS = { { 23, 29 }, { 31, 39 }, { 41, 49 }, { 51, 59 } }
local TITLE_BY_BAND = {            -- 中级, 初级, 未定职级 per age band
  { 0, 1, 20 }, { 2, 1, 16 }, { 6, 4, 2 }, { 10, 0, 1 },
}
local EDU_BY_BAND = {              -- 本科, 专科
  { 19, 2 }, { 19, 0 }, { 11, 1 }, { 9, 2 },
}
local TITLES = { "中级", "初级", "未定职级" }
local EDUS = { "本科", "专科" }

local staff = {}
do
  local teachers = {}
  for band, range in ipairs(BANDS) do
    local titles, edus = {}, {}
    for k, n in ipairs(TITLE_BY_BAND[band]) do
      for _ = 1, n do titles[#titles + 1] = TITLES[k] end
    end
    for k, n in ipairs(EDU_BY_BAND[band]) do
      for _ = 1, n do edus[#edus + 1] = EDUS[k] end
    end
    assert(#titles == #edus)
    rng.shuffle(titles)
    rng.shuffle(edus)
    for i = 1, #titles do
      teachers[#teachers + 1] = {
        post = "专任教师", title = titles[i], education = edus[i],
        birth = birth_for_age(rng.int(range[1], range[2])),
      }
    end
  end
  assert(#teachers == 63)
  rng.shuffle(teachers)
  -- 44 teach specialised subjects, 22 of them 双师型
  for i, t in ipairs(teachers) do
    t.specialised = i <= 44
    t.dual = i <= 22
  end
  for _, t in ipairs(teachers) do staff[#staff + 1] = t end
  local others = {}
  for _ = 1, 12 do others[#others + 1] = "行政人员" end
  for _ = 1, 4 do others[#others + 1] = "教辅人员" end
  for _ = 1, 4 do others[#others + 1] = "工勤人员" end
  for _, post in ipairs(others) do
    staff[#staff + 1] = {
      post = post,
      title = post == "工勤人员" and "未定职级" or rng.pick({ "中级", "初级", "未定职级" }),
      education = post == "工勤人员" and "高中及以下" or rng.pick({ "本科", "本科", "专科" }),
      birth = birth_for_age(rng.int(26, 58)),
      specialised = false, dual = false,
    }
  end
  for i, p in ipairs(staff) do
    p.staff_no = string.format("JG%03d", i)
    p.name = string.format("教工%03d", i)
    local male = rng.chance(0.5)
    p.gender = male and "男" or "女"
    p.id = id_number(p.birth, male)
  end
end

-- }====================================================================

-- {====================================================================
-- Partners (表4, as printed, with 数控机床 as the report spells it)
-- =====================================================================

local PARTNERS = {
  { "光宝通信（广州）有限公司", "电子技术应用、模具制造", "实训基地", "2019年9月" },
  { "华拓金服数码科技集团有限公司", "电子商务、计算机应用与维修、会计", "订单班", "2021.03" },
  { "衡阳富泰宏精密工业有限公司", "电子技术应用、模具制造", "订单班", "2018年6月" },
  { "湖南中德汽车自动变速器股份有限公司", "工业机器人应用与维护、模具制造、数控机床", "学徒制", "2022.09" },
  { "长沙比亚迪汽车有限公司", "数控机床、模具制造、工业机器人应用与维护", "订单班", "2021年9月" },
  { "纳思达股份有限公司", "电子技术应用、工业机器人应用与维护、模具制造", "实训基地", "2020.10" },
  { "科沃斯机器人股份有限公司", "工业机器人应用与维护、电子技术应用", "学徒制", "2023年3月" },
  { "湖南致新锐辰信息技术有限公司", "电子商务、计算机应用与维修", "实训基地", "2022年4月" },
  { "湖南丰汇银佳科技股份有限公司", "电子商务、会计", "实训基地", "2023.09" },
  { "衡阳泰豪通信车辆有限公司", "数控机床、模具制造、工业机器人应用与维护", "学徒制", "2019年3月" },
  { "衡阳恒泰电气有限公司", "电子技术应用、模具制造", "实训基地", "2020年9月" },
  { "湖南威翰斯智能制造研究院有限公司", "工业机器人应用与维护、电子技术应用", "订单班", "2025年7月" },
}

-- }====================================================================

-- {====================================================================
-- Certifications (表5): one row per year, trade and level
-- =====================================================================

local CERT_YEARS = { 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2022, 2023, 2024, 2025 }
local CERT_ROWS = {   -- trade, level, persons per year of CERT_YEARS (0 = none)
  { "车工", "三级", { 33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
  { "车工", "四级", { 0, 0, 58, 18, 21, 0, 17, 5, 0, 0, 0 } },
  { "车工", "五级", { 0, 105, 35, 33, 53, 35, 0, 0, 0, 0, 0 } },
  { "钳工", "三级", { 48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
  { "钳工", "四级", { 0, 0, 44, 10, 7, 0, 1, 24, 30, 64, 32 } },
  { "钳工", "五级", { 0, 0, 14, 14, 26, 2, 0, 0, 0, 0, 0 } },
  { "维修电工", "五级", { 0, 0, 33, 13, 78, 73, 0, 0, 0, 0, 0 } },
  { "计算机", "五级", { 0, 0, 0, 0, 33, 0, 0, 0, 0, 0, 0 } },
}
local CERT_TOTALS = { 81, 105, 184, 88, 218, 110, 18, 29, 30, 64, 32 }   -- 表5 总计, as printed
local LEVEL_NAME = { ["三级"] = "高级工", ["四级"] = "中级工", ["五级"] = "初级工" }

-- }====================================================================

-- {====================================================================
-- Awards, training, events (seed prose only: "超过 20 人次获奖", the
-- teachers' prizes of 2.5.1, the 楚怡读书行动 of the 大事记; the rest is made up)
-- =====================================================================

local AWARDS = {}
do
  local function add(year, comp, level, who, prize, n)
    for _ = 1, n do
      local person
      if who == "学生" then
        person = string.format("学生%04d", rng.int(1, 1260))
      else
        person = string.format("教工%03d", rng.int(1, 63))
      end
      AWARDS[#AWARDS + 1] = { year, comp, level, who, prize, person }
    end
  end
  add(2025, "湖南省职业院校“楚怡”读书行动", "省级", "学生", "三等奖", 9)
  add(2025, "湖南省职业院校“楚怡”读书行动", "省级", "教师", "优秀指导教师", 3)
  add(2025, "衡阳市职业学校教师教学设计与展示交流竞赛", "市级", "教师", "三等奖", 4)
  add(2025, "衡阳市职业教育优秀论文评选", "市级", "教师", "二等奖", 3)
  add(2025, "衡阳市职业院校技能竞赛（数控车加工）", "市级", "学生", "二等奖", 2)
  add(2025, "衡阳市职业院校技能竞赛（电子产品装配与调试）", "市级", "学生", "三等奖", 2)
  add(2025, "学校专业技能大赛（电工电子类）", "校级", "学生", "一等奖", 3)
  add(2024, "衡阳市职业院校技能竞赛（钳工）", "市级", "学生", "三等奖", 2)
  add(2024, "衡阳市职业学校教师教学能力比赛", "市级", "教师", "三等奖", 2)
end

local TRAINING = {   -- year, client, trade or programme, 人次
  { 2023, "中国地质装备集团有限公司", "干部培训班", 96 },
  { 2023, "衡阳中地装备探矿工程机械有限公司", "车工、钳工技能提升培训", 180 },
  { 2023, "阳光财产保险股份有限公司衡阳中心支公司", "话务员（中级）", 62 },
  { 2024, "中国地质装备集团有限公司", "干部培训班", 104 },
  { 2024, "衡阳中地装备探矿工程机械有限公司", "车工、钳工技能提升培训", 210 },
  { 2024, "阳光财产保险股份有限公司衡阳中心支公司", "话务员（中级）", 75 },
  { 2024, "衡阳市珠晖区人力资源和社会保障局", "电工（初级）", 58 },
  { 2025, "中国地质装备集团有限公司", "干部培训班", "120人次" },
  { 2025, "中国地质装备集团有限公司", "员工技能提升培训", 260 },
  { 2025, "阳光财产保险股份有限公司衡阳中心支公司", "话务员（中级）", 85 },
  { 2025, "衡阳中地装备探矿工程机械有限公司", "车工、钳工技能提升培训", 150 },
  { 2025, "衡阳市珠晖区人力资源和社会保障局", "电工（初级）", 60 },
}

local EVENTS = {   -- month as the report writes it, event
  { "一月", "举办“说专业、说课程”特色教学比赛" },
  { "三月", "湖南省职业院校楚怡读书行动，我校师生20余人获奖" },
  { "三月", "学校举行高考誓师大会" },
  { "四月", "学校召开竞赛总结表彰暨经验推广会" },
  { "四月", "学生专业技能竞赛（电工电子类）" },
  { "五月", "师生消防安全学习及疏散演练" },
  { "五月", "庆祝建校五十周年文艺汇演" },
  { "五月", "中地装集团领导来校视察和调研" },
  { "六月", "校级教师教学能力比赛决赛暨省赛选拔赛举行" },
  { "七月", "学校与湖南威翰斯智能制造研究院共建校企合作“订单班”，实现教学、实训、就业一体化双赢" },
  { "8", "开展暑期教师专项培训与新学期备课会" },
  { "8", "新聘教师入职培训" },
  { "8", "2025级新生军训" },
  { "9", "举行庆祝教师节暨年度优秀教师表彰大会" },
  { "9", "师生消防安全学习及疏散演练" },
  { "10", "庆国庆迎中秋黑板报、手抄报活动" },
  { "10", "2025年秋季校园运动会" },
  { "11", "开展“教学质量月”系列活动与期中教学检查" },
  { "11", "中地装集团董事会来校调研" },
  { "11", "教师业务能力和师德师风培训" },
  { "11", "参加市级中小学羽毛球比赛" },
  { "11", "开展感恩节系列教育活动" },
  { "12", "学生专业技能竞赛（机械类）" },
  { "12", "召开年度产教融合总结与规划研讨会" },
  { "12", "组织校内气排球比赛" },
}

-- }====================================================================

-- {====================================================================
-- Sheets. A sheet is built as a grid (0-based rows and columns, as the
-- writer takes them) of cells {value, format} plus merged ranges; emit()
-- hands it to hgq.writer.
-- =====================================================================

local function newsheet(name, opts)
  return { name = name, cells = {}, merges = {}, widths = (opts and opts.widths) or {},
           landscape = opts and opts.landscape }
end

local function put(sh, r, c, v, fmt)
  sh.cells[#sh.cells + 1] = { r, c, v, fmt }
end

-- Writes a row of values; nil and "" leave a cell empty (values may have holes).
local function putrow(sh, r, values, fmts)
  local n = 0
  for k in pairs(values) do
    if math.type(k) == "integer" and k > n then n = k end
  end
  for c = 1, n do
    local v = values[c]
    if v ~= nil and v ~= "" then put(sh, r, c - 1, v, fmts and fmts[c]) end
  end
end

local function merge(sh, r1, c1, r2, c2, v, fmt)
  sh.merges[#sh.merges + 1] = { r1, c1, r2, c2, v, fmt }
end

local function formula(sh, r, c, f, cached, fmt)
  sh.cells[#sh.cells + 1] = { r, c, cached, fmt, f }
end

local function col_letter(c)
  local s = ""
  c = c + 1
  while c > 0 do
    local k = (c - 1) % 26
    s = string.char(65 + k) .. s
    c = (c - 1) // 26
  end
  return s
end

local function ref(r, c)
  return col_letter(c) .. tostring(r + 1)
end

-- Only formats the writer knows are passed on; the others ("title",
-- "header", "bold") only say what a cell is.
local FORMATS = { text = true, integer = true, number = true, date = true }

-- Writes a workbook of sheets with hgq.writer (whose rows and columns are 1-based).
local function emit(path, sheets, props)
  local w, err = hgq.writer(path, props)
  if not w then error("cannot create " .. path .. ": " .. tostring(err)) end
  for _, s in ipairs(sheets) do
    local sh = assert(w:sheet(s.name, { landscape = s.landscape, freeze = false }))
    local widths = {}
    for c, width in pairs(s.widths) do widths[c + 1] = width end
    sh:widths(widths)
    for _, m in ipairs(s.merges) do
      local range = ref(m[1], m[2]) .. ":" .. ref(m[3], m[4])
      assert(sh:merge(range, m[5], FORMATS[m[6]] and m[6] or nil))
    end
    for _, cell in ipairs(s.cells) do
      local r, c, v, fmt, f = cell[1], cell[2], cell[3], cell[4], cell[5]
      fmt = FORMATS[fmt] and fmt or nil
      if f then
        assert(sh:formula(r + 1, c + 1, f, v, fmt))
      else
        assert(sh:write(r + 1, c + 1, v, fmt))
      end
    end
  end
  local ok, cerr = w:close()
  if not ok then error("cannot write " .. path .. ": " .. tostring(cerr)) end
end

-- Writes a sheet as CSV text (CRLF, quoted where needed).
local function csv_text(s)
  local grid, nrows, ncols = {}, 0, 0
  for _, cell in ipairs(s.cells) do
    local r, c = cell[1], cell[2]
    grid[r] = grid[r] or {}
    grid[r][c] = cell[3]
    if r + 1 > nrows then nrows = r + 1 end
    if c + 1 > ncols then ncols = c + 1 end
  end
  local out = {}
  for r = 0, nrows - 1 do
    local fields = {}
    for c = 0, ncols - 1 do
      local v = grid[r] and grid[r][c]
      v = v == nil and "" or tostring(v)
      if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
      fields[#fields + 1] = v
    end
    out[#out + 1] = table.concat(fields, ",")
  end
  return table.concat(out, "\r\n") .. "\r\n"
end

local function yesno(b) return b and "是" or "否" end

-- }====================================================================

-- {====================================================================
-- The files
-- =====================================================================

local FILES = {}

-- 学校基本情况.xlsx (总务科, 财务科): two-row merged header, one data row,
-- 创办时间 typed as text, 经费 typed with its unit, computers in full-width digits.
do
  local s = newsheet("基本情况", { widths = { [0] = 22, [1] = 22 } })
  merge(s, 0, 0, 0, 16, "衡阳工业技工学校基本情况表（2025年）", "title")
  put(s, 1, 0, "填报单位：总务科、财务科")
  put(s, 1, 12, "填报日期：2025年9月1日")
  merge(s, 2, 0, 2, 4, "基本信息", "header")
  merge(s, 2, 5, 2, 8, "面积（平方米）", "header")
  merge(s, 2, 9, 2, 15, "教学条件", "header")
  merge(s, 2, 16, 3, 16, "年度经费总投入", "header")
  putrow(s, 3, { "学校名称", "主办单位", "创办时间", "学校类型", "所在省份",
                 "占地面积", "校舍建筑面积", "实习实训场地面积", "运动场地面积",
                 "教学仪器设备总值（万元）", "教学用计算机（台）", "多媒体教室（间）",
                 "专业实训室（个）", "实习工厂（个）", "VR实训室（个）", "技能大师工作室（个）" },
         { "header", "header", "header", "header", "header", "header", "header", "header",
           "header", "header", "header", "header", "header", "header", "header", "header" })
  putrow(s, 4, { SCHOOL.name, SCHOOL.sponsor, SCHOOL.founded, SCHOOL.type, SCHOOL.province,
                 SCHOOL.land_area, SCHOOL.building_area, SCHOOL.training_area, SCHOOL.sports_area,
                 SCHOOL.equipment_value, SCHOOL.computers, SCHOOL.multimedia_rooms,
                 SCHOOL.training_rooms, SCHOOL.practice_factories, SCHOOL.vr_rooms,
                 SCHOOL.master_studios, SCHOOL.funding })
  put(s, 6, 0, "注：技能大师工作室为市级数控加工技术技能大师工作室；图书册数另行统计。")
  FILES[#FILES + 1] = { "学校基本情况.xlsx", { s } }
end

-- 专业设置.xlsx (教务科)
do
  local s = newsheet("专业设置", { widths = { [1] = 24 } })
  merge(s, 0, 0, 0, 7, "2025年专业设置情况", "title")
  putrow(s, 1, { "序号", "专业名称", "专业类别", "学制", "是否开展新型学徒制", "是否重点专业",
                 "培养层次", "备注" },
         { "header", "header", "header", "header", "header", "header", "header", "header" })
  for i, m in ipairs(MAJORS) do
    putrow(s, 1 + i, { i, m.name, m.category, "3年", "是", m.key and "√" or "",
                       "中级工", m.key and "省级校企合作研修平台重点专业" or "" })
  end
  FILES[#FILES + 1] = { "专业设置.xlsx", { s } }
end

-- 学生花名册.xlsx (教务科): birth dates typed as text in several ways, a
-- few ID numbers with a lowercase x, a note under the table.
do
  local s = newsheet("学生花名册", { widths = { [4] = 21, [7] = 18 } })
  merge(s, 0, 0, 0, 14, "衡阳工业技工学校学生花名册（截至2025年9月1日）", "title")
  local header = { "序号", "学号", "姓名", "性别", "身份证号", "出生日期", "专业", "班级",
                   "入学年份", "学籍状态", "是否农村生源", "困难类型", "班型", "生源地", "备注" }
  local hf = {}
  for i = 1, #header do hf[i] = "header" end
  putrow(s, 1, header, hf)
  local r = 2
  for i, st in ipairs(students) do
    local b = st.birth
    local birth
    local k = i % 10
    if k == 3 then
      birth = string.format("%d/%d/%d", b.y, b.m, b.d)
    elseif k == 7 then
      birth = string.format("%d年%d月%d日", b.y, b.m, b.d)
    elseif k == 9 then
      birth = string.format("%04d.%02d.%02d", b.y, b.m, b.d)
    else
      birth = iso(b)
    end
    local id = st.id
    if id:sub(18) == "X" and i % 2 == 0 then id = id:sub(1, 17) .. "x" end
    local note = ""
    if st.status == "休学" then note = "因病休学"
    elseif st.status == "退学" then note = "本人申请退学" end
    putrow(s, r, { i, st.student_no, st.name, st.gender, id, birth, st.major.name, st.class,
                   st.entry_year, st.status, yesno(st.rural), st.hardship or "",
                   st.track or "", st.origin, note },
           { nil, "text", nil, nil, "text", "text" })
    r = r + 1
  end
  put(s, r + 1, 0, "说明：学籍状态以2025年9月1日为准；2021级学生已于2024年6月毕业，保留其记录以便统计毕业生去向。")
  FILES[#FILES + 1] = { "学生花名册.xlsx", { s } }
end

-- 毕业生去向.xlsx (招生就业办): a totals line under the table.
do
  local s = newsheet("2024届毕业生", { widths = { [6] = 34 } })
  merge(s, 0, 0, 0, 8, "2024届毕业生去向统计表", "title")
  putrow(s, 1, { "序号", "学号", "姓名", "专业", "毕业年份", "毕业去向", "就业单位/升学院校",
                 "是否专业对口", "是否晋升管理岗" },
         { "header", "header", "header", "header", "header", "header", "header", "header", "header" })
  local r, emp, up = 2, 0, 0
  for i, g in ipairs(graduates) do
    local related, mgmt = "", ""
    if g.destination == "就业" then
      emp = emp + 1
      related, mgmt = yesno(g.related), yesno(g.management)
    else
      up = up + 1
    end
    putrow(s, r, { i, g.s.student_no, g.s.name, g.s.major.name, 2024, g.destination, g.employer,
                   related, mgmt }, { nil, "text" })
    r = r + 1
  end
  put(s, r, 0, "合计")
  put(s, r, 2, string.format("%d人", #graduates))
  put(s, r, 5, string.format("就业%d人，升学%d人", emp, up))
  FILES[#FILES + 1] = { "毕业生去向.xlsx", { s } }
end

-- 教职工名册.xlsx (人事, 党政办): merged two-row header, birth dates as real
-- dates, a note under the table.
do
  local s = newsheet("在职教职工", { widths = { [4] = 21 } })
  merge(s, 0, 0, 0, 11, "衡阳工业技工学校教职工名册（2025年9月）", "title")
  merge(s, 1, 0, 2, 0, "序号", "header")
  merge(s, 1, 1, 1, 5, "基本信息", "header")
  merge(s, 1, 6, 1, 8, "岗位与职称", "header")
  merge(s, 1, 9, 1, 11, "教师资格", "header")
  putrow(s, 2, { nil, "工号", "姓名", "性别", "身份证号", "出生日期", "岗位类别", "职称",
                 "最高学历", "是否双师型", "是否专业课教师", "是否兼职" },
         { nil, "header", "header", "header", "header", "header", "header", "header", "header",
           "header", "header", "header" })
  local r = 3
  for i, p in ipairs(staff) do
    putrow(s, r, { i, p.staff_no, p.name, p.gender, p.id, hgq.date(p.birth.y, p.birth.m, p.birth.d),
                   p.post, p.title, p.education, yesno(p.dual), yesno(p.specialised), "否" },
           { nil, "text", nil, nil, "text", "date" })
    r = r + 1
  end
  put(s, r + 1, 0, "注：年龄以2025年9月1日计；专任教师63人，行政人员12人，教辅人员4人，工勤人员4人。")
  FILES[#FILES + 1] = { "教职工名册.xlsx", { s } }
end

-- 合作企业.xlsx (招生就业办): the start of each partnership typed as text.
do
  local s = newsheet("合作企业", { widths = { [1] = 36, [2] = 44 } })
  merge(s, 0, 0, 0, 4, "校企合作企业名单", "title")
  putrow(s, 1, { "序号", "企业名称", "合作专业", "合作形式", "开始合作时间" },
         { "header", "header", "header", "header", "header" })
  for i, p in ipairs(PARTNERS) do
    putrow(s, 1 + i, { i, p[1], p[2], p[3], p[4] })
  end
  FILES[#FILES + 1] = { "合作企业.xlsx", { s } }
end

-- 竞赛获奖.xlsx (教务科)
do
  local s = newsheet("获奖情况", { widths = { [1] = 44 } })
  merge(s, 0, 0, 0, 5, "师生竞赛获奖情况登记表", "title")
  putrow(s, 1, { "年度", "竞赛名称", "级别", "参赛类别", "获奖等次", "获奖人" },
         { "header", "header", "header", "header", "header", "header" })
  for i, a in ipairs(AWARDS) do
    putrow(s, 1 + i, a)
  end
  FILES[#FILES + 1] = { "竞赛获奖.xlsx", { s } }
end

-- 技能等级认定.xlsx (教务科): one row per year, trade and level, with a
-- totals row of live formulas.
do
  local s = newsheet("历年认定", { widths = { [1] = 12 } })
  merge(s, 0, 0, 0, 4, "历年技能等级认定人数", "title")
  putrow(s, 1, { "年度", "工种", "等级", "对应职业资格", "认定人数" },
         { "header", "header", "header", "header", "header" })
  local r, total = 2, 0
  for k, y in ipairs(CERT_YEARS) do
    for _, row in ipairs(CERT_ROWS) do
      local n = row[3][k]
      if n > 0 then
        putrow(s, r, { y, row[1], row[2], LEVEL_NAME[row[2]], n })
        total = total + n
        r = r + 1
      end
    end
  end
  put(s, r, 0, "合计", "bold")
  formula(s, r, 4, string.format("SUM(E3:E%d)", r), total, "bold")
  assert(total == 959)
  FILES[#FILES + 1] = { "技能等级认定.xlsx", { s } }
end

-- 学生资助.xlsx (学生科): 2025 国家助学金, totals row.
do
  local s = newsheet("2025年国家助学金", { widths = { [5] = 14 } })
  merge(s, 0, 0, 0, 6, "2025年国家助学金发放名册", "title")
  putrow(s, 1, { "序号", "年度", "学号", "姓名", "困难类型", "资助项目", "金额（元）" },
         { "header", "header", "header", "header", "header", "header", "header" })
  local r, n = 2, 0
  for _, st in ipairs(students) do
    if st.hardship then
      n = n + 1
      putrow(s, r, { n, 2025, st.student_no, st.name, st.hardship, "国家助学金", 2300 },
             { nil, nil, "text" })
      r = r + 1
    end
  end
  assert(n == 284)
  put(s, r, 0, "合计", "bold")
  formula(s, r, 6, string.format("SUM(G3:G%d)", r), n * 2300, "bold")
  FILES[#FILES + 1] = { "学生资助.xlsx", { s } }
end

-- 大事记.xlsx (党政办)
do
  local s = newsheet("2025年大事记", { widths = { [1] = 70 } })
  merge(s, 0, 0, 0, 1, "2025年学校大事记", "title")
  putrow(s, 1, { "月份", "事件" }, { "header", "header" })
  for i, e in ipairs(EVENTS) do putrow(s, 1 + i, e) end
  FILES[#FILES + 1] = { "大事记.xlsx", { s } }
end

-- 2025年度质量报告附表.xlsx: the report's tables 表2-表6 exactly as printed.
do
  local sheets = {}
  local s = newsheet("表2", { widths = { [0] = 12, [1] = 24, [2] = 14, [3] = 16 } })
  merge(s, 0, 0, 0, 3, "表2 2025年各类专业新生人数统计表", "title")
  putrow(s, 1, { "新生总数", "机械、电工电子类新生人数", "信息类新生人数", "财经商贸类新生人数" },
         { "header", "header", "header", "header" })
  putrow(s, 2, { 549, 363, 90, 96 })
  sheets[#sheets + 1] = s

  s = newsheet("表3", { widths = { [1] = 10 } })
  merge(s, 0, 0, 0, 6, "表3 衡阳工业技工学校专任教师信息统计表", "title")
  putrow(s, 1, { nil, nil, "合计", "30岁以下", "31-40岁", "41-50岁", "51-60岁" },
         { nil, nil, "header", "header", "header", "header", "header" })
  merge(s, 1, 0, 1, 1, "", "header")
  merge(s, 2, 0, 2, 1, "总计")
  putrow(s, 2, { nil, nil, 63, 21, 19, 12, 11 })
  merge(s, 3, 0, 5, 0, "职称")
  putrow(s, 3, { nil, "中级", 18, 0, 2, 6, 10 })
  putrow(s, 4, { nil, "初级", 6, 1, 1, 4, 0 })
  putrow(s, 5, { nil, "未定职级", 39, 25, 11, 2, 1 })
  merge(s, 6, 0, 7, 0, "学历")
  putrow(s, 6, { nil, "本科", 58, 26, 15, 9, 8 })
  putrow(s, 7, { nil, "专科", 5, 2, 0, 1, 2 })
  -- zeros are printed as 0 in 表3: keep them
  for _, cell in ipairs(s.cells) do
    if cell[3] == 0 then cell[4] = "integer" end
  end
  sheets[#sheets + 1] = s

  s = newsheet("表4", { widths = { [1] = 36, [2] = 44 } })
  merge(s, 0, 0, 0, 2, "表4 产教融合校企合作专业一览表", "title")
  putrow(s, 1, { "序号", "企业名称", "合作专业" }, { "header", "header", "header" })
  for i, p in ipairs(PARTNERS) do putrow(s, 1 + i, { i, p[1], p[2] }) end
  sheets[#sheets + 1] = s

  s = newsheet("表5", { landscape = true, widths = { [0] = 10 } })
  merge(s, 0, 0, 0, 13, "表5 历年技能等级认定人数统计表", "title")
  local h = { "工种", "等级" }
  for _, y in ipairs(CERT_YEARS) do h[#h + 1] = tostring(y) end
  h[#h + 1] = "合计"
  local hf = {}
  for i = 1, #h do hf[i] = "header" end
  putrow(s, 1, h, hf)
  local r, first = 2, {}
  for _, row in ipairs(CERT_ROWS) do
    local vals = { nil, row[2] }
    local sum = 0
    for k = 1, #CERT_YEARS do
      if row[3][k] > 0 then vals[2 + k] = row[3][k] end
      sum = sum + row[3][k]
    end
    vals[#CERT_YEARS + 3] = sum
    putrow(s, r, vals)
    if not first[row[1]] then first[row[1]] = { r, r } else first[row[1]][2] = r end
    r = r + 1
  end
  for _, row in ipairs(CERT_ROWS) do
    local span = first[row[1]]
    if span then
      if span[1] == span[2] then put(s, span[1], 0, row[1]) else merge(s, span[1], 0, span[2], 0, row[1]) end
      first[row[1]] = nil
    end
  end
  local tot = { "总计", nil }
  local grand = 0
  for k, v in ipairs(CERT_TOTALS) do tot[2 + k] = v; grand = grand + v end
  tot[#CERT_YEARS + 3] = grand
  putrow(s, r, tot)
  sheets[#sheets + 1] = s

  s = newsheet("表6", { widths = { [0] = 8, [1] = 10, [2] = 24, [3] = 22, [4] = 22 } })
  merge(s, 0, 0, 0, 4, "表6 学生资助情况统计表", "title")
  putrow(s, 1, { "年 份", "在校生数", "建档立卡贫困家庭学生人数", "非涉农困难家庭学生人数",
                 "享受助学金学生总人数" }, { "header", "header", "header", "header", "header" })
  putrow(s, 2, { 2025, 1260, 120, 164, 284 })
  putrow(s, 3, { 2024, 1064, 86, 117, 203 })
  putrow(s, 4, { 2023, 657, 35, 60, 95 })
  sheets[#sheets + 1] = s
  FILES[#FILES + 1] = { "2025年度质量报告附表.xlsx", sheets }
end

-- 社会培训.csv (培训部), saved by Excel as GBK: a title line, one count
-- typed with its unit, a totals line.
local TRAINING_CSV
do
  local s = newsheet("社会培训")
  put(s, 0, 0, "2023-2025年社会培训情况统计")
  putrow(s, 1, { "年度", "委托单位", "培训项目", "培训人次" })
  local r = 2
  local sums = {}
  for _, t in ipairs(TRAINING) do
    putrow(s, r, t)
    local n = type(t[4]) == "number" and t[4] or tonumber(t[4]:match("%d+"))
    sums[t[1]] = (sums[t[1]] or 0) + n
    r = r + 1
  end
  putrow(s, r, { "合计", "", "", sums[2023] + sums[2024] + sums[2025] })
  TRAINING_CSV = csv_text(s)
end

-- }====================================================================

local function q(x) return "'" .. x:gsub("'", "'\\''") .. "'" end

local function main()
  if not os.execute("mkdir -p " .. q(OUT)) then error("cannot create " .. OUT) end
  for _, f in ipairs(FILES) do
    emit(OUT .. "/" .. f[1], f[2], { title = (f[1]:gsub("%.xlsx$", "")), author = SCHOOL.name,
                                      created = hgq.date(2025, 9, 1) })
  end
  local tmp = os.tmpname()
  local fh = assert(io.open(tmp, "wb"))
  fh:write(TRAINING_CSV)
  fh:close()
  local dest = OUT .. "/社会培训.csv"
  local ok = os.execute(string.format("iconv -f UTF-8 -t GB18030 %s > %s", q(tmp), q(dest)))
  os.remove(tmp)
  if not ok then error("iconv failed: cannot write " .. dest) end
  io.write(string.format("wrote %d files to %s\n", #FILES + 1, OUT))
end

main()
