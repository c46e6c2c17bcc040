// gSOAP C++ client, compiled against code that wsdl2h + soapcpp2 generate from the
// served WSDL (see build.sh); the endpoint is the soap:address baked in from it.
//
// usage: client PORT_NAME TAG
// Prints one line per check; exits 1 if any check failed.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "soapCustomerServiceSoapProxy.h"
#include "soapCustomerServiceSoap12Proxy.h"
#include "CustomerServiceSoap.nsmap"  // both ports share one namespace table

static std::string label;
static int failures = 0;

static void check(const std::string &what, bool ok, const std::string &info = "") {
  if (!ok) failures++;
  std::printf("%s %s: %s%s\n", ok ? "ok  " : "FAIL", label.c_str(), what.c_str(), ok ? "" : (" -- " + info).c_str());
}

static std::string *text(soap *ctx, const char *value) {
  std::string *s = soap_new_std__string(ctx);
  *s = value;
  return s;
}

static int *number(soap *ctx, int value) {
  int *n = static_cast<int *>(soap_malloc(ctx, sizeof(int)));
  *n = value;
  return n;
}

// The generated serializer is the most faithful way to compare two values: every
// element, attribute and list position ends up in the XML.
template <class T>
static std::string serialized(soap *ctx, const T *value, int (*write)(soap *, const T *)) {
  std::ostringstream out;
  ctx->os = &out;
  write(ctx, value);
  ctx->os = nullptr;
  return out.str();
}

static std::string xml(soap *ctx, crm__Customer *customer) { return serialized(ctx, customer, soap_write_crm__Customer); }
static std::string xml(soap *ctx, crm__BatchReport *report) { return serialized(ctx, report, soap_write_crm__BatchReport); }
static std::string xml(soap *ctx, const std::vector<crm__Customer *> &customers) {
  std::string all;
  for (crm__Customer *c : customers) all += xml(ctx, c);
  return all;
}

static std::string withoutServiceFields(soap *ctx, const crm__Customer &customer) {
  crm__Customer copy = customer;
  copy.id = nullptr;
  copy.version = nullptr;
  copy.createdAt = copy.updatedAt = nullptr;
  return xml(ctx, &copy);
}

// ServiceFault/code of the fault the last call returned, decoded by the generated code
// (gSOAP puts the detail in fault->detail for SOAP 1.1, fault->SOAP_ENV__Detail for 1.2).
static std::string faultCode(soap *ctx, int status) {
  if (status == SOAP_OK) return "no fault";
  SOAP_ENV__Detail *detail = ctx->fault ? (ctx->fault->detail ? ctx->fault->detail : ctx->fault->SOAP_ENV__Detail) : nullptr;
  if (!detail || !detail->crm__ServiceFault_) {
    const char *reason = *soap_faultstring(ctx);
    return std::string("fault without ServiceFault detail: ") + (reason ? reason : "(none)");
  }
  return soap_crm__FaultCode2s(ctx, detail->crm__ServiceFault_->code);
}

static std::string error(soap *ctx) {
  std::ostringstream out;
  soap_stream_fault(ctx, out);
  return out.str();
}

static crm__Customer *fixture(soap *ctx, const std::string &externalId) {
  crm__Customer *c = soap_new_crm__Customer(ctx);
  c->externalId = text(ctx, externalId.c_str());
  c->type = crm__CustomerKind::ORGANIZATION;
  c->name = "Müller & Söhne <Zürich> 東京";
  c->email = text(ctx, "einkauf@mueller-soehne.example");
  c->phone = text(ctx, "+49 89 1234-0");
  c->status = soap_new_crm__CustomerStatus(ctx);
  *c->status = crm__CustomerStatus::PROSPECT;
  c->vatNumber = text(ctx, "DE123456789");
  c->addresses = soap_new_crm__AddressList(ctx);
  c->addresses->address.push_back(soap_new_set_crm__Address(ctx, "Lagerstraße 5", text(ctx, "Tor 3"), "München",
      text(ctx, "Bayern"), text(ctx, "80331"), "DE", crm__AddressType::SHIPPING));
  c->addresses->address.push_back(soap_new_set_crm__Address(ctx, "Postfach 12 34", nullptr, "Zürich",
      nullptr, text(ctx, "8001"), "CH", crm__AddressType::BILLING));
  c->contacts = soap_new_crm__ContactList(ctx);
  c->contacts->contact.push_back(soap_new_set_crm__Contact(ctx, text(ctx, "Zoë"), "Zimmermann",
      text(ctx, "zoe@mueller-soehne.example"), text(ctx, "+49 89 1234-10"), text(ctx, "Einkauf")));
  c->contacts->contact.push_back(soap_new_set_crm__Contact(ctx, nullptr, "Ångström", nullptr, nullptr,
      text(ctx, "Buchhaltung")));
  return c;
}

