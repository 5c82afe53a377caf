// One rich output: the same content in several MIME types; the front end shows the richest
// one it can render.

/**
 * A Jupyter display bundle: MIME type → data. Text types hold strings, `+json` types hold JSON
 * values. `text/plain` is always present, so every front end can show something.
 */
export type MimeBundle = { 'text/plain': string } & Record<string, unknown>;
