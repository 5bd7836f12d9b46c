// When the language server is worth starting: whether an open document is a candidate optimizer config.
// The extension activates on every YAML and JSON file, so this check must be cheap and must not start anything;
// it errs towards "yes" (the server's own dialect detection then decides), but a plain package.json says no.

import { minimatch } from 'minimatch';

/** What the check needs to know of a document; the extension fills it from a `vscode.TextDocument`. */
export interface CandidateDocument {
  readonly languageId: string;
  /** The URI scheme: `file`, `untitled`, `vscode-remote`, ... */
  readonly scheme: string;
  /** The file system path for `file` URIs, the URI's path otherwise (the server matches globs against the same). */
  readonly path: string;
  readonly text: string;
}

/** The `optimizerLens.files.*` settings, as read from the workspace configuration (unchecked). */
export interface CandidateSettings {
  readonly detectDialects?: unknown;
  readonly associations?: unknown;
  readonly exclude?: unknown;
}

/** Why a document is (or is not) a candidate; the reason is logged, so a user can tell why the server started. */
export interface CandidateVerdict {
  readonly candidate: boolean;
  readonly reason: string;
}

/**
 * The languages the client's document selector serves, and the schemes it serves them under. DeepSpeed, Lightning,
 * Hugging Face and Hydra configs keep their yaml/json language (so the YAML extension keeps working); the server
 * analyses them only when it recognises them as optimizer configs.
 */
const SERVED_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  optim: ['file', 'untitled', 'vscode-remote'],
  yaml: ['file'],
  json: ['file'],
  jsonc: ['file'],
};

/** The languages whose documents the server looks at: ours, plus YAML and JSON for the dialects it recognises. */
export const SERVED_LANGUAGES: ReadonlySet<string> = new Set(Object.keys(SERVED_SCHEMES));

/** The language client's document selector, one filter per served language and scheme. */
export function servedDocumentSelector(): { language: string; scheme: string }[] {
  return Object.entries(SERVED_SCHEMES).flatMap(([language, schemes]) =>
    schemes.map((scheme) => ({ language, scheme })),
  );
}

/** Only the head of a file is sniffed: config keys sit near the top, and a huge data file must stay cheap. */
export const SNIFF_LIMIT = 100_000;

/**
 * Keys that say "maybe an optimizer config" in any of the dialects the server recognises: DeepSpeed JSON
 * (`"optimizer"`, `"scheduler"`, `zero_optimization`, ...), Lightning CLI (`class_path`), Hydra (`_target_`,
 * `override /optimizer`), Hugging Face recipes (`learning_rate`, `lr_scheduler_type`). Each must be written as a key
 * (followed by a colon), so a word in a description or a README-like string does not count.
 */
const CONFIG_KEY =
  /(?:^[ \t]*(?:-[ \t]+)?(?:override[ \t]+\/?)?|[{,][ \t\r\n]*)["']?(?:optimizer|scheduler|lr_scheduler|lr_scheduler_type|learning_rate|_target_|class_path|zero_optimization|train_micro_batch_size_per_gpu)["']?[ \t]*:/m;

/** Hydra's package header, which marks a config group file whatever its keys. */
const HYDRA_PACKAGE_HEADER = /^[ \t]*#[ \t]*@package[ \t]/m;

/** The same glob semantics as the server's `chooseDialect`: a glob without a slash matches the base name. */
function matchesGlob(file: string, glob: string): boolean {
  try {
    return minimatch(file, glob, { dot: true, matchBase: !glob.includes('/') });
  } catch {
    return false;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The file globs the extension's manifest associates with its schemas (`jsonValidation`, `yamlValidation`): the
 * DeepSpeed config names and `*.optim.*`. Read from package.json at run time, so the list lives in one place.
 */
export function manifestFileGlobs(manifest: unknown): string[] {
  const contributes = (manifest as { contributes?: Record<string, unknown> } | null | undefined)?.contributes;
  if (!contributes || typeof contributes !== 'object') return [];
  const globs: string[] = [];
  for (const key of ['jsonValidation', 'yamlValidation']) {
    const entries = contributes[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const fileMatch = (entry as { fileMatch?: unknown } | null)?.fileMatch;
      globs.push(...(typeof fileMatch === 'string' ? [fileMatch] : stringList(fileMatch)));
    }
  }
  return globs;
}

/**
 * Whether the language server should start for this document. In order: a language or scheme the client does not
 * serve, an excluded file, a file associated with a dialect by the user, the `optim` language, a file name from the
 * manifest, and (unless dialect detection is off) a sniff of the text for config keys.
 */
export function candidateVerdict(
  document: CandidateDocument,
  settings: CandidateSettings,
  manifestGlobs: readonly string[],
): CandidateVerdict {
  const schemes = SERVED_SCHEMES[document.languageId];
  if (!schemes) return { candidate: false, reason: `language ${document.languageId} is not served` };
  if (!schemes.includes(document.scheme))
    return {
      candidate: false,
      reason: `${document.languageId} files are served from disk only, not from ${document.scheme}:`,
    };
  const excluded = stringList(settings.exclude).find((glob) => matchesGlob(document.path, glob));
  if (excluded !== undefined)
    return { candidate: false, reason: `excluded by optimizerLens.files.exclude (${excluded})` };
  const associations =
    settings.associations && typeof settings.associations === 'object' ? Object.keys(settings.associations) : [];
  const associated = associations.find((glob) => matchesGlob(document.path, glob));
  if (associated !== undefined)
    return { candidate: true, reason: `associated by optimizerLens.files.associations (${associated})` };
  if (document.languageId === 'optim') return { candidate: true, reason: 'an optim document' };
  const named = manifestGlobs.find((glob) => matchesGlob(document.path, glob));
  if (named !== undefined) return { candidate: true, reason: `its name matches ${named}` };
  if (settings.detectDialects === false)
    return { candidate: false, reason: 'optimizerLens.files.detectDialects is off' };
  const head = document.text.length > SNIFF_LIMIT ? document.text.slice(0, SNIFF_LIMIT) : document.text;
  const key = CONFIG_KEY.exec(head);
  if (key) return { candidate: true, reason: `it has a config key (${key[0].trim()})` };
  if (HYDRA_PACKAGE_HEADER.test(head)) return { candidate: true, reason: 'it has a Hydra @package header' };
  return { candidate: false, reason: 'no optimizer config keys' };
}

export function isCandidateDocument(
  document: CandidateDocument,
  settings: CandidateSettings,
  manifestGlobs: readonly string[],
): boolean {
  return candidateVerdict(document, settings, manifestGlobs).candidate;
}
