#!/bin/sh
# tools/same_outputs.sh [BASE] - every shipped scenario's outputs, from this
# tree and from commit BASE, compared byte for byte: the trace, the pcap, the
# state diagram (.dot and .svg), the ladder picture, and what `run` prints
# (the text ladder and its closing line; --format summary; summary-json).
# For a change that must not change what tcpsim writes (a refactor): it
# lists every file that differs and exits 1 if one does.
#
# With SAME_OUTPUTS_KEEP=DIR, both sets of outputs are kept in DIR/base-out
# and DIR/new-out, for diff -r. BASE defaults to HEAD. Its tree is built (without LTO: the outputs do not
# depend on it) in a temporary worktree, removed at the end.
set -eu
base=${1:-HEAD}
top=$(git rev-parse --show-toplevel)
cd "$top"
work=$(mktemp -d /tmp/same-outputs.XXXXXX)
trap 'git worktree remove --force "$work/base-tree" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
git worktree add --detach -q "$work/base-tree" "$base"
echo "same_outputs: building $base and this tree" >&2
make -s -C "$work/base-tree" LTO= BUILD="$work/base-build" -j2 "$work/base-build/tcpsim" >/dev/null
make -s LTO= BUILD="$work/new-build" -j2 "$work/new-build/tcpsim" >/dev/null

outputs() {   # outputs TCPSIM DIR: every scenario's files and printed text into DIR
	mkdir -p "$2"
	for s in scenarios/*.yaml; do
		n=$(basename "$s" .yaml)
		"$1" run "$s" -o "$2/files" > "$2/$n.run.txt" 2>&1 || echo "exit $?" >> "$2/$n.run.txt"
		"$1" run "$s" -o "$2/summary" --format summary > "$2/$n.summary.txt" 2>&1 || true
		"$1" run "$s" -o "$2/summary" --format summary-json > "$2/$n.summary.json" 2>&1 || true
		rm -rf "$2/summary"
	done
}
outputs "$work/base-build/tcpsim" "$work/base-out"
outputs "$work/new-build/tcpsim" "$work/new-out"
if [ -n "${SAME_OUTPUTS_KEEP:-}" ]; then
	mkdir -p "$SAME_OUTPUTS_KEEP" && cp -r "$work/base-out" "$work/new-out" "$SAME_OUTPUTS_KEEP"/
fi
if diff -r -q "$work/base-out" "$work/new-out" > "$work/diff.txt"; then
	echo "same_outputs: every output of $(ls scenarios/*.yaml | wc -l) scenarios is byte-identical to $base's"
else
	sed "s|$work/||g" "$work/diff.txt"
	echo "same_outputs: the outputs above differ from $base's" >&2
	exit 1
fi
