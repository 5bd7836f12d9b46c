// The file name at the end of a document URI or path, as panels, titles and results show it.

/** The last segment of `uri` (either separator), percent-decoded when that is valid; the whole `uri` when empty. */
export function fileNameOf(uri: string): string {
  const last = uri.split(/[\\/]/).pop() ?? '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // A stray % in a path: keep the segment as written.
  }
  return name.length > 0 ? name : uri;
}
