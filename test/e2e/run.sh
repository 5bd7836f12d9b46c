#!/usr/bin/env bash
# The end-to-end suites: installs code-server (current and minimum VS Code) and Chromium, packages the extension,
# then runs the Playwright suite and the in-editor extension tests on the current VS Code, and the Playwright suite
# again on the minimum VS Code that package.json's engines.vscode allows.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/install.sh
npm run package
node scripts/runTests.mjs test/e2e test/extension
min_entry="$(ls -d test/e2e/.server/min-code-server-*/node_modules/code-server/out/node/entry.js | head -n 1)"
echo "Minimum VS Code: $(node -p "require('./$(dirname "$(dirname "$(dirname "$min_entry")")")/lib/vscode/package.json').version")"
OPTLENS_E2E_CODE_SERVER="$PWD/$min_entry" OPTLENS_E2E_NODE="$(command -v node)" node scripts/runTests.mjs test/e2e
