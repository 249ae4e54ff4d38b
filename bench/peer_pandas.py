#!/usr/bin/env python3
# Copied unchanged (but for this comment) from the project's reference
# material, shared/reference/peer_pandas.py: the pandas notebook a user would
# write instead of skew (issue 12, "The analysis at the speed of sort"), run
# by bench/run.sh as it is, with Debian's /usr/bin/python3 and its
# python3-pandas and python3-numpy.
"""The notebook a user would write instead of skew: read a `PID: TID: TS`
log with pandas, sort, split runs at idle gaps, per-run spread and stagger
(np.polyfit), then spread against n across runs.  usage: peer_pandas.py LOG"""
import sys
import numpy as np
import pandas as pd
df = pd.read_csv(sys.argv[1], sep=": ", engine="python", names=["pid", "tid", "ts"], dtype=str)
df["ts"] = pd.to_datetime(df["ts"])
df = df.sort_values("ts", kind="stable").reset_index(drop=True)
gap = df["ts"].diff().dt.total_seconds().fillna(0)
df["run"] = (gap > 60).cumsum()
rows = []
for r, g in df.groupby("run"):
    t = (g["ts"] - g["ts"].iloc[0]).dt.total_seconds().to_numpy()
    slope = np.polyfit(np.arange(len(t)), t, 1)[0] if len(t) > 1 else float("nan")
    rows.append((r, len(t), t[-1], slope, g["tid"].nunique()))
res = pd.DataFrame(rows, columns=["run", "n", "spread", "stagger", "tids"])
b, a = np.polyfit(res["n"], res["spread"], 1) if len(res) > 1 else (float("nan"), float("nan"))
print(res.to_string(index=False))
print(f"spread = {a:.6f} + {b:.6f} n")
