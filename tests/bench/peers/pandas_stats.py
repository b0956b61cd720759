"""The statistics of tests/bench/stats.c done with pandas: 表2, 表3, the
province's group-bys and the student and staff indicators of libhgq's
catalogue, over the CSV files `gen province` writes under P/all/.

    python3 pandas_stats.py DIR

Prints load_s (reading the CSVs), t2_s, t3_s, groups_s, indicators_s,
stats_s (their sum), the same as CPU time (load_cpu ... stats_cpu) and the
results under the keys stats.c uses, so that
run.sh can check that both computed the same figures.
"""
import sys
import time

import numpy as np
import pandas as pd

D = sys.argv[1]
YEAR = 2025
BANDS = ["30岁以下", "31-40岁", "41-50岁", "51-60岁", "60岁以上"]
TITLES = ["正高级", "副高级", "中级", "初级", "未定职级"]
EDUS = ["研究生", "本科", "专科", "高中及以下"]

t0, c0 = time.perf_counter(), time.process_time()
majors = pd.read_csv(f"{D}/major.csv")
students = pd.read_csv(f"{D}/student.csv", dtype={"student_no": str, "id_number": str})
staff = pd.read_csv(f"{D}/staff.csv", dtype={"id_number": str}, parse_dates=["birth_date"])
load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
out = {}

# 表2: 2025 entrants by major category x gender, with margins
t0, c0 = time.perf_counter(), time.process_time()
new = students[students.entry_year == YEAR]
category = new["major"].map(majors.set_index("name")["category"])
t2 = pd.crosstab(category, new["gender"], margins=True, margins_name="合计")
t2_s, t2_cpu = time.perf_counter() - t0, time.process_time() - c0
out["new_students"] = t2.loc["合计", "合计"]
for cat in t2.index:
    if cat != "合计":
        out[f"new.{cat}"] = t2.loc[cat, "合计"]

# 表3: 专任教师 by title and by education x age band on 2025-09-01
t0, c0 = time.perf_counter(), time.process_time()
b = staff["birth_date"]
age = YEAR - b.dt.year - ((b.dt.month > 9) | ((b.dt.month == 9) & (b.dt.day > 1))).astype(int)
band = pd.cut(age, [-np.inf, 30, 40, 50, 60, np.inf], labels=BANDS)
teach = staff.post == "专任教师"
t3 = {}
for dim, order in (("title", TITLES), ("education", EDUS)):
    x = pd.crosstab(staff.loc[teach, dim], band[teach], margins=True, margins_name="合计",
                    dropna=False)
    t3[dim] = x.reindex(index=order + ["合计"], columns=BANDS + ["合计"], fill_value=0)
t3_s, t3_cpu = time.perf_counter() - t0, time.process_time() - c0
out["teachers"] = t3["title"].loc["合计", "合计"]
for dim, order in (("title", TITLES), ("education", EDUS)):
    for r in order:
        for c in BANDS + ["合计"]:
            out[f"t3.{r}.{c}"] = t3[dim].loc[r, c]

# group-bys: in school by major and year (with a total), by origin (with
# shares), by hardship
t0, c0 = time.perf_counter(), time.process_time()
ins = students[students.status == "在校"]
g1 = ins.groupby(["major", "entry_year"]).size()
out["in_school"] = int(g1.sum())
g2 = ins.groupby("origin").size()
g2 = pd.DataFrame({"count": g2, "share": g2 / g2.sum()})
g3 = ins.groupby("hardship", dropna=False).size()
for k, v in g3.items():
    if isinstance(k, str):
        out[f"hardship.{k}"] = v
out["groups"] = len(g1) + 1 + len(g2) + len(g3)
groups_s, groups_cpu = time.perf_counter() - t0, time.process_time() - c0

# indicators: the catalogue's student and staff indicators
t0, c0 = time.perf_counter(), time.process_time()
ind = {}
cat_all = students["major"].map(majors.set_index("name")["category"])
entrants = students.entry_year == YEAR
ind["new_students"] = int(entrants.sum())
ind["new_students_mech_elec"] = int((entrants & cat_all.isin(["机械类", "电工电子类"])).sum())
ind["new_students_info"] = int((entrants & (cat_all == "信息类")).sum())
ind["new_students_finance"] = int((entrants & (cat_all == "财经商贸类")).sum())
inschool = students.status == "在校"
ind["students"] = int(inschool.sum())
ind["majors"] = len(majors)
ind["rural_students"] = int((inschool & (students.rural == "是")).sum())
ind["rural_share"] = 100 * ind["rural_students"] / ind["students"]
pt = staff.part_time == "是"
ind["staff"] = int((~pt).sum())
tch = (staff.post == "专任教师") & ~pt
ind["teachers"] = int(tch.sum())
ind["part_time_teachers"] = int(pt.sum())
ind["student_teacher_ratio"] = ind["students"] / ind["teachers"]
ind["teacher_student_ratio"] = ind["students"] / ind["teachers"]
dual, spec = staff.dual == "是", staff.specialised == "是"
ind["dual_teachers"] = int((tch & dual).sum())
ind["specialised_teachers"] = int((tch & spec).sum())
ind["dual_specialised_teachers"] = int((tch & spec & dual).sum())
ind["dual_teacher_share"] = 100 * ind["dual_teachers"] / ind["teachers"]
ind["senior_title_teachers"] = int((tch & staff.title.isin(["正高级", "副高级"])).sum())
ind["senior_title_share"] = 100 * ind["senior_title_teachers"] / ind["teachers"]
for key, label in zip(["30_under", "31_40", "41_50", "51_60", "60_over"], BANDS):
    n = int((tch & (band == label)).sum())
    ind[f"teachers_age_{key}"] = n
    ind[f"teachers_age_{key}_share"] = 100 * n / ind["teachers"]
for key, label in zip(["full_senior", "associate_senior", "intermediate", "junior", "none"], TITLES):
    n = int((tch & (staff.title == label)).sum())
    ind[f"teachers_title_{key}"] = n
    ind[f"teachers_title_{key}_share"] = 100 * n / ind["teachers"]
for key, label in zip(["postgraduate", "bachelor", "associate", "secondary"], EDUS):
    n = int((tch & (staff.education == label)).sum())
    ind[f"teachers_edu_{key}"] = n
    ind[f"teachers_edu_{key}_share"] = 100 * n / ind["teachers"]
indicators_s, indicators_cpu = time.perf_counter() - t0, time.process_time() - c0
for k, v in ind.items():
    out[f"ind.{k}"] = v

for k, v in out.items():
    print(f"{k}={float(v):.6g}" if isinstance(v, float) else f"{k}={int(v)}")
print(f"load_s={load_s:.4f}\nt2_s={t2_s:.4f}\nt3_s={t3_s:.4f}\ngroups_s={groups_s:.4f}")
print(f"indicators_s={indicators_s:.4f}\nstats_s={t2_s + t3_s + groups_s + indicators_s:.4f}")
print(f"load_cpu={load_cpu:.4f}\nt2_cpu={t2_cpu:.4f}\nt3_cpu={t3_cpu:.4f}\ngroups_cpu={groups_cpu:.4f}")
print(f"indicators_cpu={indicators_cpu:.4f}\nstats_cpu={t2_cpu + t3_cpu + groups_cpu + indicators_cpu:.4f}")
