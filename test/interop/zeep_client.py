"""Python zeep client, built from the served WSDL at run time.

usage: zeep_client.py WSDL_URL PORT_NAME TAG
PORT_NAME is CustomerServiceSoap (SOAP 1.1) or CustomerServiceSoap12 (SOAP 1.2).
Prints one line per check; exits 1 if any check failed.
"""
import sys

import zeep
from lxml import etree
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin

from interop_checks import Checks, fault_code as service_fault_code

TNS = "urn:crm-bridge:customer:v1"
ENVELOPE = {"CustomerServiceSoap": "http://schemas.xmlsoap.org/soap/envelope/",
            "CustomerServiceSoap12": "http://www.w3.org/2003/05/soap-envelope"}
wsdl_url, port_name, tag = sys.argv[1:4]
label = f"zeep {port_name}"
checks = Checks(label)
check = checks.check


def fault_code(call):
    return service_fault_code(client, call)


# Every record this run writes carries token in its name, so a name search finds exactly them.
token = f"Zeep/{port_name}/{tag}"
ext_base = f"interop-zeep-{port_name}-{tag}"
customer = {
    "externalId": ext_base,
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

# The cursor is taken before this scenario writes anything, so polling from it later
# has to see every change made here (and only a few pages on a shared store).
first_page = serialize_object(service.GetChanges(since="", limit=1000))
check("GetChanges accepts an empty since (from the beginning)", first_page.get("nextSince") is not None, first_page)
cursor = first_page["nextSince"]

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


# ---- UpsertCustomers: one new, one existing with a new name, one failing the schema ----

def brief(external_id, name, postal_code="1010"):
    return {"externalId": external_id, "type": "PERSON", "name": name,
            "addresses": {"address": [{"type": "BILLING", "line1": "Ringstraße 5", "city": "Wien",
                                       "postalCode": postal_code, "country": "AT"}]}}


existing = serialize_object(service.CreateCustomer(customer=brief(f"{ext_base}-b", f"Interop {token} Bestand")))
batch_id = f"interop-zeep-{port_name}-{tag}"
records = [brief(f"{ext_base}-n", f"Interop {token} Neu"),
           brief(f"{ext_base}-b", f"Interop {token} Bestand umbenannt"),
           brief(f"{ext_base}-f", f"Interop {token} Fehler", postal_code="123456789012345678901234567890")]
report = serialize_object(service.UpsertCustomers(batchId=batch_id, mode="PARTIAL", customer=records))
results = report.get("result") or []
check("UpsertCustomers echoes the batchId", report.get("batchId") == batch_id, report.get("batchId"))
counts = tuple(report.get(key) for key in ("created", "updated", "unchanged", "failed"))
check("UpsertCustomers counts created=1 updated=1 unchanged=0 failed=1", counts == (1, 1, 0, 1), counts)
order = [(r["index"], r["externalId"], r["status"]) for r in results]
expected_order = [(i + 1, rec["externalId"], status)
                  for i, (rec, status) in enumerate(zip(records, ("CREATED", "UPDATED", "FAILED")))]
check("UpsertCustomers answers one result per customer, in input order", order == expected_order, order)
ids = [r["id"] for r in results]
check("UpsertCustomers names the stored ids (the existing customer's for UPDATED, none for FAILED)",
      len(ids) == 3 and bool(ids[0]) and ids[1] == existing["id"] and ids[2] is None, ids)
error = (results[2].get("error") or {}) if len(results) == 3 else {}
check("UpsertCustomers' FAILED result has error/code VALIDATION_FAILED", error.get("code") == "VALIDATION_FAILED", error)

replay = serialize_object(service.UpsertCustomers(batchId=batch_id, mode="PARTIAL", customer=records))
check("UpsertCustomers re-sent unchanged answers the identical report", replay == report, replay)
new_id = ids[0]
before = serialize_object(service.GetCustomer(id=new_id))
other_body = [brief(f"{ext_base}-n", f"Interop {token} Neu, anders")]
code = fault_code(lambda: service.UpsertCustomers(batchId=batch_id, mode="PARTIAL", customer=other_body))
check("UpsertCustomers with a used batchId and another body faults VALIDATION_FAILED", code == "VALIDATION_FAILED", code)
after = serialize_object(service.GetCustomer(id=new_id))
check("UpsertCustomers refused for its batchId changes nothing", after == before and after.get("version") == 1, after)

# ---- SearchCustomers: the name holds the run's token, so the answer is exact ----------

expected = sorted((serialize_object(service.GetCustomer(id=i)) for i in ids[:2]), key=lambda c: c["id"])
needle = token.lower()  # the stored names are mixed case: the search is case-insensitive
page = serialize_object(service.SearchCustomers(name=needle, limit=10))
check("SearchCustomers by a lower-case name substring answers total 2 and exactly those customers, by id",
      (page.get("total"), page.get("offset"), page.get("customer")) == (2, 0, expected), page)
pages = [serialize_object(service.SearchCustomers(name=needle, offset=offset, limit=1)) for offset in (0, 1, 2)]
check("SearchCustomers pages with offset 0, 1, 2 and limit 1: one customer each, then none",
      [(p["total"], p["offset"], p["customer"]) for p in pages] == [(2, 0, expected[:1]), (2, 1, expected[1:]), (2, 2, [])],
      pages)

# ---- GetChanges: poll from the cursor, two at a time, until a page is empty -----------

# A page with changes has to move the cursor on: one that does not (say, a nextSince that
# lost digits on its way through the toolkit) would answer the same page forever.
seen, deleted_ids, polls, advancing = [], [], 0, True
since = cursor
while advancing and polls < 1000:
    polls += 1
    changes = serialize_object(service.GetChanges(since=since, limit=2))
    if not changes["customer"] and not changes["deletedId"]:
        break
    seen += changes["customer"]
    deleted_ids += changes["deletedId"]
    # A tns:ChangeCursor is a str to zeep, and its pattern fixes the width and the zone, so
    # strings compare as instants.
    advancing = changes["nextSince"] > since
    since = changes["nextSince"]
check("GetChanges polled nextSince to an empty page, nextSince advancing on every page",
      advancing and polls < 1000, f"{polls} polls, last nextSince {since}")
seen_ids = [c["id"] for c in seen]
changed_ids = seen_ids + deleted_ids
check("GetChanges saw no change twice", len(changed_ids) == len(set(changed_ids)), changed_ids)
check("GetChanges saw each customer created or updated here, in its latest state",
      all(c in seen for c in expected), {"expected": expected, "seen": seen})
check("GetChanges reports the deleted customer as a deletedId, not as a customer",
      created["id"] in deleted_ids and created["id"] not in seen_ids, {"deletedId": deleted_ids})

sys.exit(1 if checks.failures else 0)
