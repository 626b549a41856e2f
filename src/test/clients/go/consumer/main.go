// A reliable consumer with gomemcache: every item handled is confirmed; one whose handler fails
// goes back to the head of its queue; one open when the connection breaks is delivered again.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
)

const waitMs = 500 // a get waits this long for an item

// consume hands each item of the queue to handle, confirming it once handle has returned,
// until the queue stays empty for waitMs.
func consume(mc *memcache.Client, queue string, handle func([]byte) error) error {
	item, err := mc.Get(fmt.Sprintf("%s/t=%d/open", queue, waitMs))
	for err == nil {
		if herr := handle(item.Value); herr != nil {
			mc.Get(queue + "/abort")
			return herr
		}
		item, err = mc.Get(fmt.Sprintf("%s/t=%d/close/open", queue, waitMs)) // confirms it, opens the next
	}
	if err == memcache.ErrCacheMiss {
		return nil
	}
	return err
}

func main() {
	mc := memcache.New("127.0.0.1:" + os.Getenv("DARNER_PORT"))
	mc.Timeout = waitMs*time.Millisecond + 5*time.Second // the default, 100 ms, is shorter than the wait
	err := consume(mc, os.Getenv("DARNER_QUEUE"), func(value []byte) error {
		_, err := fmt.Println(string(value))
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
