#!/bin/sh
# Installs the Debian packages tcpsim needs, when one is missing.
# Called by `make`, `make run` and `make check`; quiet when everything is there.
set -e
# libclang-rt-14-dev: clang's sanitizer and libFuzzer runtimes, which the fuzz
# targets link (clang only recommends it). iproute2: `ip netns`, which the
# replay's tests use to see the namespaces. cmark-gfm: renders the markdown ladder
# as GitHub does, in its test (tests/output/test_ladder.c).
# fonts-dejavu-core: DejaVu Sans, the one font family of every picture (output/style.h).
# libcairo2-dev, libpango1.0-dev, librsvg2-dev: the handout's PDF (output/handout_pdf.c).
# chromium: the step-through page's test opens it in a real browser (tests/check_page.py).
PKGS="gcc make pkg-config python3 time util-linux iproute2 libpcap-dev libyaml-dev libcunit1-dev libgraphviz-dev graphviz tshark clang libclang-rt-14-dev gnuplot-nox cmark-gfm fonts-dejavu-core libcairo2-dev libpango1.0-dev librsvg2-dev chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "tcpsim: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
# Another apt may hold the lock for a while (an unattended upgrade): wait for it.
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=600
$SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $missing