static crm__Customer *brief(soap *ctx, const std::string &externalId, const std::string &name,
                            const char *postalCode = "1010") {
  crm__Customer *c = soap_new_crm__Customer(ctx);
  c->externalId = text(ctx, externalId.c_str());
  c->type = crm__CustomerKind::PERSON;
  c->name = name;
  c->addresses = soap_new_crm__AddressList(ctx);
  c->addresses->address.push_back(soap_new_set_crm__Address(ctx, "Ringstraße 5", nullptr, "Wien", nullptr,
      text(ctx, postalCode), "AT", crm__AddressType::BILLING));
  return c;
}

// wsdl2h reads a WSDL 1.1 soap12:binding like a soap:binding: both proxies come out with
// one namespace table, whose envelope is SOAP 1.2 because the WSDL has a SOAP 1.2 binding,
// and soap_set_version() is undone by the next call. So the SOAP 1.1 port gets a copy of
// the table with the SOAP 1.1 envelope and encoding namespaces.
static Namespace *soap11Namespaces() {
  static Namespace table[std::extent<decltype(namespaces)>::value];
  std::copy(std::begin(namespaces), std::end(namespaces), table);
  table[0].ns = "http://schemas.xmlsoap.org/soap/envelope/";  // SOAP-ENV
  table[1].ns = "http://schemas.xmlsoap.org/soap/encoding/";  // SOAP-ENC
  return table;
}

