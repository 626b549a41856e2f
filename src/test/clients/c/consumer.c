/* A reliable consumer with libmemcached: every item handled is confirmed; one whose handler fails
 * goes back to the head of its queue; one open when the connection breaks is delivered again. */
#include <libmemcached/memcached.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT "/t=500" /* a get waits this long (ms) for an item */

/* One get of the queue with options; the value (to free), or NULL when there is none. */
static char *take(memcached_st *mc, const char *queue, const char *options, size_t *length) {
    char key[300];
    uint32_t flags;
    memcached_return_t rc;
    snprintf(key, sizeof key, "%s%s", queue, options);
    return memcached_get(mc, key, strlen(key), length, &flags, &rc);
}

/* Hands each item of the queue to handle, confirming it once handle has returned 0, until the
 * queue stays empty for the wait. Returns what handle returned if it failed, 0 otherwise. */
static int consume(memcached_st *mc, const char *queue, int (*handle)(const char *, size_t)) {
    size_t length;
    char *item = take(mc, queue, WAIT "/open", &length);
    while (item != NULL) {
        int failed = handle(item, length);
        free(item);
        if (failed) {
            free(take(mc, queue, "/abort", &length));
            return failed;
        }
        item = take(mc, queue, WAIT "/close/open", &length); /* confirms it, opens the next */
    }
    return 0;
}

static int print(const char *item, size_t length) {
    return printf("%.*s\n", (int) length, item) < 0;
}

int main(void) {
    memcached_st *mc = memcached_create(NULL);
    memcached_server_add(mc, "127.0.0.1", (in_port_t) atoi(getenv("DARNER_PORT")));
    memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 5500); /* ms, above the wait */
    int failed = consume(mc, getenv("DARNER_QUEUE"), print);
    memcached_free(mc);
    return failed;
}
