#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Summarise a bench/run.sh results file: medians, min-max spread, ratios
against the peers and the targets.

    report.py RESULTS.tsv [DOC.md]

Prints the summary (markdown). With DOC.md, also replaces the block between
the results markers in that file. The run's facts (date, machine, command,
settings) come from BENCH_* environment variables set by bench/run.sh.

RESULTS.tsv lines: test, side, round, rate/s, p50 us, p99 us, cpu %,
errors, requests.
"""
import sys

from reporting import env, main, median, n0, round_ratios, run_header, span

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"

READ_RATIO_TARGET = 0.8
READ_P99_TARGET_MS = 2.0
REGISTER_TARGET = 1000.0
REREGISTER_TARGET = 20000.0


def load(path):
    rows = {}
    with open(path) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 9:
                continue
            row = {
                "round": int(f[2]),
                "rate": float(f[3]),
                "p50": float(f[4]) / 1000 if f[4] else None,
                "p99": float(f[5]) / 1000 if f[5] else None,
                "cpu": float(f[6]) if f[6] else None,
                "errors": int(f[7]),
                "requests": int(f[8]),
            }
            rows.setdefault((f[0], f[1]), []).append(row)
    return rows


def values(rows, key):
    return [r[key] for r in rows if r[key] is not None]


def med(rows, key):
    return median(values(rows, key))


def spread(rows, key, fmt):
    return span(values(rows, key), fmt)


def rate_cell(rows):
    return "**%s** (%s)" % (n0(med(rows, "rate")), spread(rows, "rate", "%.0f"))


def lat_cell(rows):
    return "%.2f / **%.2f** (p99 %s)" % (med(rows, "p50"), med(rows, "p99"),
                                          spread(rows, "p99", "%.2f"))


def per_cpu(rows):
    """Median requests per CPU-second the server itself used: robust against
    other processes taking CPU time from the server."""
    vals = [r["rate"] * 100 / r["cpu"] for r in rows if r["cpu"]]
    return median(vals) if vals else float("nan")


def verdict(ok):
    return "met" if ok else "**NOT met**"


def errors_note(rows):
    n = sum(r["errors"] for r in rows)
    return "" if n == 0 else " — %d failed requests!" % n


def placement(cpus):
    return "not pinned" if cpus == "any" else "pinned to CPU %s" % cpus


def summary(rows):
    out = run_header("sh bench/run.sh")
    out.append("Settings: %s rounds of %s s per wrk run (rounds alternate ours/peer), "
               "wrk %s `-t%s -c%s --latency` %s; our server `--threads %s` and "
               "nginx `worker_processes %s` %s; %s; load average "
               "(1/5/15 min) %s during the run." %
               (env("BENCH_ROUNDS", "?"), env("BENCH_DURATION", "?"), env("BENCH_WRK", "?"),
                env("BENCH_WRK_THREADS", "?"), env("BENCH_CONNS", "?"),
                placement(env("BENCH_WRK_CPUS", "any")), env("BENCH_THREADS", "?"),
                env("BENCH_THREADS", "?"), placement(env("BENCH_SERVER_CPUS", "any")),
                env("BENCH_NGINX", "nginx"), env("BENCH_LOAD", "?")))
    out.append("")
    out.append("Data set: %s." % env("BENCH_DATASET", "?"))
    out.append("")
    out.append("Medians over the rounds, min–max spread in parentheses; latencies in ms.")
    out.append("")
    out.append("| reads (vs nginx, same bodies) | ours req/s | nginx req/s | ratio (target ≥ %.1f) "
               "| ours p50 / p99 (target p99 < %g) | nginx p50 / p99 | server CPU %% ours / nginx "
               "| req per server CPU-second ours / nginx |"
               % (READ_RATIO_TARGET, READ_P99_TARGET_MS))
    out.append("|---|---|---|---|---|---|---|---|")
    for test, label in (("read-ids", "`GET /schemas/ids/{id}`"),
                        ("read-latest", "`GET /subjects/{s}/versions/latest`")):
        ours, peer = rows.get((test, "ours")), rows.get((test, "nginx"))
        if not ours or not peer:
            continue
        ratios = round_ratios(ours, peer, "rate")
        ratio = median(ratios)
        p99 = med(ours, "p99")
        out.append("| %s | %s | %s | **%.2f** (%.2f–%.2f): %s | %s: %s | %s | %.0f / %.0f "
                   "| %s / %s (ratio %.2f) |%s" %
                   (label, rate_cell(ours), rate_cell(peer), ratio, min(ratios), max(ratios),
                    verdict(ratio >= READ_RATIO_TARGET), lat_cell(ours),
                    verdict(p99 < READ_P99_TARGET_MS), lat_cell(peer), med(ours, "cpu"),
                    med(peer, "cpu"), n0(per_cpu(ours)), n0(per_cpu(peer)),
                    per_cpu(ours) / per_cpu(peer),
                    errors_note(ours + peer)))
    out.append("")
    out.append("| writes | ours per s | target | p50 / p99 | context |")
    out.append("|---|---|---|---|---|")
    reg, raw = rows.get(("register", "ours")), rows.get(("register", "sqlite"))
    if reg:
        ctx = ""
        if raw:
            ctx = ("raw SQLite durable commits (bench/storage.c, same disk, same run): "
                   "%s/s (%s); registrations are %.0f%% of it" %
                   (n0(med(raw, "rate")), spread(raw, "rate", "%.0f"),
                    100 * med(reg, "rate") / med(raw, "rate")))
        out.append("| new versions, durable SQLite (BACKWARD, compatible additions) | %s | ≥ %s: %s "
                   "| %s | %s |%s" % (rate_cell(reg), n0(REGISTER_TARGET),
                                      verdict(med(reg, "rate") >= REGISTER_TARGET),
                                      lat_cell(reg), ctx, errors_note(reg)))
    for test, label, note in (
            ("rereg-stored", "idempotent re-registration, the stored bytes",
             "the text as registered (Avro's Schema.toString() order): found by text"),
            ("rereg-pretty", "idempotent re-registration, pretty-printed",
             "same schemas, other bytes (an .avsc file): parsed to find the identity")):
        rr = rows.get((test, "ours"))
        if rr:
            out.append("| %s | %s | ≥ %s: %s | %s | %s |%s" %
                       (label, rate_cell(rr), n0(REREGISTER_TARGET),
                        verdict(med(rr, "rate") >= REREGISTER_TARGET), lat_cell(rr), note,
                        errors_note(rr)))
    out.append("")
    out.append("<details><summary>Every round</summary>")
    out.append("")
    out.append("| test | side | round | per s | p50 ms | p99 ms | server CPU % | errors |")
    out.append("|---|---|---|---|---|---|---|---|")
    for (test, side), rs in rows.items():
        for r in rs:
            out.append("| %s | %s | %d | %.0f | %s | %s | %s | %d |" %
                       (test, side, r["round"], r["rate"],
                        "" if r["p50"] is None else "%.2f" % r["p50"],
                        "" if r["p99"] is None else "%.2f" % r["p99"],
                        "" if r["cpu"] is None else "%.0f" % r["cpu"], r["errors"]))
    out.append("")
    out.append("</details>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main(sys.argv, __doc__, lambda path: summary(load(path)), BEGIN, END)
