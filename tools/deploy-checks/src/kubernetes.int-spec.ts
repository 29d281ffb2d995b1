import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import {
  APPS,
  arrayAt,
  at,
  developmentSecretsOf,
  exportedSeries,
  isObject,
  kustomize,
  promqlMetricNames,
  repoRoot,
  requiredEnv,
  stringAt,
  type AppName,
  type Json,
  type JsonObject,
} from './deploy-checks';
import { EVENT_TOPICS } from '@tandem/contracts';
import { strimziKafkaTopicSchema } from './schemas/strimzi-kafka-topic';

/**
 * Renders every overlay with `kubectl kustomize`, validates every resource against its schema (Kubernetes' own
 * kinds and the CRDs used) and checks the deployment policies of k8s/README.md.
 */

const OVERLAYS = ['dev', 'prod'] as const;

const strimziTopic = new Ajv({ allErrors: true, strict: false }).compile(strimziKafkaTopicSchema);

interface Validatable {
  validate(): void;
}

/** A kubernetes-models class as a validator. The rendered YAML is untyped: the model's validate() is the check. */
function byModel<T>(Model: new (data: T) => Validatable): (resource: JsonObject) => void {
  return (resource) => new Model(resource as unknown as T).validate();
}

/** Validators by apiVersion/kind; a kind without one fails the test, so nothing goes unchecked. */
const VALIDATORS: Record<string, (resource: JsonObject) => void> = {
  'v1/ConfigMap': byModel(ConfigMap),
  'v1/Service': byModel(Service),
  'apps/v1/Deployment': byModel(Deployment),
  'batch/v1/Job': byModel(Job),
  'autoscaling/v2/HorizontalPodAutoscaler': byModel(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': byModel(PodDisruptionBudget),
  'networking.k8s.io/v1/NetworkPolicy': byModel(NetworkPolicy),
  'networking.k8s.io/v1/Ingress': byModel(Ingress),
  'keda.sh/v1alpha1/ScaledObject': byModel(ScaledObject),
  'monitoring.coreos.com/v1/ServiceMonitor': byModel(ServiceMonitor),
  'monitoring.coreos.com/v1/PrometheusRule': byModel(PrometheusRule),
  'kafka.strimzi.io/v1beta2/KafkaTopic': (r) => {
    if (!strimziTopic(r)) {
      throw new Error(
        (strimziTopic.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; '),
      );
    }
  },
};

function validationErrors(resources: JsonObject[]): string[] {
  return resources.flatMap((resource) => {
    const id = `${stringAt(resource, 'apiVersion')}/${stringAt(resource, 'kind')}`;
    const name = `${id} ${stringAt(resource, 'metadata', 'name')}`;
    const validate = VALIDATORS[id];
    if (validate === undefined) return [`${name}: no schema to validate it against`];
    try {
      validate(resource);
      return [];
    } catch (error) {
      return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

const ofKind = (resources: JsonObject[], kind: string): JsonObject[] =>
  resources.filter((resource) => resource['kind'] === kind);

const named = (resources: JsonObject[], kind: string, name: string): JsonObject => {
  const found = ofKind(resources, kind).find((resource) => stringAt(resource, 'metadata', 'name') === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};

const SECRET_LIKE = /(PASSWORD|SECRET|TOKEN|DATABASE_URL|_KEY)$/;

/** What each policy is, as a list of violations (empty = the policy holds), so a test can also show it fail. */
function containerViolations(owner: string, podSpec: Json | undefined, probes: boolean): string[] {
  const problems: string[] = [];
  const podSecurity = at(podSpec, 'securityContext');
  for (const container of arrayAt(podSpec, 'containers')) {
    const where = `${owner}/${stringAt(container, 'name')}`;
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (at(container, 'resources', kind, resource) === undefined)
          problems.push(`${where}: no ${kind}.${resource}`);
      }
    }
    const security = at(container, 'securityContext');
    const runAsNonRoot = at(security, 'runAsNonRoot') ?? at(podSecurity, 'runAsNonRoot');
    const seccomp =
      stringAt(security, 'seccompProfile', 'type') ?? stringAt(podSecurity, 'seccompProfile', 'type');
    if (runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (at(security, 'readOnlyRootFilesystem') !== true)
      problems.push(`${where}: root filesystem is writable`);
    if (at(security, 'allowPrivilegeEscalation') !== false)
      problems.push(`${where}: privilege escalation allowed`);
    if (!arrayAt(security, 'capabilities', 'drop').includes('ALL'))
      problems.push(`${where}: capabilities not dropped`);
    if (seccomp !== 'RuntimeDefault') problems.push(`${where}: seccomp profile is not RuntimeDefault`);
    const image = stringAt(container, 'image') ?? '';
    if (!/:[A-Za-z0-9._-]+$/.test(image) || image.endsWith(':latest')) {
      problems.push(`${where}: image ${image} has no pinned tag`);
    }
    for (const env of arrayAt(container, 'env')) {
      const envName = stringAt(env, 'name') ?? '';
      if (SECRET_LIKE.test(envName) && at(env, 'valueFrom', 'secretKeyRef') === undefined) {
        problems.push(`${where}: ${envName} is not read from a Secret (secretKeyRef)`);
      }
    }
    if (!probes) continue;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      if (at(container, probe) === undefined) problems.push(`${where}: no ${probe}`);
    }
    if (stringAt(container, 'livenessProbe', 'httpGet', 'path') !== '/health/live') {
      problems.push(`${where}: liveness does not probe /health/live`);
    }
    if (stringAt(container, 'readinessProbe', 'httpGet', 'path') !== '/health/ready') {
      problems.push(`${where}: readiness does not probe /health/ready`);
    }
  }
  return problems;
}

function workloadViolations(resources: JsonObject[]): string[] {
  return [
    ...ofKind(resources, 'Deployment').flatMap((d) =>
      containerViolations(
        `Deployment ${stringAt(d, 'metadata', 'name')}`,
        at(d, 'spec', 'template', 'spec'),
        true,
      ),
    ),
    ...ofKind(resources, 'Job').flatMap((j) =>
      containerViolations(`Job ${stringAt(j, 'metadata', 'name')}`, at(j, 'spec', 'template', 'spec'), false),
    ),
  ];
}

function labelsMatch(selector: Json | undefined, labels: Json | undefined): boolean {
  const wanted = at(selector, 'matchLabels');
  if (arrayAt(selector, 'matchExpressions').length > 0) return false; // not used here: be strict
  if (!isObject(wanted)) return isObject(selector); // {} selects every pod
  return Object.entries(wanted).every(([key, value]) => at(labels, key) === value);
}

const PROMETHEUS_PEER = { namespace: 'monitoring', app: 'prometheus' };

/** Ingress peers allowed to reach an internal service: the gateway's pods, and Prometheus. */
function isAllowedInternalPeer(peer: Json): boolean {
  const keys = isObject(peer) ? Object.keys(peer).sort().join(',') : '';
  if (keys === 'podSelector') {
    return stringAt(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === 'gateway';
  }
  if (keys === 'namespaceSelector,podSelector') {
    return (
      stringAt(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name') ===
        PROMETHEUS_PEER.namespace &&
      stringAt(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === PROMETHEUS_PEER.app
    );
  }
  return false;
}

function networkViolations(resources: JsonObject[]): string[] {
  const problems: string[] = [];
  const policies = ofKind(resources, 'NetworkPolicy');
  const ingressPolicies = policies.filter((p) => arrayAt(p, 'spec', 'policyTypes').includes('Ingress'));
  const denyAll = ingressPolicies.some(
    (p) =>
      isObject(at(p, 'spec', 'podSelector')) && Object.keys(at(p, 'spec', 'podSelector') ?? {}).length === 0,
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy over every pod');
  for (const deployment of ofKind(resources, 'Deployment')) {
    const name = stringAt(deployment, 'metadata', 'name') ?? '';
    const labels = at(deployment, 'spec', 'template', 'metadata', 'labels');
    const covering = ingressPolicies.filter(
      (p) => arrayAt(p, 'spec', 'ingress').length > 0 && labelsMatch(at(p, 'spec', 'podSelector'), labels),
    );
    if (covering.length === 0) problems.push(`${name}: no NetworkPolicy allows (and so limits) its ingress`);
    if (name === 'gateway') continue;
    for (const policy of covering) {
      for (const rule of arrayAt(policy, 'spec', 'ingress')) {
        const from = arrayAt(rule, 'from');
        if (from.length === 0)
          problems.push(`${name}: ${stringAt(policy, 'metadata', 'name')} admits anyone`);
        for (const peer of from) {
          if (!isAllowedInternalPeer(peer)) {
            problems.push(`${name}: ${stringAt(policy, 'metadata', 'name')} admits ${JSON.stringify(peer)}`);
          }
        }
      }
    }
  }
  return problems;
}

function secretViolations(resources: JsonObject[]): string[] {
  const problems: string[] = [];
  for (const secret of ofKind(resources, 'Secret')) {
    if (at(secret, 'data') !== undefined || at(secret, 'stringData') !== undefined) {
      problems.push(`Secret ${stringAt(secret, 'metadata', 'name')} is inlined in the manifests`);
    }
  }
  for (const configMap of ofKind(resources, 'ConfigMap')) {
    for (const key of Object.keys(
      isObject(at(configMap, 'data')) ? (at(configMap, 'data') as JsonObject) : {},
    )) {
      if (SECRET_LIKE.test(key))
        problems.push(`ConfigMap ${stringAt(configMap, 'metadata', 'name')} holds ${key}`);
    }
  }
  return problems;
}

/** The variables a Deployment's container gets: its env, and the keys of the ConfigMaps it loads (envFrom). */
function containerEnv(resources: JsonObject[], deployment: JsonObject): Set<string> {
  const container = at(deployment, 'spec', 'template', 'spec', 'containers', 0);
  const names = new Set(arrayAt(container, 'env').map((env) => stringAt(env, 'name') ?? ''));
  for (const source of arrayAt(container, 'envFrom')) {
    const configMap = stringAt(source, 'configMapRef', 'name');
    if (configMap === undefined) continue;
    const data = at(named(resources, 'ConfigMap', configMap), 'data');
    for (const key of isObject(data) ? Object.keys(data) : []) names.add(key);
  }
  return names;
}

const PORTS: Record<AppName, number> = {
  gateway: 3000,
  'command-service': 3001,
  'query-service': 3002,
  'projection-service': 3003,
};

/** Each app's management port (METRICS_PORT): /metrics is served there, never on the HTTP port. */
const METRICS_PORTS: Record<AppName, number> = {
  gateway: 9464,
  'command-service': 9465,
  'query-service': 9466,
  'projection-service': 9467,
};

const REQUIRED_ALERTS = [
  'TandemProjectionLagMessages',
  'TandemProjectionLagSeconds',
  'TandemProjectionStalled',
  'TandemDeadLetters',
  'TandemOutboxBacklog',
  'TandemRelayNoLeader',
  'TandemHttp5xxRate',
  'TandemHttpLatencyP99',
];

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const resources = kustomize(`k8s/overlays/${overlay}`);

  it('renders, and every resource validates against its schema', () => {
    expect(resources.length).toBeGreaterThan(20);
    expect(validationErrors(resources)).toEqual([]);
  });

  it('runs every container with requests, limits, a locked-down security context and pinned images; deployments with the three probes', () => {
    expect(
      ofKind(resources, 'Deployment')
        .map((d) => stringAt(d, 'metadata', 'name'))
        .sort(),
    ).toEqual([...APPS].sort());
    expect(workloadViolations(resources)).toEqual([]);
  });

  it('admits ingress traffic only to the gateway; the other services only from the gateway and Prometheus', () => {
    expect(networkViolations(resources)).toEqual([]);
    const ingress = ofKind(resources, 'Ingress');
    expect(ingress).toHaveLength(1);
    expect(at(ingress[0], 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name')).toBe(
      'gateway',
    );
  });

  it('inlines no Secret: database URLs and signing keys come from secretKeyRef', () => {
    expect(secretViolations(resources)).toEqual([]);
    const secretRefs = ofKind(resources, 'Deployment').flatMap((d) =>
      arrayAt(d, 'spec', 'template', 'spec', 'containers', 0, 'env')
        .filter((env) => at(env, 'valueFrom', 'secretKeyRef') !== undefined)
        .map((env) => `${stringAt(d, 'metadata', 'name')}:${stringAt(env, 'name')}`),
    );
    expect(secretRefs.sort()).toEqual([
      'command-service:CONSISTENCY_TOKEN_SECRET',
      'command-service:WRITE_DATABASE_URL',
      'gateway:REDIS_URL',
      'projection-service:READ_DATABASE_URL',
      'query-service:CONSISTENCY_TOKEN_SECRET',
      'query-service:CURSOR_SECRET',
      'query-service:INLINE_DATABASE_URL',
      'query-service:READ_DATABASE_URL',
    ]);
  });

  it('gives the query service its own read-only URL for the inline models, never the write URL', () => {
    const query = named(resources, 'Deployment', 'query-service');
    const inline = arrayAt(query, 'spec', 'template', 'spec', 'containers', 0, 'env').find(
      (env) => stringAt(env, 'name') === 'INLINE_DATABASE_URL',
    );
    expect(at(inline, 'valueFrom', 'secretKeyRef')).toEqual({ name: 'tandem-db', key: 'inline-url' });
  });

  it.each(APPS)(
    'gives %s every variable its configuration requires, its port and a disruption budget',
    (app) => {
      const deployment = named(resources, 'Deployment', app);
      const env = containerEnv(resources, deployment);
      expect(requiredEnv(app).filter((name) => !env.has(name))).toEqual([]);
      expect(at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort')).toBe(
        PORTS[app],
      );
      const pdb = named(resources, 'PodDisruptionBudget', app);
      expect(at(pdb, 'spec', 'selector', 'matchLabels')).toEqual(
        at(deployment, 'spec', 'selector', 'matchLabels'),
      );
    },
  );

  it.each(APPS)(
    'runs %s in production mode, its development secrets from Secrets, its metrics on a port of their own',
    (app) => {
      const deployment = named(resources, 'Deployment', app);
      const container = at(deployment, 'spec', 'template', 'spec', 'containers', 0);
      const env = arrayAt(container, 'env');
      expect(stringAt(named(resources, 'ConfigMap', 'tandem-config'), 'data', 'NODE_ENV')).toBe('production');
      for (const secret of developmentSecretsOf(app)) {
        const given = env.find((e) => stringAt(e, 'name') === secret);
        expect({ secret, from: at(given, 'valueFrom', 'secretKeyRef', 'name') }).toEqual({
          secret,
          from: expect.any(String),
        });
      }
      const metrics = METRICS_PORTS[app];
      expect(
        stringAt(
          env.find((e) => stringAt(e, 'name') === 'METRICS_PORT'),
          'value',
        ),
      ).toBe(String(metrics));
      expect(arrayAt(container, 'ports')).toContainEqual({ name: 'metrics', containerPort: metrics });
      expect(arrayAt(named(resources, 'Service', app), 'spec', 'ports')).toContainEqual({
        name: 'metrics',
        port: metrics,
        targetPort: 'metrics',
      });
      // Prometheus is admitted to the metrics port only; nobody else is.
      const policy = named(resources, 'NetworkPolicy', app);
      for (const rule of arrayAt(policy, 'spec', 'ingress')) {
        const ports = arrayAt(rule, 'ports').map((p) => at(p, 'port'));
        const fromPrometheus = arrayAt(rule, 'from').some(
          (peer) => stringAt(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === 'prometheus',
        );
        expect({ fromPrometheus, ports }).toEqual({
          fromPrometheus,
          ports: fromPrometheus ? [metrics] : [PORTS[app]],
        });
      }
    },
  );

  it('scrapes /metrics on the management ports, not the API ports', () => {
    const monitor = named(resources, 'ServiceMonitor', 'tandem');
    expect(at(monitor, 'spec', 'endpoints', 0, 'port')).toBe('metrics');
    expect(at(monitor, 'spec', 'endpoints', 0, 'path')).toBe('/metrics');
  });

  it('autoscales gateway, query and command services on CPU, the projection service on lag up to one pod per partition', () => {
    for (const app of ['gateway', 'query-service', 'command-service']) {
      expect(at(named(resources, 'HorizontalPodAutoscaler', app), 'spec', 'scaleTargetRef', 'name')).toBe(
        app,
      );
    }
    // An autoscaled Deployment leaves the count to its autoscaler.
    for (const deployment of ofKind(resources, 'Deployment')) {
      expect(at(deployment, 'spec', 'replicas')).toBeUndefined();
    }
    const scaled = named(resources, 'ScaledObject', 'projection-service');
    const partitions = Number(
      stringAt(named(resources, 'ConfigMap', 'tandem-config'), 'data', 'TOPIC_PARTITIONS'),
    );
    expect(at(scaled, 'spec', 'maxReplicaCount')).toBe(partitions);
    for (const topic of ofKind(resources, 'KafkaTopic'))
      expect(at(topic, 'spec', 'partitions')).toBe(partitions);
    const groups = arrayAt(scaled, 'spec', 'triggers').map((t) => stringAt(t, 'metadata', 'consumerGroup'));
    expect(groups.sort()).toEqual([
      'tandem.projection.customer-orders.customer-v1.order-v2',
      'tandem.projection.daily-sales.order-v2',
      'tandem.projection.order-summary.order-v2',
    ]);
  });

  it('declares the event topics and their dead-letter topics, keeping everything', () => {
    const topics = ofKind(resources, 'KafkaTopic');
    expect(topics.map((t) => stringAt(t, 'spec', 'topicName')).sort()).toEqual(
      [...EVENT_TOPICS, ...EVENT_TOPICS.map((t) => `${t}.dlq`)].sort(),
    );
    for (const topic of topics) {
      const replicas = Number(at(topic, 'spec', 'replicas'));
      expect(at(topic, 'spec', 'config', 'retention.ms')).toBe(-1);
      expect(at(topic, 'spec', 'config', 'cleanup.policy')).toBe('delete');
      const minInsync = Number(at(topic, 'spec', 'config', 'min.insync.replicas'));
      expect(minInsync).toBe(replicas > 1 ? replicas - 1 : 1);
      if (overlay === 'prod') expect(replicas).toBe(3);
    }
  });

  it('runs the migrations as hooks before the new pods, with what `migrate` needs', () => {
    const jobs = ofKind(resources, 'Job');
    expect(jobs.map((j) => stringAt(j, 'metadata', 'name')).sort()).toEqual([
      'tandem-migrate-read',
      'tandem-migrate-write',
    ]);
    for (const job of jobs) {
      expect(stringAt(job, 'metadata', 'annotations', 'argocd.argoproj.io/hook')).toBe('PreSync');
      expect(stringAt(job, 'metadata', 'annotations', 'helm.sh/hook')).toBe('pre-install,pre-upgrade');
      expect(at(job, 'spec', 'template', 'spec', 'containers', 0, 'args')).toEqual([
        'node',
        'main.js',
        'migrate',
      ]);
    }
    const configMap = stringAt(named(resources, 'ConfigMap', 'tandem-config'), 'data', 'RUN_MIGRATIONS');
    expect(configMap).toBe('false');
  });

  it('alerts on what the issue names, over metrics the services really export; the dashboard too', () => {
    const series = exportedSeries();
    const rules = ofKind(resources, 'PrometheusRule').flatMap((r) =>
      arrayAt(r, 'spec', 'groups').flatMap((g) => arrayAt(g, 'rules')),
    );
    const alerts = rules.map((rule) => stringAt(rule, 'alert'));
    for (const alert of REQUIRED_ALERTS) expect(alerts).toContain(alert);
    const dashboard: unknown = JSON.parse(
      readFileSync(path.join(repoRoot, 'k8s/base/app/monitoring/grafana-dashboard.json'), 'utf8'),
    );
    const dashboardExprs = arrayAt(dashboard, 'panels').flatMap((panel) =>
      arrayAt(panel, 'targets').map((target) => stringAt(target, 'expr') ?? ''),
    );
    expect(dashboardExprs.length).toBeGreaterThan(10);
    const unknown = [...rules.map((rule) => stringAt(rule, 'expr') ?? ''), ...dashboardExprs].flatMap(
      (expr) => promqlMetricNames(expr).filter((name) => !series.has(name)),
    );
    expect(unknown).toEqual([]);
    const monitor = named(resources, 'ServiceMonitor', 'tandem');
    expect(at(monitor, 'spec', 'endpoints', 0, 'honorLabels')).toBe(true);
  });
});

describe('the checks can fail', () => {
  const resources = kustomize('k8s/overlays/prod');
  const copy = (): JsonObject[] => JSON.parse(JSON.stringify(resources)) as JsonObject[];
  const deployment = (list: JsonObject[], name: string): JsonObject => named(list, 'Deployment', name);
  const container = (list: JsonObject[], name: string): JsonObject => {
    const found = at(deployment(list, name), 'spec', 'template', 'spec', 'containers', 0);
    if (!isObject(found)) throw new Error('no container');
    return found;
  };

  it('refuses a resource its schema refuses, and a kind it has no schema for', () => {
    const broken = copy();
    const spec = at(deployment(broken, 'gateway'), 'spec');
    if (isObject(spec)) spec['selector'] = 'everything';
    const topic = ofKind(broken, 'KafkaTopic')[0];
    const topicSpec = at(topic, 'spec');
    if (isObject(topicSpec)) topicSpec['partiton'] = 3;
    broken.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const errors = validationErrors(broken);
    expect(errors.some((e) => e.startsWith('apps/v1/Deployment gateway'))).toBe(true);
    expect(errors.some((e) => e.startsWith('kafka.strimzi.io/v1beta2/KafkaTopic'))).toBe(true);
    expect(errors).toContain('example.com/v1/Widget w: no schema to validate it against');
  });

  it('sees a missing limit, probe or security setting, and a liveness probe on readiness', () => {
    const broken = copy();
    const query = container(broken, 'query-service');
    delete query['startupProbe'];
    const liveness = at(query, 'livenessProbe', 'httpGet');
    if (isObject(liveness)) liveness['path'] = '/health/ready';
    const limits = at(container(broken, 'gateway'), 'resources', 'limits');
    if (isObject(limits)) delete limits['memory'];
    const security = at(container(broken, 'command-service'), 'securityContext');
    if (isObject(security)) security['readOnlyRootFilesystem'] = false;
    expect(workloadViolations(broken).sort()).toEqual([
      'Deployment command-service/command-service: root filesystem is writable',
      'Deployment gateway/gateway: no limits.memory',
      'Deployment query-service/query-service: liveness does not probe /health/live',
      'Deployment query-service/query-service: no startupProbe',
    ]);
  });

  it('sees an internal service open to everyone, and an inlined secret', () => {
    const broken = copy();
    const policy = named(broken, 'NetworkPolicy', 'query-service');
    const rule = at(policy, 'spec', 'ingress', 0);
    if (isObject(rule)) rule['from'] = [{ namespaceSelector: {} }];
    broken.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'oops' }, stringData: { x: 'y' } });
    const env = arrayAt(container(broken, 'query-service'), 'env');
    env.push({ name: 'CURSOR_SECRET', value: 'inline-secret-value' });
    expect(networkViolations(broken)).toEqual([
      'query-service: query-service admits {"namespaceSelector":{}}',
    ]);
    expect(secretViolations(broken)).toEqual(['Secret oops is inlined in the manifests']);
    expect(workloadViolations(broken)).toContain(
      'Deployment query-service/query-service: CURSOR_SECRET is not read from a Secret (secretKeyRef)',
    );
  });

  it('reads metric names out of PromQL', () => {
    expect(
      promqlMetricNames(
        'sum by (projection) (rate(projection_events_applied_total{a="b"}[5m])) / clamp_min(up, 1) > 0 and on(x) nope_total',
      ),
    ).toEqual(['nope_total', 'projection_events_applied_total', 'up']);
  });
});
