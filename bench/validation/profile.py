#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Where our validation time goes: instruction counts under callgrind.

    profile.py BENCH_VALIDATE CORPORA_DIR [OUT.md]

Runs BENCH_VALIDATE (bench/validation/validate.c) under
`valgrind --tool=callgrind --toggle-collect=measure` on every corpus and
class, flag mode (verdict only), PASSES passes (environment, default 3)
over the documents, so only the measured passes are counted: the
per-request work of the validate endpoint (arena, JSON parse, validate op),
nothing of the schema's compilation. Prints a markdown fragment (and
writes it to OUT.md): instructions per document, the inclusive shares of
the JSON parse, the validator, its `format` checks and regex matching, the
allocator, and the functions with the highest self cost. Instruction
counts are reproducible to well under 1% on a busy machine, unlike times.
"""
import os
import re
import subprocess
import sys
import tempfile

CORPORA = ["tool-call", "extraction", "large"]
PASSES = int(os.environ.get("PASSES", "3"))

LINE = re.compile(r"^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(\S+?):(\S+?)(?:'\d+)?(?:\s+\[(.*)\])?\s*$")


def annotate(path, inclusive):
    out = subprocess.run(["callgrind_annotate", "--inclusive=%s" % ("yes" if inclusive else "no"),
                          "--threshold=100", "--auto=no", path],
                         check=True, capture_output=True, text=True).stdout
    costs = {}
    total = None
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(100.0%\)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = LINE.match(line)
        if not m:
            continue
        cost = int(m.group(1).replace(",", ""))
        fn = m.group(3)
        fn = re.sub(r"\.(isra|part|constprop|cold)\.\d+", "", fn)
        lib = os.path.basename(m.group(4) or "")
        if fn.startswith("0x"):  # no symbol: a static function of a library
            fn = "(%s internals)" % re.sub(r"\.so.*", "", lib or "unknown")
        # Inclusive: one entry per function (the lines with and without the
        # object name are the same costs); self: per object.
        key = (fn, "") if inclusive else (fn, lib)
        # Inclusive: the same function appears under several file names
        # (inlined copies, recursion levels): the largest is the total.
        # Self: the parts add up.
        if inclusive:
            costs[key] = max(costs.get(key, 0), cost)
        else:
            costs[key] = costs.get(key, 0) + cost
    return total, costs


def inclusive_of(costs, pred):
    vals = [c for (fn, _), c in costs.items() if pred(fn)]
    return max(vals) if vals else 0


def profile(binary, cdir, cls, tmp):
    out = os.path.join(tmp, "cg.out")
    n = sum(1 for line in open(os.path.join(cdir, "%s.jsonl" % cls)) if line.strip())
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                    "--toggle-collect=measure", binary, "-n", str(PASSES), "-w", "0", "-m", "flag",
                    "-c", cls, os.path.join(cdir, "schema.json"),
                    os.path.join(cdir, "valid.jsonl"), os.path.join(cdir, "invalid.jsonl")],
                   check=True, capture_output=True)
    total, inc = annotate(out, True)
    _, self_ = annotate(out, False)
    docs = n * PASSES
    parse = inclusive_of(inc, lambda f: f == "sr_json_parse")
    validate = inclusive_of(inc, lambda f: f == "sr_js__validate")
    formats = sum(c for (f, _), c in inc.items()
                  if re.fullmatch(r"sr_format__[a-z_]+", f) and f != "sr_format__regex")
    fmts = sorted(((c, f) for (f, _), c in inc.items()
                   if re.fullmatch(r"sr_format__[a-z_]+", f) and f != "sr_format__regex"),
                  reverse=True)
    dupkeys = inclusive_of(inc, lambda f: f == "sr_map_put")
    regex = inclusive_of(inc, lambda f: f == "sr_regex_search")
    alloc = sum(c for (f, lib), c in self_.items()
                if f in ("malloc", "_int_malloc", "free", "_int_free", "malloc_consolidate",
                         "sr_arena_alloc", "sr_arena_new", "sr_arena_free", "sr_malloc",
                         "unlink_chunk", "sr_arena_calloc", "cfree@GLIBC_2.2.5")
                or (f.startswith("_int_") and "libc" in lib))
    top = sorted(((c, f) for (f, _), c in self_.items()), reverse=True)[:5]
    return {
        "docs": docs, "total": total, "per_doc": total / docs,
        "parse": parse / docs, "validate": validate / docs, "formats": formats / docs,
        "dupkeys": dupkeys / docs,
        "top_format": (fmts[0][1].replace("sr_format__", "").replace("_", "-"),
                       fmts[0][0] / docs) if fmts else None,
        "regex": regex / docs, "alloc": alloc / docs,
        "top": [(f, c / docs) for c, f in top],
    }


def fmt_k(x):
    return "{:,.0f}".format(x)


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    binary, corpora = argv[1], argv[2]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in CORPORA:
            for cls in ("valid", "invalid"):
                rows.append((corpus, cls, profile(binary, os.path.join(corpora, corpus), cls, tmp)))
                sys.stderr.write("  profiled %s/%s\n" % (corpus, cls))
    out = []
    out.append("| corpus | class | instructions per document | JSON parse "
               "| of which the duplicate-key index | validate op | of which `format` checks "
               "| costliest format | of which `pattern` (regex) | allocator (arena + malloc, self) "
               "| highest self cost per document |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for corpus, cls, p in rows:
        pd = p["per_doc"]
        pct = lambda x: "%s (%.0f%%)" % (fmt_k(x), 100 * x / pd)
        tf = p["top_format"]
        out.append("| %s | %s | **%s** | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            corpus, cls, fmt_k(pd), pct(p["parse"]), pct(p["dupkeys"]), pct(p["validate"]),
            pct(p["formats"]), "`%s` %s" % (tf[0], fmt_k(tf[1])) if tf else "",
            pct(p["regex"]), pct(p["alloc"]),
            "; ".join("`%s` %s" % (f, fmt_k(c)) for f, c in p["top"])))
    text = "\n".join(out) + "\n"
    print(text)
    if len(argv) == 4:
        with open(argv[3], "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main(sys.argv)
