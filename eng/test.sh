#!/usr/bin/env bash
# Runs every test: the .NET solution (against real Azurite, FFmpeg and ONNX Runtime) and the Python toolkit.
# Installs what is missing first, so it works on a fresh Debian machine.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash eng/bootstrap.sh --browser || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build EchoPipeline.sln -c Release -nologo -v quiet -warnaserror || { echo "test: build failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test EchoPipeline.sln -c Release --no-build -nologo 2>&1 | tee "$log"
dotnet_rc=${PIPESTATUS[0]}

py_rc=0
if [[ -d tools/tests ]]; then
  /usr/bin/python3 -m pytest -q tools/tests 2>&1 | tee -a "$log"
  py_rc=${PIPESTATUS[0]}
fi

# One closing line for the whole run, summed over every runner above
# (dotnet: "Failed: 0, Passed: 12", pytest: "12 passed, 1 failed").
read -r passed failed < <(awk '
  { while (match($0, /(Passed|Failed): +[0-9]+/)) { t = substr($0, RSTART, RLENGTH); split(t, a, /: +/); c[a[1]] += a[2]; $0 = substr($0, RSTART + RLENGTH) } }
  /^[=]* *[0-9]+ (passed|failed)/ { n = split($0, w, /[ ,]+/); for (i = 1; i < n; i++) if (w[i+1] ~ /^(passed|failed)/) c[(w[i+1] ~ /passed/) ? "Passed" : "Failed"] += w[i] }
  END { print c["Passed"] + 0, c["Failed"] + 0 }' "$log")
echo "tests: $passed passed, $failed failed"
(( dotnet_rc == 0 && py_rc == 0 ))
