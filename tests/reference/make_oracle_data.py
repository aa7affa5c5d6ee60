"""Copies the optimizer reference trajectories into the repository, compactly.

    /usr/bin/python3 tests/reference/make_oracle_data.py PATH/TO/oracle/golden

reads the golden trajectory files (torch_<function>.json: PyTorch 1.13; seed_<function>.json:
an independent NumPy implementation of the textbook and paper forms) and writes
tests/reference/oracle/keys.txt (one key per line, "function/optimizer/options/start=(x,y)")
and tests/reference/oracle/params.npy (float64, shape (entries, 51, 2): the parameters at
step 0 = the start, then after each of 50 steps). The test suite reads only these two files.
"""
import glob
import json
import os
import sys

import numpy as np

golden = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle")
keys, rows = [], []
for path in sorted(glob.glob(os.path.join(golden, "*.json"))):
    doc = json.load(open(path))
    for key, entry in doc["entries"].items():
        params = np.asarray(entry["params"], dtype=np.float64)
        assert params.shape == (51, 2), (key, params.shape)
        keys.append(key)
        rows.append(params)
with open(os.path.join(out, "keys.txt"), "w") as f:
    f.write("\n".join(keys) + "\n")
np.save(os.path.join(out, "params.npy"), np.stack(rows))
print(len(keys), "trajectories")
