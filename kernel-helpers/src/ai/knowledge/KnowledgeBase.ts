// The assistant's knowledge base: table docs (from the Delta metadata), the glossary and example
// question → SQL pairs (seed, the user's file, the API, feedback), embedded into one vector store.
// Documents are re-embedded only when their text or the embedder changes; examples added through
// the API or feedback live only in the store, so a persistent store keeps them across restarts.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Lakehouse } from '../../engine/Lakehouse.js';
import type { TableInfo } from '../../engine/SqlEngine.js';
import type { Logger } from '../../logger.js';
import { noopLogger } from '../../noopLogger.js';
import type { VerifiedExample } from '../assistant/Assistant.js';
import type { Embedder } from '../embedding/Embedder.js';
import type {
  VectorFilter,
  VectorPayload,
  VectorRecord,
  VectorSearch,
  VectorStore,
} from '../vectors/VectorStore.js';
import { GLOSSARY, type GlossaryEntry, glossaryText } from './glossary.js';
import { tableEmbeddingText } from './knowledgeTexts.js';
import { readExamplesFile } from './readExamplesFile.js';
import { readSnapshotDoc } from './readTableDocs.js';
import { SEED_EXAMPLES, type SeedExample } from './seedExamples.js';
import type { TableDoc } from './TableDoc.js';

/** Where an example came from: shipped, the user's file, the API, or a "this is right" mark. */
export type ExampleOrigin = 'seed' | 'file' | 'api' | 'feedback';

export interface KnowledgeBaseOptions {
  embedder: Embedder;
  store: VectorStore;
  /** For column comments and descriptions in the Delta metadata (TableInfo lacks them). */
  lakehouse?: Lakehouse;
  /** The user's example file; none when omitted. */
  examplesFile?: string;
  seedExamples?: readonly SeedExample[];
  glossary?: readonly GlossaryEntry[];
  logger?: Logger;
  /** The clock for `createdAt` (tests pin it). */
  now?: () => Date;
}

export interface RetrieveOptions {
  examplesK?: number;
  tablesK?: number;
  glossaryK?: number;
  /** Example ids to leave out (a replay must not find the example it replays). */
  excludeExamples?: readonly string[];
}

export interface RetrievedExample {
  example: VerifiedExample;
  origin: ExampleOrigin;
  /** Cosine similarity of the question to the example's question. */
  score: number;
}

export interface Retrieved {
  examples: RetrievedExample[];
  tables: { doc: TableDoc; score: number }[];
  glossary: { entry: GlossaryEntry; score: number }[];
}

type Kind = 'table' | 'glossary' | 'example';

interface Doc {
  id: string;
  kind: Kind;
  /** The text embedded. */
  text: string;
  payload: VectorPayload;
}

const MAX_QUESTION = 2_000;
const MAX_SQL = 100_000;

export class KnowledgeBase {
  private readonly embedder: Embedder;
  private readonly store: VectorStore;
  private readonly lakehouse: Lakehouse | undefined;
  private readonly examplesFile: string | undefined;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly glossaryById: Map<string, GlossaryEntry>;
  /** Table docs by name, with the Delta version they were read at. */
  private readonly tables = new Map<string, TableDoc>();
  private examplesFileMtime: number | undefined | null = null;
  /** The modification time of an examples file found invalid (not read again until it changes). */
  private invalidFileMtime: number | undefined;
  /** Writes to the store run one at a time (sync and example changes interleave safely). */
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(options: KnowledgeBaseOptions) {
    this.embedder = options.embedder;
    this.store = options.store;
    this.lakehouse = options.lakehouse;
    this.examplesFile = options.examplesFile;
    this.logger = options.logger ?? noopLogger;
    this.now = options.now ?? (() => new Date());
    this.glossaryById = new Map((options.glossary ?? GLOSSARY).map((g) => [g.id, g]));
  }

