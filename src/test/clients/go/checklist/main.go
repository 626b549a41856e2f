// The client matrix's checks (docs/clients.md) for bradfitz/gomemcache against the server at
// 127.0.0.1:$DARNER_PORT. Prints "ok <check>" as each passes; a failed check exits with status 1.
// Each check uses queues of its own.
package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"reflect"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
)

const q = "go-gomemcache-"

var server = "127.0.0.1:" + os.Getenv("DARNER_PORT")

// connect makes a client whose socket timeout outlasts the longest wait (t=) of a get: the
// default, 100 ms, would break every blocking get.
func connect() *memcache.Client {
	mc := memcache.New(server)
	mc.Timeout = 5 * time.Second
	return mc
}

func check(ok bool, format string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

// get returns the value, or nil on a miss; any other error fails.
func get(mc *memcache.Client, key string) []byte {
	item, err := mc.Get(key)
	if err == memcache.ErrCacheMiss {
		return nil
	}
	check(err == nil, "get %s: %v", key, err)
	return item.Value
}

func set(mc *memcache.Client, key string, value []byte, flags uint32) {
	err := mc.Set(&memcache.Item{Key: key, Value: value, Flags: flags})
	check(err == nil, "set %s: %v", key, err)
}

func is(got []byte, want string) bool {
	return got != nil && string(got) == want
}

func main() {
	mc := connect()

	for _, item := range []string{"one", "two", "three"} {
		set(mc, q+"fifo", []byte(item), 0)
	}
	check(is(get(mc, q+"fifo"), "one") && is(get(mc, q+"fifo"), "two") && is(get(mc, q+"fifo"), "three"), "FIFO order")
	check(get(mc, q+"fifo") == nil, "empty")
	fmt.Println("ok fifo")

	set(mc, q+"flags", []byte("flagged"), 0xCAFE)
	item, err := mc.Get(q + "flags")
	check(err == nil && item.Flags == 0xCAFE && string(item.Value) == "flagged", "flags: %v %v", item, err)
	fmt.Println("ok flags")

	started := time.Now()
	check(get(mc, q+"wait/t=500") == nil, "nothing to take")
	check(time.Since(started) >= 450*time.Millisecond, "the get waited")
	go func() {
		time.Sleep(200 * time.Millisecond)
		set(connect(), q+"wait", []byte("late"), 0)
	}()
	started = time.Now()
	check(is(get(mc, q+"wait/t=3000"), "late"), "the wait is answered by the item set meanwhile")
	waited := time.Since(started)
	check(waited >= 150*time.Millisecond && waited < 2500*time.Millisecond, "answered when the item came: %v", waited)
	fmt.Println("ok blocking get")

	set(mc, q+"reliable", []byte("a"), 0)
	set(mc, q+"reliable", []byte("b"), 0)
	check(is(get(mc, q+"reliable/t=100/open"), "a"), "open a")
	check(is(get(mc, q+"reliable/close/open"), "b"), "confirm a, open b")
	check(get(mc, q+"reliable/close") == nil, "confirm b")
	check(get(mc, q+"reliable") == nil, "both confirmed")
	fmt.Println("ok reliable read")

	// gomemcache has no Close: a get that outlasts the client's timeout drops its connection,
	// and the read open on that connection with it
	set(mc, q+"rollback", []byte("kept"), 0)
	reader := connect()
	check(is(get(reader, q+"rollback/open"), "kept"), "open")
	reader.Timeout = 50 * time.Millisecond
	_, err = reader.Get(q + "rollback-other/t=1000")
	check(err != nil, "the reader's get timed out")
	check(is(get(mc, q+"rollback/t=2000/open"), "kept"), "back at the head once the reader's connection was gone")
	check(get(mc, q+"rollback/close") == nil, "confirm")
	fmt.Println("ok rollback on disconnect")

	set(mc, q+"abort", []byte("again"), 0)
	check(is(get(mc, q+"abort/open"), "again"), "open")
	check(get(mc, q+"abort/abort") == nil, "abort")
	check(is(get(mc, q+"abort/open"), "again"), "the aborted item comes again")
	get(mc, q+"abort/close")
	check(get(mc, q+"abort") == nil, "confirmed")
	fmt.Println("ok abort")

	set(mc, q+"m1", []byte("first"), 0)
	set(mc, q+"m2", []byte("second"), 0)
	items, err := mc.GetMulti([]string{q + "m1", q + "m2", q + "m-empty"})
	check(err == nil, "multi-key get: %v", err)
	got := map[string]string{}
	for key, it := range items {
		got[key] = string(it.Value)
	}
	check(reflect.DeepEqual(got, map[string]string{q + "m1": "first", q + "m2": "second"}), "multi-key get: %v", got)
	set(mc, q+"m1", []byte("third"), 0)
	items, err = mc.GetMulti([]string{q + "m1/open"})
	check(err == nil && len(items) == 1 && items[q+"m1/open"] != nil && string(items[q+"m1/open"].Value) == "third",
		"multi-key get of an open read: %v %v", items, err)
	check(get(mc, q+"m1/close") == nil, "confirm")
	fmt.Println("ok multi-key get")

	large := make([]byte, 1024*1024)
	rand.Read(large)
	set(mc, q+"large", large, 0)
	check(bytes.Equal(get(mc, q+"large/open"), large), "1 MiB back")
	get(mc, q+"large/close")
	fmt.Println("ok 1 MiB item")
}
