'use strict'
// KafkaJS's transactional producer and consumers, driven one command at a time by
// tests/compat/txn_helpers.py (the KafkaJS driver of test_transactions.py).
//
// stdin: one JSON command per line, {id, op, timeoutMs, ...}; stdout: one JSON answer per
// command, {id, ok: true, result} or {id, ok: false, error}. Commands run one after the
// other. KafkaJS's own log lines go to stderr (ERROR level only).
//
// ops: producer {ref, bootstrap, transactionalId, transactionTimeout} (connect + InitProducerId),
//      begin {ref}, send {ref, topic, partition, key, value} (inside the transaction),
//      commit {ref}, abort {ref}, sendOffsets {ref, group, topic, offsets: {partition: offset}},
//      sendPlain {ref, ...} (producer.send, outside any transaction), close {ref},
//      read {bootstrap, topic, counts, readUncommitted, group, readMs},
//      endOffsets {bootstrap, topic} (admin.fetchTopicOffsets), committed {bootstrap, group, topic}.

const readline = require('readline')
const lib = require('./lib')

const producers = {}

function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function newProducer(cmd) {
  const kafka = lib.makeKafka(cmd)
  const options = {
    transactionalId: cmd.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 8 },
  }
  if (cmd.transactionTimeout != null) options.transactionTimeout = cmd.transactionTimeout
  const producer = kafka.producer(options)
  await producer.connect()
  // KafkaJS sends InitProducerId for the transactional id in its first transaction();
  // that transaction object is only local state until something is sent in it.
  const state = { producer, txn: null, pending: null }
  producers[cmd.ref] = state
  state.pending = await producer.transaction()
}

function message(cmd) {
  return { key: cmd.key, value: cmd.value, partition: cmd.partition }
}

async function read(cmd) {
  const kafka = lib.makeKafka(cmd)
  const consumer = kafka.consumer({
    groupId: cmd.group,
    readUncommitted: !!cmd.readUncommitted,
    maxWaitTimeInMs: 200,
  })
  const got = []
  const have = {}
  for (const p of Object.keys(cmd.counts)) have[p] = 0
  const complete = () => Object.keys(cmd.counts).every(p => have[p] >= cmd.counts[p])
  let resolveDone
  const done = new Promise(resolve => (resolveDone = resolve))
  const timer = setTimeout(() => resolveDone('timeout'), cmd.readMs)
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [cmd.topic], fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message: m }) => {
        if (m.isControlRecord) throw new Error(`control record surfaced at ${partition}/${m.offset}`)
        got.push({
          partition,
          offset: Number(m.offset),
          key: m.key == null ? null : m.key.toString('utf8'),
          value: m.value == null ? null : m.value.toString('utf8'),
        })
        have[partition] = (have[partition] || 0) + 1
        if (complete()) resolveDone('complete')
      },
    })
    if (complete()) resolveDone('complete')
    await done
  } finally {
    clearTimeout(timer)
    await consumer.disconnect()
  }
  return got
}

async function admin(cmd, fn) {
  const a = lib.makeKafka(cmd).admin()
  await a.connect()
  try {
    return await fn(a)
  } finally {
    await a.disconnect()
  }
}

async function run(cmd) {
  const state = producers[cmd.ref]
  switch (cmd.op) {
    case 'producer':
      return newProducer(cmd)
    case 'begin':
      state.txn = state.pending || (await state.producer.transaction())
      state.pending = null
      return null
    case 'send':
      // on an ended transaction object KafkaJS refuses ("Cannot continue to use transaction once ended")
      await state.txn.send({ topic: cmd.topic, messages: [message(cmd)] })
      return null
    case 'commit':
      await state.txn.commit()
      return null
    case 'abort':
      await state.txn.abort()
      return null
    case 'sendOffsets': {
      const partitions = Object.entries(cmd.offsets).map(([p, o]) => ({ partition: Number(p), offset: o }))
      await state.txn.sendOffsets({ consumerGroupId: cmd.group, topics: [{ topic: cmd.topic, partitions }] })
      return null
    }
    case 'sendPlain':
      await state.producer.send({ topic: cmd.topic, messages: [message(cmd)] })
      return null
    case 'close':
      delete producers[cmd.ref]
      if (state) await state.producer.disconnect()
      return null
    case 'read':
      return read(cmd)
    case 'endOffsets':
      return admin(cmd, async a => {
        const out = {}
        for (const o of await a.fetchTopicOffsets(cmd.topic)) out[o.partition] = o.high
        return out
      })
    case 'committed':
      return admin(cmd, async a => {
        const [answer] = await a.fetchOffsets({ groupId: cmd.group, topics: [cmd.topic] })
        const out = {}
        for (const p of answer.partitions) out[p.partition] = p.offset
        return out
      })
    default:
      throw new Error(`unknown op ${cmd.op}`)
  }
}

let chain = Promise.resolve()
readline.createInterface({ input: process.stdin }).on('line', line => {
  if (!line.trim()) return
  const cmd = JSON.parse(line)
  chain = chain.then(() =>
    withTimeout(run(cmd), cmd.timeoutMs || 15000, cmd.op)
      .then(result => reply({ id: cmd.id, ok: true, result: result === undefined ? null : result }))
      .catch(e => reply({ id: cmd.id, ok: false, error: lib.errorInfo(e) }))
  )
})
process.stdin.on('end', () => chain.then(() => process.exit(0)))
