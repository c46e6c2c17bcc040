<?php
// PHP SoapClient (ext-soap) with a hand-added WS-Security header, as PHP
// integrators write it (ext-soap has no WS-Security of its own): a SoapHeader
// wsse:Security with mustUnderstand, its UsernameToken as raw XML, PasswordText
// and PasswordDigest (Base64(SHA-1(nonce + Created + password)) with Nonce and
// Created), against a service with authentication on.
//
// usage: php php_auth_client.php WSDL_URL PORT_NAME TAG WRITER_NAME WRITER_PASSWORD
// The user must be a writer with digest. Prints one line per check; exits 1 if any failed.

[, $wsdlUrl, $portName, $tag, $user, $password] = $argv;
$label = "php-auth $portName";
$failures = 0;
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';

require_once __DIR__ . '/interop_checks.php';

/**
 * The wsse:Security header, mustUnderstand, written by hand. A SoapVar of
 * XSD_ANYXML stands for the whole header block (ext-soap writes it as it is,
 * without the SoapHeader's own element or mustUnderstand), so the block and
 * its mustUnderstand, in the envelope namespace of the port, are in the XML.
 */
function security(string $user, string $password, bool $digest, string $envelopeNs): SoapHeader
{
    $u = htmlspecialchars($user, ENT_XML1);
    if ($digest) {
        $nonce = random_bytes(16);
        $created = gmdate('Y-m-d\TH:i:s\Z');
        $secret = base64_encode(sha1($nonce . $created . $password, true));
        $pw = '<wsse:Password Type="' . PROFILE . '#PasswordDigest">' . $secret . '</wsse:Password>'
            . '<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">'
            . base64_encode($nonce) . '</wsse:Nonce><wsu:Created>' . $created . '</wsu:Created>';
    } else {
        $pw = '<wsse:Password Type="' . PROFILE . '#PasswordText">' . htmlspecialchars($password, ENT_XML1) . '</wsse:Password>';
    }
    $block = '<wsse:Security xmlns:wsse="' . WSSE . '" xmlns:wsu="' . WSU . '" xmlns:e="' . $envelopeNs . '" e:mustUnderstand="1">'
        . '<wsse:UsernameToken><wsse:Username>' . $u . '</wsse:Username>' . $pw . '</wsse:UsernameToken></wsse:Security>';
    return new SoapHeader(WSSE, 'Security', new SoapVar($block, XSD_ANYXML));
}

set_exception_handler(function (Throwable $err): void {
    check('runs without an unexpected error', false, get_class($err) . ': ' . $err->getMessage());
    exit(1);
});

$envelopeNs = $portName === 'CustomerServiceSoap12' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
$client = new SoapClient($wsdlUrl, [
    'soap_version' => $portName === 'CustomerServiceSoap12' ? SOAP_1_2 : SOAP_1_1,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'trace' => true,
]);

$client->__setSoapHeaders([security($user, $password, false, $envelopeNs)]);
$created = $client->CreateCustomer(['customer' => ['externalId' => "interop-php-auth-$portName-$tag", 'type' => 'PERSON', 'name' => "Php auth $tag"]])->customer;
check('PasswordText: CreateCustomer as a writer', !empty($created->id), $created);
check('PasswordText: the Security header went with mustUnderstand',
      preg_match('/<wsse:Security[^>]*mustUnderstand="1"/', $client->__getLastRequest()) === 1, $client->__getLastRequest());

foreach ([1, 2] as $attempt) {  // a new nonce each call
    $client->__setSoapHeaders([security($user, $password, true, $envelopeNs)]);
    $got = $client->GetCustomer(['id' => $created->id])->customer;
    check("PasswordDigest: GetCustomer, call $attempt", ($got->id ?? null) === $created->id, $got);
}
$replayed = $client->__getLastRequest();

$client->__setSoapHeaders([security($user, $password, true, $envelopeNs)]);
$deleted = $client->DeleteCustomer(['id' => $created->id])->id;
check('PasswordDigest: DeleteCustomer as a writer', $deleted === $created->id, $deleted);

$client->__setSoapHeaders(null);
check('no credentials: UNAUTHORIZED', faultCode(fn () => $client->GetCustomer(['id' => $created->id])) === 'UNAUTHORIZED');
foreach ([false, true] as $digest) {
    $client->__setSoapHeaders([security($user, $password . '-wrong', $digest, $envelopeNs)]);
    $code = faultCode(fn () => $client->GetCustomer(['id' => $created->id]));
    check('wrong password (' . ($digest ? 'digest' : 'text') . '): UNAUTHORIZED', $code === 'UNAUTHORIZED', $code);
}

// The very request sent before, nonce and all, sent again: refused.
$action = "urn:crm-bridge:customer:v1/GetCustomer";
$location = preg_replace('/\?.*$/', '', $wsdlUrl);
$answer = $client->__doRequest($replayed, $location, $action, $portName === 'CustomerServiceSoap12' ? SOAP_1_2 : SOAP_1_1);
check('PasswordDigest: the same request sent again is refused (nonce replay)', str_contains((string) $answer, '<code>UNAUTHORIZED</code>'), $answer);

exit($failures > 0 ? 1 : 0);
