"""The client matrix's checks (docs/clients.md) for one Python client, given by name, against the
server at 127.0.0.1:$DARNER_PORT. Prints "ok <check>" as each passes; a failed check raises, so
the exit status is not 0. Each check uses queues of its own, named after the client."""
import os
import sys
import threading
import time

CLIENT = sys.argv[1]
PORT = int(os.environ["DARNER_PORT"])
Q = "py-" + CLIENT + "-"


def connect():
    """One client, one connection: the settings docs/clients.md gives for this library."""
    if CLIENT == "pymemcache":
        from pymemcache import serde
        from pymemcache.client.base import Client
        return Client(("127.0.0.1", PORT), serde=serde.pickle_serde, connect_timeout=5, timeout=5,
                      default_noreply=False)
    if CLIENT == "python-memcached":
        import memcache
        return memcache.Client(["127.0.0.1:%d" % PORT], socket_timeout=5)
    if CLIENT == "pylibmc":
        import pylibmc
        return pylibmc.Client(["127.0.0.1:%d" % PORT])
    raise SystemExit("unknown client " + CLIENT)


def disconnect(client):
    if CLIENT == "pymemcache":
        client.close()
    else:
        client.disconnect_all()


def get_multi(client, keys):
    return client.get_many(keys) if CLIENT == "pymemcache" else client.get_multi(keys)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def passed(name):
    print("ok " + name, flush=True)


mc = connect()

q = Q + "fifo"
for item in ["one", "two", "three"]:
    check(mc.set(q, item), "set " + item)
check([mc.get(q), mc.get(q), mc.get(q), mc.get(q)] == ["one", "two", "three", None], "FIFO order, then empty")
passed("fifo")

q = Q + "flags"
values = [b"\x00\r\n\xff", "h\u00e9llo", 42, {"typed": [1, 2.5, None]}]
for value in values:
    check(mc.set(q, value), "set %r" % (value,))
for value in values:
    got = mc.get(q)
    check(got == value and type(got) is type(value), "%r came back as %r" % (value, got))
passed("flags")

q = Q + "wait"
started = time.monotonic()
check(mc.get(q + "/t=500") is None, "nothing to take")
check(time.monotonic() - started >= 0.45, "the get waited")
producer = connect()
threading.Timer(0.2, lambda: producer.set(q, "late")).start()
started = time.monotonic()
check(mc.get(q + "/t=3000") == "late", "the wait is answered by the item set meanwhile")
check(0.15 <= time.monotonic() - started < 2.5, "answered when the item came")
passed("blocking get")

q = Q + "reliable"
for item in ["a", "b"]:
    mc.set(q, item)
check(mc.get(q + "/t=100/open") == "a", "open a")
check(mc.get(q + "/close/open") == "b", "confirm a, open b")
check(mc.get(q + "/close") is None, "confirm b")
check(mc.get(q) is None, "both confirmed")
passed("reliable read")

q = Q + "rollback"
mc.set(q, "kept")
reader = connect()
check(reader.get(q + "/open") == "kept", "open")
disconnect(reader)
check(mc.get(q + "/t=2000/open") == "kept", "back at the head once the reader disconnected")
check(mc.get(q + "/close") is None, "confirm")
passed("rollback on disconnect")

q = Q + "abort"
mc.set(q, "again")
check(mc.get(q + "/open") == "again", "open")
check(mc.get(q + "/abort") is None, "abort")
check(mc.get(q + "/open") == "again", "the aborted item comes again")
mc.get(q + "/close")
check(mc.get(q) is None, "confirmed")
passed("abort")

mc.set(Q + "m1", "first")
mc.set(Q + "m2", "second")
mc.set(Q + "m1", "third")
got = get_multi(mc, [Q + "m1", Q + "m2", Q + "m-empty"])
check(got == {Q + "m1": "first", Q + "m2": "second"}, "multi-key get: %r" % (got,))
got = get_multi(mc, [Q + "m1/open"])
check(got == {Q + "m1/open": "third"}, "multi-key get of an open read: %r" % (got,))
check(mc.get(Q + "m1/close") is None, "confirm")
passed("multi-key get")

q = Q + "large"
large = os.urandom(1024 * 1024)
check(mc.set(q, large), "set 1 MiB")
check(mc.get(q + "/open") == large, "1 MiB back")
mc.get(q + "/close")
passed("1 MiB item")
