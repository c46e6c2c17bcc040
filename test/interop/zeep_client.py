"""Python zeep client, built from the served WSDL at run time.

usage: zeep_client.py WSDL_URL PORT_NAME TAG
PORT_NAME is CustomerServiceSoap (SOAP 1.1) or CustomerServiceSoap12 (SOAP 1.2).
Prints one line per check; exits 1 if any check failed.
"""
import sys

import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin

TNS = "urn:crm-bridge:customer:v1"
ENVELOPE = {"CustomerServiceSoap": "http://schemas.xmlsoap.org/soap/envelope/",
            "CustomerServiceSoap12": "http://www.w3.org/2003/05/soap-envelope"}
wsdl_url, port_name, tag = sys.argv[1:4]
label = f"zeep {port_name}"
failures = 0


def check(what, ok, info=""):
    global failures
    failures += 0 if ok else 1
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {what}{'' if ok else ' -- ' + str(info)}", flush=True)


def fault_code(call):
    """Runs call, expecting a SOAP fault; returns ServiceFault/code read through the WSDL's type."""
    try:
        call()
    except Fault as fault:
        detail = fault.detail.find(f"{{{TNS}}}ServiceFault") if fault.detail is not None else None
        if detail is None:
            return f"fault without ServiceFault detail: {fault.message}"
        return client.get_element(f"{{{TNS}}}ServiceFault").parse(detail, client.wsdl.types).code
    return "no fault"


customer = {
    "externalId": f"interop-zeep-{port_name}-{tag}",
    "type": "ORGANIZATION",
    "name": "Müller & Söhne <Zürich> 東京",
    "email": "einkauf@mueller-soehne.example",
    "phone": "+49 89 1234-0",
    "status": "PROSPECT",
    "vatNumber": "DE123456789",
    "addresses": {"address": [
        {"type": "SHIPPING", "line1": "Lagerstraße 5", "line2": "Tor 3", "city": "München",
         "region": "Bayern", "postalCode": "80331", "country": "DE"},
        {"type": "BILLING", "line1": "Postfach 12 34", "line2": None, "city": "Zürich",
         "region": None, "postalCode": "8001", "country": "CH"},
    ]},
    "contacts": {"contact": [
        {"firstName": "Zoë", "lastName": "Zimmermann", "email": "zoe@mueller-soehne.example",
         "phone": "+49 89 1234-10", "role": "Einkauf"},
        {"firstName": None, "lastName": "Ångström", "email": None, "phone": None, "role": "Buchhaltung"},
    ]},
}

# Anything raised outside fault_code() is a failure of its own: one line, not a traceback.
sys.excepthook = lambda kind, err, tb: check("runs without an unexpected error", False, f"{kind.__name__}: {err}")

try:
    history = HistoryPlugin()
    client = zeep.Client(wsdl_url, plugins=[history])
    service = client.bind("CustomerService", port_name)
except Exception as err:  # a WSDL the toolkit cannot load is the finding, so say it plainly
    check("load WSDL and bind port", False, repr(err))
    sys.exit(1)

created = serialize_object(service.CreateCustomer(customer=customer))
# The port, not a client default, must pick the SOAP version.
sent_ns = etree.QName(history.last_sent["envelope"]).namespace
check(f"sends the {port_name} binding's SOAP envelope", sent_ns == ENVELOPE[port_name], sent_ns)
check("CreateCustomer assigns an id", bool(created.get("id")), created.get("id"))
check("CreateCustomer answers version 1", created.get("version") == 1, created.get("version"))
# None stands for an absent element; lists compare in order, so this also checks
# the order of addresses and contacts.
mismatch = {key: created.get(key) for key in customer if created.get(key) != customer[key]}
check("CreateCustomer round-trips every field in order", not mismatch, mismatch)

by_id = serialize_object(service.GetCustomer(id=created["id"]))
check("GetCustomer by id answers the stored customer", by_id == created, by_id)
by_ext = serialize_object(service.GetCustomer(externalId=customer["externalId"]))
check("GetCustomer by externalId answers the stored customer", by_ext == created, by_ext)

changed = dict(created, phone="+49 89 9999-0", status="ACTIVE")
updated = serialize_object(service.UpdateCustomer(customer=changed))
check("UpdateCustomer with the current version answers version 2", updated.get("version") == 2, updated.get("version"))
check("UpdateCustomer stores the change",
      (updated.get("phone"), updated.get("status")) == ("+49 89 9999-0", "ACTIVE"), updated)

code = fault_code(lambda: service.UpdateCustomer(customer=changed))
check("UpdateCustomer with a stale version faults VERSION_CONFLICT", code == "VERSION_CONFLICT", code)
code = fault_code(lambda: service.GetCustomer(id="no-such-customer-" + tag))
check("GetCustomer of an unknown id faults NOT_FOUND", code == "NOT_FOUND", code)

deleted = service.DeleteCustomer(id=created["id"])
check("DeleteCustomer answers the id", deleted == created["id"], deleted)
code = fault_code(lambda: service.GetCustomer(id=created["id"]))
check("GetCustomer after DeleteCustomer faults NOT_FOUND", code == "NOT_FOUND", code)

sys.exit(1 if failures else 0)
