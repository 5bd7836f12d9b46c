// Analyses each open document once per version; every handler reads the cached snapshot.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../core/analysis';
import type { SourceFormat } from '../core/syntax/tree';
import type { ServerSettings } from './settings';

/** Native files by name; other YAML/JSON files are analysed only when a dialect recognises them. */
const NATIVE_NAME = /\.optim\.(ya?ml|json)$/i;

export function isNativeConfig(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'optim' || NATIVE_NAME.test(document.uri);
}

export function formatOf(document: Pick<TextDocument, 'uri' | 'languageId'>): SourceFormat {
  return /\.jsonc?$/i.test(document.uri) || document.languageId === 'json' || document.languageId === 'jsonc' ? 'json' : 'yaml';
}

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: Analysis | null }>();

  constructor(private readonly settings: () => ServerSettings) {}

  /** The analysis of this version of the document, or null when the document is not an optimizer config. */
  get(document: TextDocument): Analysis | null {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const analysis = isNativeConfig(document)
      ? analyze(document.getText(), { format: formatOf(document), severities: this.settings().severity, maxFileSize: this.settings().maxFileSize })
      : null;
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
