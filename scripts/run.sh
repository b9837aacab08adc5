#!/usr/bin/env bash
# `make run`: initialises the data directory on first run, then serves.
set -euo pipefail
bin=$1 data=$2 listen=$3
url="http://$listen"
if [ ! -f "$data/master.key" ]; then
  "$bin" init --data "$data" --base-url "$url" --admin-email admin@example.com
else
  echo "Reusing $data (org URL $url, admin login admin@example.com)."
  echo "Secrets were shown once at first run; to start afresh: rm -rf $data && make run"
fi
echo "Admin console: $url/admin/ (sign in with the admin's login and password)"
exec "$bin" serve --data "$data" --listen "$listen"
