// Data file paths in `add`/`remove` actions are URIs: relative to the table root and
// percent-encoded, or absolute (`/x`, `file:/x`, `file:///x`, `s3://b/x`). Resolve them to one
// canonical location so that the same file written two ways is the same file.

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function decode(path: string): string {
  if (!path.includes('%')) return path; // the common case: nothing to decode
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Joins a table root (absolute path or URL without trailing slash issues) and a relative key. */
export function joinPath(root: string, relative: string): string {
  if (relative === '') return root;
  return root.endsWith('/') ? `${root}${relative}` : `${root}/${relative}`;
}

/**
 * The canonical location of a data file: a decoded absolute local path for local tables,
 * or a URL for object stores. `tableRoot` is the table's absolute path or URL.
 */
export function resolveDataFilePath(tableRoot: string, path: string): string {
  if (path.startsWith('file:')) {
    let rest = path.slice('file:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    return decode(rest.startsWith('/') ? rest : `/${rest}`);
  }
  if (path.includes(':') && SCHEME.test(path)) return path;
  if (path.startsWith('/')) return decode(path);
  return joinPath(tableRoot, decode(path));
}

/**
 * Percent-encodes a relative data file path the way Spark and delta-rs write it: each segment
 * URI-encoded, with the `=` of Hive partition folders left as it is.
 */
export function encodeDataFilePath(relative: string): string {
  return relative
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replaceAll('%3D', '='),
    )
    .join('/');
}
