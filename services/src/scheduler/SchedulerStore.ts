// Where the scheduler keeps its state, as plain files under one folder (default
// <lakehouse>/_scheduler): schedules.json, alerts.json and runs/<runId>/{run.json, input.ipynb,
// output.ipynb, output.html, runner.log}. Every JSON file is replaced atomically; writes to one
// file are serialised so the last state written is the last state asked for. A lock file keeps
// a second scheduler off the same folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RunRecord } from './RunRecord.js';
import type { SchedulerAlert } from './SchedulerAlert.js';
import { SchedulerError } from './SchedulerError.js';
import type { Schedule } from './scheduleDefinition.js';
import { writeFileAtomic } from './writeFileAtomic.js';

const SchedulesFile = z.object({ version: z.literal(1), schedules: z.array(z.unknown()) });
const AlertsFile = z.object({ version: z.literal(1), alerts: z.array(z.unknown()) });

/** What a store holds when opened. */
export interface StoredState {
  schedules: Schedule[];
  runs: RunRecord[];
  alerts: SchedulerAlert[];
}

export class SchedulerStore {
  readonly dir: string;
  readonly runsDir: string;
  private readonly writes = new Map<string, Promise<void>>();
  private lockHeld = false;

  private constructor(dir: string) {
    this.dir = dir;
    this.runsDir = path.join(dir, 'runs');
  }

  /**
   * Opens (creating) the folder and takes its lock. @throws SchedulerError SCHEDULER_LOCKED when a
   * live process holds the lock; a lock left by a dead process is taken over.
   */
  static async open(dir: string): Promise<SchedulerStore> {
    const store = new SchedulerStore(path.resolve(dir));
    await fs.mkdir(store.runsDir, { recursive: true });
    await store.lock();
    return store;
  }

  /** The folder of run `runId`. */
  runDir(runId: string): string {
    return path.join(this.runsDir, runId);
  }

  /** A path relative to the store folder (as run records keep their outputs). */
  relative(file: string): string {
    return path.relative(this.dir, file).split(path.sep).join('/');
  }

  /** The absolute path of a path kept relative to the store folder. */
  resolve(relative: string): string {
    return path.join(this.dir, relative);
  }

  /** Reads everything back: schedules, every run record (oldest first), alerts. Unreadable run records are skipped and returned in `unreadable`. */
  async load(): Promise<StoredState & { unreadable: string[] }> {
    const schedules = (await readJson(path.join(this.dir, 'schedules.json'), SchedulesFile))?.schedules ?? [];
    const alerts = (await readJson(path.join(this.dir, 'alerts.json'), AlertsFile))?.alerts ?? [];
    const runs: RunRecord[] = [];
    const unreadable: string[] = [];
    for (const id of (await fs.readdir(this.runsDir)).sort()) {
      const file = path.join(this.runsDir, id, 'run.json');
      try {
        runs.push(JSON.parse(await fs.readFile(file, 'utf8')) as RunRecord);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(file);
      }
    }
    runs.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
    return { schedules: schedules as Schedule[], runs, alerts: alerts as SchedulerAlert[], unreadable };
  }

  saveSchedules(schedules: readonly Schedule[]): Promise<void> {
    return this.write(path.join(this.dir, 'schedules.json'), { version: 1, schedules });
  }

  saveAlerts(alerts: readonly SchedulerAlert[]): Promise<void> {
    return this.write(path.join(this.dir, 'alerts.json'), { version: 1, alerts });
  }

  async saveRun(run: RunRecord): Promise<void> {
    await fs.mkdir(this.runDir(run.id), { recursive: true });
    await this.write(path.join(this.runDir(run.id), 'run.json'), run);
  }

  /** Removes a run's folder (history pruning). */
  async removeRun(runId: string): Promise<void> {
    await fs.rm(this.runDir(runId), { recursive: true, force: true });
  }

  /** Releases the lock. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
    if (this.lockHeld) await fs.rm(path.join(this.dir, 'scheduler.lock'), { force: true });
    this.lockHeld = false;
  }

  private write(file: string, value: unknown): Promise<void> {
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`));
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    });
    return next;
  }

  private async lock(): Promise<void> {
    const file = path.join(this.dir, 'scheduler.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.writeFile(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), {
          flag: 'wx',
        });
        this.lockHeld = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let holder: number | undefined;
      try {
        holder = (JSON.parse(await fs.readFile(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        holder = undefined;
      }
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new SchedulerError(
          'SCHEDULER_LOCKED',
          `another scheduler (pid ${holder}) uses ${this.dir}; stop it or point SCHEDULER_DIR elsewhere`,
        );
      }
      // A lock of a process that is gone (killed, crashed): take it over.
      await fs.rm(file, { force: true });
    }
    throw new SchedulerError('SCHEDULER_LOCKED', `could not take the lock of ${this.dir}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a scheduler file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
