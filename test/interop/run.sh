#!/usr/bin/env bash
# Interop suite (npm run test:interop): builds crm-bridge, serves it on a free port over a
# throw-away data directory, and runs one client per SOAP toolkit through both ports of the
# served WSDL (SOAP 1.1 and SOAP 1.2). Every client is generated from or loaded off that
# WSDL at run time, so a WSDL or XSD change that breaks a toolkit shows up here. Each client
# runs every operation: the CRUD four, UpsertCustomers (counts, order, replay, a reused
# batchId), SearchCustomers (exact answer, paging) and GetChanges (empty since, polling
# nextSince to an empty page). Then plain wsimport without -extension (java/strict-wsimport.sh).
# Last, a second service with a user (auth on): zeep's own WS-Security UsernameToken (text and
# digest) and PHP SoapClient with a hand-added Security header (zeep_auth_client.py,
# php_auth_client.php).
# Result: one pass/fail per toolkit and port, plus the strict wsimport check, summed up in
# the last line.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/test/interop
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-interop.XXXXXX")
ports=(CustomerServiceSoap CustomerServiceSoap12)
tag=$(date +%s)-$$  # keeps externalIds unique across runs
passed=0 failed=0 server_pid=
started=$SECONDS
cd "$root"

say() { printf '== %s\n' "$*"; }

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null
  # It drains in-flight requests and closes the database; give it 10 s, then insist.
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Infrastructure that fails stops the run, but still ends with the summary line.
abort() {
  echo "FAIL setup: $*"
  echo "$passed passed, $((failed + 1)) failed"
  exit 1
}

# retry WHAT COMMAND...: registries and mirrors fail now and then; three attempts with a
# growing pause before giving up, and then say plainly what could not be done.
retry() {
  local what=$1 attempt
  shift
  for attempt in 1 2 3; do
    "$@" >"$work/retry.log" 2>&1 && return 0
    echo "   $what: attempt $attempt of 3 failed: $(tail -n 1 "$work/retry.log")"
    [ "$attempt" -lt 3 ] && sleep $((attempt * 10))
  done
  tail -n 20 "$work/retry.log" | sed 's/^/   | /'
  echo "   could not $what"
  return 1
}

# ---- toolkits ------------------------------------------------------------------------
# Each toolkit NAME has NAME_packages (Debian packages), NAME_present (is it installed?),
# optionally NAME_build (a script run once as `SCRIPT WSDL_URL $work/NAME` to generate and
# compile the client), and NAME_cmd PORT, which sets cmd to the command line of one client
# run (an array, so that timeout can run it).
# The system python on purpose: a pyenv python3 on PATH does not see Debian's python3-zeep.

zeep_packages="python3-zeep"
zeep_present() { /usr/bin/python3 -c 'import zeep' 2>/dev/null; }
zeep_cmd() { cmd=(/usr/bin/python3 "$here/zeep_client.py" "$wsdl_url" "$1" "$tag"); }

php_packages="php-cli php-soap"
php_present() { command -v php >/dev/null && php -r 'exit(class_exists("SoapClient") ? 0 : 1);'; }
php_cmd() { cmd=(php "$here/php_client.php" "$wsdl_url" "$1" "$tag"); }
# The same two against a service with a user (auth on), as that user.
zeep_auth_cmd() { cmd=(/usr/bin/python3 "$here/zeep_auth_client.py" "$wsdl_url" "$1" "$tag" "$auth_user" "$auth_password"); }
php_auth_cmd() { cmd=(php "$here/php_auth_client.php" "$wsdl_url" "$1" "$tag" "$auth_user" "$auth_password"); }

node_soap_packages=""  # a devDependency: comes with npm ci, not apt
node_soap_present() { [ -f "$root/node_modules/soap/package.json" ]; }
node_soap_cmd() { cmd=(node "$here/node-soap-client.mjs" "$wsdl_url" "$1" "$tag"); }

gsoap_packages="gsoap libgsoap-dev g++"
gsoap_present() { command -v wsdl2h && command -v soapcpp2 && command -v g++ && [ -f /usr/include/stdsoap2.h ]; } >/dev/null
gsoap_build=$here/gsoap/build.sh
gsoap_cmd() { cmd=("$work/gsoap/client" "$1" "$tag"); }

jax_ws_packages="jaxws default-jdk-headless"
jax_ws_present() { command -v wsimport && command -v javac; } >/dev/null
jax_ws_build=$here/java/build.sh
jax_ws_cmd() {
  # The standard SAAJ property, so Debian's SAAJ does not warn about its legacy lookup.
  cmd=(java -Djavax.xml.soap.SAAJMetaFactory=com.sun.xml.messaging.saaj.soap.SAAJMetaFactoryImpl
    -cp "$work/jax-ws:$(bash "$here/java/build.sh" --classpath)" InteropClient "$wsdl_url" "$1" "$tag")
}

toolkits=(zeep php node_soap gsoap jax_ws)

