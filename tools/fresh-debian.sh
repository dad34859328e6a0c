#!/usr/bin/env bash
# tools/fresh-debian.sh - the README's two commands on a bare Debian 12.
#
# Builds a minimal Debian 12 root (debootstrap --variant=minbase, plus git,
# make and ca-certificates, from the mirror this machine's apt uses), puts
# this checkout's HEAD commit in it (committed work only: a clean clone, as
# CI has), and runs `make run` and `make check` inside as root. Everything
# else the build and the tests need must be installed by the project's own
# tools/deps.sh, through make: a package it forgets fails here.
#
# Needs root. The mounts (/proc, /sys, /dev bound into the root, and what
# the replay tests mount under them) live in a mount namespace of this run's
# own, so they end with it, and a trap unmounts them, deepest first, on exit,
# Ctrl-C, SIGTERM or SIGHUP; the root is removed after.
#
# The minimal root (before any build package) is cached as a tarball in
# /var/cache/tcpsim-fresh-debian/, one per suite and mirror, rebuilt when a
# week old; the build packages never are.
#
#   tools/fresh-debian.sh [--keep]   --keep leaves the root (its path is printed)
set -euo pipefail

SUITE=bookworm
CACHE_DIR=/var/cache/tcpsim-fresh-debian
CACHE_DAYS=7

# ---- stage 2: inside the run's own mount namespace ------------------------
# Called as: fresh-debian.sh --inside ROOT
if [ "${1:-}" = --inside ]; then
	root=$2
	child=""

	# Unmounts everything under $root, deepest first (lazily when busy).
	unmount_all() {
		local m
		findmnt -rn -o TARGET | grep -E "^$root(/|\$)" | sort -r | while read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done
	}
	# Stops the build (its whole process group) and unmounts.
	on_exit() {
		local rc=$?
		trap - EXIT INT TERM HUP
		if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
			kill -TERM -- "-$child" 2>/dev/null || true
			sleep 2
			kill -KILL -- "-$child" 2>/dev/null || true
			wait "$child" 2>/dev/null || true
		fi
		unmount_all
		exit "$rc"
	}
	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP

	# The root a mount point of its own, as / is on a machine: `ip netns exec`
	# and `ip -n` make / a slave mount, which fails (EINVAL) on a plain
	# directory.
	mount --bind "$root" "$root"
	for d in proc sys dev; do
		mount --rbind "/$d" "$root/$d"
		mount --make-rslave "$root/$d"
	done
	# The phases are timed inside, where the commands run. Everything can
	# run on this root (root, /dev/net/tun, tracefs): a test that says it
	# skipped is a failure here.
	script='set -eo pipefail
		cd /root/tcpsim
		t0=$(date +%s)
		make run
		t1=$(date +%s)
		make check 2>&1 | tee /root/check.log
		t2=$(date +%s)
		echo "fresh-debian: make run $((t1 - t0)) s (with the package install), make check $((t2 - t1)) s"
		if grep -E "^[a-z_]+: skipped" /root/check.log; then
			echo "fresh-debian: FAIL: the tests above skipped on a bare root where they can run"
			exit 1
		fi'
	# Its own session and process group, so that the trap can stop all of it;
	# SIGINT and SIGQUIT ignored, as in a script's background job: the tests
	# must set the dispositions they rely on.
	setsid chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TERM=dumb CI="${CI:-}" /bin/bash -c "$script" </dev/null &
	child=$!
	wait "$child"
	exit $?
fi

# ---- stage 1: the root ----------------------------------------------------
keep=false
case "${1:-}" in
--keep) keep=true ;;
"") ;;
*) echo "usage: tools/fresh-debian.sh [--keep]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
	echo "fresh-debian: uncommitted changes are not tested: the root gets commit $commit" >&2
fi

