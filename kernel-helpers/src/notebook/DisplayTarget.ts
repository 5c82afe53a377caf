// Where display bundles go: the tslab kernel's IOPub channel, a text stream, or a test's array.
import type { MimeBundle } from './MimeBundle.js';

export interface DisplayOptions {
  /** Names the output so a later bundle with `update: true` replaces it in place. */
  displayId?: string;
  /** Replace the output named `displayId` instead of adding one. */
  update?: boolean;
  /** Per-MIME-type metadata of the output (e.g. sizes), as Jupyter's display_data carries. */
  metadata?: Record<string, unknown>;
}

/** Sends display bundles somewhere. Implementations must not throw for a well-formed bundle. */
export interface DisplayTarget {
  /** `tslab`: rich outputs in a notebook; `text`: text/plain only (scripts, REPL); `memory`: tests. */
  readonly kind: 'tslab' | 'text' | 'memory';
  send(bundle: MimeBundle, options?: DisplayOptions): void;
}
