# A reliable consumer with pymemcache: every item handled is confirmed; one whose handler raises
# goes back to the head of its queue; one open when the connection breaks is delivered again.
import os

from pymemcache.client.base import Client

WAIT_MS = 500  # a get waits this long for an item


def consume(client, queue, handle):
    """Hands each item of the queue to handle, confirming it once handle has returned, until
    the queue stays empty for WAIT_MS."""
    item = client.get(f"{queue}/t={WAIT_MS}/open")
    while item is not None:
        try:
            handle(item)
        except Exception:
            client.get(f"{queue}/abort")
            raise
        item = client.get(f"{queue}/t={WAIT_MS}/close/open")  # confirms it, opens the next


client = Client(("127.0.0.1", int(os.environ["DARNER_PORT"])), timeout=WAIT_MS / 1000 + 5)
consume(client, os.environ["DARNER_QUEUE"], lambda item: print(item.decode(), flush=True))
client.close()
