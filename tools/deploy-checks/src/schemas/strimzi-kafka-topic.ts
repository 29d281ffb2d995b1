/**
 * Strimzi's KafkaTopic (kafka.strimzi.io/v1beta2), from the CRD's openAPIV3Schema: `spec.partitions` (>= 1),
 * `spec.replicas` (1..32767), `spec.config` (topic configuration), `spec.topicName`. Stricter than the CRD in one
 * way: unknown fields are refused (the API server would drop them without a word), and the cluster label the
 * Topic Operator selects by is required.
 */
export const strimziKafkaTopicSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'kafka.strimzi.io/v1beta2' },
    kind: { const: 'KafkaTopic' },
    metadata: {
      type: 'object',
      required: ['name', 'labels'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
        namespace: { type: 'string' },
        labels: {
          type: 'object',
          required: ['strimzi.io/cluster'],
          additionalProperties: { type: 'string' },
        },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        partitions: { type: 'integer', minimum: 1 },
        replicas: { type: 'integer', minimum: 1, maximum: 32767 },
        config: { type: 'object' },
        topicName: { type: 'string' },
      },
    },
  },
} as const;
