// Which way the stack runs, decided from what this machine offers. Pure: the probes are done
// by the caller (probeEnvironment.ts), so every branch is testable.
import type { RequestedMode } from './stackConfig.js';

export type StackMode = 'docker' | 'kafka' | 'embedded';

export interface ModeInputs {
  requested: RequestedMode;
  /** A Docker engine answered `docker info` and compose.yml exists. */
  dockerAvailable: boolean;
  /** KAFKA_BROKERS, when set. */
  kafkaBrokers: string | undefined;
  /** Java 17+ on PATH (the local broker's requirement). */
  javaAvailable: boolean;
  /** LAKEHOUSE_LOCAL_KAFKA. */
  localKafkaAllowed: boolean;
}

export interface ModeDecision {
  mode: StackMode;
  /** `up` starts scripts/kafka-local.sh (kafka mode without KAFKA_BROKERS). */
  startLocalBroker: boolean;
  /** One line for people: why this mode. */
  reason: string;
}

/** @throws Error when a mode was asked for that this machine cannot run. */
export function chooseMode(inputs: ModeInputs): ModeDecision {
  const { requested } = inputs;
  if (requested === 'docker') {
    if (!inputs.dockerAvailable)
      throw new Error('LAKEHOUSE_MODE=docker but no Docker engine answers `docker info`');
    return { mode: 'docker', startLocalBroker: false, reason: 'asked for (LAKEHOUSE_MODE=docker)' };
  }
  if (requested === 'embedded')
    return {
      mode: 'embedded',
      startLocalBroker: false,
      reason: 'asked for: the producer feeds the pipelines in process',
    };
  if (requested === 'auto' && inputs.dockerAvailable)
    return { mode: 'docker', startLocalBroker: false, reason: 'a Docker engine answers: docker compose' };
  if (inputs.kafkaBrokers)
    return { mode: 'kafka', startLocalBroker: false, reason: `KAFKA_BROKERS=${inputs.kafkaBrokers}` };
  if (inputs.javaAvailable && inputs.localKafkaAllowed)
    return {
      mode: 'kafka',
      startLocalBroker: true,
      reason: 'Java 17+ found: a local Kafka broker (scripts/kafka-local.sh)',
    };
  if (requested === 'kafka')
    throw new Error(
      inputs.javaAvailable
        ? 'LAKEHOUSE_MODE=kafka needs KAFKA_BROKERS or LAKEHOUSE_LOCAL_KAFKA=1'
        : 'LAKEHOUSE_MODE=kafka needs KAFKA_BROKERS or Java 17+ for the local broker',
    );
  return {
    mode: 'embedded',
    startLocalBroker: false,
    reason: inputs.javaAvailable
      ? 'no KAFKA_BROKERS and LAKEHOUSE_LOCAL_KAFKA=0: the producer feeds the pipelines in process'
      : 'no KAFKA_BROKERS and no Java 17+: the producer feeds the pipelines in process',
  };
}
