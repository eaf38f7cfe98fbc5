#!/bin/sh
# Build the deck.gl map component (components/deckmap/frontend/dist) from the npm registry with the lockfile.
# Skips the build when dist/index.html is newer than every source file and the lockfile.
set -eu
cd "$(dirname "$0")/frontend"
stamp=dist/index.html
if [ -f "$stamp" ] && [ -z "$(find src build.mjs package.json package-lock.json -newer "$stamp" 2>/dev/null | head -n 1)" ]; then
  echo "deckmap: frontend up to date ($stamp)"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "fout: npm niet gevonden; installeer Node.js 20 (apt-get install nodejs npm)"; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
