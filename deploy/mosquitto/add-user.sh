#!/usr/bin/env bash
# Adds a user to mediawatch's Mosquitto password file, or sets a new password for one already there
# (rotation). Idempotent: running it again with the same password leaves the user with that password; the file
# never holds a user twice. Wraps mosquitto_passwd; the password never appears on a command line (ps, shell
# history): it is read from stdin (a terminal prompts without echo) or from the first line of a file.
#
#   add-user.sh [-f PASSWD_FILE] [-p PASSWORD_FILE] USER
#
#   USER              a host id (download-stack: the agent's mediawatch.host-id and mediawatch.mqtt.username),
#                     aggregator, or homeassistant (deploy/mosquitto/acl gives each its topics)
#   -f PASSWD_FILE    Mosquitto's password file; default $MOSQUITTO_PASSWD, else /etc/mosquitto/passwd.
#                     Created when missing, mode 0640, group mosquitto when that group exists (the broker reads
#                     it after dropping root)
#   -p PASSWORD_FILE  read the password from this file's first line (e.g. the file the agent's
#                     mediawatch.mqtt.password-file names) instead of stdin
#
# Mosquitto reads the password file at start and on SIGHUP: `systemctl reload mosquitto` afterwards.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

die() { printf 'add-user.sh: %s\n' "$*" >&2; exit 1; }

passwd_file=${MOSQUITTO_PASSWD:-/etc/mosquitto/passwd}
password_from=

while getopts ':f:p:h' opt; do
  case $opt in
    f) passwd_file=$OPTARG ;;
    p) password_from=$OPTARG ;;
    h) usage ;;
    :) die "-$OPTARG needs a value" ;;
    *) die "unknown option -$OPTARG (see -h)" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
user=$1

# A host id is a slug (HostId in the contract); the aggregator's own topic levels can never be a host (HostId.RESERVED),
# and a user name containing '/', '+' or '#' would break the ACL's %u patterns.
if ! [[ $user =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]]; then
  die "'$user' is not a valid user: use a host id such as download-stack (lower case, digits, '-'), aggregator or homeassistant"
fi
case $user in
  alerts | ha | status | contention | events | cmd)
    die "'$user' is reserved for the aggregator's own topics and cannot be a host" ;;
esac

command -v mosquitto_passwd >/dev/null || die "mosquitto_passwd not found (apt-get install mosquitto)"

if [ -n "$password_from" ]; then
  if [ ! -f "$password_from" ] || [ ! -r "$password_from" ]; then
    die "cannot read the password file $password_from"
  fi
  IFS= read -r password <"$password_from" || [ -n "${password:-}" ] || die "$password_from is empty"
elif [ -t 0 ]; then
  IFS= read -rs -p "Password for $user: " password; echo >&2
  IFS= read -rs -p "Again: " again; echo >&2
  [ "$password" = "$again" ] || die "the passwords differ"
else
  IFS= read -r password || [ -n "${password:-}" ] || die "no password on stdin"
fi
password=${password%$'\r'}
[ -n "$password" ] || die "empty password"

if [ ! -e "$passwd_file" ]; then
  (umask 027 && : >"$passwd_file") || die "cannot create $passwd_file"
fi
# mosquitto_passwd asks twice on stdin; printf is a shell builtin, so the password is in no process's arguments.
if ! printf '%s\n%s\n' "$password" "$password" | mosquitto_passwd "$passwd_file" "$user" >/dev/null 2>&1; then
  die "mosquitto_passwd could not set the password of $user in $passwd_file"
fi
chmod 0640 "$passwd_file"
if [ "$(id -u)" -eq 0 ] && getent group mosquitto >/dev/null; then
  chgrp mosquitto "$passwd_file"
fi
printf 'add-user.sh: %s set in %s; reload Mosquitto to apply it (systemctl reload mosquitto)\n' "$user" "$passwd_file" >&2
