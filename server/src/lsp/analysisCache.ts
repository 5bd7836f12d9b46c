// Analyses each open document once per version; every handler reads the cached snapshot.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../core/analysis';
import type { SourceFormat } from '../core/syntax/tree';
import type { ServerSettings } from './settings';

import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { NATIVE_FILE_NAME } from '../core/dialects/index';
import type { Dialect } from '../core/model';

export function isNativeConfig(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'optim' || NATIVE_FILE_NAME.test(document.uri);
}

export function formatOf(document: Pick<TextDocument, 'uri' | 'languageId'>): SourceFormat {
  return /\.jsonc?$/i.test(document.uri) || document.languageId === 'json' || document.languageId === 'jsonc' ? 'json' : 'yaml';
}

function documentPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri.replace(/^[a-z-]+:\/*/i, '/'));
  } catch {
    return uri;
  }
}

function matches(file: string, glob: string): boolean {
  return minimatch(file, glob, { dot: true, matchBase: !glob.includes('/') });
}

/** How a document is analysed: excluded, associated by glob, native by name or language, or detected by content. */
export function chooseDialect(document: Pick<TextDocument, 'uri' | 'languageId'>, settings: ServerSettings): Dialect | 'auto' | null {
  const file = documentPath(document.uri);
  if (settings.exclude.some((glob) => matches(file, glob))) return null;
  for (const [glob, dialect] of Object.entries(settings.associations)) if (matches(file, glob)) return dialect;
  if (isNativeConfig(document)) return 'optim';
  return settings.detectDialects ? 'auto' : null;
}

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: Analysis | null }>();

  constructor(private readonly settings: () => ServerSettings) {}

  /** The analysis of this version of the document, or null when the document is not an optimizer config. */
  get(document: TextDocument): Analysis | null {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const settings = this.settings();
    const dialect = chooseDialect(document, settings);
    if (dialect === null) {
      this.entries.set(document.uri, { version: document.version, analysis: null });
      return null;
    }
    const result = analyze(document.getText(), {
      format: formatOf(document),
      dialect,
      fileName: document.uri,
      severities: settings.severity,
      maxFileSize: settings.maxFileSize,
    });
    // A YAML or JSON file that no dialect recognises is not an optimizer config: no analysis, no diagnostics.
    const analysis = result.model || isNativeConfig(document) ? result : null;
    this.entries.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  /** Settings changed: every analysis must be redone. */
  clear(): void {
    this.entries.clear();
  }
}
