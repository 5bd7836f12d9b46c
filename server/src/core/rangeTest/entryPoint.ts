// Python entry points (`package.module:callable`) as `task: pytorch` names its model, data and loss.

/** A dotted Python identifier path: `train.models`, `build_model`, `Builder.create`. */
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Why `text` is not a `module:callable` entry point, or null when it is one. The runner imports the module with the
 * workspace folder first on `sys.path` and looks the (possibly dotted) attribute up on it; it never opens a file by
 * path, so a path (`train/models.py`) is refused here with the spelling that would work.
 */
export function entryPointProblem(text: string): string | null {
  const value = text.trim();
  if (value.length === 0) return 'is empty; write `module:callable`, e.g. `train.models:build_model`.';
  if (/[\\/]|\.py(?::|$)/.test(value)) {
    const guess = value
      .replace(/\.py(?=:|$)/, '')
      .replace(/^\.?[\\/]+/, '')
      .replace(/[\\/]+/g, '.');
    const suggestion = DOTTED.test(guess.split(':')[0] ?? '')
      ? ` (e.g. \`${guess.includes(':') ? guess : `${guess}:build_model`}\`)`
      : '';
    return `is a file path; it must be a Python entry point \`module:callable\`, imported from the workspace folder${suggestion}.`;
  }
  const parts = value.split(':');
  if (parts.length !== 2) return 'must be `module:callable` with exactly one colon, e.g. `train.models:build_model`.';
  const [module, attribute] = parts as [string, string];
  if (!DOTTED.test(module)) return `has \`${module}\` as its module, which is not a dotted Python module name.`;
  if (!DOTTED.test(attribute)) return `has \`${attribute}\` as its callable, which is not a Python name.`;
  return null;
}
