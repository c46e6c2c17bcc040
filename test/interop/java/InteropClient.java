// JAX-WS RI client (Debian's jaxws package), against the stubs that wsimport generates
// from the served WSDL (see build.sh) into package crm.generated.
//
// usage: java InteropClient WSDL_URL PORT_NAME TAG
// Prints one line per check; exits 1 if any check failed.
import crm.generated.*;

import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.xml.bind.Marshaller;
import javax.xml.namespace.QName;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.Holder;
import javax.xml.ws.soap.SOAPBinding;

public class InteropClient {
  private static final String TNS = "urn:crm-bridge:customer:v1";
  private static String label;
  private static int failures = 0;

  private static void check(String what, boolean ok, Object info) {
    if (!ok) failures++;
    System.out.println((ok ? "ok   " : "FAIL ") + label + ": " + what + (ok ? "" : " -- " + info));
  }

  interface Call { void run() throws Exception; }

  // ServiceFault/code of the declared fault the call throws, as JAX-WS maps it to an exception.
  private static String faultCode(Call call) throws Exception {
    try {
      call.run();
      return "no fault";
    } catch (ServiceFault_Exception fault) {
      return fault.getFaultInfo().getCode().value();
    }
  }

  // JAXB's own XML of a value is the most faithful comparison: every element,
  // attribute and list position ends up in it.
  @SuppressWarnings("unchecked")
  private static <T> String xml(T value) throws Exception {
    Class<T> type = (Class<T>) value.getClass();
    Marshaller marshaller = JAXBContext.newInstance(type).createMarshaller();
    StringWriter out = new StringWriter();
    marshaller.marshal(new JAXBElement<>(new QName(TNS, type.getSimpleName()), type, value), out);
    return out.toString();
  }

  private static String xml(List<Customer> customers) throws Exception {
    StringBuilder all = new StringBuilder();
    for (Customer c : customers) all.append(xml(c));
    return all.toString();
  }

  private static String withoutServiceFields(Customer customer) throws Exception {
    String id = customer.getId();
    Integer version = customer.getVersion();
    var createdAt = customer.getCreatedAt();
    var updatedAt = customer.getUpdatedAt();
    customer.setId(null);
    customer.setVersion(null);
    customer.setCreatedAt(null);
    customer.setUpdatedAt(null);
    try {
      return xml(customer);
    } finally {
      customer.setId(id);
      customer.setVersion(version);
      customer.setCreatedAt(createdAt);
      customer.setUpdatedAt(updatedAt);
    }
  }

  private static Address address(AddressType type, String line1, String line2, String city, String region,
      String postalCode, String country) {
    Address a = new Address();
    a.setType(type);
    a.setLine1(line1);
    a.setLine2(line2);
    a.setCity(city);
    a.setRegion(region);
    a.setPostalCode(postalCode);
    a.setCountry(country);
    return a;
  }

  private static Contact contact(String firstName, String lastName, String email, String phone, String role) {
    Contact c = new Contact();
    c.setFirstName(firstName);
    c.setLastName(lastName);
    c.setEmail(email);
    c.setPhone(phone);
    c.setRole(role);
    return c;
  }

  private static Customer fixture(String externalId) {
    Customer c = new Customer();
    c.setExternalId(externalId);
    c.setType(CustomerKind.ORGANIZATION);
    c.setName("Müller & Söhne <Zürich> 東京");
    c.setEmail("einkauf@mueller-soehne.example");
    c.setPhone("+49 89 1234-0");
    c.setStatus(CustomerStatus.PROSPECT);
    c.setVatNumber("DE123456789");
    c.setAddresses(new AddressList());
    c.getAddresses().getAddress().addAll(List.of(
        address(AddressType.SHIPPING, "Lagerstraße 5", "Tor 3", "München", "Bayern", "80331", "DE"),
        address(AddressType.BILLING, "Postfach 12 34", null, "Zürich", null, "8001", "CH")));
    c.setContacts(new ContactList());
    c.getContacts().getContact().addAll(List.of(
        contact("Zoë", "Zimmermann", "zoe@mueller-soehne.example", "+49 89 1234-10", "Einkauf"),
        contact(null, "Ångström", null, null, "Buchhaltung")));
    return c;
  }

