<?php
// What every PHP interop client shares: one printed line per check (counted
// in the including script's $failures, labelled with its $label), and the
// contract fault code of a call expected to fail.

function check(string $what, bool $ok, $info = ''): void
{
    global $label, $failures;
    if (!$ok) {
        $failures++;
    }
    echo ($ok ? 'ok  ' : 'FAIL') . " $label: $what" . ($ok ? '' : ' -- ' . json_encode($info, JSON_UNESCAPED_UNICODE)) . "\n";
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
