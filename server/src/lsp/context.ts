// What every handler gets: the connection, the open documents and their cached analyses.

import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis';
import type { AnalysisCache } from './analysisCache';
import type { ServerSettings } from './settings';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly cache: AnalysisCache;
  readonly settings: () => ServerSettings;
  /** The extension's install folder (the parent of dist/), for links to the shipped docs. */
  readonly extensionRoot: string;
  /** The analysis of an open document by URI, or null. */
  analysisOf(uri: string): { document: TextDocument; analysis: Analysis } | null;
}
