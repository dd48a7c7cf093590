#!/usr/bin/env bash
# Installs the system packages the tests need, when they are missing. Idempotent and quiet when
# everything is there; needs root (or passwordless sudo) and apt only when something is missing.
set -euo pipefail

# command -> Debian package
declare -A needed=(
  [git]=git
  [bash]=bash
  [bwrap]=bubblewrap
  # Add-ons (issue 8): the platform's redis-server, the admin clients of pg:psql and redis:cli,
  # and Debian's PostgreSQL server binaries, which the tests run as an "external" server.
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [psql]=postgresql-client
  [pg_ctlcluster]=postgresql
  # App networks (issue 12): a network namespace and veth pair per app, and its firewall rules.
  [ip]=iproute2
  [nsenter]=util-linux
  [iptables]=iptables
  # HTTPS (issue 14): openssl makes the tests' certificates; caddy's acme_server is the local ACME
  # CA of test/e2e/https-acme.test.ts (apt does not start it as a service here).
  [openssl]=openssl
  [caddy]=caddy
  # The dashboard's browser tests (issue 16): playwright-core drives Debian's chromium (no browser download).
  [chromium]=chromium
  # The Kubernetes runtime's container contract (issue 19): `podman kube play` of the generated pod
  # spec, with runc (crun refuses here) and an image imported from an mmdebstrap root file system.
  [podman]=podman
  [runc]=runc
  [mmdebstrap]=mmdebstrap
  # the pause process of Podman's pods (a recommended package, left out by --no-install-recommends)
  [catatonit]=catatonit
)

missing=()
for command in "${!needed[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needed[$command]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing missing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: apt-get is not available; install these by hand: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian's caddy package starts a caddy service on port 80 where systemd runs: the HTTPS tests run
# their own caddy, and the router needs port 80 of 127.0.0.77 for HTTP-01.
if [[ " ${missing[*]} " == *" caddy "* ]] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet caddy 2>/dev/null; then
  $sudo systemctl disable --now caddy || true
fi
