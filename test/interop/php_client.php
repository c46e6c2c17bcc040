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

require_once __DIR__ . '/interop_checks.php';

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

// Every record this run writes carries $token in its name, so a name search finds exactly them.
$token = "Php/$portName/$tag";
$extBase = "interop-php-$portName-$tag";
$customer = [
    'externalId' => $extBase,
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

// The cursor is taken before this scenario writes anything, so polling from it later
// has to see every change made here (and only a few pages on a shared store).
$firstPage = plain($client->GetChanges(['since' => '', 'limit' => 1000]));
check('GetChanges accepts an empty since (from the beginning)', isset($firstPage['nextSince']), $firstPage);
$cursor = $firstPage['nextSince'];

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

// ---- UpsertCustomers: one new, one existing with a new name, one failing the schema ----

function brief(string $externalId, string $name, string $postalCode = '1010'): array
{
    return ['externalId' => $externalId, 'type' => 'PERSON', 'name' => $name,
            'addresses' => ['address' => [['type' => 'BILLING', 'line1' => 'Ringstraße 5', 'city' => 'Wien',
                                           'postalCode' => $postalCode, 'country' => 'AT']]]];
}

$existing = plain($client->CreateCustomer(['customer' => brief("$extBase-b", "Interop $token Bestand")])->customer);
$batchId = "interop-php-$portName-$tag";
$records = [brief("$extBase-n", "Interop $token Neu"),
            brief("$extBase-b", "Interop $token Bestand umbenannt"),
            brief("$extBase-f", "Interop $token Fehler", '123456789012345678901234567890')];
$batch = ['batchId' => $batchId, 'mode' => 'PARTIAL', 'customer' => $records];
$report = plain($client->UpsertCustomers($batch));
$results = $report['result'] ?? [];
check('UpsertCustomers echoes the batchId', ($report['batchId'] ?? null) === $batchId, $report['batchId'] ?? null);
$counts = array_map(fn ($key) => $report[$key] ?? null, ['created', 'updated', 'unchanged', 'failed']);
check('UpsertCustomers counts created=1 updated=1 unchanged=0 failed=1', $counts === [1, 1, 0, 1], $counts);
$order = array_map(fn ($r) => [$r['index'], $r['externalId'], $r['status']], $results);
$expectedOrder = array_map(fn ($i, $status) => [$i + 1, $records[$i]['externalId'], $status],
                           [0, 1, 2], ['CREATED', 'UPDATED', 'FAILED']);
check('UpsertCustomers answers one result per customer, in input order', $order === $expectedOrder, $order);
$ids = array_map(fn ($r) => $r['id'] ?? null, $results);
check("UpsertCustomers names the stored ids (the existing customer's for UPDATED, none for FAILED)",
      count($ids) === 3 && !empty($ids[0]) && $ids[1] === $existing['id'] && $ids[2] === null, $ids);
$code = $results[2]['error']['code'] ?? null;
check("UpsertCustomers' FAILED result has error/code VALIDATION_FAILED", $code === 'VALIDATION_FAILED', $results[2] ?? null);

$replay = plain($client->UpsertCustomers($batch));
check('UpsertCustomers re-sent unchanged answers the identical report', $replay === $report, $replay);
$newId = $ids[0];
$before = plain($client->GetCustomer(['id' => $newId])->customer);
$otherBody = ['customer' => [brief("$extBase-n", "Interop $token Neu, anders")]] + $batch;
$code = faultCode(fn () => $client->UpsertCustomers($otherBody));
check('UpsertCustomers with a used batchId and another body faults VALIDATION_FAILED', $code === 'VALIDATION_FAILED', $code);
$after = plain($client->GetCustomer(['id' => $newId])->customer);
check('UpsertCustomers refused for its batchId changes nothing', $after === $before && $after['version'] === 1, $after);

// ---- SearchCustomers: the name holds the run's token, so the answer is exact ----------

$expected = array_map(fn ($id) => plain($client->GetCustomer(['id' => $id])->customer), array_slice($ids, 0, 2));
usort($expected, fn ($a, $b) => strcmp($a['id'], $b['id']));
$needle = strtolower($token);  // the stored names are mixed case: the search is case-insensitive
$page = plain($client->SearchCustomers(['name' => $needle, 'limit' => 10]));
check('SearchCustomers by a lower-case name substring answers total 2 and exactly those customers, by id',
      [$page['total'], $page['offset'], $page['customer'] ?? []] === [2, 0, $expected], $page);
$pages = array_map(fn ($offset) => plain($client->SearchCustomers(['name' => $needle, 'offset' => $offset, 'limit' => 1])),
                   [0, 1, 2]);
check('SearchCustomers pages with offset 0, 1, 2 and limit 1: one customer each, then none',
      array_map(fn ($p) => [$p['total'], $p['offset'], $p['customer'] ?? []], $pages)
      === [[2, 0, [$expected[0]]], [2, 1, [$expected[1]]], [2, 2, []]], $pages);

// ---- GetChanges: poll from the cursor, two at a time, until a page is empty -----------

// A page with changes has to move the cursor on: one that does not (say, a nextSince that
// lost digits on its way through the toolkit) would answer the same page forever.
$seen = $deletedIds = [];
$since = $cursor;
$advancing = true;
for ($polls = 1; $advancing && $polls <= 1000; $polls++) {
    $changes = plain($client->GetChanges(['since' => $since, 'limit' => 2]));
    if (empty($changes['customer']) && empty($changes['deletedId'])) {
        break;
    }
    array_push($seen, ...($changes['customer'] ?? []));
    array_push($deletedIds, ...($changes['deletedId'] ?? []));
    // A tns:ChangeCursor is a string to ext-soap, and its pattern fixes the width and the
    // zone, so strings compare as instants.
    $advancing = strcmp($changes['nextSince'], $since) > 0;
    $since = $changes['nextSince'];
}
check('GetChanges polled nextSince to an empty page, nextSince advancing on every page',
      $advancing && $polls <= 1000, "$polls polls, last nextSince $since");
$seenIds = array_column($seen, 'id');
$changedIds = [...$seenIds, ...$deletedIds];
check('GetChanges saw no change twice', count($changedIds) === count(array_unique($changedIds)), $changedIds);
check('GetChanges saw each customer created or updated here, in its latest state',
      !array_filter($expected, fn ($c) => !in_array($c, $seen, true)), ['expected' => $expected, 'seen' => $seen]);
check('GetChanges reports the deleted customer as a deletedId, not as a customer',
      in_array($created['id'], $deletedIds, true) && !in_array($created['id'], $seenIds, true), ['deletedId' => $deletedIds]);

exit($failures ? 1 : 0);
