#!/usr/bin/env bash
# Generates the gSOAP proxies from the served WSDL and compiles client.cpp against them.
# usage: build.sh WSDL_URL OUT_DIR   (leaves the binary at OUT_DIR/client)
set -euo pipefail
wsdl_url=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cd "$out"

# The stock type map plus a fixed prefix for our namespace, so client.cpp can name the
# generated types (crm__Customer, ...) whatever prefix wsdl2h would have picked.
# xs:dateTime as struct timeval, the option typemap.dat itself offers: the default time_t
# drops fractions of a second, and GetChanges' nextSince is a cursor with microseconds that
# must go back exactly as received (a truncated one repeats the last changes forever).
{
  cat /usr/share/gsoap/WS/typemap.dat
  echo 'crm = "urn:crm-bridge:customer:v1"'
  echo 'xsd__dateTime = #import "custom/struct_timeval.h" | xsd__dateTime'
} > typemap.dat
# -Nsvc: one proxy class per binding (CustomerServiceSoap, CustomerServiceSoap12)
# instead of one service that merges both; -c++11: enum class and nullptr.
wsdl2h -c++11 -t typemap.dat -Nsvc -o CustomerService.h "$wsdl_url"
# -j: proxy classes sharing one soap context; -C: client side only; -x: no sample XML.
soapcpp2 -j -C -x -I/usr/share/gsoap/import:/usr/share/gsoap CustomerService.h
g++ -std=c++11 -O0 -w -I. -o client "$here/client.cpp" soapC.cpp \
  soapCustomerServiceSoapProxy.cpp soapCustomerServiceSoap12Proxy.cpp \
  -x c++ /usr/share/gsoap/custom/struct_timeval.c -lgsoap++
