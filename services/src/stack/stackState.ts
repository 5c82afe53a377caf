// The stack's state file, <LAKEHOUSE_DIR>/.lakehouse/stack.json: which supervisor runs the stack,
// in which mode, and each service's pid, URL and log — so that `lakehouse status` and
// `lakehouse down` work from another terminal. Written atomically; read with zod.
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const ServiceState = z.object({
  name: z.string(),
  pid: z.number().int().optional(),
  /** What a person opens (JupyterLab's with its token). */
  url: z.string().optional(),
  healthUrl: z.string().optional(),
  log: z.string(),
  state: z.enum(['starting', 'running', 'restarting', 'finished', 'failed', 'stopping', 'stopped']),
  restarts: z.number().int().min(0),
  optional: z.boolean(),
  /** A marker of the process's command line, checked before `down` signals a recorded pid. */
  commandMarker: z.string(),
  lastExit: z.string().optional(),
});
export type ServiceState = z.infer<typeof ServiceState>;

export const StackState = z.object({
  version: z.literal(1),
  /** The `lakehouse up` process. */
  pid: z.number().int(),
  startedAt: z.string(),
  mode: z.enum(['docker', 'kafka', 'embedded']),
  modeReason: z.string(),
  repoRoot: z.string(),
  lakehouseDir: z.string(),
  kafka: z
    .object({
      brokers: z.string(),
      topic: z.string(),
      /** Set when `up` started the broker itself (and stops it at the end). */
      local: z
        .object({ port: z.number().int(), controllerPort: z.number().int(), dataDir: z.string() })
        .optional(),
    })
    .optional(),
  services: z.array(ServiceState),
});
export type StackState = z.infer<typeof StackState>;

export const stateFilePath = (stateDir: string) => path.join(stateDir, 'stack.json');

export async function writeStackState(stateDir: string, state: StackState): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true });
  const file = stateFilePath(stateDir);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(temp, file);
}

/** The state file, or undefined when there is none. @throws Error when it exists but is not valid. */
export async function readStackState(stateDir: string): Promise<StackState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(stateFilePath(stateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = StackState.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${stateFilePath(stateDir)} is not a valid stack state: ${parsed.error.message}`);
  return parsed.data;
}

export async function removeStackState(stateDir: string): Promise<void> {
  await fs.rm(stateFilePath(stateDir), { force: true });
}

/** The process is alive and its command line contains `marker` (a recycled pid does not count). */
export function processMatches(pid: number | undefined, marker: string): boolean {
  if (pid === undefined || !processAlive(pid)) return false;
  const cmdline = readCmdline(pid);
  return cmdline === undefined || cmdline.includes(marker);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line on Linux ('' when the process is gone), undefined where /proc is not there. */
function readCmdline(pid: number): string | undefined {
  if (!existsSync('/proc/self/cmdline')) return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
