<?php
// PHP SoapClient (ext-soap), built from the served WSDL at run time.
//
// usage: php php_client.php WSDL_URL PORT_NAME TAG
// SoapClient has no way to name a wsdl:port; the envelope version comes from its
// 'soap_version' option, so that option is how a PHP integrator reaches the SOAP 1.2 port.
// Prints one line per check; exits 1 if any check failed.

[, $wsdlUrl, $portName, $tag] = $argv;
$label = "php $portName";
$failures = 0;

function check(string $what, bool $ok, $info = ''): void
{
    global $label, $failures;
    if (!$ok) {
        $failures++;
    }
    echo ($ok ? 'ok  ' : 'FAIL') . " $label: $what" . ($ok ? '' : ' -- ' . json_encode($info, JSON_UNESCAPED_UNICODE)) . "\n";
}

// SoapClient answers stdClass trees, with attributes after elements; plain arrays with
// sorted keys compare strictly (===) without caring about that order, while lists keep theirs.
function plain($value)
{
    $value = is_object($value) ? json_decode(json_encode($value), true) : $value;
    if (is_array($value)) {
        $value = array_map('plain', $value);
        array_is_list($value) || ksort($value);
    }
    return $value;
}

// Runs $call expecting a SoapFault; returns ServiceFault/code as ext-soap decodes it
// from the fault detail.
function faultCode(callable $call): string
{
    try {
        $call();
    } catch (SoapFault $fault) {
        return $fault->detail->ServiceFault->code ?? "fault without ServiceFault detail: {$fault->getMessage()}";
    }
    return 'no fault';
}

$customer = [
    'externalId' => "interop-php-$portName-$tag",
    'type' => 'ORGANIZATION',
    'name' => 'Müller & Söhne <Zürich> 東京',
    'email' => 'einkauf@mueller-soehne.example',
    'phone' => '+49 89 1234-0',
    'status' => 'PROSPECT',
    'vatNumber' => 'DE123456789',
    'addresses' => ['address' => [
        ['type' => 'SHIPPING', 'line1' => 'Lagerstraße 5', 'line2' => 'Tor 3', 'city' => 'München',
         'region' => 'Bayern', 'postalCode' => '80331', 'country' => 'DE'],
        ['type' => 'BILLING', 'line1' => 'Postfach 12 34', 'city' => 'Zürich', 'postalCode' => '8001', 'country' => 'CH'],
    ]],
    'contacts' => ['contact' => [
        ['firstName' => 'Zoë', 'lastName' => 'Zimmermann', 'email' => 'zoe@mueller-soehne.example',
         'phone' => '+49 89 1234-10', 'role' => 'Einkauf'],
        ['lastName' => 'Ångström', 'role' => 'Buchhaltung'],
    ]],
];
$envelope = ['CustomerServiceSoap' => 'http://schemas.xmlsoap.org/soap/envelope/',
             'CustomerServiceSoap12' => 'http://www.w3.org/2003/05/soap-envelope'][$portName];

// Anything thrown outside faultCode() is a failure of its own: one line, not a stack trace.
set_exception_handler(function (Throwable $err): void {
    check('runs without an unexpected error', false, get_class($err) . ': ' . $err->getMessage());
    exit(1);
});

try {
    $client = new SoapClient($wsdlUrl, [
        'soap_version' => $portName === 'CustomerServiceSoap12' ? SOAP_1_2 : SOAP_1_1,
        'cache_wsdl' => WSDL_CACHE_NONE,            // each run serves the WSDL on a new port
        'features' => SOAP_SINGLE_ELEMENT_ARRAYS,   // maxOccurs>1 elements stay arrays even with one item
        'trace' => true,
    ]);
} catch (SoapFault $err) {
    check('load WSDL', false, $err->getMessage());
    exit(1);
}

$created = plain($client->CreateCustomer(['customer' => $customer])->customer);
check("sends the $portName binding's SOAP envelope", str_contains($client->__getLastRequest(), "\"$envelope\""),
      $client->__getLastRequest());
check('CreateCustomer assigns an id', !empty($created['id']), $created['id'] ?? null);
check('CreateCustomer answers version 1', ($created['version'] ?? null) === 1, $created['version'] ?? null);
$mismatch = array_filter(array_keys($customer), fn ($key) => ($created[$key] ?? null) !== plain($customer[$key]));
check('CreateCustomer round-trips every field in order', !$mismatch,
      array_map(fn ($key) => [$key => $created[$key] ?? null], array_values($mismatch)));

$byId = plain($client->GetCustomer(['id' => $created['id']])->customer);
check('GetCustomer by id answers the stored customer', $byId === $created, $byId);
$byExt = plain($client->GetCustomer(['externalId' => $customer['externalId']])->customer);
check('GetCustomer by externalId answers the stored customer', $byExt === $created, $byExt);

$changed = ['phone' => '+49 89 9999-0', 'status' => 'ACTIVE'] + $created;
$updated = plain($client->UpdateCustomer(['customer' => $changed])->customer);
check('UpdateCustomer with the current version answers version 2', ($updated['version'] ?? null) === 2, $updated['version'] ?? null);
check('UpdateCustomer stores the change', [$updated['phone'], $updated['status']] === ['+49 89 9999-0', 'ACTIVE'], $updated);

$code = faultCode(fn () => $client->UpdateCustomer(['customer' => $changed]));
check('UpdateCustomer with a stale version faults VERSION_CONFLICT', $code === 'VERSION_CONFLICT', $code);
$code = faultCode(fn () => $client->GetCustomer(['id' => "no-such-customer-$tag"]));
check('GetCustomer of an unknown id faults NOT_FOUND', $code === 'NOT_FOUND', $code);

$deleted = $client->DeleteCustomer(['id' => $created['id']])->id;
check('DeleteCustomer answers the id', $deleted === $created['id'], $deleted);
$code = faultCode(fn () => $client->GetCustomer(['id' => $created['id']]));
check('GetCustomer after DeleteCustomer faults NOT_FOUND', $code === 'NOT_FOUND', $code);

exit($failures ? 1 : 0);
