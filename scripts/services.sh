#!/usr/bin/env bash
# Installs (from Debian) and starts the real services the tests use, on this machine only:
#   a dockerd on a private socket (no iptables, no bridge: containers run with --network none),
#   a busybox image imported from Debian's busybox-static (no registry is needed),
#   a Mosquitto listening on loopback,
#   and the tools host-signal tests use: fuse3 + python3-fusepy (a FUSE filesystem whose statfs hangs,
#   scripts/testfs/hangfs.py) and fio (real disk contention),
#   python3-jinja2 (HomeAssistantIT renders HA templates with the real Jinja2), openssl (BrokerSecurityIT's test CA,
#   SmtpTargetTest's server certificate), python3-aiosmtpd (SmtpTargetTest's SMTP server, started by the test),
#   qbittorrent-nox (Debian's qBittorrent 4.5, WebUI API v2): installed only, never started here; the
#   activity and throttle tests start their own on a temporary profile and a free port and kill it at the end;
#   and chromium + chromium-driver (the e2e module's Browser: WebPageIT drives the aggregator's page in headless
#   Chromium through Selenium and chromedriver, both given by path so Selenium Manager never downloads a driver).
# Idempotent: what is installed is not installed again, what runs is reused.
#
#   scripts/services.sh start   start (or reuse) them; prints `export ...` lines for the tests
#   scripts/services.sh env     print the `export ...` lines of running services
#   scripts/services.sh status  exit 0 when both are running
#   scripts/services.sh stop    stop them by pid (containers first, so no shim outlives dockerd)
#   scripts/services.sh dockerd-stop | dockerd-start
#                               stop (containers stop with it) or start only the test dockerd, on the same
#                               data and exec roots: tests use this to restart the engine under the agent
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${MEDIAWATCH_SERVICES_DIR:-$repo/.test-services}
# The exec root holds unix sockets, whose paths must stay under 108 bytes: keep it short, in /tmp.
exec_root=/tmp/mw-docker-$(printf '%s' "$state" | md5sum | cut -c1-8)
docker_sock=$state/docker.sock
docker_host=unix://$docker_sock
mqtt_port=${MEDIAWATCH_TEST_MQTT_PORT:-18883}
image=mediawatch-test/busybox:1

log() { printf 'services: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) for: $*"; exit 1; fi
}

ensure_packages() {
  local missing=()
  for p in docker.io mosquitto mosquitto-clients openssl busybox-static fuse3 python3-fusepy fio qbittorrent-nox python3-jinja2 python3-aiosmtpd \
      chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

docker_cli() { docker -H "$docker_host" "$@"; }

start_dockerd() {
  mkdir -p "$state/docker-data"
  if alive "$state/dockerd.pid" && docker_cli version >/dev/null 2>&1; then
    log "dockerd already running (pid $(cat "$state/dockerd.pid"))"; return
  fi
  log "starting dockerd on $docker_host"
  mkdir -p "$exec_root"
  as_root /usr/sbin/dockerd --iptables=false --ip6tables=false --bridge=none \
    --data-root "$state/docker-data" --exec-root "$exec_root" --pidfile "$state/dockerd.pid" \
    --shutdown-timeout 2 -H "$docker_host" >"$state/dockerd.log" 2>&1 &
  for _ in $(seq 1 100); do
    docker_cli version >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "dockerd did not come up; last lines of $state/dockerd.log:"; tail -20 "$state/dockerd.log" >&2; exit 1
}

ensure_image() {
  docker_cli image inspect "$image" >/dev/null 2>&1 && return
  log "importing $image from busybox-static"
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep true false echo cat ls wget nc kill; do ln -s busybox "$root/bin/$applet"; done
  tar -C "$root" -c . | docker_cli import - "$image" >/dev/null
  rm -rf "$root"
}

start_mosquitto() {
  if alive "$state/mosquitto.pid"; then
    log "mosquitto already running (pid $(cat "$state/mosquitto.pid"))"; return
  fi
  log "starting mosquitto on 127.0.0.1:$mqtt_port"
  cat >"$state/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $state/mosquitto.log
CONF
  /usr/sbin/mosquitto -c "$state/mosquitto.conf" >/dev/null 2>&1 &
  echo $! >"$state/mosquitto.pid"
  for _ in $(seq 1 50); do
    mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -t mediawatch-test/ping -n 2>/dev/null && return
    sleep 0.1
  done
  log "mosquitto did not come up; see $state/mosquitto.log"; exit 1
}

print_env() {
  echo "export MEDIAWATCH_TEST_DOCKER_HOST=$docker_host"
  echo "export MEDIAWATCH_TEST_MQTT_PORT=$mqtt_port"
  echo "export MEDIAWATCH_TEST_IMAGE=$image"
  echo "export MEDIAWATCH_TEST_CHROMIUM=/usr/bin/chromium"
  echo "export MEDIAWATCH_TEST_CHROMEDRIVER=/usr/bin/chromedriver"
}

stop_pid() {
  local pidfile=$1 name=$2
  if alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    log "stopping $name (pid $pid)"
    as_root kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop; killing"; as_root kill -KILL "$pid" || true; fi
  fi
  rm -f "$pidfile"
}

case "${1:-start}" in
  start)
    mkdir -p "$state"
    ensure_packages
    start_dockerd
    ensure_image
    start_mosquitto
    print_env
    ;;
  env) print_env ;;
  status) alive "$state/dockerd.pid" && alive "$state/mosquitto.pid" ;;
  stop)
    if alive "$state/dockerd.pid"; then
      mapfile -t ids < <(docker_cli ps -aq 2>/dev/null || true)
      [ ${#ids[@]} -eq 0 ] || docker_cli rm -f "${ids[@]}" >/dev/null 2>&1 || true
    fi
    stop_pid "$state/dockerd.pid" dockerd
    stop_pid "$state/mosquitto.pid" mosquitto
    ;;
  dockerd-stop) stop_pid "$state/dockerd.pid" dockerd ;;
  dockerd-start) start_dockerd ;;
  *) echo "usage: $0 start|env|status|stop|dockerd-stop|dockerd-start" >&2; exit 2 ;;
esac