  private static Customer brief(String externalId, String name, String postalCode) {
    Customer c = new Customer();
    c.setExternalId(externalId);
    c.setType(CustomerKind.PERSON);
    c.setName(name);
    c.setAddresses(new AddressList());
    c.getAddresses().getAddress().add(address(AddressType.BILLING, "Ringstraße 5", null, "Wien", null, postalCode, "AT"));
    return c;
  }

  private static SearchCustomers search(String name, Integer offset, int limit) {
    SearchCustomers request = new SearchCustomers();
    request.setName(name);
    request.setOffset(offset);
    request.setLimit(limit);
    return request;
  }

  public static void main(String[] args) throws Exception {
    String wsdlUrl = args[0], portName = args[1], tag = args[2];
    label = "jax-ws " + portName;
    try {
      scenario(wsdlUrl, portName, tag);
    } catch (Exception err) {  // anything outside faultCode() is a failure of its own
      check("runs without an unexpected error", false, err);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void scenario(String wsdlUrl, String portName, String tag) throws Exception {
    CustomerService service = new CustomerService(new URL(wsdlUrl));
    Map<String, Supplier<CustomerServicePortType>> ports = Map.of(
        "CustomerServiceSoap", service::getCustomerServiceSoap,
        "CustomerServiceSoap12", service::getCustomerServiceSoap12);
    CustomerServicePortType port = ports.get(portName).get();
    String binding = ((SOAPBinding) ((BindingProvider) port).getBinding()).getBindingID();
    check("uses the " + portName + " binding's SOAP version",
        binding.equals(portName.endsWith("12") ? SOAPBinding.SOAP12HTTP_BINDING : SOAPBinding.SOAP11HTTP_BINDING), binding);

    // Every record this run writes carries token in its name, so a name search finds exactly them.
    String token = "Jax-ws/" + portName + "/" + tag, extBase = "interop-jax-ws-" + portName + "-" + tag;

    // The cursor is taken before this scenario writes anything, so polling from it later
    // has to see every change made here (and only a few pages on a shared store).
    Holder<String> firstNextSince = new Holder<>();
    port.getChanges("", 1000, new Holder<>(), new Holder<>(), firstNextSince);
    check("GetChanges accepts an empty since (from the beginning)", firstNextSince.value != null, firstNextSince.value);

    Customer customer = fixture(extBase);
    Holder<Customer> create = new Holder<>(customer);
    port.createCustomer(create);
    Customer created = create.value;
    check("CreateCustomer assigns an id", created.getId() != null && !created.getId().isEmpty(), created.getId());
    check("CreateCustomer answers version 1", Integer.valueOf(1).equals(created.getVersion()), created.getVersion());
    String answered = withoutServiceFields(created);
    check("CreateCustomer round-trips every field in order", withoutServiceFields(customer).equals(answered), answered);

    Customer byId = port.getCustomer(created.getId(), null);
    check("GetCustomer by id answers the stored customer", xml(byId).equals(xml(created)), xml(byId));
    Customer byExt = port.getCustomer(null, customer.getExternalId());
    check("GetCustomer by externalId answers the stored customer", xml(byExt).equals(xml(created)), xml(byExt));

    created.setPhone("+49 89 9999-0");
    created.setStatus(CustomerStatus.ACTIVE);
    Holder<Customer> update = new Holder<>(created);
    port.updateCustomer(update);
    Customer updated = update.value;
    check("UpdateCustomer with the current version answers version 2", Integer.valueOf(2).equals(updated.getVersion()), updated.getVersion());
    check("UpdateCustomer stores the change",
        "+49 89 9999-0".equals(updated.getPhone()) && updated.getStatus() == CustomerStatus.ACTIVE, xml(updated));

    Holder<Customer> stale = new Holder<>(created);  // the holder got a new object; this one still says version 1
    String code = faultCode(() -> port.updateCustomer(stale));
    check("UpdateCustomer with a stale version faults VERSION_CONFLICT", code.equals("VERSION_CONFLICT"), code);
    code = faultCode(() -> port.getCustomer("no-such-customer-" + tag, null));
    check("GetCustomer of an unknown id faults NOT_FOUND", code.equals("NOT_FOUND"), code);

    Holder<String> delete = new Holder<>(updated.getId());
    port.deleteCustomer(delete);
    check("DeleteCustomer answers the id", updated.getId().equals(delete.value), delete.value);
    code = faultCode(() -> port.getCustomer(updated.getId(), null));
    check("GetCustomer after DeleteCustomer faults NOT_FOUND", code.equals("NOT_FOUND"), code);

    // ---- UpsertCustomers: one new, one existing with a new name, one failing the schema ----

    Holder<Customer> existing = new Holder<>(brief(extBase + "-b", "Interop " + token + " Bestand", "1010"));
    port.createCustomer(existing);
    String batchId = "interop-jax-ws-" + portName + "-" + tag;
    UpsertCustomers batch = new UpsertCustomers();
    batch.setBatchId(batchId);
    batch.setMode(BatchMode.PARTIAL);
    batch.getCustomer().addAll(List.of(
        brief(extBase + "-n", "Interop " + token + " Neu", "1010"),
        brief(extBase + "-b", "Interop " + token + " Bestand umbenannt", "1010"),
        brief(extBase + "-f", "Interop " + token + " Fehler", "123456789012345678901234567890")));
    BatchReport report = port.upsertCustomers(batch);
    List<RecordResult> results = report.getResult();
    check("UpsertCustomers echoes the batchId", batchId.equals(report.getBatchId()), report.getBatchId());
    List<Integer> counts = List.of(report.getCreated(), report.getUpdated(), report.getUnchanged(), report.getFailed());
    check("UpsertCustomers counts created=1 updated=1 unchanged=0 failed=1", counts.equals(List.of(1, 1, 0, 1)), counts);
    List<String> order = results.stream().map((r) -> r.getIndex() + " " + r.getExternalId() + " " + r.getStatus()).toList();
    List<String> expectedOrder = List.of("1 " + extBase + "-n CREATED", "2 " + extBase + "-b UPDATED", "3 " + extBase + "-f FAILED");
    check("UpsertCustomers answers one result per customer, in input order", order.equals(expectedOrder), order);
    if (!order.equals(expectedOrder)) return;
    List<String> ids = results.stream().map(RecordResult::getId).toList();  // toList() keeps nulls
    check("UpsertCustomers names the stored ids (the existing customer's for UPDATED, none for FAILED)",
        ids.get(0) != null && existing.value.getId().equals(ids.get(1)) && ids.get(2) == null, ids);
    RecordError recordError = results.get(2).getError();
    check("UpsertCustomers' FAILED result has error/code VALIDATION_FAILED",
        recordError != null && recordError.getCode() == FaultCode.VALIDATION_FAILED, recordError == null ? null : recordError.getCode());

    BatchReport replay = port.upsertCustomers(batch);
    check("UpsertCustomers re-sent unchanged answers the identical report", xml(replay).equals(xml(report)), xml(replay));
    String newId = ids.get(0);
    Customer before = port.getCustomer(newId, null);
    UpsertCustomers otherBody = new UpsertCustomers();
    otherBody.setBatchId(batchId);
    otherBody.setMode(BatchMode.PARTIAL);
    otherBody.getCustomer().add(brief(extBase + "-n", "Interop " + token + " Neu, anders", "1010"));
    code = faultCode(() -> port.upsertCustomers(otherBody));
    check("UpsertCustomers with a used batchId and another body faults VALIDATION_FAILED", code.equals("VALIDATION_FAILED"), code);
    Customer after = port.getCustomer(newId, null);
    check("UpsertCustomers refused for its batchId changes nothing",
        xml(after).equals(xml(before)) && Integer.valueOf(1).equals(after.getVersion()), xml(after));

    // ---- SearchCustomers: the name holds the run's token, so the answer is exact ----------

    List<Customer> expected = new ArrayList<>();
    for (String id : ids.subList(0, 2)) expected.add(port.getCustomer(id, null));
    expected.sort(Comparator.comparing(Customer::getId));
    String needle = token.toLowerCase(Locale.ROOT);  // the stored names are mixed case: the search is case-insensitive
    SearchCustomersResponse page = port.searchCustomers(search(needle, null, 10));
    check("SearchCustomers by a lower-case name substring answers total 2 and exactly those customers, by id",
        page.getTotal() == 2 && page.getOffset() == 0 && xml(page.getCustomer()).equals(xml(expected)),
        page.getTotal() + " " + xml(page.getCustomer()));
    StringBuilder pages = new StringBuilder(), expectedPages = new StringBuilder();
    for (int offset : new int[] {0, 1, 2}) {
      SearchCustomersResponse p = port.searchCustomers(search(needle, offset, 1));
      pages.append(p.getTotal()).append(' ').append(p.getOffset()).append(' ').append(xml(p.getCustomer())).append('\n');
      expectedPages.append("2 ").append(offset).append(' ').append(offset < 2 ? xml(expected.get(offset)) : "").append('\n');
    }
    check("SearchCustomers pages with offset 0, 1, 2 and limit 1: one customer each, then none",
        pages.toString().equals(expectedPages.toString()), pages);

    // ---- GetChanges: poll from the cursor, two at a time, until a page is empty -----------

    // A page with changes has to move the cursor on: one that does not (say, a nextSince that
    // lost digits on its way through the toolkit) would answer the same page forever.
    List<Customer> seen = new ArrayList<>();
    List<String> deletedIds = new ArrayList<>();
    String previous = firstNextSince.value;
    int polls = 0;
    boolean advancing = true;
    while (advancing && polls < 1000) {
      polls++;
      Holder<List<Customer>> customers = new Holder<>();
      Holder<List<String>> deleted = new Holder<>();
      Holder<String> nextSince = new Holder<>();
      port.getChanges(previous, 2, customers, deleted, nextSince);
      List<Customer> changed = customers.value == null ? List.of() : customers.value;
      List<String> gone = deleted.value == null ? List.of() : deleted.value;
      if (changed.isEmpty() && gone.isEmpty()) break;
      seen.addAll(changed);
      deletedIds.addAll(gone);
      // A tns:ChangeCursor is a String to JAXB, and its pattern fixes the width and the zone,
      // so strings compare as instants.
      advancing = nextSince.value.compareTo(previous) > 0;
      previous = nextSince.value;
    }
    check("GetChanges polled nextSince to an empty page, nextSince advancing on every page",
        advancing && polls < 1000, polls + " polls, last nextSince " + previous);
    List<String> seenIds = seen.stream().map(Customer::getId).toList();
    List<String> changedIds = new ArrayList<>(seenIds);
    changedIds.addAll(deletedIds);
    check("GetChanges saw no change twice", new HashSet<>(changedIds).size() == changedIds.size(), changedIds);
    Set<String> seenXml = new HashSet<>();
    for (Customer c : seen) seenXml.add(xml(c));
    check("GetChanges saw each customer created or updated here, in its latest state",
        seenXml.contains(xml(expected.get(0))) && seenXml.contains(xml(expected.get(1))),
        "expected " + expected.get(0).getId() + " " + expected.get(1).getId() + ", saw " + seenIds);
    check("GetChanges reports the deleted customer as a deletedId, not as a customer",
        deletedIds.contains(updated.getId()) && !seenIds.contains(updated.getId()), deletedIds);
  }
}
