#!/usr/bin/env bash
# What a Java integrator without vendor extensions gets: plain wsimport (no -extension) of
# the served WSDL. Standard JAX-WS knows only the SOAP 1.1 binding of WSDL 1.1, so it has to
# generate and compile the CustomerServiceSoap port, and the one message it may print is
# that it skips the SOAP 1.2 port. Anything else it flags is a WSDL problem that build.sh's
# -extension would let through (as it did SearchCustomers' duplicate "offset" parameter).
# usage: strict-wsimport.sh WSDL_URL OUT_DIR
# Prints one check line; exits 1 if the check failed.
set -uo pipefail
wsdl_url=$1 out=$2
label="jax-ws-strict CustomerServiceSoap"
mkdir -p "$out/classes"

fail() {
  echo "FAIL $label: $1"
  sed 's/^/   | /' "$out/wsimport.log"
  exit 1
}

wsimport -d "$out/classes" "$wsdl_url" >"$out/wsimport.log" 2>&1 || fail "wsimport without -extension failed"
unexpected=$(grep -E '^\[(ERROR|WARNING)\]' "$out/wsimport.log" | grep -v '^\[WARNING\] Ignoring SOAP port "CustomerServiceSoap12"')
[ -z "$unexpected" ] || fail "wsimport without -extension flags: $unexpected"
# The package comes from the target namespace; the service class is wherever it was put.
service=$(cd "$out/classes" && find . -name CustomerService.class | sed 's#^\./##; s#\.class$##; s#/#.#g')
[ -n "$service" ] || fail "no CustomerService class was generated"
javap -cp "$out/classes" "$service" | grep -q ' getCustomerServiceSoap()' ||
  fail "$service has no getCustomerServiceSoap() port getter"
echo "ok   $label: plain wsimport (no -extension) generates and compiles the SOAP 1.1 port"
