#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Summarise a bench/validation/run.sh results file and write the
"Validation" section of docs/benchmarks.md.

    report.py RESULTS.tsv [DOC.md]

Prints the section (markdown). With DOC.md, replaces the text between the
validation markers in that file, or appends the section at the end of the
file when the markers are not there yet. Nothing else in the file is
touched. The run's facts (date, machine, command, settings) come from
BENCH_* environment variables set by run.sh; BENCH_PROFILE names the
instruction-profile fragment written by profile.py, if any.

RESULTS.tsv lines:
  lib  corpus side round mode class docs wall_us cpu_us
  http corpus output round rps p50_us p99_us server_cpu% requests
       sent_valid sent_invalid ok_valid ok_invalid
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reporting import env, main, n0, round_ratios, run_header  # noqa: E402
from reporting import median as med, span as rng  # noqa: E402

BEGIN = "<!-- validation:results:begin -->"
END = "<!-- validation:results:end -->"

LIB_RATIO_TARGET = 2.0
HTTP_TARGET = 50000.0
CORPORA = ["tool-call", "extraction", "large"]
CORPUS_WHAT = {
    "tool-call": "a `book_flight` function-calling tool (draft-07): 22 properties, 8 required, "
                 "enums, nested objects, an array of traveler objects, `pattern`, `format` "
                 "(date, email), `additionalProperties: false` everywhere",
    "extraction": "structured output of an entity/relation extraction (2020-12): `$defs` and "
                  "`$ref`, entities as an `anyOf` of six kinds told apart by a `const`, "
                  "a nullable `anyOf`, `format` (uuid, date)",
    "large": "a customer record (2020-12) with 244 properties, 40 required: strings with "
             "lengths and patterns, enums, numbers with ranges, tags, `format` (email, date, "
             "date-time, uri, uuid), one nested address",
}


def load(path):
    lib, http = [], []
    with open(path) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if f[0] == "lib" and len(f) == 9:
                lib.append({"corpus": f[1], "side": f[2], "round": int(f[3]), "mode": f[4],
                            "class": f[5], "docs": int(f[6]), "wall": float(f[7]) / 1e6,
                            "cpu": float(f[8]) / 1e6})
            elif f[0] == "http" and len(f) == 13:
                http.append({"corpus": f[1], "output": f[2], "round": int(f[3]),
                             "rps": float(f[4]), "p50": float(f[5]) / 1000,
                             "p99": float(f[6]) / 1000, "cpu": float(f[7]),
                             "requests": int(f[8]), "sent_valid": int(f[9]),
                             "sent_invalid": int(f[10]), "ok_valid": int(f[11]),
                             "ok_invalid": int(f[12])})
    for r in lib:
        r["rate"] = r["docs"] / r["wall"]
        r["cpu_rate"] = r["docs"] / r["cpu"] if r["cpu"] > 0 else 0.0
        r["cpu_pct"] = 100 * r["cpu"] / r["wall"]
    return lib, http


def corpus_facts(corpora_dir):
    """Documents and sizes of each corpus, read from the files."""
    facts = {}
    for c in CORPORA:
        d = os.path.join(corpora_dir, c)
        try:
            sizes = {}
            for cls in ("valid", "invalid"):
                with open(os.path.join(d, "%s.jsonl" % cls), "rb") as fh:
                    sizes[cls] = [len(line.rstrip(b"\n")) for line in fh if line.strip()]
            with open(os.path.join(d, "schema.json")) as fh:
                schema = json.load(fh)
            facts[c] = {"sizes": sizes, "props": len(schema.get("properties", {})),
                        "schema_bytes": len(json.dumps(schema, separators=(",", ":")))}
        except OSError:
            pass
    return facts


def lib_table(lib, mode, peer_label, head_note):
    out = []
    out.append("| corpus | class | ours docs/s | ajv docs/s (%s) | ours / ajv%s | "
               "ours / ajv per CPU-second | CPU %% ours / ajv |" % (peer_label, head_note))
    out.append("|---|---|---|---|---|---|---|")
    verdicts = []
    for c in CORPORA:
        for cls in ("valid", "invalid"):
            ours = [r for r in lib if r["corpus"] == c and r["side"] == "ours" and
                    r["mode"] == mode and r["class"] == cls]
            ajv = [r for r in lib if r["corpus"] == c and r["side"] == "ajv" and
                   r["mode"] == mode and r["class"] == cls]
            if not ours or not ajv:
                continue
            ratios = round_ratios(ours, ajv, "rate")
            cpu_ratios = round_ratios(ours, ajv, "cpu_rate")
            ratio = med(ratios)
            verdict = ""
            if mode == "flag":
                ok = ratio >= LIB_RATIO_TARGET
                verdicts.append(ok)
                verdict = ": %s" % ("met" if ok else "**not met**")
            out.append("| %s | %s | **%s** (%s) | **%s** (%s) | **%.2f** (%s)%s | %.2f (%s) | %.0f / %.0f |" % (
                c, cls, n0(med([r["rate"] for r in ours])), rng([r["rate"] for r in ours]),
                n0(med([r["rate"] for r in ajv])), rng([r["rate"] for r in ajv]),
                ratio, rng(ratios, "%.2f"), verdict, med(cpu_ratios), rng(cpu_ratios, "%.2f"),
                med([r["cpu_pct"] for r in ours]), med([r["cpu_pct"] for r in ajv])))
    return out, verdicts


