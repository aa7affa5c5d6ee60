"""Copies the reference trajectories of one optimizer made with its authors' code into the
repository, compactly, as make_oracle_data.py does for the main ones.

    /usr/bin/python3 tests/reference/make_oracle_ext_data.py NAME PATH/TO/oracle/ext

reads PATH/TO/oracle/ext/NAME/torch_<function>.json (the strict set) and
PATH/TO/oracle/ext/NAME_relaxed/torch_<function>.json (the relaxed set) and writes
tests/reference/oracle_ext/NAME/keys.txt (one key per line, "function/optimizer/options/start=(x,y)",
the strict entries first, then the relaxed ones) and tests/reference/oracle_ext/NAME/params.npy
(float64, shape (entries, 51, 2): the parameters at step 0 = the start, then after each of 50
steps). It prints the SHA-256 of every source file and the number of entries of each set, for
the folder's README. The test suite reads only keys.txt and params.npy.
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np

name, ext = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle_ext", name)
os.makedirs(out, exist_ok=True)
keys, rows = [], []
for folder in (name, name + "_relaxed"):
    count = 0
    for path in sorted(glob.glob(os.path.join(ext, folder, "torch_*.json"))):
        data = open(path, "rb").read()
        print(hashlib.sha256(data).hexdigest(), folder + "/" + os.path.basename(path))
        for key, entry in json.loads(data)["entries"].items():
            params = np.asarray(entry["params"], dtype=np.float64)
            assert params.shape == (51, 2), (key, params.shape)
            keys.append(key)
            rows.append(params)
            count += 1
    print(folder, count, "trajectories")
with open(os.path.join(out, "keys.txt"), "w") as f:
    f.write("\n".join(keys) + "\n")
np.save(os.path.join(out, "params.npy"), np.stack(rows))
print(len(keys), "trajectories in", out)
