"""What every zeep interop client shares: one printed line per check, and the
contract fault code of a call expected to fail, read through the WSDL's type."""
from zeep.exceptions import Fault

TNS = "urn:crm-bridge:customer:v1"


class Checks:
    def __init__(self, label):
        self.label = label
        self.failures = 0

    def check(self, what, ok, info=""):
        self.failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {self.label}: {what}{'' if ok else ' -- ' + str(info)}", flush=True)


def fault_code(client, call):
    """Runs call, expecting a SOAP fault; returns ServiceFault/code read through the WSDL's type."""
    try:
        call()
    except Fault as fault:
        detail = fault.detail.find(f"{{{TNS}}}ServiceFault") if fault.detail is not None else None
        if detail is None:
            return f"fault without ServiceFault detail: {fault.message}"
        return client.get_element(f"{{{TNS}}}ServiceFault").parse(detail, client.wsdl.types).code
    return "no fault"
