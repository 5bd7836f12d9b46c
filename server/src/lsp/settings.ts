// The `optimizerLens.*` settings: their one definition (package.json's contribution is checked against it by a test),
// and the server's reading of them through workspace/configuration.

import type { Severity } from '../core/catalog/types';
import { DEFAULT_MAX_FILE_SIZE } from '../core/analysis';
import { LATEST_TORCH_VERSION, TORCH_VERSIONS, normalizeTorchVersion } from '../core/catalog/torchVersions';
import { DIALECTS, dialectNamed, type Dialect } from '../core/catalog/dialects';
import { BACKEND_ORDER, backendNamed, type BackendName } from '../compute/backends';

export interface ServerSettings {
  readonly severity: Readonly<Record<string, Severity | 'off'>>;
  readonly maxFileSize: number;
  /** Milliseconds to wait after the last keystroke before re-publishing diagnostics. */
  readonly diagnosticsDelay: number;
  /** A compute backend to try first; undefined tries them in the default order. */
  readonly computeBackend: BackendName | undefined;
  /** Recognise DeepSpeed, Lightning, Hugging Face, Hydra and torchtune configs among YAML/JSON files by their content. */
  readonly detectDialects: boolean;
  /** Glob -> dialect: files matching the glob are analysed as that dialect, whatever their content. */
  readonly associations: Readonly<Record<string, Dialect>>;
  /** Globs of files never analysed. */
  readonly exclude: readonly string[];
  /** The PyTorch release keywords are checked against (`major.minor`). */
  readonly torchVersion: string;
  /** The Python interpreter for the range test on the user's model; empty: the client's choice, else `python3`. */
  readonly pythonInterpreter: string;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  severity: {},
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  diagnosticsDelay: 150,
  computeBackend: undefined,
  detectDialects: true,
  associations: {},
  exclude: [],
  pythonInterpreter: '',
  torchVersion: LATEST_TORCH_VERSION,
};

/** JSON-Schema fragments for package.json `contributes.configuration.properties`, keyed by the full setting name. */
export const SETTINGS_CONTRIBUTION: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'optimizerLens.severity': {
    type: 'object',
    default: {},
    additionalProperties: { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'] },
    markdownDescription:
      'Severity per diagnostic code, e.g. `{"OL208": "off", "OL207": "error"}`. Codes are listed in docs/rules.md.',
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
    markdownDescription:
      'The compute backend for range tests: `auto` tries `tfjs-node-gpu` (CUDA), `tfjs-node`, `webgpu`, `onnxruntime` (ONNX Runtime on the CPU; every built-in task, and `task: user` models made of Dense, Conv2D, MaxPooling2D and Flatten layers), `wasm`, then `cpu`, and every result says which one ran. A backend picked here is tried first; if it cannot load or cannot run the task, the result says why and which one ran instead.',
  },
  'optimizerLens.files.detectDialects': {
    type: 'boolean',
    default: true,
    markdownDescription:
      'Recognise DeepSpeed, Lightning CLI, Hugging Face TrainingArguments, Hydra and torchtune configs among YAML and JSON files by their content, and analyse them in place. Files that are not optimizer configs get nothing.',
  },
  'optimizerLens.files.associations': {
    type: 'object',
    default: {},
    additionalProperties: { type: 'string', enum: [...DIALECTS] },
    markdownDescription:
      'Glob to dialect, for files that detection misses, e.g. `{"**/configs/ds_*.json": "deepspeed"}`.',
  },
  'optimizerLens.files.exclude': {
    type: 'array',
    default: [],
    items: { type: 'string' },
    markdownDescription:
      'Globs of files Optimizer Lens never analyses. A single file can also opt out with a `# optlens-disable-file` comment near its top.',
  },
  'optimizerLens.python.interpreter': {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    markdownDescription:
      'The Python interpreter that runs the LR range test on your own PyTorch model (`range_test: {task: pytorch}` and Lightning CLI files), e.g. `${workspaceFolder}/.venv/bin/python`. Empty: the active environment of the Python extension when it is installed, else `python3` on the PATH. Only used in a trusted workspace.',
  },
  'optimizerLens.torchVersion': {
    type: 'string',
    enum: [...TORCH_VERSIONS],
    default: LATEST_TORCH_VERSION,
    markdownDescription:
      "The PyTorch release your configs run on. A `torch.optim` keyword or class newer than it (e.g. `fused` on AdamW before 2.0, `Adafactor` before 2.5), or one removed before it (the schedulers' `verbose`, removed in 2.7), is reported (OL108) with the release that added or removed it.",
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
  const maxFileSize =
    typeof record.maxFileSize === 'number' && record.maxFileSize > 0
      ? record.maxFileSize
      : DEFAULT_SETTINGS.maxFileSize;
  const diagnosticsDelay =
    typeof record.diagnosticsDelay === 'number' && record.diagnosticsDelay >= 0
      ? record.diagnosticsDelay
      : DEFAULT_SETTINGS.diagnosticsDelay;
  const compute = record.compute as { backend?: unknown } | undefined;
  const computeBackend = backendNamed(compute?.backend);
  const files = (record.files ?? {}) as { detectDialects?: unknown; associations?: unknown; exclude?: unknown };
  const detectDialects =
    typeof files.detectDialects === 'boolean' ? files.detectDialects : DEFAULT_SETTINGS.detectDialects;
  const associations: Record<string, Dialect> = {};
  if (files.associations && typeof files.associations === 'object') {
    for (const [glob, dialect] of Object.entries(files.associations as Record<string, unknown>)) {
      const known = dialectNamed(dialect);
      if (known) associations[glob] = known;
    }
  }
  const exclude = Array.isArray(files.exclude)
    ? files.exclude.filter((glob): glob is string => typeof glob === 'string')
    : [];
  const python = record.python as { interpreter?: unknown } | undefined;
  const pythonInterpreter = typeof python?.interpreter === 'string' ? python.interpreter.trim() : '';
  const torchVersion =
    typeof record.torchVersion === 'string' && TORCH_VERSIONS.includes(normalizeTorchVersion(record.torchVersion))
      ? normalizeTorchVersion(record.torchVersion)
      : DEFAULT_SETTINGS.torchVersion;
  return {
    severity,
    maxFileSize,
    diagnosticsDelay,
    computeBackend,
    detectDialects,
    associations,
    exclude,
    pythonInterpreter,
    torchVersion,
  };
}
