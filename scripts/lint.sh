#!/usr/bin/env bash
# Static checks of the scripts and deployment files, and dry runs of the agent's installer and launcher. Part of
# scripts/test.sh (before the Maven build); runs alone in under a minute:
#
#   scripts/lint.sh
#
#   - shellcheck on every *.sh of the repository (and .ci/run), target/ directories excluded
#   - systemd-analyze verify on every unit under deploy/ (in a scratch root with this machine's systemd units and a
#     stub of each Exec* program), alone and with the drop-in examples beside it (deploy/<dir>/dropins/*.conf)
#   - docker-compose config -q on every compose file under deploy/, with each of its profiles
#   - deploy/agent/install.sh into a temporary root: install, again (idempotent), upgrade, rollback, the native
#     form, uninstall, uninstall --purge, asserting the files appear and disappear
#   - deploy/agent/mediawatch-agent.sh: credentials to *_FILE variables, the Infisical wrapper, the readiness wait
#   - as root, with unshare: install.sh on "this machine" in a private mount namespace (copies of /etc, /opt,
#     /var/lib; systemctl a stub): the user, owners, and the automatic rollback of an upgrade that does not start
#
# Installs shellcheck, systemd (systemd-analyze) and docker-compose from Debian when missing, as scripts/services.sh
# installs its packages. Exits non-zero when anything fails, after running every check.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

failures=0
say() { printf 'lint: %s\n' "$*" >&2; }
pass() { say "ok    $*"; }
fail() { say "FAIL  $*"; failures=$((failures + 1)); }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root (or sudo) for: $*"; exit 1; fi
}

