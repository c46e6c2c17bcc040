"""Python zeep's own WS-Security UsernameToken (zeep.wsse.username), text and
digest, against a service with authentication on, through the served WSDL.

usage: zeep_auth_client.py WSDL_URL PORT_NAME TAG WRITER_NAME WRITER_PASSWORD
The user must be a writer with digest (crm-bridge users add NAME --role writer).
Prints one line per check; exits 1 if any check failed.
"""
import sys

import zeep
from lxml import etree
from zeep.plugins import HistoryPlugin
from zeep.wsse.username import UsernameToken

from interop_checks import Checks, fault_code

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
wsdl_url, port_name, tag, user, password = sys.argv[1:6]
label = f"zeep-auth {port_name}"
checks = Checks(label)
check = checks.check

sys.excepthook = lambda kind, err, tb: check("runs without an unexpected error", False, f"{kind.__name__}: {err}")


def bind(wsse=None):
    history = HistoryPlugin()
    client = zeep.Client(wsdl_url, wsse=wsse, plugins=[history])
    return client, client.bind("CustomerService", port_name), history


def sent_token(history):
    """The UsernameToken's Password element of the last request, to show what zeep really sent."""
    return history.last_sent["envelope"].find(f".//{{{WSSE}}}Password")


customer = {"externalId": f"interop-zeep-auth-{port_name}-{tag}", "type": "PERSON", "name": f"Zeep auth {tag}"}

client, text_service, history = bind(UsernameToken(user, password))
created = text_service.CreateCustomer(customer=customer)
check("PasswordText: CreateCustomer as a writer", bool(created.id), created)
password_el = sent_token(history)
check("PasswordText: zeep sent a UsernameToken",
      password_el is not None and password_el.get("Type", "").endswith("#PasswordText"), etree.tostring(history.last_sent["envelope"]))

client, digest_service, history = bind(UsernameToken(user, password, use_digest=True))
for attempt in (1, 2):  # a new nonce on each call: both answered
    got = digest_service.GetCustomer(id=created.id)
    check(f"PasswordDigest: GetCustomer, call {attempt}", got.id == created.id, got)
password_el = sent_token(history)
check("PasswordDigest: zeep sent a digest with Nonce and Created",
      password_el is not None and password_el.get("Type", "").endswith("#PasswordDigest"), etree.tostring(history.last_sent["envelope"]))
deleted = digest_service.DeleteCustomer(id=created.id)
check("PasswordDigest: DeleteCustomer as a writer", deleted == created.id, deleted)

client, anonymous, _ = bind()
code = fault_code(client, lambda: anonymous.GetCustomer(id=created.id))
check("no credentials: UNAUTHORIZED", code == "UNAUTHORIZED", code)
for use_digest in (False, True):
    client, wrong, _ = bind(UsernameToken(user, password + "-wrong", use_digest=use_digest))
    code = fault_code(client, lambda: wrong.GetCustomer(id=created.id))
    check(f"wrong password ({'digest' if use_digest else 'text'}): UNAUTHORIZED", code == "UNAUTHORIZED", code)

sys.exit(1 if checks.failures else 0)
