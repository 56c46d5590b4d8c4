#!/bin/sh
# azd postdeploy hook. The Event Grid subscription validates that OnVideoUploaded exists, which is only true after the
# first deploy; so the first `azd up` provisions without it and this hook provisions once more with it.
set -eu
if [ "${ECHO_CREATE_EVENT_SUBSCRIPTION:-false}" = "true" ]; then
  exit 0
fi
azd env set ECHO_CREATE_EVENT_SUBSCRIPTION true
azd provision --no-prompt
