#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Where our validation time goes: instruction counts under callgrind.

    profile.py [--server SCHEMA_REGISTRY] BENCH_VALIDATE CORPORA_DIR [OUT.md]

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

With --server, also the HTTP endpoint: the server (`--threads 1`) runs
under callgrind, the tool-call schema is registered, wrk (`-t1 -c8`,
bench/validation/validate.lua) warms it up, and for each output mode
(basic, flag) the counters are zeroed, wrk runs HTTP_SECONDS (default 5)
and the counters are dumped: instructions per request, split into the
body's JSON parse, the validate op, rendering the answer, the `memset`
of libmicrohttpd's per-request memory pool, the router, and the rest
(libmicrohttpd, headers, arena, request set-up). Kernel time (socket
system calls) is not counted.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

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


def profile_http(server, corpora, tmp):
    """Instructions per request of POST /schemas/ids/{id}/validate."""
    here = os.path.dirname(os.path.abspath(__file__))
    cdir = os.path.join(corpora, "tool-call")
    seconds = os.environ.get("HTTP_SECONDS", "5")
    port_file = os.path.join(tmp, "port")
    out_base = os.path.join(tmp, "cg-http.out")
    log = open(os.path.join(tmp, "server.log"), "w")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_base,
                             os.path.abspath(server), "serve", "--database-url",
                             "sqlite:" + os.path.join(tmp, "registry.db"), "--listen",
                             "127.0.0.1:0", "--port-file", port_file, "--threads", "1",
                             "--log-level", "warn"], stdout=log, stderr=log, cwd=tmp)
    rows = []
    try:
        for _ in range(300):
            if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
                break
            if proc.poll() is not None:
                raise RuntimeError("the server did not start under valgrind")
            time.sleep(0.1)
        url = "http://127.0.0.1:%s" % open(port_file).read().strip()
        with open(os.path.join(cdir, "schema.json")) as fh:
            body = json.dumps({"schemaType": "JSON", "schema": fh.read()}).encode()
        req = urllib.request.Request(url + "/subjects/bench-profile-value/versions", data=body,
                                     headers={"Content-Type":
                                              "application/vnd.schemaregistry.v1+json"})
        sid = json.load(urllib.request.urlopen(req, timeout=60))["id"]

        def wrk(path, secs):
            out = subprocess.run(["wrk", "-t1", "-c8", "-d%ss" % secs, "-s",
                                  os.path.join(here, "validate.lua"), url, "--", path,
                                  os.path.join(cdir, "valid.jsonl"),
                                  os.path.join(cdir, "invalid.jsonl")],
                                 check=True, capture_output=True, text=True).stdout
            m = re.search(r"^RESULT (.*)$", out, re.M)
            r = dict(kv.split("=") for kv in m.group(1).split())
            if int(r["wrong"]) or int(r["not_200"]):
                raise RuntimeError("wrong answers under callgrind: " + m.group(1))
            return int(r["requests"])

        base = "/schemas/ids/%d/validate?formatAssertion=true" % sid
        wrk(base, 3)
        for output in ("basic", "flag"):
            path = base if output == "basic" else base + "&output=flag"
            subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True,
                           capture_output=True)
            n = wrk(path, seconds)
            before = set(os.listdir(tmp))
            subprocess.run(["callgrind_control", "-d", output, str(proc.pid)], check=True,
                           capture_output=True)
            for _ in range(100):
                dumps = [f for f in set(os.listdir(tmp)) - before if f.startswith("cg-http.out")]
                if dumps:
                    break
                time.sleep(0.1)
            time.sleep(0.5)
            dump = os.path.join(tmp, sorted(dumps)[0])
            total, inc = annotate(dump, True)
            parts = {
                "parse": inclusive_of(inc, lambda f: f == "sr_json_parse"),
                "validate": inclusive_of(inc, lambda f: f == "sr_js__validate"),
                "formats": sum(c for (f, _), c in inc.items()
                               if re.fullmatch(r"sr_format__[a-z_]+", f)
                               and f != "sr_format__regex"),
                # registry/validate.c's validate(): parse + validate op +
                # building the answer (its render functions are inlined)
                "registry": inclusive_of(inc, lambda f: f == "validate"),
                "memset": inclusive_of(inc, lambda f: f.startswith("__memset")),
                "router": inclusive_of(inc, lambda f: f == "sr_router_match"),
            }
            parts["render"] = max(0, parts["registry"] - parts["parse"] - parts["validate"])
            rows.append((output, n, total, parts))
            sys.stderr.write("  profiled the endpoint, output=%s (%d requests)\n" % (output, n))
    finally:
        proc.terminate()
        proc.wait()
        log.close()
    out = []
    out.append("| `POST /schemas/ids/{id}/validate`, tool-call | instructions per request | "
               "body JSON parse | validate op | of which `format` checks | building the answer | "
               "`memset` of the connection's memory pool | router | the rest (libmicrohttpd, "
               "headers, arena, set-up) |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for output, n, total, p in rows:
        per = total / n
        pct = lambda x: "%s (%.0f%%)" % (fmt_k(x / n), 100 * x / total)
        rest = total - p["parse"] - p["validate"] - p["render"] - p["memset"] - p["router"]
        out.append("| output=%s (%s requests) | **%s** | %s | %s | %s | %s | %s | %s | %s |" % (
            output, fmt_k(n), fmt_k(per), pct(p["parse"]), pct(p["validate"]),
            pct(p["formats"]), pct(p["render"]), pct(p["memset"]), pct(p["router"]), pct(rest)))
    return out


def fmt_k(x):
    return "{:,.0f}".format(x)


def main(argv):
    server = None
    if len(argv) > 2 and argv[1] == "--server":
        server = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    binary, corpora = argv[1], argv[2]
    rows = []
    http = []
    with tempfile.TemporaryDirectory() as tmp:
        if server:
            http = profile_http(server, corpora, tmp)
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
    if http:
        out.append("")
        out += http
    text = "\n".join(out) + "\n"
    print(text)
    if len(argv) == 4:
        with open(argv[3], "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main(sys.argv)
