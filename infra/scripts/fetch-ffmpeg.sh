#!/bin/sh
# Fetches static linux-x64 ffmpeg/ffprobe into .deps/ffmpeg-static/ for the ingest package (infra/functionapp/package.targets).
# azd runs it before packaging the `ingest` service. Override the build with ECHO_FFMPEG_URL and pin it with
# ECHO_FFMPEG_SHA256 (sha256 of the archive); the default is BtbN's static GPL build of the FFmpeg 7.1 branch.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
target="$root/.deps/ffmpeg-static"
url=${ECHO_FFMPEG_URL:-https://github.com/BtbN/FFmpeg-Builds/releases/download/latest/ffmpeg-n7.1-latest-linux64-gpl-7.1.tar.xz}

if [ -x "$target/ffmpeg" ] && [ -x "$target/ffprobe" ] && [ -z "${ECHO_FFMPEG_REFRESH:-}" ]; then
  echo "fetch-ffmpeg: using $target (set ECHO_FFMPEG_REFRESH=1 to download again)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-ffmpeg: downloading $url"
curl -fsSL --retry 3 -o "$work/ffmpeg.tar.xz" "$url"
if [ -n "${ECHO_FFMPEG_SHA256:-}" ]; then
  echo "$ECHO_FFMPEG_SHA256  $work/ffmpeg.tar.xz" | sha256sum -c -
else
  echo "fetch-ffmpeg: archive sha256 $(sha256sum "$work/ffmpeg.tar.xz" | cut -d' ' -f1) (pin it with ECHO_FFMPEG_SHA256)"
fi
tar -xJf "$work/ffmpeg.tar.xz" -C "$work"
mkdir -p "$target"
for tool in ffmpeg ffprobe; do
  found=$(find "$work" -type f -path "*/bin/$tool" | head -n 1)
  if [ -z "$found" ]; then
    echo "fetch-ffmpeg: $tool not found in the archive from $url" >&2
    exit 1
  fi
  install -m 0755 "$found" "$target/$tool"
done
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
  "$target/ffmpeg" -hide_banner -version | head -n 1
fi
