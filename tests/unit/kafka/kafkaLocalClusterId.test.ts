import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/kafka-local.sh', import.meta.url));

describe('scripts/kafka-local.sh cluster-id', () => {
  it('prints 22-character URL-safe ids that never begin with "-" (the storage tool would read one as an option)', () => {
    // One random id in 64 begins with '-' before the redraw; 640 draws meet that case with
    // probability 1 - (63/64)^640 > 99.99%, so a regression fails here, not in CI's broker start.
    const ids = execFileSync(
      'bash',
      ['-c', `for i in $(seq 640); do bash "$1" cluster-id; done`, '_', script],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n');
    expect(ids).toHaveLength(640);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(640);
  });
});
