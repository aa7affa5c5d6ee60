#!/usr/bin/env python3
"""Converts the K-FAC reference trajectories (schema tapegrad-oracle-trajectory/1, made by
running alecwangcq/KFAC-Pytorch's KFACOptimizer in float64, see README.md) into
mlp_iris30.txt, a plain text file the test suite reads without a JSON parser.

  /usr/bin/python3 make_kfac_reference.py STRICT.json RELAXED.json > mlp_iris30.txt

It also writes, next to itself, what `tapegrad kfac` takes to replay the default entries:
init0_start.txt (the start, one number a line) and init0_sampled_default_labels.txt (the
recorded Fisher labels of kfac_sampled/default, one line per statistics step).

Each line is a name and its values, numbers as Python's repr (they read back exactly):
  problem X <rows> <cols> ... | y ... | train_mean ... | train_std ...   (the data, once)
  entry <key>                 (then, for that entry:)
  set <strict|relaxed>        which file it came from
  fisher <empirical|sampled>
  option <name> <value>       every option (resolved hyperparameters)
  start ...                   the 67 parameters of the start
  params <k> ...              the parameters after k steps, k = 0..50
  loss ...                    the 51 losses
  fisher_labels <k> ...       the labels of the Fisher loss at step k (statistics steps only)
  nu ... | vg_sum ...         the KL clip of each step (50 values)
  update_grad <k> ...         the gradient after step k's step(), k = 0..4
  factor <layer> <m_aa|m_gg> <n> ...   the factors after the statistics of step 0
  end
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

OPTIONS = ["lr", "momentum", "stat_decay", "damping", "kl_clip", "weight_decay", "TCov", "TInv", "batch_averaged"]


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


def main(paths):
    out = []
    problem = None
    for path, which in zip(paths, ["strict", "relaxed"]):
        raw = open(path, "rb").read()
        doc = json.loads(raw)
        out.append("# %s: %s sha256 %s" % (which, "/".join(path.split("/")[-2:]), hashlib.sha256(raw).hexdigest()))
        if problem is None:
            problem = doc["problem"]
            X = problem["X"]
            out.append("problem X %d %d %s" % (len(X), len(X[0]), fmt(v for row in X for v in row)))
            out.append("problem y %s" % fmt(problem["y"]))
            out.append("problem train_mean %s" % fmt(problem["train_mean"]))
            out.append("problem train_std %s" % fmt(problem["train_std"]))
        for key, e in doc["entries"].items():
            assert e["problem"]["X"] == problem["X"] and e["problem"]["y"] == problem["y"]
            x = e["extra"]
            h = e["resolved_hyperparameters"]
            if key.endswith("/kfac_empirical/default/start=init0"):
                with open(os.path.join(HERE, "init0_start.txt"), "w") as f:
                    f.write("".join(repr(float(v)) + "\n" for v in e["start"]))
            if key.endswith("/kfac_sampled/default/start=init0"):
                with open(os.path.join(HERE, "init0_sampled_default_labels.txt"), "w") as f:
                    f.write("".join(" ".join(str(int(v)) for v in labels) + "\n"
                                    for labels in x["fisher_labels"] if labels is not None))
            out.append("entry %s" % key)
            out.append("set %s" % which)
            out.append("fisher %s" % h["fisher"])
            for name in OPTIONS:
                v = h[name]
                out.append("option %s %s" % (name, ("true" if v else "false") if isinstance(v, bool) else repr(v)))
            out.append("start %s" % fmt(e["start"]))
            for k, row in enumerate(e["params"]):
                out.append("params %d %s" % (k, fmt(row)))
            out.append("loss %s" % fmt(e["loss"]))
            for k, labels in enumerate(x["fisher_labels"]):
                if labels is not None:
                    out.append("fisher_labels %d %s" % (k, fmt(labels)))
            out.append("nu %s" % fmt(x["nu"]))
            out.append("vg_sum %s" % fmt(x["vg_sum"]))
            for k in range(5):
                out.append("update_grad %d %s" % (k, fmt(x["update_grad"][k])))
            f = x["factors_after_step0"]
            for layer in range(len(f["m_aa"])):
                for name in ("m_aa", "m_gg"):
                    m = f[name][layer]
                    out.append("factor %d %s %d %s" % (layer, name, len(m), fmt(v for row in m for v in row)))
            out.append("end")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