# The first mirror this machine's apt uses for $SUITE: a one-line entry in
# sources.list(.d/*.list) or a deb822 stanza in sources.list.d/*.sources.
find_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v s="$SUITE" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++;
			if ($(i + 1) == s) { print $i; exit } }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$SUITE" 'BEGIN { RS = ""; FS = "\n" }
			{ uri = ""; ok = 0; deb = 0
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, w, /[ \t]+/); uri = w[2] }
				if ($i ~ /^Suites:/) { n = split($i, w, /[ \t]+/); for (j = 2; j <= n; j++) if (w[j] == s) ok = 1 }
				if ($i ~ /^Types:.*deb( |$)/) deb = 1 }
			  if (ok && deb && uri != "") { print uri; exit } }' "$f"
	done
}
mirror=$(find_mirror | head -1)
[ -n "$mirror" ] || { echo "fresh-debian: no apt source for $SUITE in /etc/apt" >&2; exit 2; }

if ! command -v debootstrap >/dev/null; then
	echo "fresh-debian: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 debootstrap >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 debootstrap >/dev/null; }
fi

root=$(mktemp -d /var/tmp/tcpsim-fresh-debian.XXXXXX)
step=""
# Runs "$@" in the background and waits for it, so that a signal is handled
# at once (bash runs a trap only after the foreground command ends).
run_step() {
	"$@" &
	step=$!
	wait "$step"
	local rc=$?
	step=""
	return $rc
}
# Stops the step running (the inner stage's trap unmounts), then removes the
# root. The root's mounts exist only in the namespaces of debootstrap and of
# the inner stage: rm never sees them.
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$step" ] && kill -0 "$step" 2>/dev/null; then
		kill -TERM "$step" 2>/dev/null || true
		wait "$step" 2>/dev/null || true
	fi
	if $keep; then
		echo "fresh-debian: root kept in $root"
	else
		rm -rf --one-file-system "$root"
	fi
	rm -f "$root.debootstrap.log"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

now=$(date +%s)
t_start=$now
mkdir -p "$CACHE_DIR"
tarball=$CACHE_DIR/$SUITE-minbase-$(printf '%s' "$mirror" | sha1sum | cut -c1-12).tar.gz
if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +$CACHE_DAYS)" ]; then
	echo "fresh-debian: minimal $SUITE root from $tarball"
	run_step tar -xzf "$tarball" -C "$root"
else
	echo "fresh-debian: debootstrap $SUITE from $mirror (cached in $tarball)"
	# In a mount namespace of its own: the /proc it mounts in the root goes
	# with it, even when this run is killed.
	run_step unshare --mount --propagation private -- \
		debootstrap --variant=minbase --include=git,make,ca-certificates "$SUITE" "$root" "$mirror" \
		> "$root.debootstrap.log" 2>&1 || { tail -20 "$root.debootstrap.log" >&2; rm -f "$root.debootstrap.log"; exit 1; }
	rm -f "$root.debootstrap.log"
	rm -rf "$root"/var/cache/apt/archives/*.deb
	run_step tar --one-file-system -czf "$tarball.$$.tmp" -C "$root" . && mv "$tarball.$$.tmp" "$tarball"
fi
t_root=$(date +%s)

# What apt needs to reach the mirror the way this machine does: its sources,
# the Acquire settings of apt.conf.d (proxy, validity), and its resolver.
rm -f "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	if [ -f "$f" ]; then cp "$f" "$root$f"; fi
done
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
	if [ -f "$f" ] && grep -qi '^[[:space:]]*Acquire' "$f"; then cp "$f" "$root$f"; fi
done
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# No service is started by a package installed in the root.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# The commit, not the work tree: HEAD fetched into a fresh repository.
git init -q "$root/root/tcpsim"
git -C "$root/root/tcpsim" fetch -q "$repo" HEAD
git -C "$root/root/tcpsim" checkout -q --detach FETCH_HEAD
echo "fresh-debian: commit $(git -C "$root/root/tcpsim" log -1 --format='%h %s' | cut -c1-100)"

set +e
run_step unshare --mount --propagation private -- "$(readlink -f "$0")" --inside "$root"
rc=$?
set -e
t_end=$(date +%s)
echo "fresh-debian: root $((t_root - t_start)) s, all $((t_end - t_start)) s, exit $rc"
exit $rc
