#!/bin/sh
# azd postdeploy hook. Event Grid delivers BlobCreated to the blobs extension's webhook, whose URL carries the app's
# `blobs_extension` system key; the host creates that key when it first starts with the Event Grid-sourced blob
# trigger, i.e. after the first deploy. So: wake the app, wait for the key, keep it in the azd environment and
# provision once more, which creates the event subscription (infra/app/events.bicep). Later runs find the key set.
set -eu
if [ -n "${ECHO_BLOBS_EXTENSION_KEY:-}" ]; then
  exit 0
fi
: "${AZURE_RESOURCE_GROUP:?run from azd (azd up / azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?run from azd (azd up / azd deploy)}"
: "${AZURE_FUNCTION_APP_URL:?run from azd (azd up / azd deploy)}"

key=""
for attempt in $(seq 1 30); do
  # Any request starts the host; the answer (401 without a key) does not matter.
  curl -s -o /dev/null "$AZURE_FUNCTION_APP_URL/api/jobs/0" || true
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "enable-events: waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME ($attempt/30)"
  sleep 10
done
if [ -z "$key" ]; then
  echo "enable-events: no blobs_extension key after 5 minutes; check that OnVideoUploaded is deployed (docs/deploy.md), then run azd hooks run postdeploy" >&2
  exit 1
fi
azd env set ECHO_BLOBS_EXTENSION_KEY "$key"
azd provision --no-prompt
