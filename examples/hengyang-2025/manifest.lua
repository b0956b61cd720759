-- What `hgq report` should know about this folder beyond what it can tell
-- from the files themselves. Every key is optional: without this file the
-- report recognises each sheet by its header and the published tables by
-- their titles.
--
--   school, year, as_of, type   the school, report year, reference date
--                               (ages, status) and school type
--   files[NAME]                 one input file:
--     entity = "student"        the entity its (first matching) sheet holds
--     sheet = "学生花名册"       the sheet to read (default: recognised)
--     encoding = "gb18030"      CSV encoding (default: detected)
--     skip = true               leave the file out
--     mapping = {field = "column letters or header text", ...}
--     sheets = {[SHEET] = {...}} per sheet of a workbook with several tables:
--       entity = ...            records, as above
--       aggregate = "pub_..."   a published table (表2 pub_new_students,
--                               表3 pub_teachers, 表5 pub_certifications,
--                               表6 pub_aid)
--       published = "partner"   a published list of records (表4), compared
--                               with the roster of that entity
return {
  school = "衡阳工业技工学校",
  year = 2025,
  as_of = "2025-09-01",
  type = "技工学校",
  files = {
    ["学校基本情况.xlsx"] = { entity = "school" },
    ["专业设置.xlsx"] = { entity = "major" },
    ["学生花名册.xlsx"] = { entity = "student", sheet = "学生花名册" },
    ["毕业生去向.xlsx"] = { entity = "graduate" },
    ["教职工名册.xlsx"] = { entity = "staff" },
    ["合作企业.xlsx"] = { entity = "partner" },
    ["竞赛获奖.xlsx"] = { entity = "award" },
    ["技能等级认定.xlsx"] = { entity = "certification" },
    ["学生资助.xlsx"] = { entity = "aid" },
    ["社会培训.csv"] = { entity = "training", encoding = "gb18030" },
    ["大事记.xlsx"] = { entity = "event" },
    ["2025年度质量报告附表.xlsx"] = {
      sheets = {
        ["表2"] = { aggregate = "pub_new_students" },
        ["表3"] = { aggregate = "pub_teachers" },
        ["表4"] = { published = "partner" },
        ["表5"] = { aggregate = "pub_certifications" },
        ["表6"] = { aggregate = "pub_aid" },
      },
    },
  },
}
