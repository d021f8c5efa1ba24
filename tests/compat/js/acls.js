'use strict'
// KafkaJS against a broker with ACLs on: tests/compat/test_acls.py runs it.
//
// Config: {bootstrap, topic, user: {username, password}, admin: {username, password}}
// (SASL/PLAIN). The user's producer sends to `topic` and is refused; the admin grants the
// user WRITE on the topic with createAcls; the same producer, still connected, sends again.
// Emits {"type": "refused", error} then {"type": "produced", baseOffset}.

const { Kafka, logLevel, AclResourceTypes, AclOperationTypes, AclPermissionTypes,
  ResourcePatternTypes } = require('kafkajs')
const lib = require('./lib')

function client(config, who) {
  return new Kafka({
    clientId: `kafkalite-compat-acls-${who.username}`,
    brokers: [config.bootstrap],
    sasl: { mechanism: 'plain', username: who.username, password: who.password },
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  })
}

async function main(config) {
  const producer = client(config, config.user).producer()
  const admin = client(config, config.admin).admin()
  await producer.connect()
  await admin.connect()
  try {
    try {
      await producer.send({ topic: config.topic, messages: [{ value: 'refused' }] })
      lib.emit({ type: 'error', message: 'the first send was not refused' })
      return
    } catch (e) {
      lib.emit({ type: 'refused', error: lib.errorInfo(e) })
    }
    await admin.createAcls({
      acl: [{
        resourceType: AclResourceTypes.TOPIC,
        resourceName: config.topic,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: `User:${config.user.username}`,
        host: '*',
        operation: AclOperationTypes.WRITE,
        permissionType: AclPermissionTypes.ALLOW,
      }],
    })
    const [result] = await producer.send({ topic: config.topic, messages: [{ value: 'allowed' }] })
    lib.emit({ type: 'produced', baseOffset: result.baseOffset })
  } finally {
    await producer.disconnect()
    await admin.disconnect()
  }
}

lib.runScript(main)
