#!/usr/bin/env python3
"""Compares a `tapegrad optimize` trace with a reference trajectory of tests/reference/oracle/
(or a `tapegrad kfac` trace with one of tests/reference/oracle_ext/kfac/, keys mlp_iris30/...).

    tapegrad optimize --function rosenbrock --optimizer adam --set lr=0.05 --set amsgrad=true \\
        --start -1.5,2 --steps 50 --trace adam.csv
    python3 tests/cli/check_trace.py adam.csv --key 'rosenbrock/adam/lr=0.05,amsgrad=true/start=(-1.5,2)'

A parameter passes when |trace - reference| <= atol + rtol * |reference| (1e-12 and 1e-9, the
tolerance every entry of the reference data is good to). Prints PASS or FAIL with the largest
difference; exit status 0 (pass), 1 (fail), 2 (bad input). Python's standard library only: the
.npy file is read directly (a header, then little-endian float64 values).
"""
import argparse
import ast
import csv
import math
import struct
import sys
from array import array
from pathlib import Path

ORACLE = Path(__file__).resolve().parent.parent / "reference" / "oracle"
KFAC = Path(__file__).resolve().parent.parent / "reference" / "oracle_ext" / "kfac" / "mlp_iris30.txt"


def read_npy(path):
    """The shape and the values (flat, row-major) of a little-endian float64 .npy file."""
    data = path.read_bytes()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not a .npy file")
    major = data[6]
    header_length_size = 2 if major == 1 else 4
    (header_length,) = struct.unpack_from("<H" if major == 1 else "<I", data, 8)
    start = 8 + header_length_size
    header = ast.literal_eval(data[start:start + header_length].decode("latin1"))
    if header["descr"] != "<f8" or header["fortran_order"]:
        raise ValueError(f"{path}: expected little-endian float64 in C order, got {header}")
    values = array("d")
    values.frombytes(data[start + header_length:])
    if sys.byteorder != "little":
        values.byteswap()
    return header["shape"], values


def kfac_reference(key):
    """The K-FAC reference trajectory named `key`: its lines "params <k> <values>"."""
    rows, inside = [], False
    for line in KFAC.read_text().splitlines():
        words = line.split()
        if words[:1] == ["entry"]:
            inside = words[1] == key
        elif inside and words[:1] == ["params"]:
            rows.append([float(v) for v in words[2:]])
    if not rows:
        raise KeyError(key)
    return rows


def reference(key):
    """The reference trajectory named `key`: a list of rows [p0, p1, ...]."""
    if key.startswith("mlp_iris30/"):
        return kfac_reference(key)
    keys = (ORACLE / "keys.txt").read_text().split()
    if key not in keys:
        raise KeyError(key)
    (count, rows, dim), values = read_npy(ORACLE / "params.npy")
    base = keys.index(key) * rows * dim
    return [list(values[base + r * dim: base + (r + 1) * dim]) for r in range(rows)]


def read_trace(path):
    """The parameter columns of a trace with the header step,loss,p0,p1,..."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    if header[:2] != ["step", "loss"] or any(h != f"p{i}" for i, h in enumerate(header[2:])):
        raise ValueError(f"{path}: header {','.join(header)} is not step,loss,p0,p1,...")
    return [[float(v) for v in row[2:]] for row in rows[1:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trace", help="CSV written by tapegrad optimize --trace (or tapegrad kfac --trace)")
    parser.add_argument("--key", required=True, help="function/optimizer/options/start=(x,y), a line of keys.txt")
    parser.add_argument("--rtol", type=float, default=1e-9)
    parser.add_argument("--atol", type=float, default=1e-12)
    args = parser.parse_args()
    try:
        golden = reference(args.key)
        trace = read_trace(args.trace)
    except KeyError:
        print(f"unknown key {args.key!r} (see {ORACLE / 'keys.txt'} and {KFAC})", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(e, file=sys.stderr)
        return 2
    if len(trace) != len(golden):
        print(f"FAIL {args.key}: the trace has {len(trace)} rows, the reference {len(golden)} (use --steps "
              f"{len(golden) - 1})")
        return 1
    worst = (0.0, 0, 0)  # the largest |difference| / allowed, its step and component
    for step, (row, ref) in enumerate(zip(trace, golden)):
        for k, (a, b) in enumerate(zip(row, ref)):
            ratio = abs(a - b) / (args.atol + args.rtol * abs(b)) if math.isfinite(a) else math.inf
            if ratio > worst[0]:
                worst = (ratio, step, k)
    ratio, step, k = worst
    verdict = "PASS" if ratio <= 1 else "FAIL"
    where = "every value identical" if ratio == 0 else \
        f"largest difference {ratio:.3g} of the tolerance (step {step}, p{k})"
    print(f"{verdict} {args.key}: {len(trace)} rows; {where}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
