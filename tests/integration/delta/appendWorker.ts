// A writer process for the concurrency and crash tests: appends `commits` small commits of
// `rowsPerCommit` rows to the table at `dir`, each row tagged with its writer and commit.
import { DeltaTable } from '@rt-lakehouse/kernel-helpers';

const [dir, writer, commits, rowsPerCommit] = process.argv.slice(2);
if (!dir || !writer) throw new Error('usage: appendWorker <dir> <writer> <commits> <rowsPerCommit>');
const table = await DeltaTable.forPath(dir);
for (let c = 0; c < Number(commits ?? 50); c++) {
  const n = Number(rowsPerCommit ?? 10);
  const result = await table.write({
    sql: `SELECT '${writer}' AS writer, ${c}::BIGINT AS seq, range AS i, ${n}::BIGINT AS rows_in_commit FROM range(${n})`,
  });
  process.stdout.write(`${writer} ${c} v${result.version} attempts=${result.attempts}\n`);
}
