#!/usr/bin/env bash
# Installs what EchoPipeline needs on a fresh Debian machine. Idempotent and quick when done:
#   - ffmpeg/ffprobe and Debian's python3-torch/python3-onnx/python3-pil (tools/) from apt
#   - Azurite from npm into .deps/
#   - checks the .NET SDK named by global.json (ONNX Runtime is a NuGet package: `dotnet build` restores it)
# Usage: eng/bootstrap.sh [--browser]
#   --browser  also install Debian's chromium (the tests render the demo's HTML report in it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
AZURITE_VERSION="3.37.0"
WANT_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    *) echo "bootstrap: unknown option '$arg' (expected --browser)" >&2; exit 2 ;;
  esac
done

fail() { echo "bootstrap: $*" >&2; exit 1; }
say() { [[ "${QUIET:-0}" == 1 ]] || echo "bootstrap: $*"; }

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need_apt+=(python3-torch)
/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1 || need_apt+=(python3-onnx)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || need_apt+=(python3-pytest)
/usr/bin/python3 -c 'import PIL' >/dev/null 2>&1 || need_apt+=(python3-pil)  # the demo bundle's rebuild writes its eval pictures
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
[[ $WANT_BROWSER == 0 ]] || command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if ((${#need_apt[@]})); then
  say "installing ${need_apt[*]} with apt"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null || fail "apt-get update failed; check the Debian mirror."
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || fail "apt-get install ${need_apt[*]} failed."
fi

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing; install .NET 10 (global.json) and retry."

# Azurite, pinned, into .deps/ (git-ignored). A stamp file makes the second run instant.
mkdir -p "$DEPS"
stamp="$DEPS/.npm-stamp"
want="azurite@$AZURITE_VERSION"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$DEPS/node_modules/.bin/azurite" ]]; then
  say "installing Azurite $AZURITE_VERSION with npm"
  [[ -f "$DEPS/package.json" ]] || echo '{"private":true}' > "$DEPS/package.json"
  npm install --prefix "$DEPS" --no-save --silent "azurite@$AZURITE_VERSION" >/dev/null 2>&1 \
    || fail "npm install azurite@$AZURITE_VERSION failed; check the npm registry."
  echo "$want" > "$stamp"
fi
say "ready (ffmpeg, ffprobe, azurite in .deps/)"
