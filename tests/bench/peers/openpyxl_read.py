"""Reads every cell of the first sheet with openpyxl in read-only mode.

    python3 openpyxl_read.py FILE.xlsx

Prints rows=, cells=, dates=, total_s= (key=value, as the libhgq programs).
"""
import datetime
import sys
import time

import openpyxl

t0 = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.worksheets[0]
rows = cells = dates = 0
for row in ws.iter_rows(values_only=True):
    rows += 1
    for v in row:
        if v is not None:
            cells += 1
            if isinstance(v, datetime.datetime):
                dates += 1
wb.close()
print(f"rows={rows}\ncells={cells}\ndates={dates}\ntotal_s={time.perf_counter() - t0:.4f}")
