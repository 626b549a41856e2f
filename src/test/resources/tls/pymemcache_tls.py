"""pymemcache over TLS against the server on 127.0.0.1:DARNER_PORT, whose certificate DARNER_CA
signed: 100 items stored and taken back, then a client that trusts no such authority is refused."""
import os
import ssl

from pymemcache.client.base import Client

port = int(os.environ["DARNER_PORT"])
context = ssl.create_default_context(cafile=os.environ["DARNER_CA"])  # checks the name: 127.0.0.1
client = Client(("127.0.0.1", port), tls_context=context, default_noreply=False, connect_timeout=5, timeout=10)
stored = sum(1 for i in range(100) if client.set("pymemcache-tls", f"item-{i}".encode()))
taken = [client.get("pymemcache-tls") for _ in range(100)]
assert taken == [f"item-{i}".encode() for i in range(100)], taken
assert client.get("pymemcache-tls") is None
client.close()

stranger = Client(("127.0.0.1", port), tls_context=ssl.create_default_context(), connect_timeout=5, timeout=10)
try:
    stranger.get("pymemcache-tls")
    refused = "served without the authority"
except ssl.SSLCertVerificationError:
    refused = "refused without the authority"
print(f"stored {stored} taken {len(taken)} {refused}")