ensure_tools() {
  local missing=() pair
  for pair in shellcheck:shellcheck systemd-analyze:systemd docker-compose:docker-compose; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- shellcheck -------------------------------------------------------------------------------------------------
check_shell() {
  local files=()
  mapfile -t files < <(find . \( -name target -o -name .git -o -name .test-services -o -name node_modules \) -prune \
    -o -type f -name '*.sh' -print | LC_ALL=C sort)
  [ ! -f .ci/run ] || files+=(.ci/run)
  if shellcheck "${files[@]}"; then pass "shellcheck: ${#files[@]} scripts"; else fail "shellcheck (above)"; fi
}

# --- systemd units ----------------------------------------------------------------------------------------------
# A scratch root with this machine's units, the unit under test, optional drop-ins, and a stub for each program its
# Exec*= lines name (verify needs them to exist and be executable).
verify_unit() { # unit-file [drop-in...]
  local unit=$1; shift
  local name root prog
  name=$(basename "$unit")
  root=$(mktemp -d "$tmp/unit.XXXX")
  mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system"
  cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
  cp "$unit" "$root/etc/systemd/system/$name"
  if [ $# -gt 0 ]; then mkdir -p "$root/etc/systemd/system/$name.d"; cp "$@" "$root/etc/systemd/system/$name.d/"; fi
  while IFS= read -r prog; do
    mkdir -p "$root$(dirname "$prog")"
    printf '#!/bin/sh\nexit 0\n' >"$root$prog"
    chmod 0755 "$root$prog"
  done < <(cat "$unit" "$@" | sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' | sort -u)
  local out rc=0
  out=$(systemd-analyze verify --root="$root" "/etc/systemd/system/$name" 2>&1) || rc=$?
  if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
    pass "systemd-analyze verify $unit${1:+ with $(printf '%s ' "${@##*/}")}"
  else
    printf '%s\n' "$out" >&2
    fail "systemd-analyze verify $unit${1:+ with $*}"
  fi
}

check_units() {
  local unit dropins=() d
  while IFS= read -r unit; do
    verify_unit "$unit"
    d=$(dirname "$unit")/dropins
    if [ -d "$d" ]; then
      mapfile -t dropins < <(find "$d" -name '*.conf' | LC_ALL=C sort)
      [ ${#dropins[@]} -eq 0 ] || verify_unit "$unit" "${dropins[@]}"
    fi
  done < <(find deploy -type f \( -name '*.service' -o -name '*.socket' -o -name '*.timer' \) | LC_ALL=C sort)
}

# --- compose files ----------------------------------------------------------------------------------------------
check_compose() {
  local f p profiles
  while IFS= read -r f; do
    if docker-compose -f "$f" config -q; then pass "docker-compose config $f"; else fail "docker-compose config $f"; fi
    profiles=$(sed -n '/^ *profiles:/,/^ *[a-z_]*:/ s/^ *- *\([A-Za-z0-9_.-]*\) *$/\1/p' "$f" | sort -u)
    for p in $profiles; do
      if docker-compose -f "$f" --profile "$p" config -q; then pass "docker-compose --profile $p config $f"
      else fail "docker-compose --profile $p config $f"; fi
    done
  done < <(find deploy -type f \( -name 'compose.yaml' -o -name 'compose.yml' -o -name 'docker-compose.yaml' \
    -o -name 'docker-compose.yml' \) | LC_ALL=C sort)
}

# --- install.sh dry run -----------------------------------------------------------------------------------------
expect() { # description command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

fake_jvm_form() { # dir version marker
  mkdir -p "$1/app" "$1/lib/main" "$1/quarkus"
  printf 'fake %s\n' "$3" >"$1/quarkus-run.jar"
  printf 'fake\n' >"$1/app/mediawatch-agent-$2.jar"
}

check_install() {
  local root=$tmp/root install=deploy/agent/install.sh opt cur first second log=$tmp/install.log
  opt=$root/opt/mediawatch/agent
  fake_jvm_form "$tmp/app1" 9.9.1 one
  fake_jvm_form "$tmp/app2" 9.9.2 two
  printf '#!/bin/sh\necho native\n' >"$tmp/mediawatch-agent-9.9.3-runner"; chmod +x "$tmp/mediawatch-agent-9.9.3-runner"

  run() { "$install" "$@" --root "$root" >>"$log" 2>&1; }
  if ! run install --no-aot "$tmp/app1"; then fail "install.sh install (log: below)"; cat "$log" >&2; return; fi
  first=$(basename "$(readlink "$opt/current")")
  expect "install: unit, launcher, release, config, credentials, state" test -f "$root/etc/systemd/system/mediawatch-agent.service" \
    -a -x "$opt/current/bin/mediawatch-agent" -a -f "$opt/current/quarkus-app/quarkus-run.jar" \
    -a -f "$root/etc/mediawatch/agent.conf" -a -d "$root/etc/mediawatch/agent-credentials" -a -d "$root/var/lib/mediawatch"
  expect "install: credentials directory is 0700" test "$(stat -c %a "$root/etc/mediawatch/agent-credentials")" = 700
  expect "install: release named after the version" test "${first%-*}" = 9.9.1
  expect "install: an unedited example config is not started" grep -q "not started: edit" "$log"
  echo "MEDIAWATCH_HOST_ID=kept" >>"$root/etc/mediawatch/agent.conf"
  printf 'MEDIAWATCH_HOST_ID=lint\n' >"$tmp/agent.conf"
  "$install" install --no-aot --root "$tmp/root2" --conf "$tmp/agent.conf" "$tmp/app1" >"$tmp/install2.log" 2>&1 || true
  expect "install --conf: the agent is started" grep -q "systemctl start mediawatch-agent.service" "$tmp/install2.log"
  expect "install --conf: with that config" test "$(cat "$tmp/root2/etc/mediawatch/agent.conf" 2>/dev/null)" = MEDIAWATCH_HOST_ID=lint

  run install --no-aot "$tmp/app1"
  expect "install again: nothing new (one release, same current)" test "$(find "$opt/releases" -mindepth 1 -maxdepth 1 | wc -l)" = 1 \
    -a "$(basename "$(readlink "$opt/current")")" = "$first"
  expect "install again: agent.conf not overwritten" grep -q MEDIAWATCH_HOST_ID=kept "$root/etc/mediawatch/agent.conf"

  run upgrade --no-aot "$tmp/app2"
  second=$(basename "$(readlink "$opt/current")")
  expect "upgrade: new current, old one previous" test "${second%-*}" = 9.9.2 -a "$(basename "$(readlink "$opt/previous")")" = "$first"

  run rollback
  expect "rollback: previous is current again" test "$(basename "$(readlink "$opt/current")")" = "$first" \
    -a "$(basename "$(readlink "$opt/previous")")" = "$second"

  run upgrade "$tmp/mediawatch-agent-9.9.3-runner"
  cur=$(basename "$(readlink "$opt/current")")
  expect "upgrade to the native form" test -x "$opt/current/mediawatch-agent-runner" -a "${cur%-*}" = 9.9.3 \
    -a "$(sed -n 's/^form=//p' "$opt/current/RELEASE")" = native
  expect "launcher runs the native form" test "$(MEDIAWATCH_AGENT_HOME="$opt/current" "$opt/current/bin/mediawatch-agent" run 2>/dev/null)" = native

  if "$install" upgrade --root "$tmp/empty" --no-aot "$tmp/app1" >>"$log" 2>&1; then fail "upgrade without an install must fail"
  else pass "upgrade without an install fails"; fi

  run uninstall
  expect "uninstall: unit and releases gone" test ! -e "$root/etc/systemd/system/mediawatch-agent.service" -a ! -e "$opt"
  expect "uninstall: config and state kept" test -f "$root/etc/mediawatch/agent.conf" -a -d "$root/var/lib/mediawatch"
  run uninstall --purge
  expect "uninstall --purge: config, credentials and state gone" test ! -e "$root/etc/mediawatch" -a ! -e "$root/var/lib/mediawatch"
}

# --- the launcher -----------------------------------------------------------------------------------------------
check_launcher() {
  local home=$tmp/launcher creds=$tmp/creds out
  mkdir -p "$home/bin" "$creds" "$tmp/stubbin"
  cp deploy/agent/mediawatch-agent.sh "$home/bin/mediawatch-agent"
  printf '#!/bin/sh\nenv | grep -E "^(MEDIAWATCH_[A-Z_]*_FILE|INFISICAL_TOKEN|MEDIAWATCH_UNDER_INFISICAL)=" | sort\n' >"$home/mediawatch-agent-runner"
  chmod +x "$home/mediawatch-agent-runner"
  printf 's3cret\n' >"$creds/mediawatch_mqtt-password"
  printf 'k\n' >"$creds/mediawatch_sabnzbd-api-key"
  printf 'tok\n' >"$creds/mediawatch_infisical-token"
  out=$(CREDENTIALS_DIRECTORY="$creds" MEDIAWATCH_SABNZBD_API_KEY=set \
    "$home/bin/mediawatch-agent" run 2>/dev/null)
  expect "launcher: credential mqtt-password -> MEDIAWATCH_MQTT_PASSWORD_FILE" \
    grep -qx "MEDIAWATCH_MQTT_PASSWORD_FILE=$creds/mediawatch_mqtt-password" <<<"$out"
  expect "launcher: a variable already set wins over its credential" test -z "$(grep SABNZBD <<<"$out")"
  expect "launcher: the Infisical token is no credential of the agent's" test -z "$(grep -i infisical <<<"$out")"

  # A stub infisical: records its arguments and the token it got, then runs what follows "--".
  cat >"$tmp/stubbin/infisical" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >"$tmp/infisical.args"
printf '%s\n' "\$INFISICAL_TOKEN" >"$tmp/infisical.token"
while [ "\$1" != "--" ]; do shift; done; shift
exec "\$@"
EOF
  chmod +x "$tmp/stubbin/infisical"
  out=$(PATH="$tmp/stubbin:$PATH" CREDENTIALS_DIRECTORY="$creds" MEDIAWATCH_INFISICAL_PATH=/spine/vm-infra/media-stack/download \
    MEDIAWATCH_INFISICAL_ENV=prod "$home/bin/mediawatch-agent" run 2>/dev/null)
  expect "launcher: infisical run --path=... --env=... -- mediawatch-agent run" \
    grep -qx "run --path=/spine/vm-infra/media-stack/download --env=prod -- $home/bin/mediawatch-agent run" "$tmp/infisical.args"
  expect "launcher: Infisical gets the token credential" grep -qx tok "$tmp/infisical.token"
  expect "launcher: the agent under Infisical does not get the token" test -z "$(grep INFISICAL_TOKEN <<<"$out")"

  local t0=$SECONDS
  if QUARKUS_HTTP_PORT=1 "$home/bin/mediawatch-agent" ready 1 2>/dev/null; then fail "launcher: ready with nothing listening must fail"
  else pass "launcher: ready fails when nothing answers ($((SECONDS - t0)) s)"; fi
}

# --- install.sh on "this machine", in a private mount namespace -------------------------------------------------
check_install_on_host() {
  if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v useradd >/dev/null; then
    say "skip  install.sh on the host in a mount namespace (needs root, unshare, useradd)"
    return
  fi
  local sim=$tmp/host
  mkdir -p "$sim/bin" "$sim/opt" "$sim/varlib"
  cp -a /etc "$sim/etc"
  cat >"$sim/bin/systemctl" <<EOF
#!/bin/sh
echo "systemctl \$*" >>"$sim/systemctl.log"
if [ "\$*" = "restart mediawatch-agent.service" ] && [ -f "$sim/fail-restart" ]; then rm -f "$sim/fail-restart"; exit 1; fi
exit 0
EOF
  chmod +x "$sim/bin/systemctl"
  cat >"$sim/run.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
mount --bind "$sim/etc" /etc
mount --bind "$sim/opt" /opt
mount --bind "$sim/varlib" /var/lib
export PATH="$sim/bin:\$PATH"
cd "$repo"
deploy/agent/install.sh install --no-aot "$tmp/app1"
getent passwd mediawatch >"$sim/passwd-entry"
id -nG mediawatch >"$sim/groups"
stat -c '%U %a' /var/lib/mediawatch >"$sim/state-owner"
ls /opt/mediawatch/agent/current/share >"$sim/share"
touch "$sim/fail-restart"
if deploy/agent/install.sh upgrade --no-aot "$tmp/app2"; then echo upgrade-succeeded >"$sim/upgrade"; else echo rolled-back >"$sim/upgrade"; fi
basename "\$(readlink /opt/mediawatch/agent/current)" >"$sim/current-after"
deploy/agent/install.sh uninstall --purge
if getent passwd mediawatch >/dev/null; then echo present >"$sim/user-after"; else echo gone >"$sim/user-after"; fi
EOF
  chmod +x "$sim/run.sh"
  if ! unshare -m --propagation private "$sim/run.sh" >"$sim/log" 2>&1; then
    cat "$sim/log" >&2; fail "install.sh on the host (namespace)"; return
  fi
  expect "host: system user mediawatch created, home /var/lib/mediawatch" grep -q '^mediawatch:.*:/var/lib/mediawatch:' "$sim/passwd-entry"
  if getent group docker >/dev/null; then expect "host: mediawatch in group docker" grep -qw docker "$sim/groups"; fi
  expect "host: /var/lib/mediawatch owned by mediawatch, 0750" grep -qx 'mediawatch 750' "$sim/state-owner"
  expect "host: the release carries the operations and configuration pages" \
    bash -c "grep -qx operations.md '$sim/share' && grep -qx configuration.md '$sim/share'"
  expect "host: an upgrade that does not start is rolled back" grep -qx rolled-back "$sim/upgrade"
  expect "host: the first release is current again" grep -q '^9.9.1-' "$sim/current-after"
  expect "host: uninstall disabled the service" \
    grep -q 'disable --now mediawatch-agent.service' "$sim/systemctl.log"
  expect "host: uninstall --purge removed the user" grep -qx gone "$sim/user-after"
  expect "host: the real /etc is untouched" test -z "$(getent passwd mediawatch || true)"
}

ensure_tools
check_shell
check_units
check_compose
check_install
check_launcher
check_install_on_host

if [ "$failures" -gt 0 ]; then say "$failures check(s) failed"; exit 1; fi
say "all checks passed"
