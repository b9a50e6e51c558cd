#!/bin/sh
# autogen.sh: bootstrap the autotools build (./autogen.sh && ./configure && make).
set -e
cd "$(dirname "$0")"
autoreconf --install --force
