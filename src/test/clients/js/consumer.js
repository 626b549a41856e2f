// A reliable consumer with the npm memcached client: every item handled is confirmed; one whose
// handler throws goes back to the head of its queue; one open when the connection breaks is
// delivered again.
'use strict';
const { promisify } = require('util');
const Memcached = require('memcached');

const WAIT_MS = 500; // a get waits this long for an item

// Hands each item of the queue to handle, confirming it once handle has returned, until the
// queue stays empty for WAIT_MS.
async function consume(client, queue, handle) {
  const get = promisify(client.get.bind(client));
  let item = await get(`${queue}/t=${WAIT_MS}/open`);
  while (item !== undefined) {
    try {
      await handle(item);
    } catch (e) {
      await get(`${queue}/abort`);
      throw e;
    }
    item = await get(`${queue}/t=${WAIT_MS}/close/open`); // confirms it, opens the next
  }
}

// one connection, kept while a get waits
const client = new Memcached('127.0.0.1:' + process.env.DARNER_PORT,
  { poolSize: 1, timeout: WAIT_MS + 5000, idle: WAIT_MS + 30000 });
consume(client, process.env.DARNER_QUEUE, item => console.log(item))
  .finally(() => client.end())
  .catch(e => { console.error(e); process.exitCode = 1; });
