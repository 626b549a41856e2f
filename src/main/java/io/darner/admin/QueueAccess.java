package io.darner.admin;

import io.darner.protocol.QueueNames;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import jakarta.inject.Singleton;

/** The checks every admin request on a queue makes first: a valid name, a queue that exists, a writable server. */
@Singleton
public class QueueAccess {
    private final QueueRepository repo;

    public QueueAccess(QueueRepository repo) {
        this.repo = repo;
    }

    /** The name, if it is a valid queue name (400 if not). */
    public String validName(String name) {
        if (!QueueNames.isValid(name)) {
            throw ApiException.badRequest("invalid queue name: '" + name + "'");
        }
        return name;
    }

    /** The queue of that name (400 for a bad name, 404 when there is none); never creates one. */
    public Queue existing(String name) {
        Queue q = repo.find(validName(name));
        if (q == null) {
            throw noSuchQueue(name);
        }
        return q;
    }

    static ApiException noSuchQueue(String name) {
        return ApiException.notFound("no queue named '" + name + "'");
    }

    /** Refuses a change (409) unless the server status is up, as the memcache commands do. */
    public void requireWritable() {
        String refusal = repo.status().writeRefusal();
        if (refusal != null) {
            throw ApiException.conflict(refusal);
        }
    }
}