  /**
   * Opens the knowledge base over `store`: re-embeds everything when the store was written by
   * another embedder, then brings the glossary, the seed examples and the example file up to
   * date. Tables come with the first `syncTables`. @throws what the store or embedder throw.
   */
  static async open(options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    if (options.store.dimension !== options.embedder.dimension)
      throw new RangeError(
        `the vector store holds ${options.store.dimension}-number vectors; the embedder ${options.embedder.id} makes ${options.embedder.dimension}`,
      );
    const kb = new KnowledgeBase(options);
    await kb.migrateEmbedder();
    await kb.syncDocs(
      'glossary',
      [...kb.glossaryById.values()].map((g) => ({
        id: `glossary:${g.id}`,
        kind: 'glossary' as const,
        text: glossaryText(g),
        payload: { kind: 'glossary', glossaryId: g.id },
      })),
    );
    await kb.syncDocs(
      'seed',
      (options.seedExamples ?? SEED_EXAMPLES).map((e) =>
        exampleDoc(
          {
            id: e.id,
            question: e.question,
            sql: e.sql,
            source: 'seed',
            createdAt: '1970-01-01T00:00:00.000Z',
          },
          'seed',
        ),
      ),
    );
    await kb.syncExamplesFile();
    return kb;
  }

  // ---------------------------------------------------------------- tables

  /**
   * Brings the table docs up to `tables` (from `engine.tables()`): tables whose Delta version
   * changed are re-read from their metadata and re-embedded when their doc text changed; gone
   * tables are removed. Also re-reads the example file when it changed. Returns the tables whose
   * doc changed.
   */
  async syncTables(tables: readonly TableInfo[]): Promise<string[]> {
    const changed: string[] = [];
    const docs: Doc[] = [];
    let dirty = false;
    for (const info of tables) {
      const known = this.tables.get(info.name);
      if (known && known.version === info.version) {
        docs.push(tableDocRecord(known));
        continue;
      }
      dirty = true;
      const doc = await this.readTableDoc(info);
      if (
        !known ||
        tableEmbeddingText(known) !== tableEmbeddingText(doc) ||
        known.metadataId !== doc.metadataId
      )
        changed.push(info.name);
      this.tables.set(info.name, doc);
      docs.push(tableDocRecord(doc));
    }
    for (const name of [...this.tables.keys()])
      if (!tables.some((t) => t.name === name)) {
        this.tables.delete(name);
        changed.push(name);
        dirty = true;
      }
    if (dirty) await this.syncDocs('table', docs);
    await this.syncExamplesFile();
    return changed;
  }

