#!/bin/sh
# Installs the Debian packages tcpsim needs, when one is missing.
# Called by `make`, `make run` and `make check`; quiet when everything is there.
set -e
PKGS="gcc make pkg-config python3 time util-linux libpcap-dev libyaml-dev libcunit1-dev libgraphviz-dev graphviz tshark clang gnuplot-nox"
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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
