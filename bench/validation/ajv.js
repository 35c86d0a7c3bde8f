// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// Validation benchmark, the peer: ajv on the same schemas and documents,
// JSON text in, verdict out (JSON.parse + the compiled validate function).
//
//   node bench/validation/ajv.js [-t SECONDS] [-n PASSES] [-w SECONDS] [-m MODES]
//                                [-c CLASSES] SCHEMA VALID.jsonl INVALID.jsonl
//
// The same interface and output as bench-validate (validate.c):
//   RESULT mode=flag class=valid docs=N wall_us=U cpu_us=C
// "flag" is ajv's default (allErrors: false, stops at the first error);
// "full" is allErrors: true. Formats come from ajv-formats (full mode, as
// asserted by our side). The class is picked by the schema's $schema:
// Ajv2020 for 2020-12, Ajv (draft-07) otherwise. Every verdict is checked
// against the file it came from; a wrong one exits 2. The JIT is warmed
// up for -w SECONDS (default 2) over every document in both modes before
// anything is measured. cpu_us is process.cpuUsage() (user + system, all
// of node's threads) during the measurement.
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

function usage() {
	process.stderr.write('usage: ajv.js [-t SECONDS] [-n PASSES] [-w SECONDS] [-m flag,full] ' +
		'[-c valid,invalid] SCHEMA VALID INVALID\n');
	process.exit(1);
}

const opts = { t: 1, n: 0, w: 2, m: 'flag,full', c: 'valid,invalid' };
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (/^-[tnwmc]$/.test(a)) {
		if (i + 1 >= argv.length) usage();
		opts[a[1]] = argv[++i];
	} else if (a.startsWith('-')) {
		usage();
	} else {
		files.push(a);
	}
}
if (files.length !== 3) usage();
const seconds = Number(opts.t), passes = Number(opts.n), warmup = Number(opts.w);
const modes = String(opts.m).split(','), classes = String(opts.c).split(',');

const schema = JSON.parse(fs.readFileSync(files[0], 'utf8'));
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0);
const sets = { valid: lines(files[1]), invalid: lines(files[2]) };

function compile(allErrors) {
	const is2020 = /draft\/2020-12\/schema/.test(schema.$schema || '');
	const ajv = is2020 ? new Ajv2020({ allErrors }) : new Ajv({ allErrors });
	addFormats(ajv);
	return ajv.compile(schema);
}
const validators = { flag: compile(false), full: compile(true) };

// One pass over a class; returns the number of documents, exits on a wrong verdict.
function pass(mode, cls) {
	const validate = validators[mode];
	const docs = sets[cls];
	const expect = cls === 'valid';
	for (let i = 0; i < docs.length; i++) {
		let ok;
		try {
			ok = validate(JSON.parse(docs[i]));
		} catch (e) {
			ok = false;
		}
		if (ok !== expect) {
			process.stderr.write(`ajv.js: ${path.basename(files[cls === 'valid' ? 1 : 2])} ` +
				`document ${i + 1} was found ${expect ? 'invalid' : 'valid'} (${mode} mode)` +
				(validate.errors ? ': ' + JSON.stringify(validate.errors[0]) : '') + '\n');
			process.exit(2);
		}
		if (!ok && mode === 'full' && !(validate.errors && validate.errors.length))
			process.exit(2);
	}
	return docs.length;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

// Verdicts first, then the warm-up (both modes, both classes).
for (const m of ['flag', 'full'])
	for (const c of ['valid', 'invalid'])
		pass(m, c);
for (const end = now() + warmup; now() < end;)
	for (const m of ['flag', 'full'])
		for (const c of ['valid', 'invalid'])
			pass(m, c);

let out = '';
for (const m of ['flag', 'full']) {
	if (!modes.includes(m)) continue;
	for (const c of ['valid', 'invalid']) {
		if (!classes.includes(c)) continue;
		let done = 0, n = 0;
		const w0 = now(), c0 = cpu();
		for (;;) {
			n += pass(m, c);
			done++;
			if (passes > 0 ? done >= passes : now() - w0 >= seconds) break;
		}
		const w1 = now(), c1 = cpu();
		out = `RESULT mode=${m} class=${c} docs=${n} wall_us=${Math.round((w1 - w0) * 1e6)} ` +
			`cpu_us=${Math.round((c1 - c0) * 1e6)}\n`;
		process.stdout.write(out);
	}
}
