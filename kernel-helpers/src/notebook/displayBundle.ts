// The one place that sends multi-MIME display bundles to a notebook. tslab's public
// `display.raw(type, data)` puts exactly one MIME type in each display_data message, so a
// front end without that type's renderer shows nothing; Jupyter's protocol allows a bundle of
// several. tslab keeps the sender of the running execute request in its `jupyter` module
// (`lastWriteDisplayData({ data, metadata, transient }, update)`), and `display.raw` calls it
// with one key: we call it with all of ours. tslab is pinned to an exact version in the root
// package.json and tests/notebooks runs this path on the real kernel; when the hook is not
// there (another tslab, no kernel at all) the bundle degrades to tslab's `display.raw` with
// the richest type, or to its text/plain on standard output.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DisplayOptions, DisplayTarget } from './DisplayTarget.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';

type WriteDisplayData = (
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: object },
  update: boolean,
) => void;

interface TslabPublic {
  display: { raw(contentType: string, data: string): unknown };
}

interface TslabGlobal {
  __tslab__?: { require?: (id: string) => unknown };
}

const nodeRequire = createRequire(import.meta.url);
const JUPYTER_MODULE = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;

/** The module cache entry whose exports are `exports` (how we find the running tslab's folder). */
function cachedFileOf(exports: unknown): string | undefined {
  for (const [file, mod] of Object.entries(nodeRequire.cache)) if (mod?.exports === exports) return file;
  return undefined;
}

/** The public module of the tslab running this kernel, when this process is a tslab kernel. */
function runningTslab(): TslabPublic | undefined {
  const hooks = (globalThis as TslabGlobal).__tslab__;
  if (typeof hooks?.require !== 'function') return undefined;
  try {
    const pub = hooks.require('tslab') as TslabPublic;
    return typeof pub?.display?.raw === 'function' ? pub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * tslab's sender for the current execute request: read at every call, because tslab replaces it
 * for each cell (outputs go to the cell that is running).
 */
function tslabWriter(pub: TslabPublic): WriteDisplayData | undefined {
  const publicFile = cachedFileOf(pub);
  const candidates = publicFile
    ? [path.join(path.dirname(publicFile), 'jupyter.js')]
    : Object.keys(nodeRequire.cache).filter((f) => f.endsWith(JUPYTER_MODULE));
  for (const file of candidates) {
    const writer = (nodeRequire.cache[file]?.exports as { lastWriteDisplayData?: unknown } | undefined)
      ?.lastWriteDisplayData;
    if (typeof writer === 'function') return writer as WriteDisplayData;
  }
  return undefined;
}

/** The MIME types tslab's one-type fallback prefers, richest first. */
const PREFERENCE = [MIME_TYPES.html, MIME_TYPES.text];

/** The text a bundle shows where nothing richer renders. */
function textOf(bundle: MimeBundle): string {
  return bundle[MIME_TYPES.text];
}

/**
 * The display target of the tslab kernel this code runs in, or undefined outside one. Bundles go
 * out whole through tslab's display_data sender; if that hook is missing (a tslab whose
 * internals changed) each bundle falls back to one message with its HTML or text.
 */
export function tslabDisplayTarget(): DisplayTarget | undefined {
  const pub = runningTslab();
  if (!pub) return undefined;
  return {
    kind: 'tslab',
    send(bundle: MimeBundle, options: DisplayOptions = {}) {
      const writer = tslabWriter(pub);
      if (writer) {
        writer(
          {
            data: bundle,
            metadata: options.metadata ?? {},
            transient: options.displayId === undefined ? {} : { display_id: options.displayId },
          },
          options.update === true && options.displayId !== undefined,
        );
        return;
      }
      const type = PREFERENCE.find((t) => typeof bundle[t] === 'string') ?? MIME_TYPES.text;
      try {
        pub.display.raw(type, String(bundle[type] ?? textOf(bundle)));
      } catch {
        // tslab between requests ("Not ready"): its captured standard output still shows the text.
        process.stdout.write(`${textOf(bundle)}\n`);
      }
    },
  };
}

/** A target that writes each bundle's text/plain, followed by a newline, to `write`. */
export function textDisplayTarget(write: (text: string) => void): DisplayTarget {
  return {
    kind: 'text',
    send(bundle: MimeBundle) {
      write(`${textOf(bundle)}\n`);
    },
  };
}

/**
 * Shows `bundle` on `target`, by default the running tslab kernel's output (or, outside a
 * kernel, its text on standard output). Never throws for a well-formed bundle.
 */
export function displayBundle(
  bundle: MimeBundle,
  options: DisplayOptions = {},
  target?: DisplayTarget,
): void {
  (target ?? defaultDisplayTarget()).send(bundle, options);
}

/** The kernel's display when running in tslab, else standard output. */
export function defaultDisplayTarget(): DisplayTarget {
  return tslabDisplayTarget() ?? textDisplayTarget((text) => process.stdout.write(text));
}
