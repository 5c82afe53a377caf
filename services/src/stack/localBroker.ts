// The local Kafka broker of kafka mode without KAFKA_BROKERS: scripts/kafka-local.sh, with its
// data under the lakehouse folder (so a second `up` finds the topic and the offsets again).
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LocalBrokerSettings {
  repoRoot: string;
  port: number;
  controllerPort: number;
  dataDir: string;
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/** Runs `scripts/kafka-local.sh <command>` with the broker's settings; output is collected. */
export function kafkaLocal(
  settings: LocalBrokerSettings,
  command: 'start' | 'stop' | 'status',
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(settings.repoRoot, 'scripts', 'kafka-local.sh'), command], {
      cwd: settings.repoRoot,
      env: {
        ...process.env,
        KAFKA_PORT: String(settings.port),
        KAFKA_CONTROLLER_PORT: String(settings.controllerPort),
        KAFKA_DATA_DIR: settings.dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code, output: output.trim() }));
  });
}
