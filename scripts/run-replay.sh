#!/bin/sh
# Replay every checked-in fuzz corpus through its target built with the
# standalone driver (fuzz/standalone.c): a crash or sanitizer report fails.
set -u
dir=$1
failed=0
for bin in "$dir"/*; do
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	corpus=fuzz/corpus/$t
	if [ ! -d "$corpus" ]; then
		echo "replay: no corpus for $t"
		failed=1
		continue
	fi
	if ! "$bin" "$corpus"; then
		echo "FAILED replay: $t"
		failed=1
	fi
done
[ "$failed" -eq 0 ] && echo "replay: all corpora passed"
[ "$failed" -eq 0 ]
