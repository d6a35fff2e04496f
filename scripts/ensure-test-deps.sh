#!/usr/bin/env bash
# Makes sure the tools the build and the tests need are present: Apache Thrift's compiler
# (Debian's thrift-compiler), its Python library (PyPI's thrift, with the fastbinary accelerator),
# tmux, openssl (the TLS tests make their certificates with it), SQLite's headers for GRDB
# (libsqlite3-dev), ncurses' (libncurses-dev) and zlib's for the flight recorder (zlib1g-dev).
# Installs what is missing when running as root; otherwise says what to install.
set -euo pipefail

PY_THRIFT_VERSION=0.22.0
missing_apt=()
command -v thrift >/dev/null 2>&1 || missing_apt+=(thrift-compiler)
command -v tmux >/dev/null 2>&1 || missing_apt+=(tmux)
command -v openssl >/dev/null 2>&1 || missing_apt+=(openssl)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing_apt+=(libsqlite3-dev)
dpkg -s libncurses-dev >/dev/null 2>&1 || missing_apt+=(libncurses-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing_apt+=(zlib1g-dev)
python3 -c 'import thrift.protocol.fastbinary' >/dev/null 2>&1 || need_pip=1

if [ ${#missing_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${missing_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_apt[@]}" >/dev/null
  else
    echo "error: missing ${missing_apt[*]}; install them with: sudo apt-get install ${missing_apt[*]}" >&2
    exit 1
  fi
fi
if [ "${need_pip:-0}" = 1 ]; then
  echo "installing PyPI package thrift==$PY_THRIFT_VERSION"
  python3 -m pip install -q --disable-pip-version-check "thrift==$PY_THRIFT_VERSION" || {
    echo "error: could not install PyPI's thrift; run: python3 -m pip install thrift==$PY_THRIFT_VERSION" >&2
    exit 1
  }
fi
python3 -c 'import thrift.protocol.fastbinary' || {
  echo "error: PyPI's thrift installed without its C accelerator (fastbinary); a C compiler and Python headers are needed" >&2
  exit 1
}
