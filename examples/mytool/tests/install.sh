#!/bin/sh
# The pipeline's install test: mytool was installed from the archive by apt; check that it runs, then tell the
# server the verdict through the run's callback URL.
set -eu
if out=$(mytool) && [ "$out" = "mytool 1.0 from the trunk archive" ]; then
    curl -fsS -X POST "$PPAFORGE_CALLBACK_URL?result=pass&message=mytool+runs"
else
    curl -fsS -X POST "$PPAFORGE_CALLBACK_URL?result=fail&message=mytool+printed+something+else"
fi
