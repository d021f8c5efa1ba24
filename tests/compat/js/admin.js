'use strict'
// The KafkaJS admin client, one call per step. Every step is reported as
//   {"type": "step", "name": ..., "ok": true, "result": ...}  or
//   {"type": "step", "name": ..., "ok": false, "error": {...}}
// and the script goes on after a failed step, so that one test per step can say which
// call failed and how. Buffers in results are base64.
//
// stdin: {bootstrap, timeoutMs, topicA, topicB, groupId, recordsA, recordsB,
//         timestamps: [ms...], countsA: {partition: n}}

const { AssignerProtocol, ConfigResourceTypes } = require('kafkajs')
const lib = require('./lib')

function plain(value) {
  // JSON-friendly copy: Buffers as base64, everything else as is.
  return JSON.parse(
    JSON.stringify(value, (k, v) =>
      v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('base64') : v
    )
  )
}

function decodeGroups(described) {
  return {
    groups: described.groups.map(g => ({
      ...plain(g),
      members: g.members.map(m => {
        const metadata = m.memberMetadata.length ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null
        const assignment = m.memberAssignment.length
          ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
          : null
        return {
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          metadata: metadata && { version: metadata.version, topics: metadata.topics, userData: lib.b64(metadata.userData) },
          assignment: assignment && {
            version: assignment.version,
            assignment: assignment.assignment,
            userData: lib.b64(assignment.userData),
          },
        }
      }),
    })),
  }
}

// Kafka promises no order for topics and partitions in its answers: sort them here.
const byPartition = (a, b) => a.partition - b.partition
const sortMetadata = md => ({
  topics: md.topics
    .map(t => ({ ...t, partitions: [...t.partitions].sort((a, b) => a.partitionId - b.partitionId) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
})
const sortGroupOffsets = answer => answer.map(t => ({ ...t, partitions: [...t.partitions].sort(byPartition) }))

lib.runScript(async config => {
  const kafka = lib.makeKafka(config, 'kafkalite-compat-kafkajs-admin')
  const { topicA, topicB, groupId } = config
  const admin = kafka.admin()

  const step = async (name, fn) => {
    try {
      const result = await fn()
      lib.emit({ type: 'step', name, ok: true, result: result === undefined ? null : plain(result) })
      return result
    } catch (e) {
      lib.emit({ type: 'step', name, ok: false, error: lib.errorInfo(e) })
      return undefined
    }
  }
  const ours = names => names.filter(n => n === topicA || n === topicB).sort()
  const describe = name => ({
    type: ConfigResourceTypes.TOPIC,
    name,
    configNames: ['cleanup.policy', 'retention.ms'],
  })
  const configValues = described =>
    described.resources.map(r => ({
      resourceName: r.resourceName,
      errorCode: r.errorCode,
      configs: Object.fromEntries(r.configEntries.map(c => [c.configName, c.configValue])),
    }))

  await admin.connect()
  try {
    await step('describeCluster', () => admin.describeCluster())
    await step('createTopics', () =>
      admin.createTopics({ topics: [{ topic: topicA, numPartitions: 3, replicationFactor: 1 }] })
    )
    await step('createTopics.again', () =>
      admin.createTopics({ topics: [{ topic: topicA, numPartitions: 3, replicationFactor: 1 }] })
    )
    await step('createTopics.configs', () =>
      admin.createTopics({
        topics: [
          {
            topic: topicB,
            numPartitions: 2,
            replicationFactor: 1,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
      })
    )
    await step('listTopics', async () => ours(await admin.listTopics()))
    await step('fetchTopicMetadata', async () => sortMetadata(await admin.fetchTopicMetadata({ topics: [topicA, topicB] })))

    await step('produce', async () => {
      const producer = kafka.producer()
      await producer.connect()
      try {
        await lib.produceRecords(producer, topicA, config.recordsA, { label: 'A' })
        await lib.produceRecords(producer, topicB, config.recordsB, { label: 'B' })
      } finally {
        await producer.disconnect()
      }
    })
    await step('fetchTopicOffsets', async () => (await admin.fetchTopicOffsets(topicA)).sort(byPartition))
    await step('fetchTopicOffsetsByTimestamp', async () => {
      const out = []
      for (const ts of config.timestamps) {
        const answer = await admin.fetchTopicOffsetsByTimestamp(topicA, ts)
        out.push({ timestamp: ts, offsets: answer.sort(byPartition) })
      }
      return out
    })

    await step('describeConfigs', async () =>
      configValues(await admin.describeConfigs({ resources: [describe(topicA), describe(topicB)], includeSynonyms: false }))
    )
    await step('alterConfigs', () =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topicB,
            configEntries: [{ name: 'retention.ms', value: '7200000' }],
          },
        ],
      })
    )
    await step('alterConfigs.describe', async () =>
      configValues(await admin.describeConfigs({ resources: [describe(topicB)], includeSynonyms: false }))
    )
    await step('createPartitions', () =>
      admin.createPartitions({ topicPartitions: [{ topic: topicB, count: 4 }] })
    )
    await step('createPartitions.metadata', async () => sortMetadata(await admin.fetchTopicMetadata({ topics: [topicB] })))
    await step('deleteTopicRecords', () =>
      admin.deleteTopicRecords({ topic: topicB, partitions: [{ partition: 0, offset: '5' }] })
    )
    await step('deleteTopicRecords.offsets', async () => (await admin.fetchTopicOffsets(topicB)).sort(byPartition))

    // A running group member, then the same group once it has left.
    await step('consume', async () => {
      const consumer = kafka.consumer({ groupId })
      await lib.consumeCounts(consumer, topicA, config.countsA, {
        label: 'group',
        idleMs: config.idleMs,
        onAllRead: async () => {
          await step('listGroups.running', async () => {
            const { groups } = await admin.listGroups()
            return groups.filter(g => g.groupId === groupId)
          })
          await step('describeGroups.running', async () => decodeGroups(await admin.describeGroups([groupId])))
        },
      })
    })
    await step('describeGroups.empty', async () => decodeGroups(await admin.describeGroups([groupId])))
    await step('fetchOffsets', async () => sortGroupOffsets(await admin.fetchOffsets({ groupId, topics: [topicA] })))
    await step('setOffsets', () =>
      admin.setOffsets({
        groupId,
        topic: topicA,
        partitions: [
          { partition: 0, offset: '7' },
          { partition: 1, offset: '8' },
          { partition: 2, offset: '9' },
        ],
      })
    )
    await step('setOffsets.fetchOffsets', async () =>
      sortGroupOffsets(await admin.fetchOffsets({ groupId, topics: [topicA] }))
    )
    await step('deleteGroups', () => admin.deleteGroups([groupId]))
    await step('deleteGroups.listGroups', async () => {
      const { groups } = await admin.listGroups()
      return groups.filter(g => g.groupId === groupId)
    })
    await step('deleteTopics', () => admin.deleteTopics({ topics: [topicA, topicB] }))
    await step('deleteTopics.listTopics', async () => ours(await admin.listTopics()))
  } finally {
    await admin.disconnect()
  }
})
