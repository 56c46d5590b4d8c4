#!/usr/bin/env bash
# Installs what EchoPipeline needs on a fresh Debian machine. Idempotent and quick when done:
#   - ffmpeg/ffprobe and Debian's python3-torch/python3-onnx (tools/) from apt
#   - Azurite and the ONNX Runtime npm packages (C# API sources + native library) into .deps/
#   - checks the .NET SDK named by global.json
# Usage: eng/bootstrap.sh [--gpu] [--browser]
#   --gpu      also fetch the CUDA/TensorRT execution providers (worker images)
#   --browser  also install Debian's chromium (the tests render the demo's HTML report in it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
ORT_VERSION="0.4.9"           # npm com.github.asus4.onnxruntime, carries ORT 1.29
AZURITE_VERSION="3.35.0"
WANT_GPU=0
WANT_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --gpu) WANT_GPU=1 ;;
    --browser) WANT_BROWSER=1 ;;
    *) echo "bootstrap: unknown option '$arg' (expected --gpu or --browser)" >&2; exit 2 ;;
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

# npm packages, pinned, into .deps/ (git-ignored). A stamp file makes the second run instant.
mkdir -p "$DEPS"
stamp="$DEPS/.npm-stamp"
want="azurite@$AZURITE_VERSION com.github.asus4.onnxruntime@$ORT_VERSION gpu=$WANT_GPU"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$DEPS/node_modules/.bin/azurite" ]]; then
  say "installing Azurite $AZURITE_VERSION with npm"
  (cd "$DEPS" && [[ -f package.json ]] || echo '{"private":true}' > "$DEPS/package.json")
  npm install --prefix "$DEPS" --no-save --silent "azurite@$AZURITE_VERSION" >/dev/null 2>&1 \
    || fail "npm install azurite@$AZURITE_VERSION failed; check the npm registry."

  unpack() { # package version target-folder
    local tgz
    rm -rf "$DEPS/$3" && mkdir -p "$DEPS/$3"
    tgz=$(cd "$DEPS" && npm pack --silent "$1@$2" 2>/dev/null | tail -1) || fail "npm pack $1@$2 failed."
    # Only Linux x64 natives, the C# runtime sources and the license notices are kept.
    tar xzf "$DEPS/$tgz" -C "$DEPS/$3" --wildcards 'package/Runtime/*' 'package/Plugins/Linux/*' \
      'package/LICENSE*' 'package/ThirdPartyNotices*' 'package/package.json' 2>/dev/null \
      || tar xzf "$DEPS/$tgz" -C "$DEPS/$3" --wildcards 'package/Plugins/Linux/*' 'package/LICENSE*' 'package/package.json' \
      || fail "could not unpack $tgz."
    rm -f "$DEPS/$tgz"
  }
  say "fetching ONNX Runtime (npm com.github.asus4.onnxruntime@$ORT_VERSION)"
  unpack com.github.asus4.onnxruntime "$ORT_VERSION" onnxruntime
  if [[ $WANT_GPU == 1 ]]; then
    say "fetching ONNX Runtime CUDA providers (npm com.github.asus4.onnxruntime.linux-x64-gpu@$ORT_VERSION)"
    unpack com.github.asus4.onnxruntime.linux-x64-gpu "$ORT_VERSION" onnxruntime-gpu
  fi
  echo "$want" > "$stamp"
fi
[[ -f "$DEPS/onnxruntime/package/Runtime/InferenceSession.shared.cs" ]] || fail "ONNX Runtime sources missing after install; delete .deps and retry."
say "ready (ffmpeg, ffprobe, azurite, onnxruntime sources in .deps/)"
