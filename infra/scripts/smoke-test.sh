#!/bin/sh
# Post-deploy smoke test: what the build machines cannot run (the Functions host, its bindings, keys, Event Grid,
# managed identities) checked against a deployment. Run after `azd up`, from the repository root:
#   infra/scripts/smoke-test.sh [VIDEO]        (default: samples/videos/red-stripes.mp4)
# Needs az (logged in, Storage Blob Data Contributor on the account, as azd grants the deploying user), curl, python3.
set -eu
eval "$(azd env get-values)"
video=${1:-samples/videos/red-stripes.mp4}
account=$AZURE_STORAGE_ACCOUNT_NAME
app_url=$AZURE_FUNCTION_APP_URL
fail() { echo "smoke-test: FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "1. HTTP functions refuse requests without a function key"
code=$(curl -s -o /dev/null -w '%{http_code}' "$app_url/api/jobs/0123456789abcdef0123456789abcdef")
[ "$code" = 401 ] || fail "GET /api/jobs/{id} without a key answered $code, expected 401"

key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query functionKeys.default -o tsv)
echo "2. GetJob answers 404 for an unknown job with the key"
code=$(curl -s -o /dev/null -w '%{http_code}' "$app_url/api/jobs/0123456789abcdef0123456789abcdef?code=$key")
[ "$code" = 404 ] || fail "GetJob answered $code, expected 404"

name="smoke/$(date +%s)-$(basename "$video")"
echo "3. An upload to videos becomes a job through Event Grid and the blob trigger ($name)"
az storage blob upload --auth-mode login --account-name "$account" -c videos -f "$video" -n "$name" -o none
job=""
for i in $(seq 1 36); do
  for blob in $(az storage blob list --auth-mode login --account-name "$account" -c jobs \
      --query "sort_by([], &properties.lastModified)[-20:].name" -o tsv); do
    if az storage blob download --auth-mode login --account-name "$account" -c jobs -n "$blob" -f /dev/stdout 2>/dev/null \
        | grep -q "\"blobName\":\"$name\""; then job=${blob%.json}; break; fi
  done
  [ -n "$job" ] && break
  sleep 5
done
[ -n "$job" ] || fail "no job record for $name after 3 minutes: check the event subscription (enable-events.sh), the blobs_extension key and the app's logs"
echo "   job $job"

echo "4. SubmitJob on the same blob answers 202 with a status URL on the app's public address"
reply=$(curl -s -H 'content-type: application/json' -d "{\"source\":{\"blob\":\"$name\"},\"seed\":7}" "$app_url/api/jobs?code=$key")
status_url=$(echo "$reply" | field "d['statusUrl']")
case "$status_url" in "$app_url/api/jobs/"*) ;; *) fail "statusUrl $status_url is not under $app_url/api/jobs/ (reply: $reply)";; esac

echo "5. The uploaded video's job succeeds (worker on GPU, KEDA from zero: allow several minutes)"
for i in $(seq 1 60); do
  state=$(curl -s "$app_url/api/jobs/$job?code=$key" | field "d['status']")
  [ "$state" = succeeded ] && break
  [ "$state" = failed ] && fail "job $job failed: $(curl -s "$app_url/api/jobs/$job?code=$key")"
  sleep 10
done
[ "$state" = succeeded ] || fail "job $job is still $state after 10 minutes"
echo "smoke-test: all checks passed"
