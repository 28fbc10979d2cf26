#!/usr/bin/env bash
# Installs, upgrades, rolls back and uninstalls the mediawatch agent on a VM as a systemd service. Idempotent:
# installing what is installed changes nothing; every step checks before it acts. docs/operations.md has the steps.
#
#   install.sh install   [SOURCE] [options]  install SOURCE and enable and start the service (an install over an
#                                            existing one is an upgrade)
#   install.sh upgrade   [SOURCE] [options]  install SOURCE as the current release, the running one becomes the
#                                            previous; restart (a release that fails to start is rolled back)
#   install.sh rollback  [options]           the previous release becomes current again; restart
#   install.sh uninstall [--purge] [options] stop, disable, remove the unit and the releases; --purge also removes
#                                            config, credentials, state and the user
#   install.sh status    [options]           what is installed, and the service's state
#
# SOURCE is what to install, the JVM form or the native executable (default: this repository's
# agent/target/quarkus-app):
#   a quarkus-app directory   ./mvnw -pl agent -am package -DskipTests (with -Paot under JDK 25: the AOT layout)
#   a *-runner executable     ./mvnw -pl agent -am package -DskipTests -Pnative (GraalVM/Mandrel, or a container)
# Options:
#   --root DIR        install under DIR instead of / (or DESTDIR=DIR): packaging and tests. The user, file owners
#                     and systemctl are then only printed; the unit is still verified (systemd-analyze verify)
#   --no-systemctl    print the systemctl calls instead of making them (also MEDIAWATCH_INSTALL_NO_SYSTEMCTL=1)
#   --no-aot          do not record the class cache (the AOT cache on a JDK 25+, an AppCDS archive on 17-24)
#   --conf FILE       install FILE as /etc/mediawatch/agent.conf (the one there is kept as agent.conf.bak-<time>).
#                     Without it a first install writes the example and does not start the agent until it is
#                     edited (an unedited example would publish as download-stack)
#   --java PATH       the java the agent runs on, written as MEDIAWATCH_JAVA into a new agent.conf
#   --keep N          releases kept, the current and previous ones included (default 3)
#   --purge           (uninstall) also remove /etc/mediawatch's agent files, /var/lib/mediawatch and the user
#
# Layout (under --root):
#   /opt/mediawatch/agent/releases/<version>-<hash>/   bin/mediawatch-agent (launcher), quarkus-app/ or
#                                                      mediawatch-agent-runner, share/, RELEASE
#   /opt/mediawatch/agent/current, previous            symlinks to releases
#   /etc/systemd/system/mediawatch-agent.service       the unit (replaced on upgrade; change it with drop-ins)
#   /etc/mediawatch/agent.conf                         non-secret settings (created once, never overwritten)
#   /etc/mediawatch/agent-credentials/                 secrets, one file each (root, 0700/0600)
#   /etc/mediawatch/media.services.yaml                the catalogue (created once)
#   /var/lib/mediawatch/                               the agent's state (throttle.json), user mediawatch
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
unit_name=mediawatch-agent.service
user=mediawatch

say() { printf 'install: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2; exit 2; }

# --- arguments --------------------------------------------------------------------------------------------------
[ $# -gt 0 ] || usage
command=$1; shift
root=${DESTDIR:-/}
no_systemctl=${MEDIAWATCH_INSTALL_NO_SYSTEMCTL:-0}
aot=1
java_opt=
conf_opt=
fresh_conf=0
keep=3
purge=0
source_arg=
while [ $# -gt 0 ]; do
  case $1 in
    --root) root=${2:?--root needs a directory}; shift ;;
    --root=*) root=${1#--root=} ;;
    --no-systemctl) no_systemctl=1 ;;
    --no-aot) aot=0 ;;
    --java) java_opt=${2:?--java needs a path}; shift ;;
    --conf) conf_opt=${2:?--conf needs a file}; shift ;;
    --keep) keep=${2:?--keep needs a number}; shift ;;
    --purge) purge=1 ;;
    -h | --help) usage ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$source_arg" ] || die "one SOURCE only"; source_arg=$1 ;;
  esac
  shift
