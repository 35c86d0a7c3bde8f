#!/bin/sh
# Run every C unit-test binary given; print a summary; fail if any failed.
set -u
failed=0
total=0
for t in "$@"; do
	total=$((total + 1))
	if ! "$t"; then
		echo "FAILED: $t"
		failed=$((failed + 1))
	fi
done
echo "unit: $((total - failed))/$total test programs passed"
[ "$failed" -eq 0 ]
