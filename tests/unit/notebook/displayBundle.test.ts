// The display-bundle module on the real tslab package: in a tslab kernel, tslab keeps the
// sender of the running execute request in its `jupyter` module (`lastWriteDisplayData`) and
// exposes its public module to cells through `globalThis.__tslab__.require`. Here the test plays
// the kernel's part: it sets that global and puts a recording sender in tslab's own slot, as
// tslab does for each execute request, then checks what the module sends through it.
import { createRequire } from 'node:module';
import {
  defaultDisplayTarget,
  displayBundle,
  MIME_TYPES,
  type MimeBundle,
  tableBundle,
  textDisplayTarget,
  tslabDisplayTarget,
} from '@rt-lakehouse/kernel-helpers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const requireFromRoot = createRequire(new URL('../../../package.json', import.meta.url));
type Sent = {
  content: { data: Record<string, unknown>; metadata: object; transient: object };
  update: boolean;
};
type TslabJupyter = { lastWriteDisplayData: ((c: Sent['content'], update: boolean) => void) | null };

let jupyter: TslabJupyter;
let tslabPublic: unknown;

beforeAll(() => {
  tslabPublic = requireFromRoot('tslab');
  jupyter = requireFromRoot('tslab/dist/jupyter.js') as TslabJupyter;
}, 60_000);

afterEach(() => {
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
  jupyter.lastWriteDisplayData = null;
  vi.restoreAllMocks();
});

/** This process as a tslab kernel running a cell: `require('tslab')` as cells see it, a sender. */
function inKernel(publicModule: unknown = tslabPublic): Sent[] {
  (globalThis as { __tslab__?: unknown }).__tslab__ = {
    require: (id: string) => (id === 'tslab' ? publicModule : undefined),
  };
  const sent: Sent[] = [];
  jupyter.lastWriteDisplayData = (content, update) => sent.push({ content, update });
  return sent;
}

const bundle = tableBundle({
  columns: [{ name: 'n', type: 'INTEGER' }],
  rows: [{ n: 1 }, { n: 2 }],
  totalRows: 2,
});

describe('displayBundle outside a kernel', () => {
  it('has no tslab target; the default writes the text fallback to standard output', () => {
    expect(tslabDisplayTarget()).toBeUndefined();
    expect(defaultDisplayTarget().kind).toBe('text');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    displayBundle({ 'text/plain': 'hello', 'text/html': '<b>hello</b>' });
    expect(write).toHaveBeenCalledWith('hello\n');
  });

  it('a text target writes each bundle as its text/plain line', () => {
    const lines: string[] = [];
    const target = textDisplayTarget((t) => lines.push(t));
    displayBundle(bundle, {}, target);
    displayBundle({ 'text/plain': 'second' }, { displayId: 'x', update: true }, target);
    expect(lines).toEqual([`${bundle['text/plain']}\n`, 'second\n']);
    expect(target.kind).toBe('text');
  });
});

describe('displayBundle in a tslab kernel', () => {
  it('sends every MIME type of a bundle in one display_data message', () => {
    const sent = inKernel();
    expect(tslabDisplayTarget()?.kind).toBe('tslab');
    displayBundle(bundle);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({ content: { data: bundle, metadata: {}, transient: {} }, update: false });
    expect(Object.keys(sent[0]!.content.data).sort()).toEqual([MIME_TYPES.html, MIME_TYPES.text].sort());
  });

  it('carries a display id, per-type metadata, and replaces in place only with an id', () => {
    const sent = inKernel();
    const kpi: MimeBundle = { 'text/plain': 'KPIs', [MIME_TYPES.kpi]: { minutes: 15, metrics: ['orders'] } };
    displayBundle(kpi, { displayId: 'kpi-1', metadata: { [MIME_TYPES.kpi]: { live: true } } });
    displayBundle(kpi, { displayId: 'kpi-1', update: true });
    displayBundle(kpi, { update: true });
    expect(sent.map((s) => [s.content.transient, s.update])).toEqual([
      [{ display_id: 'kpi-1' }, false],
      [{ display_id: 'kpi-1' }, true],
      [{}, false],
    ]);
    expect(sent[0]!.content.metadata).toEqual({ [MIME_TYPES.kpi]: { live: true } });
    expect(sent[0]!.content.data[MIME_TYPES.kpi]).toEqual({ minutes: 15, metrics: ['orders'] });
  });

  it("follows tslab's sender from one execute request to the next", () => {
    const first = inKernel();
    const target = tslabDisplayTarget()!;
    target.send({ 'text/plain': 'cell 1' });
    const second: Sent[] = [];
    jupyter.lastWriteDisplayData = (content, update) => second.push({ content, update });
    target.send({ 'text/plain': 'cell 2' });
    expect(first.map((s) => s.content.data['text/plain'])).toEqual(['cell 1']);
    expect(second.map((s) => s.content.data['text/plain'])).toEqual(['cell 2']);
  });

  it("without tslab's sender hook, falls back to display.raw with the richest single type", () => {
    const raw: [string, string][] = [];
    inKernel({ display: { raw: (type: string, data: string) => raw.push([type, data]) } });
    jupyter.lastWriteDisplayData = null;
    displayBundle(bundle);
    displayBundle({ 'text/plain': 'only text', [MIME_TYPES.kpi]: { minutes: 5 } });
    expect(raw).toEqual([
      [MIME_TYPES.html, bundle[MIME_TYPES.html]],
      [MIME_TYPES.text, 'only text'],
    ]);
  });

  it('between requests (tslab not ready) writes the text instead of throwing', () => {
    inKernel();
    jupyter.lastWriteDisplayData = null;
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(() => displayBundle(bundle)).not.toThrow();
    expect(write).toHaveBeenCalledWith(`${bundle['text/plain']}\n`);
  });
});