template <class Proxy>
static int scenario(const std::string &portName, const std::string &tag, short soapVersion) {
  // Strings in this file are UTF-8; without SOAP_C_UTFSTRING gSOAP would take them for Latin-1.
  Proxy proxy(SOAP_C_UTFSTRING);
  soap *ctx = proxy.soap;
  if (soapVersion == 1) soap_set_namespaces(ctx, soap11Namespaces());

  // Every record this run writes carries token in its name, so a name search finds exactly them.
  const std::string token = "Gsoap/" + portName + "/" + tag, extBase = "interop-gsoap-" + portName + "-" + tag;

  // The cursor is taken before this scenario writes anything, so polling from it later
  // has to see every change made here (and only a few pages on a shared store).
  _crm__GetChanges firstRequest;
  firstRequest.since = "";
  firstRequest.limit = number(ctx, 1000);
  _crm__GetChangesResponse firstPage;
  int status = proxy.GetChanges(&firstRequest, firstPage);
  check("GetChanges accepts an empty since (from the beginning)", status == SOAP_OK, error(ctx));
  if (status != SOAP_OK) return 1;
  std::string cursor = firstPage.nextSince;

  crm__Customer *customer = fixture(ctx, extBase);
  _crm__CreateCustomer createRequest;
  createRequest.customer = customer;
  _crm__CreateCustomerResponse createResponse;
  if (proxy.CreateCustomer(&createRequest, createResponse) != SOAP_OK) {
    check("CreateCustomer", false, error(ctx));
    return 1;
  }
  check("exchanges the " + portName + " binding's SOAP envelopes", ctx->version == soapVersion,
        "SOAP version " + std::to_string(ctx->version));
  crm__Customer *created = createResponse.customer;
  check("CreateCustomer assigns an id", created->id && !created->id->empty());
  check("CreateCustomer answers version 1", created->version && *created->version == 1,
        created->version ? std::to_string(*created->version) : "none");
  std::string sent = withoutServiceFields(ctx, *customer), answered = withoutServiceFields(ctx, *created);
  check("CreateCustomer round-trips every field in order", sent == answered, answered);

  _crm__GetCustomer byIdRequest;
  byIdRequest.__union_GetCustomer = SOAP_UNION__crm__union_GetCustomer_id;
  byIdRequest.union_GetCustomer.id = created->id;
  _crm__GetCustomerResponse byId;
  status = proxy.GetCustomer(&byIdRequest, byId);
  check("GetCustomer by id answers the stored customer",
        status == SOAP_OK && xml(ctx, byId.customer) == xml(ctx, created), status == SOAP_OK ? xml(ctx, byId.customer) : error(ctx));
  _crm__GetCustomer byExtRequest;
  byExtRequest.__union_GetCustomer = SOAP_UNION__crm__union_GetCustomer_externalId;
  byExtRequest.union_GetCustomer.externalId = customer->externalId;
  _crm__GetCustomerResponse byExt;
  status = proxy.GetCustomer(&byExtRequest, byExt);
  check("GetCustomer by externalId answers the stored customer",
        status == SOAP_OK && xml(ctx, byExt.customer) == xml(ctx, created), status == SOAP_OK ? xml(ctx, byExt.customer) : error(ctx));

  crm__Customer changed = *created;
  changed.phone = text(ctx, "+49 89 9999-0");
  changed.status = soap_new_crm__CustomerStatus(ctx);
  *changed.status = crm__CustomerStatus::ACTIVE;
  _crm__UpdateCustomer updateRequest;
  updateRequest.customer = &changed;
  _crm__UpdateCustomerResponse updated;
  status = proxy.UpdateCustomer(&updateRequest, updated);
  check("UpdateCustomer with the current version answers version 2",
        status == SOAP_OK && updated.customer->version && *updated.customer->version == 2, status == SOAP_OK ? xml(ctx, updated.customer) : error(ctx));
  check("UpdateCustomer stores the change",
        status == SOAP_OK && updated.customer->phone && *updated.customer->phone == "+49 89 9999-0" &&
        updated.customer->status && *updated.customer->status == crm__CustomerStatus::ACTIVE);

  _crm__UpdateCustomerResponse stale;
  std::string code = faultCode(ctx, proxy.UpdateCustomer(&updateRequest, stale));
  check("UpdateCustomer with a stale version faults VERSION_CONFLICT", code == "VERSION_CONFLICT", code);
  _crm__GetCustomer unknownRequest;
  unknownRequest.__union_GetCustomer = SOAP_UNION__crm__union_GetCustomer_id;
  unknownRequest.union_GetCustomer.id = text(ctx, ("no-such-customer-" + tag).c_str());
  _crm__GetCustomerResponse unknown;
  code = faultCode(ctx, proxy.GetCustomer(&unknownRequest, unknown));
  check("GetCustomer of an unknown id faults NOT_FOUND", code == "NOT_FOUND", code);

  _crm__DeleteCustomer deleteRequest;
  deleteRequest.id = *created->id;
  _crm__DeleteCustomerResponse deleted;
  status = proxy.DeleteCustomer(&deleteRequest, deleted);
  check("DeleteCustomer answers the id", status == SOAP_OK && deleted.id == *created->id,
        status == SOAP_OK ? deleted.id : error(ctx));
  _crm__GetCustomerResponse gone;
  code = faultCode(ctx, proxy.GetCustomer(&byIdRequest, gone));
  check("GetCustomer after DeleteCustomer faults NOT_FOUND", code == "NOT_FOUND", code);

  // ---- UpsertCustomers: one new, one existing with a new name, one failing the schema ----

  _crm__CreateCustomer existingRequest;
  existingRequest.customer = brief(ctx, extBase + "-b", "Interop " + token + " Bestand");
  _crm__CreateCustomerResponse existing;
  if (proxy.CreateCustomer(&existingRequest, existing) != SOAP_OK) {
    check("CreateCustomer of the customer to upsert", false, error(ctx));
    return 1;
  }
  std::string batchId = "interop-gsoap-" + portName + "-" + tag;
  _crm__UpsertCustomers batch;
  batch.batchId = &batchId;
  batch.mode = soap_new_crm__BatchMode(ctx);
  *batch.mode = crm__BatchMode::PARTIAL;
  batch.customer = {brief(ctx, extBase + "-n", "Interop " + token + " Neu"),
                    brief(ctx, extBase + "-b", "Interop " + token + " Bestand umbenannt"),
                    brief(ctx, extBase + "-f", "Interop " + token + " Fehler", "123456789012345678901234567890")};
  crm__BatchReport report;
  if (proxy.UpsertCustomers(&batch, report) != SOAP_OK) {
    check("UpsertCustomers", false, error(ctx));
    return 1;
  }
  check("UpsertCustomers echoes the batchId", report.batchId && *report.batchId == batchId, xml(ctx, &report));
  check("UpsertCustomers counts created=1 updated=1 unchanged=0 failed=1",
        report.created == 1 && report.updated == 1 && report.unchanged == 0 && report.failed == 1, xml(ctx, &report));
  const crm__UpsertStatus statuses[] = {crm__UpsertStatus::CREATED, crm__UpsertStatus::UPDATED, crm__UpsertStatus::FAILED};
  bool inOrder = report.result.size() == 3;
  for (size_t i = 0; inOrder && i < 3; i++) {
    const crm__RecordResult *r = report.result[i];
    inOrder = r->index == int(i + 1) && r->externalId && *r->externalId == *batch.customer[i]->externalId &&
              r->status == statuses[i];
  }
  check("UpsertCustomers answers one result per customer, in input order", inOrder, xml(ctx, &report));
  if (!inOrder) return 1;
  check("UpsertCustomers names the stored ids (the existing customer's for UPDATED, none for FAILED)",
        report.result[0]->id && report.result[1]->id && *report.result[1]->id == *existing.customer->id &&
        !report.result[2]->id, xml(ctx, &report));
  const crm__RecordError *recordError = report.result[2]->error;
  code = recordError ? soap_crm__FaultCode2s(ctx, recordError->code) : "no error";
  check("UpsertCustomers' FAILED result has error/code VALIDATION_FAILED", code == "VALIDATION_FAILED", code);

  crm__BatchReport replay;
  status = proxy.UpsertCustomers(&batch, replay);
  check("UpsertCustomers re-sent unchanged answers the identical report",
        status == SOAP_OK && xml(ctx, &replay) == xml(ctx, &report), status == SOAP_OK ? xml(ctx, &replay) : error(ctx));
  _crm__GetCustomer newRequest;
  newRequest.__union_GetCustomer = SOAP_UNION__crm__union_GetCustomer_id;
  newRequest.union_GetCustomer.id = report.result[0]->id;
  _crm__GetCustomerResponse before, after;
  status = proxy.GetCustomer(&newRequest, before);
  _crm__UpsertCustomers otherBody = batch;
  otherBody.customer = {brief(ctx, extBase + "-n", "Interop " + token + " Neu, anders")};
  crm__BatchReport refused;
  code = faultCode(ctx, proxy.UpsertCustomers(&otherBody, refused));
  check("UpsertCustomers with a used batchId and another body faults VALIDATION_FAILED", code == "VALIDATION_FAILED", code);
  status |= proxy.GetCustomer(&newRequest, after);
  check("UpsertCustomers refused for its batchId changes nothing",
        status == SOAP_OK && xml(ctx, after.customer) == xml(ctx, before.customer) && *after.customer->version == 1,
        status == SOAP_OK ? xml(ctx, after.customer) : error(ctx));

  // ---- SearchCustomers: the name holds the run's token, so the answer is exact ----------

  std::vector<crm__Customer *> expected;
  for (int i : {0, 1}) {
    _crm__GetCustomer request;
    request.__union_GetCustomer = SOAP_UNION__crm__union_GetCustomer_id;
    request.union_GetCustomer.id = report.result[i]->id;
    _crm__GetCustomerResponse *response = soap_new__crm__GetCustomerResponse(ctx);
    if (proxy.GetCustomer(&request, *response) != SOAP_OK) {
      check("GetCustomer of an upserted customer", false, error(ctx));
      return 1;
    }
    expected.push_back(response->customer);
  }
  std::sort(expected.begin(), expected.end(), [](crm__Customer *a, crm__Customer *b) { return *a->id < *b->id; });
  // The stored names are mixed case: the search is case-insensitive.
  std::string needle = token;
  std::transform(needle.begin(), needle.end(), needle.begin(), ::tolower);
  _crm__SearchCustomers search;
  search.name = &needle;
  search.limit = number(ctx, 10);
  _crm__SearchCustomersResponse found;
  status = proxy.SearchCustomers(&search, found);
  check("SearchCustomers by a lower-case name substring answers total 2 and exactly those customers, by id",
        status == SOAP_OK && found.total == 2 && found.offset == 0 && xml(ctx, found.customer) == xml(ctx, expected),
        status == SOAP_OK ? "total " + std::to_string(found.total) + ": " + xml(ctx, found.customer) : error(ctx));
  std::string pages, expectedPages;
  for (int offset : {0, 1, 2}) {
    search.offset = number(ctx, offset);
    search.limit = number(ctx, 1);
    _crm__SearchCustomersResponse page;
    if (proxy.SearchCustomers(&search, page) != SOAP_OK) {
      pages += error(ctx);
      break;
    }
    pages += std::to_string(page.total) + " " + std::to_string(page.offset) + " " + xml(ctx, page.customer) + "\n";
    expectedPages += "2 " + std::to_string(offset) + " " + (offset < 2 ? xml(ctx, expected[offset]) : "") + "\n";
  }
  check("SearchCustomers pages with offset 0, 1, 2 and limit 1: one customer each, then none", pages == expectedPages, pages);

  // ---- GetChanges: poll from the cursor, two at a time, until a page is empty -----------

  // A page with changes has to move the cursor on: one that does not (say, a nextSince that
  // lost digits on its way through the toolkit) would answer the same page forever.
  std::vector<crm__Customer *> seen;
  std::vector<std::string> deletedIds;
  std::string since = cursor;
  int polls = 0;
  bool advancing = true;
  status = SOAP_OK;
  while (status == SOAP_OK && advancing && polls < 1000) {
    polls++;
    _crm__GetChanges request;
    request.since = since;
    request.limit = number(ctx, 2);
    _crm__GetChangesResponse *changes = soap_new__crm__GetChangesResponse(ctx);
    status = proxy.GetChanges(&request, *changes);
    if (status != SOAP_OK || (changes->customer.empty() && changes->deletedId.empty())) break;
    seen.insert(seen.end(), changes->customer.begin(), changes->customer.end());
    deletedIds.insert(deletedIds.end(), changes->deletedId.begin(), changes->deletedId.end());
    // A tns:ChangeCursor is a std::string (see build.sh), and its pattern fixes the width and
    // the zone, so strings compare as instants.
    advancing = changes->nextSince > since;
    since = changes->nextSince;
  }
  check("GetChanges polled nextSince to an empty page, nextSince advancing on every page",
        status == SOAP_OK && advancing && polls < 1000,
        status == SOAP_OK ? std::to_string(polls) + " polls, last nextSince " + since : error(ctx));
  std::vector<std::string> changedIds = deletedIds;
  std::string seenIds;
  for (crm__Customer *c : seen) {
    changedIds.push_back(*c->id);
    seenIds += *c->id + " ";
  }
  std::vector<std::string> unique = changedIds;
  std::sort(unique.begin(), unique.end());
  check("GetChanges saw no change twice", std::unique(unique.begin(), unique.end()) == unique.end(),
        std::to_string(changedIds.size()) + " changes of " + std::to_string(unique.size()) + " ids");
  bool allSeen = true;
  for (crm__Customer *c : expected) {
    allSeen = allSeen && std::any_of(seen.begin(), seen.end(), [&](crm__Customer *s) { return xml(ctx, s) == xml(ctx, c); });
  }
  check("GetChanges saw each customer created or updated here, in its latest state", allSeen,
        "expected " + *expected[0]->id + " " + *expected[1]->id + ", saw " + seenIds);
  const std::string &deletedId = *created->id;
  check("GetChanges reports the deleted customer as a deletedId, not as a customer",
        std::count(deletedIds.begin(), deletedIds.end(), deletedId) == 1 &&
        std::none_of(seen.begin(), seen.end(), [&](crm__Customer *c) { return *c->id == deletedId; }),
        std::to_string(deletedIds.size()) + " deletedIds");

  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT_NAME TAG\n", argv[0]);
    return 2;
  }
  std::string portName = argv[1], tag = argv[2];
  label = "gsoap " + portName;
  if (portName == "CustomerServiceSoap") return scenario<CustomerServiceSoapProxy>(portName, tag, 1);
  if (portName == "CustomerServiceSoap12") return scenario<CustomerServiceSoap12Proxy>(portName, tag, 2);
  check("knows the port", false, portName);
  return 1;
}
