// gSOAP C++ client, compiled against code that wsdl2h + soapcpp2 generate from the
// served WSDL (see build.sh); the endpoint is the soap:address baked in from it.
//
// usage: client PORT_NAME TAG
// Prints one line per check; exits 1 if any check failed.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <string>
#include <type_traits>

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

// The generated serializer is the most faithful way to compare two customers: every
// element, attribute and list position ends up in the XML.
static std::string xml(soap *ctx, crm__Customer *customer) {
  std::ostringstream out;
  ctx->os = &out;
  soap_write_crm__Customer(ctx, customer);
  ctx->os = nullptr;
  return out.str();
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

  crm__Customer *customer = fixture(ctx, "interop-gsoap-" + portName + "-" + tag);
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
  int status = proxy.GetCustomer(&byIdRequest, byId);
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
