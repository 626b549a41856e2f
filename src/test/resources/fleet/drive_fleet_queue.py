"""Runs the FleetQueue of docs/clients.md (module fleet_queue, which ClientSnippetsIT takes from
the page) against the servers on 127.0.0.1 whose ports are in DARNER_FLEET ("p1,p2,p3"): stores
ITEMS items on queue DARNER_QUEUE, then takes them all back, and prints what it did."""
import os

from fleet_queue import FleetQueue

items = int(os.environ["ITEMS"])
queue = os.environ["DARNER_QUEUE"]
fleet = [("127.0.0.1", int(port)) for port in os.environ["DARNER_FLEET"].split(",")]

producer = FleetQueue(queue, fleet)
stored = sum(1 for i in range(items) if producer.put(f"item-{i}".encode()))
producer.close()

consumer = FleetQueue(queue, fleet)
taken = []
for _ in range(10 * len(fleet)):
    if len(taken) >= stored:
        break
    consumer.take_from_next_server(taken.append)
consumer.close()
print(f"stored {stored} taken {len(taken)} distinct {len(set(taken))}")