  /** The current table docs, by name. */
  tableDocs(): TableDoc[] {
    return [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  glossary(): GlossaryEntry[] {
    return [...this.glossaryById.values()];
  }

  private async readTableDoc(info: TableInfo): Promise<TableDoc> {
    if (this.lakehouse) {
      try {
        return await readSnapshotDoc(this.lakehouse, info);
      } catch (e) {
        this.logger.warn('knowledge base: cannot read Delta metadata; using the engine schema', {
          table: info.name,
          error: (e as Error).message,
        });
      }
    }
    return readSnapshotDoc(undefined, info);
  }

  // ---------------------------------------------------------------- retrieval

  /** The examples, tables and glossary entries nearest to `question`, best first. */
  async retrieve(question: string, options: RetrieveOptions = {}): Promise<Retrieved> {
    const [vector] = await this.embedder.embed([question]);
    const exclude = new Set(options.excludeExamples ?? []);
    const examplesK = options.examplesK ?? 5;
    const tablesK = options.tablesK ?? 4;
    const glossaryK = options.glossaryK ?? 6;
    const requests: VectorSearch[] = [];
    if (examplesK > 0) requests.push({ k: examplesK + exclude.size, filter: { kind: 'example' } });
    if (tablesK > 0) requests.push({ k: tablesK, filter: { kind: 'table' } });
    if (glossaryK > 0) requests.push({ k: glossaryK, filter: { kind: 'glossary' } });
    const results = await this.store.searchMany(vector!, requests);
    const hitsOf = (kind: Kind) => results[requests.findIndex((r) => r.filter?.['kind'] === kind)] ?? [];
    const [exampleHits, tableHits, glossaryHits] = [hitsOf('example'), hitsOf('table'), hitsOf('glossary')];
    return {
      examples: exampleHits
        .map((h) => ({ ...exampleFromPayload(h.payload), score: h.score }))
        .filter((e) => !exclude.has(e.example.id))
        .slice(0, examplesK),
      tables: tableHits.flatMap((h) => {
        const doc = this.tables.get(String(h.payload['name']));
        return doc ? [{ doc, score: h.score }] : [];
      }),
      glossary: glossaryHits.flatMap((h) => {
        const entry = this.glossaryById.get(String(h.payload['glossaryId']));
        return entry ? [{ entry, score: h.score }] : [];
      }),
    };
  }

  // ---------------------------------------------------------------- examples

  /**
   * Adds (or replaces, for the same question and origin) an example. Feedback examples have
   * source `feedback`, API ones `user`. @throws RangeError for an empty or oversized pair.
   */
  async addExample(
    pair: { question: string; sql: string },
    origin: 'api' | 'feedback',
  ): Promise<VerifiedExample> {
    const question = pair.question?.trim() ?? '';
    const sql = pair.sql?.trim() ?? '';
    if (question.length === 0 || question.length > MAX_QUESTION)
      throw new RangeError(`an example question must have 1 to ${MAX_QUESTION} characters`);
    if (sql.length === 0 || sql.length > MAX_SQL)
      throw new RangeError(`an example's SQL must have 1 to ${MAX_SQL} characters`);
    const example: VerifiedExample = {
      id: `${origin === 'api' ? 'user' : 'feedback'}-${shortHash(normaliseQuestion(question))}`,
      question,
      sql,
      source: origin === 'api' ? 'user' : 'feedback',
      createdAt: this.now().toISOString(),
    };
    await this.write(() => this.upsertDocs([exampleDoc(example, origin)]));
    this.logger.info('knowledge base: example added', { id: example.id, origin });
    return example;
  }

  /** Every example in the knowledge base, by id. */
  async examples(): Promise<(VerifiedExample & { origin: ExampleOrigin })[]> {
    const records = await this.store.list({ kind: 'example' });
    return records.map((r) => {
      const { example, origin } = exampleFromPayload(r.payload);
      return { ...example, origin };
    });
  }

  /** Removes an example added through the API or feedback (seed and file examples come back). */
  async removeExample(id: string): Promise<boolean> {
    const found = (await this.store.list({ kind: 'example', exampleId: id }))[0];
    if (!found || !['api', 'feedback'].includes(String(found.payload['origin']))) return false;
    await this.write(() => this.store.delete([found.id]));
    return true;
  }

  /** How many records of each kind the store holds (for status pages and tests). */
  async counts(): Promise<Record<Kind, number>> {
    const [table, glossary, example] = await Promise.all([
      this.store.count({ kind: 'table' }),
      this.store.count({ kind: 'glossary' }),
      this.store.count({ kind: 'example' }),
    ]);
    return { table, glossary, example };
  }

  // ---------------------------------------------------------------- indexing

  private async syncExamplesFile(): Promise<void> {
    if (!this.examplesFile) return;
    const file = this.examplesFile;
    // A stat per question; the file is read only when it changed.
    const mtimeMs = await fs.stat(file).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (mtimeMs !== undefined && (mtimeMs === this.examplesFileMtime || mtimeMs === this.invalidFileMtime))
      return;
    const read = await readExamplesFile(file);
    if (!read.success) {
      this.logger.warn('knowledge base: the examples file is invalid; keeping its previous examples', {
        file,
        error: read.error,
      });
      this.invalidFileMtime = mtimeMs;
      return;
    }
    if (read.mtimeMs === this.examplesFileMtime) return;
    this.examplesFileMtime = read.mtimeMs;
    const createdAt =
      read.mtimeMs === undefined ? this.now().toISOString() : new Date(read.mtimeMs).toISOString();
    await this.syncDocs(
      'file',
      read.examples.map((e) =>
        exampleDoc(
          {
            id: e.id ?? `file-${shortHash(normaliseQuestion(e.question))}`,
            question: e.question,
            sql: e.sql,
            source: 'user',
            createdAt,
          },
          'file',
        ),
      ),
    );
  }

  /**
   * Makes the store's documents of one group (`table`, `glossary`, or an example origin) exactly
   * `docs`: new and changed ones embedded and upserted, vanished ones deleted.
   */
  private syncDocs(group: 'table' | 'glossary' | 'seed' | 'file', docs: readonly Doc[]): Promise<void> {
    return this.write(async () => {
      const filter: VectorFilter =
        group === 'table' || group === 'glossary' ? { kind: group } : { kind: 'example', origin: group };
      const existing = new Map((await this.store.list(filter)).map((r) => [r.id, r.payload]));
      const stale = docs.filter((d) => {
        const payload = existing.get(d.id);
        return (
          !payload ||
          payload['fingerprint'] !== fingerprint(d.text) ||
          payload['embedder'] !== this.embedder.id
        );
      });
      const wanted = new Set(docs.map((d) => d.id));
      const gone = [...existing.keys()].filter((id) => !wanted.has(id));
      if (gone.length > 0) await this.store.delete(gone);
      if (stale.length > 0) await this.upsertDocs(stale);
      if (stale.length > 0 || gone.length > 0)
        this.logger.debug('knowledge base: documents re-indexed', {
          group,
          embedded: stale.length,
          removed: gone.length,
        });
    });
  }

  private async upsertDocs(docs: readonly Doc[]): Promise<void> {
    const vectors = await this.embedder.embed(docs.map((d) => d.text));
    const records: VectorRecord[] = docs.map((d, i) => ({
      id: d.id,
      vector: vectors[i]!,
      payload: { ...d.payload, kind: d.kind, fingerprint: fingerprint(d.text), embedder: this.embedder.id },
    }));
    await this.store.upsertMany(records);
  }

  /** When the store holds vectors of another embedder: keep the API and feedback examples, re-embed. */
  private async migrateEmbedder(): Promise<void> {
    const records = await this.store.list();
    if (records.every((r) => r.payload['embedder'] === this.embedder.id)) return;
    const kept = records
      .filter(
        (r) => r.payload['kind'] === 'example' && ['api', 'feedback'].includes(String(r.payload['origin'])),
      )
      .map((r) => {
        const { example, origin } = exampleFromPayload(r.payload);
        return exampleDoc(example, origin);
      });
    this.logger.info('knowledge base: the embedder changed; re-embedding', {
      embedder: this.embedder.id,
      records: records.length,
      keptExamples: kept.length,
    });
    await this.store.clear();
    if (kept.length > 0) await this.upsertDocs(kept);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

function tableDocRecord(doc: TableDoc): Doc {
  return {
    id: `table:${doc.name}`,
    kind: 'table',
    text: tableEmbeddingText(doc),
    payload: { kind: 'table', name: doc.name },
  };
}

function exampleDoc(example: VerifiedExample, origin: ExampleOrigin): Doc {
  return {
    id: `example:${example.id}`,
    kind: 'example',
    text: example.question,
    payload: {
      kind: 'example',
      exampleId: example.id,
      origin,
      source: example.source,
      question: example.question,
      sql: example.sql,
      createdAt: example.createdAt,
    },
  };
}

function exampleFromPayload(payload: VectorPayload): { example: VerifiedExample; origin: ExampleOrigin } {
  return {
    example: {
      id: String(payload['exampleId']),
      question: String(payload['question']),
      sql: String(payload['sql']),
      source: payload['source'] as VerifiedExample['source'],
      createdAt: String(payload['createdAt']),
    },
    origin: payload['origin'] as ExampleOrigin,
  };
}

/** A question as compared for identity: lower-case, single spaces, no trailing punctuation. */
export function normaliseQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?.!]+$/, '')
    .trim();
}

function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
