// The `optimizerLens.*` settings: their one definition (package.json's contribution is checked against it by a test),
// and the server's reading of them through workspace/configuration.

import type { Severity } from '../core/catalog/types';
import { DEFAULT_MAX_FILE_SIZE } from '../core/analysis';
import { BACKEND_ORDER, type BackendName } from '../compute/backends';

export interface ServerSettings {
  readonly severity: Readonly<Record<string, Severity | 'off'>>;
  readonly maxFileSize: number;
  /** Milliseconds to wait after the last keystroke before re-publishing diagnostics. */
  readonly diagnosticsDelay: number;
  /** A compute backend to try first; undefined tries them in the default order. */
  readonly computeBackend: BackendName | undefined;
}

export const DEFAULT_SETTINGS: ServerSettings = { severity: {}, maxFileSize: DEFAULT_MAX_FILE_SIZE, diagnosticsDelay: 150, computeBackend: undefined };

/** JSON-Schema fragments for package.json `contributes.configuration.properties`, keyed by the full setting name. */
export const SETTINGS_CONTRIBUTION: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'optimizerLens.severity': {
    type: 'object',
    default: {},
    additionalProperties: { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'] },
    markdownDescription: 'Severity per diagnostic code, e.g. `{"OL208": "off", "OL207": "error"}`. Codes are listed in docs/rules.md.',
  },
  'optimizerLens.maxFileSize': {
    type: 'number',
    default: DEFAULT_SETTINGS.maxFileSize,
    minimum: 1,
    markdownDescription: 'Files with more characters than this are not analysed (one diagnostic says so).',
  },
  'optimizerLens.diagnosticsDelay': {
    type: 'number',
    default: DEFAULT_SETTINGS.diagnosticsDelay,
    minimum: 0,
    markdownDescription: 'Milliseconds after the last keystroke before diagnostics are refreshed.',
  },
  'optimizerLens.compute.backend': {
    type: 'string',
    enum: ['auto', ...BACKEND_ORDER],
    default: 'auto',
    markdownDescription: 'The TensorFlow.js backend for range tests: `auto` tries `tfjs-node-gpu` (CUDA), `tfjs-node`, `webgpu`, `wasm`, then `cpu`, and every result says which one ran. A backend picked here is tried first; if it cannot load, the result says why and which one ran instead.',
  },
  'optimizerLens.trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    markdownDescription: 'Log the LSP traffic between VS Code and the Optimizer Lens server in the output channel.',
  },
};

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Settings come from the user: keep what is well-formed, fall back to defaults for the rest. */
export function readSettings(raw: unknown): ServerSettings {
  if (raw === null || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const record = raw as Record<string, unknown>;
  const severity: Record<string, Severity | 'off'> = {};
  if (record.severity && typeof record.severity === 'object') {
    for (const [code, value] of Object.entries(record.severity as Record<string, unknown>)) {
      if (typeof value === 'string' && SEVERITIES.has(value)) severity[code] = value as Severity | 'off';
    }
  }
  const maxFileSize = typeof record.maxFileSize === 'number' && record.maxFileSize > 0 ? record.maxFileSize : DEFAULT_SETTINGS.maxFileSize;
  const diagnosticsDelay = typeof record.diagnosticsDelay === 'number' && record.diagnosticsDelay >= 0 ? record.diagnosticsDelay : DEFAULT_SETTINGS.diagnosticsDelay;
  const compute = record.compute as { backend?: unknown } | undefined;
  const computeBackend = BACKEND_ORDER.find((name) => name === compute?.backend);
  return { severity, maxFileSize, diagnosticsDelay, computeBackend };
}
