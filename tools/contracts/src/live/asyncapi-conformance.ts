import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { AsyncApiDocument } from '@tandem/contracts';
import type { SeenMessage } from './topic-reader';

/**
 * Compares an AsyncAPI document with messages a running system published: every message must be documented
 * (its topic, its type, every header, its payload valid), and everything documented must have been seen (every
 * message, every header, every payload property and every enum value), so the document says neither less nor
 * more than the code sends.
 */
export interface Conformance {
  /** Sent but not documented, or not valid for what is documented. */
  undocumented: string[];
  /** Documented but never seen. */
  neverSeen: string[];
}

type Schema = Record<string, unknown>;
interface DocumentedMessage {
  id: string;
  name: string;
  headers: Schema;
  payload: Schema;
}

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deref(document: AsyncApiDocument, node: unknown): unknown {
  if (!isObject(node) || typeof node['$ref'] !== 'string') return node;
  let target: unknown = document;
  for (const part of node['$ref'].replace(/^#\//, '').split('/'))
    target = isObject(target) ? target[part] : undefined;
  return deref(document, target);
}

/** The documented messages, by channel address. */
function documented(document: AsyncApiDocument): Map<string, DocumentedMessage[]> {
  const channels = isObject(document['channels']) ? document['channels'] : {};
  const byAddress = new Map<string, DocumentedMessage[]>();
  for (const channel of Object.values(channels)) {
    if (!isObject(channel) || typeof channel['address'] !== 'string') continue;
    const messages = isObject(channel['messages']) ? channel['messages'] : {};
    byAddress.set(
      channel['address'],
      Object.entries(messages).map(([id, ref]) => {
        const message = deref(document, ref) as Schema;
        return {
          id,
          name: String(message['name']),
          headers: (message['headers'] ?? {}) as Schema,
          payload: (message['payload'] ?? {}) as Schema,
        };
      }),
    );
  }
  return byAddress;
}

/** Every property path a schema declares (`lines[].sku`), with its enum values where it has some. */
function declaredPaths(schema: unknown, path: string, out: Map<string, unknown[] | undefined>): void {
  if (!isObject(schema)) return;
  if (Array.isArray(schema['enum']) && path !== '') out.set(path, schema['enum']);
  for (const [name, child] of Object.entries(isObject(schema['properties']) ? schema['properties'] : {})) {
    const childPath = path === '' ? name : `${path}.${name}`;
    if (!out.has(childPath)) out.set(childPath, undefined);
    declaredPaths(child, childPath, out);
  }
  if (schema['items'] !== undefined) declaredPaths(schema['items'], `${path}[]`, out);
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const member of list) declaredPaths(member, path, out);
  }
}

/** Every property path a value has, with the values seen at each. */
function seenPaths(value: unknown, path: string, out: Map<string, Set<string>>): void {
  if (path !== '') {
    const values = out.get(path) ?? new Set<string>();
    values.add(JSON.stringify(value));
    out.set(path, values);
  }
  if (Array.isArray(value)) for (const item of value) seenPaths(item, `${path}[]`, out);
  else if (isObject(value)) {
    for (const [name, child] of Object.entries(value))
      seenPaths(child, path === '' ? name : `${path}.${name}`, out);
  }
}

export function checkConformance(
  document: AsyncApiDocument,
  messages: readonly SeenMessage[],
  contractTopic: (clusterTopic: string) => string = (topic) => topic,
): Conformance {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const byAddress = documented(document);
  const validators = new Map<string, { headers: ValidateFunction; payload: ValidateFunction }>();
  const validatorsOf = (message: DocumentedMessage) => {
    const found = validators.get(message.id) ?? {
      headers: ajv.compile(message.headers),
      payload: ajv.compile(message.payload),
    };
    validators.set(message.id, found);
    return found;
  };
  const undocumented = new Set<string>();
  const headersSeen = new Map<string, Set<string>>();
  // A message may be on two channels (OrderCreated.v1 on orders.order.v1 and v2): published on each, or not.
  const publishedOn = new Set<string>();
  const pathsSeen = new Map<string, Map<string, Set<string>>>();

  for (const seen of messages) {
    const topic = contractTopic(seen.topic);
    const where = `${topic} ${seen.partition}@${seen.offset}`;
    const channel = byAddress.get(topic);
    if (!channel) {
      undocumented.add(`topic ${topic} is not a channel of the document`);
      continue;
    }
    const type = seen.headers['ce_type'];
    const message = channel.find((m) => m.name === type);
    if (!message) {
      undocumented.add(`${where}: type ${String(type)} is not a message of channel ${topic}`);
      continue;
    }
    const { headers, payload } = validatorsOf(message);
    const declared = isObject(message.headers['properties'])
      ? Object.keys(message.headers['properties'])
      : [];
    for (const name of Object.keys(seen.headers)) {
      if (!declared.includes(name)) undocumented.add(`${message.name}: header ${name} is not documented`);
    }
    if (!headers(seen.headers))
      undocumented.add(`${where} ${message.name}: headers ${ajv.errorsText(headers.errors)}`);
    if (!payload(seen.payload))
      undocumented.add(`${where} ${message.name}: payload ${ajv.errorsText(payload.errors)}`);
    if (seen.key !== seen.headers['ce_subject'])
      undocumented.add(`${where}: key ${seen.key} is not ce_subject`);
    publishedOn.add(`${topic} ${message.id}`);
    const names = headersSeen.get(message.id) ?? new Set<string>();
    for (const name of Object.keys(seen.headers)) names.add(name);
    headersSeen.set(message.id, names);
    const paths = pathsSeen.get(message.id) ?? new Map<string, Set<string>>();
    seenPaths(seen.payload, '', paths);
    pathsSeen.set(message.id, paths);
  }

  const neverSeen = new Set<string>();
  for (const [topic, channel] of byAddress) {
    for (const message of channel) {
      const names = headersSeen.get(message.id);
      if (!names || !publishedOn.has(`${topic} ${message.id}`)) {
        neverSeen.add(`${message.name} on ${topic}: never published`);
        continue;
      }
      const declared = isObject(message.headers['properties'])
        ? Object.keys(message.headers['properties'])
        : [];
      for (const name of declared.filter((n) => !names.has(n)))
        neverSeen.add(`${message.name}: header ${name}`);
      const paths = new Map<string, unknown[] | undefined>();
      declaredPaths(message.payload, '', paths);
      const seen = pathsSeen.get(message.id) ?? new Map<string, Set<string>>();
      for (const [path, values] of paths) {
        const seenValues = seen.get(path);
        if (!seenValues) neverSeen.add(`${message.name}: property ${path}`);
        else
          for (const value of values ?? []) {
            if (!seenValues.has(JSON.stringify(value)))
              neverSeen.add(`${message.name}: ${path} = ${JSON.stringify(value)}`);
          }
      }
    }
  }
  return { undocumented: [...undocumented].sort(), neverSeen: [...neverSeen].sort() };
}
