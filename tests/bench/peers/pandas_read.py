"""Reads the first sheet into a DataFrame with pandas.read_excel (openpyxl).

    python3 pandas_read.py FILE.xlsx

Prints rows= (data rows under the header), cells= (non-null values), dates=
(datetime columns' values), total_s=.
"""
import sys
import time

import pandas as pd

t0 = time.perf_counter()
df = pd.read_excel(sys.argv[1], sheet_name=0, engine="openpyxl")
t = time.perf_counter() - t0
dates = sum(int(df[c].notna().sum()) for c in df.columns
            if pd.api.types.is_datetime64_any_dtype(df[c]))
print(f"rows={len(df)}\ncells={int(df.notna().sum().sum())}\ndates={dates}\ntotal_s={t:.4f}")
