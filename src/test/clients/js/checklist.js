// The client matrix's checks (docs/clients.md) for the npm memcached client against the server at
// 127.0.0.1:$DARNER_PORT. Prints "ok <check>" as each passes; a failed check exits with status 1.
// Each check uses queues of its own.
'use strict';
const assert = require('assert');
const { promisify } = require('util');
const Memcached = require('memcached');

const Q = 'js-memcached-';
const server = '127.0.0.1:' + process.env.DARNER_PORT;

// One connection (a pool of one, so that a reliable read is confirmed on the connection that
// opened it), kept for longer than the longest wait (t=) of a get: the default idle time of
// 5 s would close a connection while its get waits. The default maxValue (1 MiB) refuses a
// binary Buffer of 1 MiB: up to the server's largest item.
function connect() {
  const client = new Memcached(server, { poolSize: 1, timeout: 5000, idle: 30000, retries: 0, maxValue: 32 << 20 });
  return {
    get: promisify(client.get.bind(client)),
    getMulti: promisify(client.getMulti.bind(client)),
    set: (key, value) => promisify(client.set.bind(client))(key, value, 0),
    end: () => client.end(),
  };
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function main() {
  const mc = connect();

  for (const item of ['one', 'two', 'three']) {
    assert.strictEqual(await mc.set(Q + 'fifo', item), true);
  }
  const fifo = [];
  for (let i = 0; i < 4; i++) {
    fifo.push(await mc.get(Q + 'fifo'));
  }
  assert.deepStrictEqual(fifo, ['one', 'two', 'three', undefined]);
  console.log('ok fifo');

  const values = [{ typed: [1, 2.5, null] }, 42, 'h\u00e9llo'];
  for (const value of values) {
    await mc.set(Q + 'flags', value);
  }
  for (const value of values) {
    assert.deepStrictEqual(await mc.get(Q + 'flags'), value);
  }
  console.log('ok flags');

  let started = Date.now();
  assert.strictEqual(await mc.get(Q + 'wait/t=500'), undefined);
  assert.ok(Date.now() - started >= 450, 'the get waited');
  const producer = connect();
  setTimeout(() => producer.set(Q + 'wait', 'late'), 200);
  started = Date.now();
  assert.strictEqual(await mc.get(Q + 'wait/t=3000'), 'late');
  const waited = Date.now() - started;
  assert.ok(waited >= 150 && waited < 2500, 'answered when the item came: ' + waited);
  producer.end();
  console.log('ok blocking get');

  await mc.set(Q + 'reliable', 'a');
  await mc.set(Q + 'reliable', 'b');
  assert.strictEqual(await mc.get(Q + 'reliable/t=100/open'), 'a');
  assert.strictEqual(await mc.get(Q + 'reliable/close/open'), 'b');
  assert.strictEqual(await mc.get(Q + 'reliable/close'), undefined);
  assert.strictEqual(await mc.get(Q + 'reliable'), undefined);
  console.log('ok reliable read');

  await mc.set(Q + 'rollback', 'kept');
  const reader = connect();
  assert.strictEqual(await reader.get(Q + 'rollback/open'), 'kept');
  reader.end();
  assert.strictEqual(await mc.get(Q + 'rollback/t=2000/open'), 'kept');
  assert.strictEqual(await mc.get(Q + 'rollback/close'), undefined);
  console.log('ok rollback on disconnect');

  await mc.set(Q + 'abort', 'again');
  assert.strictEqual(await mc.get(Q + 'abort/open'), 'again');
  assert.strictEqual(await mc.get(Q + 'abort/abort'), undefined);
  assert.strictEqual(await mc.get(Q + 'abort/open'), 'again');
  await mc.get(Q + 'abort/close');
  assert.strictEqual(await mc.get(Q + 'abort'), undefined);
  console.log('ok abort');

  await mc.set(Q + 'm1', 'first');
  await mc.set(Q + 'm2', 'second');
  assert.deepStrictEqual(await mc.getMulti([Q + 'm1', Q + 'm2', Q + 'm-empty']),
    { [Q + 'm1']: 'first', [Q + 'm2']: 'second' });
  await mc.set(Q + 'm1', 'third');
  assert.deepStrictEqual(await mc.getMulti([Q + 'm1/open']), { [Q + 'm1/open']: 'third' });
  assert.strictEqual(await mc.get(Q + 'm1/close'), undefined);
  console.log('ok multi-key get');

  const large = require('crypto').randomBytes(1024 * 1024);
  assert.strictEqual(await mc.set(Q + 'large', large), true);
  const back = await mc.get(Q + 'large/open');
  assert.ok(Buffer.isBuffer(back) && back.equals(large), '1 MiB back');
  await mc.get(Q + 'large/close');
  console.log('ok 1 MiB item');

  mc.end();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
