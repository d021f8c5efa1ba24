'use strict'
// KafkaJS over TLS, mTLS and SASL: tests/compat/test_security.py runs it.
//
// Config: {bootstrap, topic, value, ssl: null | {ca, cert?, key?} (PEM file paths),
//          sasl: null | {mechanism: 'plain'|'scram-sha-256'|'scram-sha-512', username, password}
//                     | {mechanism: 'oauthbearer', token}}
// Produces `value` to partition 0 of `topic`, reads it back with a group consumer, and
// emits {"type": "consumed", "value": ...}; a failure is {"type": "error", ...}.

const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')
const lib = require('./lib')

async function main(config) {
  const ssl = config.ssl && {
    ca: [fs.readFileSync(config.ssl.ca, 'utf8')],
    ...(config.ssl.cert ? { cert: fs.readFileSync(config.ssl.cert, 'utf8') } : {}),
    ...(config.ssl.key ? { key: fs.readFileSync(config.ssl.key, 'utf8') } : {}),
  }
  let sasl = config.sasl || undefined
  if (sasl && sasl.mechanism === 'oauthbearer') {
    const token = sasl.token
    sasl = { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) }
  }
  const kafka = new Kafka({
    clientId: 'kafkalite-compat-security',
    brokers: [config.bootstrap],
    ssl: ssl || false,
    sasl,
    retry: { retries: 1 },
    logLevel: logLevel.ERROR,
    logCreator: lib.stderrLogCreator,
  })
  const producer = kafka.producer()
  await producer.connect()
  try {
    await producer.send({ topic: config.topic, messages: [{ value: config.value, partition: 0 }] })
  } finally {
    await producer.disconnect()
  }
  const consumer = kafka.consumer({ groupId: `security-${config.topic}` })
  await consumer.connect()
  try {
    await consumer.subscribe({ topic: config.topic, fromBeginning: true })
    const value = await new Promise((resolve, reject) => {
      consumer.run({ eachMessage: async ({ message }) => resolve(message.value.toString()) })
        .catch(reject)
    })
    lib.emit({ type: 'consumed', value })
  } finally {
    await consumer.disconnect()
  }
}

lib.runScript(main)