# ---- install what is missing ---------------------------------------------------------
say "toolkits"
{ [ -x node_modules/.bin/tsc ] && node_soap_present; } || retry "install the npm packages (npm ci)" npm ci ||
  abort "the project's npm packages are missing"
declare -A unavailable=()
missing=()
for tk in "${toolkits[@]}"; do "${tk}_present" || missing+=("$tk"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  retry "update the apt package lists" apt-get update || true  # installs below still say what failed
  for tk in "${missing[@]}"; do
    packages_var=${tk}_packages
    packages=${!packages_var}
    if [ -z "$packages" ]; then
      unavailable[$tk]="not installed by npm ci"
    elif retry "install $packages for ${tk//_/-}" apt-get install -y --no-install-recommends $packages &&
      "${tk}_present"; then
      echo "   installed $packages for ${tk//_/-}"
    else
      unavailable[$tk]="could not install $packages"
    fi
  done
fi
for tk in "${toolkits[@]}"; do echo "   ${tk//_/-}: ${unavailable[$tk]:-ready}"; done

# ---- build and start the service -----------------------------------------------------
say "build"
npx tsc -p tsconfig.json || abort "the TypeScript build failed"

# start_server DATA_DIR: serves on a free port over DATA_DIR; sets wsdl_url.
start_server() {
  env -u CRM_PUBLIC_URL CRM_DATA_DIR="$1" CRM_HOST=127.0.0.1 CRM_PORT=0 CRM_LOG_LEVEL=info \
    node dist/src/main.js >"$work/server.log" 2>&1 &
  server_pid=$!
  # The service logs its url (with the port it picked) once it listens.
  base_url=
  for _ in $(seq 300); do
    base_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/server.log" | head -n 1)
    [ -n "$base_url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$base_url" ]; then
    sed 's/^/   | /' "$work/server.log"
    abort "the service did not log a url within 30 s"
  fi
  wsdl_url="$base_url/soap/CustomerService?wsdl"
  echo "   $wsdl_url"
}

say "start"
mkdir -p "$work/data"
start_server "$work/data"

# ---- run the clients -----------------------------------------------------------------
record() {  # record NAME PORT STATUS [WHY]
  if [ "$3" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1 $2${4:+: $4}"
  fi
}

# run_client NAME PORT: runs $cmd (at most 120 s) and records its outcome.
run_client() {
  local status why_run
  timeout 120 "${cmd[@]}"
  status=$?
  [ "$status" -eq 124 ] && why_run="timed out after 120 s" || why_run="exit status $status"
  record "$1" "$2" "$status" "$why_run"
}

# on_ports NAME WHY PREPARE: on every port, records WHY as a failure when the client
# cannot run, else has PREPARE PORT set $cmd and runs it.
on_ports() {
  local port
  for port in "${ports[@]}"; do
    if [ -n "$2" ]; then
      record "$1" "$port" 1 "$2"
      continue
    fi
    "$3" "$port"
    run_client "$1" "$port"
  done
}

for tk in "${toolkits[@]}"; do
  name=${tk//_/-}
  say "$name"
  why=${unavailable[$tk]:-}
  build_var=${tk}_build
  if [ -z "$why" ] && [ -n "${!build_var:-}" ]; then
    timeout 600 bash "${!build_var}" "$wsdl_url" "$work/$name" >"$work/$name.build.log" 2>&1 || {
      tail -n 40 "$work/$name.build.log" | sed 's/^/   | /'
      why="could not generate or build the client from the served WSDL"
    }
  fi
  on_ports "$name" "$why" "${tk}_cmd"
done

say "jax-ws strict"
if [ -n "${unavailable[jax_ws]:-}" ]; then
  record jax-ws-strict CustomerServiceSoap 1 "${unavailable[jax_ws]}"
else
  timeout 300 bash "$here/java/strict-wsimport.sh" "$wsdl_url" "$work/jax-ws-strict"
  status=$?
  [ "$status" -eq 124 ] && why_run="timed out after 300 s" || why_run="exit status $status"
  record jax-ws-strict CustomerServiceSoap "$status" "$why_run"
fi

# ---- authentication ------------------------------------------------------------------
# A second service with a user (so auth is on): zeep's own UsernameToken (text and digest)
# and PHP SoapClient with a hand-added Security header (mustUnderstand), on both ports.
say "auth: start with a user"
stop_server
mkdir -p "$work/auth-data"
auth_user=interop-writer auth_password="interop $tag secret"
printf '%s\n' "$auth_password" | CRM_DATA_DIR="$work/auth-data" node dist/src/main.js users add "$auth_user" --role writer >/dev/null ||
  abort "could not add the interop user"
start_server "$work/auth-data"
for tk in zeep php; do
  name=$tk-auth
  say "$name"
  on_ports "$name" "${unavailable[$tk]:-}" "${tk}_auth_cmd"
done

stop_server
if [ "$failed" -gt 0 ]; then
  say "server log (last 20 lines)"
  tail -n 20 "$work/server.log" | sed 's/^/   | /'
fi
say "took $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
