# bench/hub/setup.sh: what bench/hub/run and bench/hub/instructions share, sourced by both:
# the stack's settings, the bench client, and an API with a subscribed application whose
# token the client validates. Expects root and var set; sets build, bench, token, tag, hub.
# shellcheck shell=bash
[ -f "$var/stack.env" ] || { echo "no stack in $var: run ./tollgate up first" >&2; exit 1; }
set -a; . "$var/stack.env"; set +a
build=${TOLLGATE_BUILD:-$root/build}
bench=$build/bench/hub/tollgate-hub-bench
[ -x "$bench" ] || make -C "$build" -s bench/hub/tollgate-hub-bench

# hub_conf_copy OUT OFFSET: hub1's configuration with its ports moved by OFFSET.
hub_conf_copy() {
  cp "$var/conf/hub1.conf" "$1"
  conf_set "$1" hub port_offset "$2"
}

# hub_port KEY: hub1's configured thrift_port or https_port.
hub_port() { awk -F' *= *' -v k="$1" '$1==k {print $2}' "$var/conf/hub1.conf"; }

# wait_https PORT: until the hub's HTTPS /health on PORT answers (30 s at most).
wait_https() {
  for _ in $(seq 300); do
    curl -sfk "https://127.0.0.1:$1/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "no hub answered on https port $1" >&2
  return 1
}

ctl() { "$root/tollgate" ctl --json "$@"; }
tag=bench$$
ctl api create --name "HubBench$tag" --context "/hubbench$tag" --version 1.0.0 \
    --endpoint "$TOLLGATE_BACKEND" --resource "GET /items/{id}" >/dev/null
ctl api publish "/hubbench$tag" 1.0.0 >/dev/null
ctl app create "app$tag" >/dev/null
ctl subscribe --app "app$tag" --api "/hubbench$tag:1.0.0" --tier Unlimited >/dev/null
token=$(ctl keys generate --app "app$tag" --validity 36000 |
        /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
hub=${TOLLGATE_HUBS%%,*}

# run_client TARGET MODE PIPELINE CONNECTIONS SECONDS: one run of the bench client.
run_client() {
  "$bench" --hub "$1" --ca "$TOLLGATE_CA" --user admin --password "$TOLLGATE_ADMIN_PASSWORD" \
    --token "$token" --context "/hubbench$tag" --version 1.0.0 --resource /items/1 \
    --mode "$2" --pipeline "$3" --connections "$4" --seconds "$5"
}
