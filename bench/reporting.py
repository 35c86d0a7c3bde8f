# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""What the benchmark reports share (bench/report.py and
bench/validation/report.py): statistics over rounds, number formats, the
run's header from the BENCH_* environment variables the scripts set, and
rewriting a block of docs/benchmarks.md between two markers. Standard
library only (Debian's /usr/bin/python3)."""
import os
import statistics
import sys


def env(name, default=""):
    return os.environ.get(name, default)


def median(vals):
    """The median of vals; None when there are none."""
    vals = list(vals)
    return statistics.median(vals) if vals else None


def span(vals, fmt="%.0f"):
    """'min–max' of vals, each in fmt; '' when there are none."""
    vals = list(vals)
    return "%s–%s" % (fmt % min(vals), fmt % max(vals)) if vals else ""


def n0(x):
    """x rounded, with thousands separators: 12,345."""
    return "{:,.0f}".format(x)


def round_ratios(ours, peer, key):
    """Per round, ours[key] / peer[key] for the rounds both sides ran (rows
    are dicts with a "round"), skipping rounds where the peer's is 0."""
    by_round = {r["round"]: r for r in peer}
    return [o[key] / by_round[o["round"]][key] for o in ours
            if o["round"] in by_round and by_round[o["round"]][key]]


def run_header(command):
    """The first lines of a results block: when, where, which commit, and
    the command (COMMAND unless BENCH_COMMAND says otherwise)."""
    return ["Run of %s on %s x %s (Linux %s), commit %s." %
            (env("BENCH_DATE", "?"), env("BENCH_NPROC", "?"), env("BENCH_CPU", "?"),
             env("BENCH_KERNEL", "?"), env("BENCH_COMMIT", "?")),
            "",
            "Command: `%s`" % env("BENCH_COMMAND", command),
            ""]


def update_doc(path, text, begin, end, append=False):
    """Replaces what stands between the markers BEGIN and END in PATH by
    TEXT. Without them: with APPEND, adds the block at the end of the file;
    otherwise stops with an error."""
    with open(path) as fh:
        doc = fh.read()
    if begin in doc and end in doc:
        head, rest = doc.split(begin, 1)
        _, tail = rest.split(end, 1)
    elif append:
        head, tail = doc.rstrip("\n") + "\n\n", "\n"
    else:
        sys.exit("report: %s has no %s ... %s block" % (path, begin, end))
    with open(path + ".tmp", "w") as fh:
        fh.write(head + begin + "\n" + text + end + tail)
    os.replace(path + ".tmp", path)


def main(argv, usage, summarise, begin, end, append=False):
    """report.py RESULTS.tsv [DOC.md]: prints summarise(RESULTS.tsv) and,
    with DOC.md, writes it between the markers there."""
    if len(argv) not in (2, 3):
        sys.exit(usage)
    text = summarise(argv[1])
    print(text)
    if len(argv) == 3:
        update_doc(argv[2], text, begin, end, append)
        print("report: results written to %s" % argv[2])
