#!/usr/bin/env bash
# Generates the JAX-WS stubs from the served WSDL and compiles InteropClient.java against them.
# usage: build.sh WSDL_URL OUT_DIR   (run: java -cp OUT_DIR:$(build.sh --classpath) InteropClient ...)
set -euo pipefail
# Debian's JAX-WS RI; jaxws-rt.jar's manifest names the rest of its runtime.
classpath=/usr/share/jaxws/lib/jaxws-rt.jar:/usr/share/jaxws/lib/jaxb-api.jar
if [ "$1" = --classpath ]; then echo "$classpath"; exit 0; fi
wsdl_url=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/src"

# -extension: JAX-WS only generates the WSDL 1.1 soap12:binding port (CustomerServiceSoap12)
# as a vendor extension. It also lets through what standard mode refuses (it once turned
# SearchCustomers' clashing offset into offset0 without a word), so strict-wsimport.sh
# checks the WSDL without it.
# -p: a fixed package for InteropClient to import.
wsimport -extension -Xnocompile -quiet -s "$out/src" -d "$out" -p crm.generated "$wsdl_url"
javac -nowarn -encoding UTF-8 -cp "$classpath" -d "$out" "$out"/src/crm/generated/*.java "$here/InteropClient.java"
