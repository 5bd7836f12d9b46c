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
  /**
   * Whether the workspace is trusted (VS Code's Workspace Trust, from the client). Untrusted, the server still lints,
   * hovers, completes and plots, but refuses jobs that read workspace files as models or data or run workspace code.
   */
  readonly workspaceTrusted: () => boolean;
  /**
   * The analysis of an open document by URI, or null. Never waits behind a running analysis: for a large document
   * being re-analysed it is the last finished one, with the document of that version (use it to convert positions).
   */
  analysisOf(uri: string): { document: TextDocument; analysis: Analysis } | null;
  /**
   * Settles when a large document that has no finished analysis yet (just opened) has one; undefined when there is
   * nothing to wait for. Requests wait for it rather than analyse the whole document at once on the server's thread.
   */
  firstAnalysisOf?(uri: string): Promise<unknown> | undefined;
  /**
   * The analysis of the document's current version, waiting (without holding the thread) while it is computed; null
   * when the document is closed, not a config, or moved on meanwhile. For requests that write into the document: an
   * older version's offsets would land in the wrong place.
   */
  currentAnalysisOf?(uri: string): Promise<{ document: TextDocument; analysis: Analysis } | null>;
}
