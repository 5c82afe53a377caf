// The mode `lakehouse up` picks from what the machine offers, branch by branch, and the service
// list each mode starts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseMode, type ModeInputs } from '../../services/src/stack/chooseMode.js';
import { serviceSpecs } from '../../services/src/stack/serviceSpecs.js';
import { stackConfigFromEnv } from '../../services/src/stack/stackConfig.js';

const none: ModeInputs = {
  requested: 'auto',
  dockerAvailable: false,
  kafkaBrokers: undefined,
  javaAvailable: false,
  localKafkaAllowed: true,
};

describe('chooseMode', () => {
  it('auto: Docker first, then KAFKA_BROKERS, then a local broker with Java, else embedded', () => {
    expect(chooseMode({ ...none, dockerAvailable: true, kafkaBrokers: 'b:1' }).mode).toBe('docker');
    expect(chooseMode({ ...none, kafkaBrokers: 'b:1', javaAvailable: true })).toEqual({
      mode: 'kafka',
      startLocalBroker: false,
      reason: 'KAFKA_BROKERS=b:1',
    });
    expect(chooseMode({ ...none, javaAvailable: true })).toMatchObject({
      mode: 'kafka',
      startLocalBroker: true,
    });
    expect(chooseMode({ ...none, javaAvailable: true, localKafkaAllowed: false })).toMatchObject({
      mode: 'embedded',
      startLocalBroker: false,
    });
    expect(chooseMode(none)).toMatchObject({
      mode: 'embedded',
      reason: expect.stringContaining('no Java 17+'),
    });
  });

  it('a requested mode wins, and one the machine cannot run is an error', () => {
    expect(
      chooseMode({ ...none, requested: 'embedded', kafkaBrokers: 'b:1', dockerAvailable: true }).mode,
    ).toBe('embedded');
    expect(chooseMode({ ...none, requested: 'kafka', dockerAvailable: true, kafkaBrokers: 'b:1' }).mode).toBe(
      'kafka',
    );
    expect(() => chooseMode({ ...none, requested: 'docker' })).toThrow(/no Docker engine/);
    expect(() => chooseMode({ ...none, requested: 'kafka' })).toThrow(/KAFKA_BROKERS or Java 17\+/);
    expect(() =>
      chooseMode({ ...none, requested: 'kafka', javaAvailable: true, localKafkaAllowed: false }),
    ).toThrow(/LAKEHOUSE_LOCAL_KAFKA=1/);
  });
});

describe('stack settings and services', () => {
  it('rejects a wrong setting by name and resolves the lakehouse folder', () => {
    expect(() => stackConfigFromEnv({ LAKEHOUSE_MODE: 'cloud' })).toThrow(/LAKEHOUSE_MODE/);
    expect(() => stackConfigFromEnv({ ASSISTANT_PORT: '70000' })).toThrow(/ASSISTANT_PORT/);
    const config = stackConfigFromEnv({ LAKEHOUSE_DIR: 'here', LAKEHOUSE_JUPYTER: 'false' }, '/srv');
    expect(config.lakehouseDir).toBe('/srv/here');
    expect(config.stateDir).toBe(path.join('/srv/here', '.lakehouse'));
    expect(config.jupyter).toBe(false);
  });

  it('embedded mode runs one data-plane process and hides KAFKA_BROKERS; kafka mode runs pipelines and producer', () => {
    const config = stackConfigFromEnv({
      LAKEHOUSE_DIR: '/d',
      LAKEHOUSE_JUPYTER: '0',
      LAKEHOUSE_SCHEDULER: '0',
    });
    const base = {
      config,
      jupyterToken: 't',
      openBrowser: false,
      baseEnv: { KAFKA_BROKERS: 'x:1', PATH: '/bin' },
    };
    const embedded = serviceSpecs({ ...base, mode: 'embedded', brokers: undefined });
    expect(embedded.map((s) => s.name)).toEqual(['embedded', 'assistant']);
    expect(embedded.every((s) => s.env['KAFKA_BROKERS'] === undefined)).toBe(true);
    expect(embedded[0]!.env['LAKEHOUSE_DIR']).toBe('/d');
    const kafka = serviceSpecs({ ...base, mode: 'kafka', brokers: '127.0.0.1:9092' });
    expect(kafka.map((s) => [s.name, s.stopPhase])).toEqual([
      ['pipelines', 1],
      ['producer', 0],
      ['assistant', 2],
    ]);
    expect(kafka.every((s) => s.env['KAFKA_BROKERS'] === '127.0.0.1:9092')).toBe(true);
    expect(kafka.find((s) => s.name === 'assistant')!.env['PIPELINES_URL']).toBe('http://127.0.0.1:8010');
    // The processes that run pipelines start with the runner's node flags, before the entry.
    const flagsOf = (spec: { args: string[] }) =>
      spec.args.slice(0, spec.args.indexOf('--conditions=source'));
    expect(flagsOf(embedded[0]!)).toEqual(['--max-semi-space-size=64']);
    expect(flagsOf(kafka[0]!)).toEqual(['--max-semi-space-size=64']);
    expect(kafka.slice(1).map(flagsOf)).toEqual([[], []]);
  });
});
