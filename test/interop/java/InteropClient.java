// JAX-WS RI client (Debian's jaxws package), against the stubs that wsimport generates
// from the served WSDL (see build.sh) into package crm.generated.
//
// usage: java InteropClient WSDL_URL PORT_NAME TAG
// Prints one line per check; exits 1 if any check failed.
import crm.generated.*;

import java.io.StringWriter;
import java.net.URL;
import java.util.List;
import java.util.Map;
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

  // JAXB's own XML of a customer is the most faithful comparison: every element,
  // attribute and list position ends up in it.
  private static String xml(Customer customer) throws Exception {
    Marshaller marshaller = JAXBContext.newInstance(Customer.class).createMarshaller();
    StringWriter out = new StringWriter();
    marshaller.marshal(new JAXBElement<>(new QName(TNS, "Customer"), Customer.class, customer), out);
    return out.toString();
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

    Customer customer = fixture("interop-jax-ws-" + portName + "-" + tag);
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
  }
}
