#!/usr/bin/env bash
# The aggregator container's health check: healthy while GET /q/health/ready answers 200 (connected to the broker
# and building the status). curl when the image has it, else HTTP/1.0 over bash's /dev/tcp.
set -euo pipefail
port=${QUARKUS_HTTP_PORT:-8470}
if command -v curl >/dev/null; then
  exec curl -fsS -o /dev/null -m 4 "http://127.0.0.1:$port/q/health/ready"
fi
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS=' ' read -r -t 4 _ status _ <&3
[ "$status" = 200 ]