done
case $keep in '' | *[!0-9]* | 0 | 1) die "--keep must be 2 or more" ;; esac
[ "$no_systemctl" = 0 ] || no_systemctl=1

mkdir -p "$root"
root=$(cd "$root" && pwd)
if [ "$root" = / ]; then
  R=
  [ "$(id -u)" -eq 0 ] || die "installing on this machine needs root (or --root DIR for a staging tree)"
else
  R=$root
fi
opt=$R/opt/mediawatch/agent
etc=$R/etc/mediawatch
creds=$etc/agent-credentials
state=$R/var/lib/mediawatch
unit=$R/etc/systemd/system/$unit_name
dropins=$R/etc/systemd/system/$unit_name.d

# Real system changes (users, owners, systemctl) only on the real root.
on_host() { [ -z "$R" ]; }

run_systemctl() {
  if [ "$no_systemctl" = 1 ] || ! on_host; then
    say "(not run) systemctl $*"
    return 0
  fi
  systemctl "$@"
}

# --- helpers ----------------------------------------------------------------------------------------------------
sha() { sha256sum | cut -c1-12; }

# The form and version of SOURCE, and a release id that changes with its content and the launcher's.
describe_source() {
  src=$1
  if [ -d "$src" ] && [ -f "$src/quarkus-app/quarkus-run.jar" ]; then src=$src/quarkus-app; fi
  if [ -d "$src" ] && [ -f "$src/quarkus-run.jar" ]; then
    form=jvm
    local jar
    jar=$(find "$src/app" -maxdepth 1 -name 'mediawatch-agent-*.jar' -print -quit 2>/dev/null || true)
    version=${jar##*/mediawatch-agent-}; version=${version%.jar}
    [ -n "$jar" ] || version=unknown
    hash=$( (cd "$src" && find . -type f ! -name 'app.aot' ! -name 'app.aot.jdk' ! -name 'app.aot.config' ! -name 'app-cds.jsa' \
      ! -name 'app-cds.jsa.jdk' -print \
      | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f"; done; sha256sum <"$here/mediawatch-agent.sh") | sha)
  elif [ -f "$src" ] && [ -x "$src" ]; then
    form=native
    version=${src##*/}; version=${version#mediawatch-agent-}; version=${version%-runner}
    [ "$version" != "${src##*/}" ] || version=native
    hash=$( (sha256sum <"$src"; sha256sum <"$here/mediawatch-agent.sh") | sha)
  else
    die "$src is neither a quarkus-app directory (quarkus-run.jar) nor an executable native runner"
  fi
  release_id=$version-$hash
}

# major version of the java the launcher would use: from agent.conf's MEDIAWATCH_JAVA, --java, or the launcher's own
# choice. Printed as "<path> <major>".
agent_java() {
  local java=$java_opt conf_java=
  if [ -f "$etc/agent.conf" ]; then
    conf_java=$(sed -n 's/^[[:space:]]*MEDIAWATCH_JAVA=//p' "$etc/agent.conf" | tail -1 | tr -d "\"'")
  fi
  java=${conf_java:-$java}
  if [ -z "$java" ]; then
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java
    else java=$(command -v java || true)
    fi
  fi
  if [ -z "$java" ] || [ ! -x "$java" ]; then echo "none 0"; return; fi
  local v
  v=$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  echo "$java ${v:-0}"
}

link() { # atomically point symlink $2 at $1
  ln -sfn "$1" "$2.new"
  mv -Tf "$2.new" "$2"
}

current_id() { if [ -L "$opt/current" ]; then basename "$(readlink "$opt/current")"; fi; }
previous_id() { if [ -L "$opt/previous" ]; then basename "$(readlink "$opt/previous")"; fi; }

# systemd-analyze verify of the unit with its drop-ins and the ExecStart of release $1, in a scratch root with this
# machine's systemd units (verify needs them, and needs ExecStart's file to exist).
verify_unit() {
  local id=$1 scratch
  if ! command -v systemd-analyze >/dev/null; then
    say "warning: systemd-analyze not found (apt-get install systemd): unit not verified"
    return 0
  fi
  scratch=$(mktemp -d)
  mkdir -p "$scratch/usr/lib/systemd" "$scratch/etc/systemd/system" "$scratch/opt/mediawatch/agent/releases/$id/bin"
  cp -a /usr/lib/systemd/system "$scratch/usr/lib/systemd/" 2>/dev/null || mkdir -p "$scratch/usr/lib/systemd/system"
  cp "$here/$unit_name" "$scratch/etc/systemd/system/$unit_name"
  [ ! -d "$dropins" ] || cp -r "$dropins" "$scratch/etc/systemd/system/"
  cp "$opt/releases/$id/bin/mediawatch-agent" "$scratch/opt/mediawatch/agent/releases/$id/bin/"
  ln -s "releases/$id" "$scratch/opt/mediawatch/agent/current"
  local out rc=0
  out=$(systemd-analyze verify --root="$scratch" "/etc/systemd/system/$unit_name" 2>&1) || rc=$?
  rm -rf "$scratch"
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    die "systemd-analyze verify failed on $unit_name (with its drop-ins); nothing was switched"
  fi
  say "systemd-analyze verify: $unit_name OK"
}

ensure_user() {
  if ! on_host; then say "(not run) create system user $user (home /var/lib/mediawatch) in group docker"; return; fi
  if ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/mediawatch --no-create-home --shell /usr/sbin/nologin \
      --comment "mediawatch agent" "$user"
    say "created system user $user"
  fi
  if getent group docker >/dev/null; then
    if ! id -nG "$user" | tr ' ' '\n' | grep -qx docker; then usermod -aG docker "$user"; say "added $user to group docker"; fi
  else
    say "warning: no group docker (is Docker installed?): the unit's SupplementaryGroups=docker will fail to start"
  fi
}

own() { # owner mode path
  if on_host; then chown "$1" "$3"; fi
  chmod "$2" "$3"
}

ensure_dirs() {
  mkdir -p "$opt/releases" "$etc" "$R/etc/systemd/system"
  chmod 0755 "$etc"
  if [ ! -d "$creds" ]; then mkdir -p "$creds"; fi
  own root:root 0700 "$creds"
  mkdir -p "$state"
  own "$user:$user" 0750 "$state"
}

ensure_config() {
  cp "$here/agent.conf.example" "$etc/agent.conf.example"
  chmod 0644 "$etc/agent.conf.example"
  if [ -n "$conf_opt" ]; then
    [ -f "$conf_opt" ] || die "--conf $conf_opt: no such file"
    if [ -f "$etc/agent.conf" ] && ! cmp -s "$conf_opt" "$etc/agent.conf"; then
      cp -p "$etc/agent.conf" "$etc/agent.conf.bak-$(date -u +%Y%m%dT%H%M%SZ)"
    fi
    install -m 0644 "$conf_opt" "$etc/agent.conf"
  elif [ ! -f "$etc/agent.conf" ]; then
    cp "$here/agent.conf.example" "$etc/agent.conf"
    if [ -n "$java_opt" ]; then printf '\n# install.sh --java\nMEDIAWATCH_JAVA=%s\n' "$java_opt" >>"$etc/agent.conf"; fi
    chmod 0644 "$etc/agent.conf"
    fresh_conf=1
    say "created $etc/agent.conf from the example: set MEDIAWATCH_HOST_ID, MEDIAWATCH_ROLE and the broker"
  fi
  if [ ! -f "$etc/media.services.yaml" ] && [ -f "$repo/deploy/config/media.services.yaml" ]; then
    cp "$repo/deploy/config/media.services.yaml" "$etc/media.services.yaml"
    chmod 0644 "$etc/media.services.yaml"
    say "created $etc/media.services.yaml (the catalogue)"
  fi
}

# Puts the release in place (once: a release is never changed after it is complete).
stage_release() {
  local dir=$opt/releases/$release_id
  if [ -f "$dir/RELEASE" ]; then
    say "release $release_id is already in place"
    return
  fi
  local tmp=$opt/releases/.$release_id.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp/bin" "$tmp/share"
  install -m 0755 "$here/mediawatch-agent.sh" "$tmp/bin/mediawatch-agent"
  if [ "$form" = jvm ]; then
    # Times kept: a class cache checks its jars' modification times.
    cp -a "$src" "$tmp/quarkus-app"
    rm -f "$tmp/quarkus-app/app.aot.config"
  else
    install -m 0755 "$src" "$tmp/mediawatch-agent-runner"
  fi
  cp "$here/$unit_name" "$tmp/share/$unit_name"
  # The pages an operator on the VM needs: operations (the unit's Documentation=) and the configuration keys it
  # links to for agent.conf.
  local doc
  for doc in operations.md configuration.md; do
    [ ! -f "$repo/docs/$doc" ] || cp "$repo/docs/$doc" "$tmp/share/$doc"
  done
  cat >"$tmp/RELEASE" <<EOF
id=$release_id
form=$form
version=$version
source=$src
installed=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
  chmod -R go-w,a+rX "$tmp"
  mv "$tmp" "$dir"
  say "staged release $release_id ($form form, from $src)"
}

# The class cache for the JDK the agent runs on (JVM form): the AOT cache on a JDK 25+, an AppCDS archive on JDK
# 17-24. Any failure leaves the release without one.
record_aot() {
  local dir=$opt/releases/$release_id
  [ "$form" = jvm ] && [ "$aot" = 1 ] || return 0
  local java major name
  read -r java major < <(agent_java)
  if [ "${major:-0}" -lt 17 ]; then
    say "no class cache: the agent's java ($java) is ${major}; it needs 17+"
    return 0
  fi
  if [ "$major" -ge 25 ]; then name=app.aot; else name=app-cds.jsa; fi
  local runtime
  runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$(dirname "$(dirname "$(readlink -f "$java")")")/release" 2>/dev/null || true)
  if [ -f "$dir/quarkus-app/$name.jdk" ] && [ -n "$runtime" ] && [ "$(cat "$dir/quarkus-app/$name.jdk")" = "$runtime" ]; then
    say "class cache $name already recorded for $runtime"
    return 0
  fi
  if ! MEDIAWATCH_JAVA=$java MEDIAWATCH_AGENT_HOME=$dir "$dir/bin/mediawatch-agent" aot-train; then
    say "warning: the class cache could not be recorded; the agent runs without it"
    rm -f "$dir/quarkus-app/$name" "$dir/quarkus-app/$name.jdk"
  fi
}

install_unit() {
  unit_changed=0
  if ! cmp -s "$here/$unit_name" "$unit"; then
    install -m 0644 "$here/$unit_name" "$unit"
    unit_changed=1
    say "installed $unit"
  fi
}

prune() {
  local cur prev n=0 d id
  cur=$(current_id); prev=$(previous_id)
  # newest first by their RELEASE file's time
  while IFS= read -r d; do
    id=$(basename "$d")
    n=$((n + 1))
    if [ "$id" != "$cur" ] && [ "$id" != "$prev" ] && [ "$n" -gt "$keep" ]; then
      rm -rf "$d"
      say "removed old release $id"
    fi
  done < <(find "$opt/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
}

restart_or_roll_back() {
  if [ "$no_systemctl" = 1 ] || ! on_host; then
    run_systemctl restart "$unit_name"
    return
  fi
  if systemctl restart "$unit_name"; then
    say "$(current_id) is running"
    return
  fi
  local prev
  prev=$(previous_id)
  if [ -n "$prev" ] && [ -d "$opt/releases/$prev" ]; then
    say "error: $(current_id) did not start (journalctl -u $unit_name); rolling back to $prev"
    local failed
    failed=$(current_id)
    link "releases/$prev" "$opt/current"
    link "releases/$failed" "$opt/previous"
    systemctl reset-failed "$unit_name" || true
    systemctl restart "$unit_name" || say "error: $prev did not start either"
  fi
  exit 1
}

# --- commands ---------------------------------------------------------------------------------------------------
do_install() { # install | upgrade
  local mode=$1
  local src=${source_arg:-$repo/agent/target/quarkus-app}
  [ -e "$src" ] || die "no $src: build the agent first (./mvnw -pl agent -am package -DskipTests) or name SOURCE"
  describe_source "$src"
  local cur
  cur=$(current_id)
  if [ "$mode" = upgrade ] && [ -z "$cur" ]; then die "not installed (no $opt/current): use install"; fi
  ensure_user
  ensure_dirs
  ensure_config
  stage_release
  record_aot
  verify_unit "$release_id"
  install_unit
  if [ "$cur" = "$release_id" ]; then
    say "$release_id is already the current release"
    [ "$unit_changed" = 0 ] || run_systemctl daemon-reload
    run_systemctl enable "$unit_name"
    if [ "$unit_changed" = 1 ]; then restart_or_roll_back; else run_systemctl start "$unit_name"; fi
    prune
    return
  fi
  if [ -n "$cur" ]; then link "releases/$cur" "$opt/previous"; fi
  link "releases/$release_id" "$opt/current"
  say "current release: $release_id${cur:+ (previous: $cur)}"
  run_systemctl daemon-reload
  run_systemctl enable "$unit_name"
  if [ -z "$cur" ] && [ "$fresh_conf" = 1 ]; then
    say "not started: edit $etc/agent.conf (host id, role, broker), put the secrets in $creds/, then"
    say "  systemctl start $unit_name"
  elif [ -z "$cur" ]; then
    if [ "$no_systemctl" = 0 ] && on_host; then
      systemctl start "$unit_name" || die "the agent did not start: journalctl -u $unit_name (check $etc/agent.conf)"
    else
      run_systemctl start "$unit_name"
    fi
  else
    restart_or_roll_back
  fi
  prune
}

do_rollback() {
  local cur prev
  cur=$(current_id); prev=$(previous_id)
  [ -n "$cur" ] || die "not installed"
  if [ -z "$prev" ] || [ ! -d "$opt/releases/$prev" ]; then die "no previous release to roll back to"; fi
  link "releases/$prev" "$opt/current"
  link "releases/$cur" "$opt/previous"
  say "current release: $prev (rolled back from $cur; install.sh rollback again returns to it)"
  run_systemctl restart "$unit_name"
}

do_uninstall() {
  if [ -f "$unit" ] || [ -L "$opt/current" ]; then
    run_systemctl disable --now "$unit_name" || say "warning: systemctl disable --now $unit_name failed"
  fi
  rm -f "$unit"
  rm -rf "$opt"
  rmdir "$R/opt/mediawatch" 2>/dev/null || true
  run_systemctl daemon-reload
  say "removed the service and the releases"
  if [ "$purge" = 0 ]; then
    say "kept $etc (agent.conf, agent-credentials/), $state and user $user: uninstall --purge removes them"
    return
  fi
  rm -rf "$dropins" "$creds"
  rm -f "$etc/agent.conf" "$etc/agent.conf.example" "$etc/media.services.yaml"
  rmdir "$etc" 2>/dev/null || true
  if [ -s "$state/throttle.json" ]; then
    say "warning: kept $state: throttle.json holds download limits the agent could not put back (restore them by hand)"
  else
    rm -rf "$state"
  fi
  if on_host && getent passwd "$user" >/dev/null; then userdel "$user" && say "removed user $user"; fi
  if ! on_host; then say "(not run) userdel $user"; fi
  say "purged the agent's configuration, credentials and state"
}

do_status() {
  local cur prev
  cur=$(current_id); prev=$(previous_id)
  if [ -z "$cur" ]; then echo "not installed under $root"; return 1; fi
  echo "current:  $cur ($(sed -n 's/^form=//p' "$opt/current/RELEASE") form)"
  echo "previous: ${prev:-none}"
  echo "releases: $(find "$opt/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f ' )"
  if on_host && command -v systemctl >/dev/null; then
    echo "service:  $(systemctl is-active "$unit_name" 2>/dev/null || true), $(systemctl is-enabled "$unit_name" 2>/dev/null || true)"
  fi
}

case $command in
  install) do_install install ;;
  upgrade) do_install upgrade ;;
  rollback) do_rollback ;;
  uninstall) do_uninstall ;;
  status) do_status ;;
  -h | --help | help) usage ;;
  *) die "unknown command $command (install | upgrade | rollback | uninstall | status)" ;;
esac