def http_table(http):
    out = []
    out.append("| output | validations/s | target ≥ 50,000/s | p50 / p99 ms | server CPU % | "
               "validations per server CPU-second | answers valid / invalid (all rounds) | "
               "requests sent valid / invalid |")
    out.append("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for output in sorted({r["output"] for r in http}, key=lambda o: (o != "basic", o)):
        rows = [r for r in http if r["output"] == output]
        rps = med([r["rps"] for r in rows])
        ok = rps >= HTTP_TARGET
        if output == "basic":
            verdicts.append(ok)
        per_cpu = [r["rps"] * 100 / r["cpu"] for r in rows if r["cpu"] > 0]
        out.append("| `%s`%s | **%s** (%s) | %s | %.2f / **%.2f** (p99 %s) | %.0f | %s (%s) | %s / %s | %s / %s |" % (
            output, " (default)" if output == "basic" else "", n0(rps),
            rng([r["rps"] for r in rows]), "met" if ok else "**not met**",
            med([r["p50"] for r in rows]), med([r["p99"] for r in rows]),
            rng([r["p99"] for r in rows], "%.2f"), med([r["cpu"] for r in rows]),
            n0(med(per_cpu)) if per_cpu else "", rng(per_cpu) if per_cpu else "",
            n0(sum(r["ok_valid"] for r in rows)), n0(sum(r["ok_invalid"] for r in rows)),
            n0(sum(r["sent_valid"] for r in rows)), n0(sum(r["sent_invalid"] for r in rows))))
    return out, verdicts


def summary(lib, http):
    facts = corpus_facts(env("BENCH_CORPORA_DIR", os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "corpora")))
    out = []
    out.append("## Validation: ours vs ajv, and the validate endpoint")
    out.append("")
    out.append("This section is written by `sh bench/validation/run.sh`, which `make bench` "
               "runs after the benchmarks above (everything between its markers is replaced "
               "by each run; `UPDATE_DOC=0` only prints). Files: "
               "`bench/validation/` (its `README.md` explains each one).")
    out.append("")
    out.append("| benchmark | workload | peer in the same run | target |")
    out.append("|---|---|---|---|")
    out.append("| library, verdict only | per document: JSON text in, verdict out — ours "
               "`sr_json_parse` into a fresh arena + the JSON format's `validate` op with "
               "`flag_only` (`bench/validation/validate.c`); ajv `JSON.parse` + the compiled "
               "function, `allErrors: false` (`bench/validation/ajv.js`) | ajv %s + ajv-formats %s "
               "on node %s | ours ≥ 2 × ajv documents/s on every corpus, valid and invalid "
               "documents separately |" % (env("BENCH_AJV", "8"), env("BENCH_AJV_FORMATS", "3"),
                                          env("BENCH_NODE", "")))
    out.append("| library, every error | the same with every error collected (ours: "
               "`flag_only` off, locations and messages built; ajv: `allErrors: true`) | same | "
               "none (for information) |")
    out.append("| HTTP | `POST /schemas/ids/{id}/validate?formatAssertion=true` with a random "
               "document of the tool-call corpus per request (`Content-Type: application/json`), "
               "wrk keep-alive, every answer checked | none | ≥ 50,000 validations/s |")
    out.append("")
    out.append("### Corpora (`bench/validation/corpora/`)")
    out.append("")
    out.append("Written for this benchmark by `bench/validation/gen_corpora.py` (fixed seed; "
               "the files are committed). Invalid documents carry one or two of the mistakes "
               "models make — a wrong type (a number or boolean as a string, a scalar for an "
               "array), a missing required property, an invented extra property, a value "
               "outside an enum (other case, a synonym), a malformed date or code — at the top "
               "level or nested; `mistakes.tsv` beside each file says which. Before any timing, "
               "both sides check every verdict (every `valid.jsonl` line valid, every "
               "`invalid.jsonl` line invalid, in both modes) and stop on a wrong one.")
    out.append("")
    out.append("| corpus | schema | top-level properties | schema (compact) | documents valid + invalid | document size |")
    out.append("|---|---|---|---|---|---|")
    for c in CORPORA:
        f = facts.get(c)
        if not f:
            continue
        allsizes = f["sizes"]["valid"] + f["sizes"]["invalid"]
        out.append("| %s | %s | %d | %s bytes | %d + %d | %s–%s bytes (mean %s) |" % (
            c, CORPUS_WHAT[c], f["props"], n0(f["schema_bytes"]), len(f["sizes"]["valid"]),
            len(f["sizes"]["invalid"]), n0(min(allsizes)), n0(max(allsizes)),
            n0(sum(allsizes) / len(allsizes))))
    out.append("")
    out.append("### Method")
    out.append("")
    out.append("- **Same work on both sides.** Both read the documents into memory as text "
               "once, then per document parse the text and validate the parsed value; the "
               "schema is compiled once, before timing (ours with the format's `parse` op, as "
               "the registry does for a registered schema). `format` asserts on both sides "
               "(ajv-formats' full mode; ours `format_assertion`), so a malformed date or "
               "e-mail is an error for both. Ours allocates a fresh arena per document and "
               "frees it, as the endpoint does per request.")
    out.append("- **One core, one after the other.** Both library processes are pinned to "
               "the same core (`CPU`, default 1) with `taskset` and run one after the other, "
               "never at the same time, so each has the core to itself apart from other "
               "tenants of the machine, and node's background threads (JIT compiler, GC) share "
               "ajv's one core rather than borrowing the other one.")
    out.append("- **Alternation and repetition.** `ROUNDS` rounds (default 5); in each, for "
               "each corpus, one process per side, ours first in odd rounds and ajv first in "
               "even rounds. A process measures flag-valid, flag-invalid, full-valid, "
               "full-invalid, each for `MEASURE` seconds (default 1) of whole passes over "
               "the 200 documents. ajv's process first warms its JIT up for `WARMUP` seconds "
               "(default 2) over all documents in both modes; ours warms up 0.2 s. Tables "
               "give the median over the rounds and the min–max spread; the ratio is the "
               "median of the per-round ratios (two runs seconds apart).")
    out.append("- **Per CPU-second.** Each process reports its own CPU time (user + system, "
               "all threads) during each measurement; documents per CPU-second does not "
               "depend on how much of the core other tenants took, and the CPU % column "
               "shows how much each side got.")
    out.append("- **HTTP.** The script starts the server (`--threads %s`, SQLite in a temp "
               "dir, a free port), registers the tool-call schema, warms up 2 s, then runs "
               "wrk `-t%s -c%s` for `DURATION` seconds (default 10) per round and output mode, "
               "the modes alternating in order between rounds. Each request carries an "
               "`X-Request-ID` naming the file its document came from (the server echoes it), "
               "and `bench/validation/validate.lua` checks every answer: status 200 and the "
               "verdict of that file; the run stops on any other answer, and the answers must "
               "account for every request sent but those in flight when wrk stopped. "
               "`basic` (the default output) returns every error with its locations; `flag` "
               "only the verdict." % (env("BENCH_THREADS", "1"), env("BENCH_WRK_THREADS", "1"),
                                      env("BENCH_CONNS", "64")))
    out.append("")
    out.append("Reproducing: `sh bench/validation/run.sh` (`B=build-x` builds there; "
               "`ROUNDS=3 MEASURE=0.5 DURATION=5` is quicker; `UPDATE_DOC=0` only prints; "
               "`SKIP_HTTP=1` / `SKIP_LIB=1` / `PROFILE=0` skip parts). Needs node and npm "
               "(`npm ci` in `bench/validation/` runs when `node_modules` is missing), wrk, "
               "valgrind for the profile; `sh scripts/install-deps.sh` installs them.")
    out.append("")
    out.append("### Results")
    out.append("")
    out += run_header("sh bench/validation/run.sh")
    out.append("Settings: %s rounds; library: %s s per measurement, ajv warm-up %s s, both "
               "pinned to CPU %s, %s, ajv %s + ajv-formats %s on node %s; HTTP: %s s per wrk "
               "run, wrk %s `-t%s -c%s --latency` on CPU %s, server `--threads %s` on CPU %s; "
               "load average (1/5/15 min) %s during the run." % (
                   env("BENCH_ROUNDS"), env("BENCH_MEASURE"), env("BENCH_WARMUP"),
                   env("BENCH_LIB_CPU"), env("BENCH_CC"), env("BENCH_AJV"),
                   env("BENCH_AJV_FORMATS"), env("BENCH_NODE"), env("BENCH_DURATION"),
                   env("BENCH_WRK"), env("BENCH_WRK_THREADS"), env("BENCH_CONNS"),
                   env("BENCH_WRK_CPUS"), env("BENCH_THREADS"), env("BENCH_SERVER_CPUS"),
                   env("BENCH_LOAD")))
    out.append("")
    out.append("Medians over the rounds, min–max spread in parentheses.")
    out.append("")
    lib_verdicts = []
    if lib:
        out.append("**Library, verdict only** (ours `flag_only`, ajv `allErrors: false`):")
        out.append("")
        t, lib_verdicts = lib_table(lib, "flag", "`allErrors: false`", " (target ≥ 2)")
        out += t
        out.append("")
        out.append("**Library, every error collected** (for information; ours `flag_only` off, "
                   "ajv `allErrors: true`):")
        out.append("")
        t, _ = lib_table(lib, "full", "`allErrors: true`", "")
        out += t
        out.append("")
    http_verdicts = []
    if http:
        out.append("**HTTP, `POST /schemas/ids/{id}/validate`, %s corpus** (every answer 200 "
                   "with the right verdict):" % env("BENCH_HTTP_CORPUS", "tool-call"))
        out.append("")
        t, http_verdicts = http_table(http)
        out += t
        out.append("")
    if http:
        rows = [r for r in http if r["output"] == "basic" and r["cpu"] > 0]
        if rows:
            per_cpu = med([r["rps"] * 100 / r["cpu"] for r in rows])
            out.append("The server process used a median %.0f%% of one core during the `basic` "
                       "runs (the rest went to wrk and to the machine's other tenants); at its "
                       "median %s validations per server CPU-second, 50,000/s needs %.0f%% of "
                       "a core for the server alone." % (
                           med([r["cpu"] for r in rows]), n0(per_cpu), 100 * HTTP_TARGET / per_cpu))
            out.append("")
    verdict = []
    if lib_verdicts:
        verdict.append("library ≥ 2 × ajv: %s (%d of %d corpus/class pairs)" % (
            "met" if all(lib_verdicts) else "**not met**", sum(lib_verdicts), len(lib_verdicts)))
    if http_verdicts:
        verdict.append("HTTP ≥ 50,000 validations/s: %s" % (
            "met" if all(http_verdicts) else "**not met**"))
    if verdict:
        out.append("Targets: " + "; ".join(verdict) + ".")
        out.append("")
    prof = env("BENCH_PROFILE")
    if prof and os.path.exists(prof):
        with open(prof) as fh:
            frag = fh.read().strip()
        if frag:
            out.append("**Where our time goes** (`bench/validation/profile.py`, callgrind: "
                       "user-space instructions, reproducible within 1% however busy the "
                       "machine; shares are inclusive). First table: the library driver with "
                       "`--toggle-collect=measure`, so only the measured passes count — arena, "
                       "JSON parse and validate op per document, flag mode. Second table: the "
                       "server (`--threads 1`) under wrk `-c8` on the tool-call corpus, per "
                       "request; the kernel's share (socket system calls) is not in it.")
            out.append("")
            out.append(frag)
            out.append("")
    out.append("<details><summary>Every round</summary>")
    out.append("")
    if lib:
        out.append("| corpus | side | round | mode | class | documents | wall s | docs/s | CPU % |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for r in sorted(lib, key=lambda r: (CORPORA.index(r["corpus"]) if r["corpus"] in CORPORA
                                            else 9, r["side"] != "ours", r["mode"] != "flag",
                                            r["class"] != "valid", r["round"])):
            out.append("| %s | %s | %d | %s | %s | %d | %.2f | %.0f | %.0f |" % (
                r["corpus"], r["side"], r["round"], r["mode"], r["class"], r["docs"], r["wall"],
                r["rate"], r["cpu_pct"]))
        out.append("")
    if http:
        out.append("| output | round | req/s | p50 ms | p99 ms | server CPU % | answers | "
                   "valid | invalid |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for r in sorted(http, key=lambda r: (r["output"] != "basic", r["output"], r["round"])):
            out.append("| %s | %d | %.0f | %.2f | %.2f | %.0f | %d | %d | %d |" % (
                r["output"], r["round"], r["rps"], r["p50"], r["p99"], r["cpu"], r["requests"],
                r["ok_valid"], r["ok_invalid"]))
        out.append("")
    out.append("</details>")
    return "\n".join(out) + "\n"


def summarise(path):
    lib, http = load(path)
    if not lib and not http:
        sys.exit("report: no results in %s" % path)
    return summary(lib, http)


if __name__ == "__main__":
    main(sys.argv, __doc__, summarise, BEGIN, END, append=True)
