// Resolving a `class_path:` (LightningCLI) or `_target_:` (Hydra) as Python imports it: exactly, case included.

import { findOptimizer, findScheduler, type OptimizerEntry, type SchedulerEntry } from '../catalog/index';
import { CLOSED_MODULES, RE_EXPORTS, TORCH_OPTIM_SUBMODULES, type ClosedModule } from '../catalog/externalClasses';

/**
 * What a dotted path names. `catalog`: a class the catalog models (spelt exactly as in the library). `missing`: a
 * name under a module whose names are all known, which the import would not find (a typo, or wrong case).
 * `external`: real, or outside the modules we know, so not ours to judge.
 */
export type Resolved<E> =
  | { readonly kind: 'catalog'; readonly entry: E }
  | { readonly kind: 'missing'; readonly module: ClosedModule; readonly name: string }
  | { readonly kind: 'external' };

/** Lightning's own ReduceLROnPlateau subclass (it adds the required `monitor`), which LightningCLI asks for. */
const LIGHTNING_PLATEAU = /^(lightning\.pytorch|pytorch_lightning)\.cli\.ReduceLROnPlateau$/;

function closedModuleOf(path: string, kind: ClosedModule['kind']): { module: ClosedModule; name: string } | undefined {
  for (const module of CLOSED_MODULES) {
    const prefix = module.prefixes.find((candidate) => path.startsWith(candidate));
    if (!prefix) continue;
    if (module.kind !== kind && !(module.label === 'torch.optim' && kind === 'scheduler')) return undefined;
    // `transformers.get_` prefixes keep the `get_` in the name.
    const name = prefix.endsWith('get_') ? `get_${path.slice(prefix.length)}` : path.slice(prefix.length);
    if (name.includes('.')) return undefined;
    return { module, name };
  }
  return undefined;
}

/** The last dotted component, which is what the catalog is keyed by for bare and short paths. */
function exactlyNamed<E extends { readonly name: string; readonly aliases?: readonly string[] }>(
  entry: E | undefined,
  written: string,
  bare: string,
): E | undefined {
  if (!entry) return undefined;
  const spellings = [entry.name, ...(entry.aliases ?? [])];
  return spellings.includes(bare) || spellings.includes(written) ? entry : undefined;
}

function resolve<E extends { readonly name: string; readonly aliases?: readonly string[] }>(
  path: string,
  kind: ClosedModule['kind'],
  find: (name: string) => E | undefined,
): Resolved<E> {
  const trimmed = path.trim();
  const written = RE_EXPORTS[trimmed] ?? trimmed;
  const normalised = written.replace(/^transformers\.optimization\./, 'transformers.');
  const bare = normalised.slice(normalised.lastIndexOf('.') + 1);
  const closed = closedModuleOf(normalised, kind);
  if (closed) {
    if (closed.module.label === 'torch.optim' && TORCH_OPTIM_SUBMODULES.includes(closed.name))
      return { kind: 'external' };
    // A helper that computes the class (`torch.optim.__getattribute__` with `_args_: [AdamW]`): not a class name.
    if (closed.name.startsWith('__')) return { kind: 'external' };
    if (!closed.module.names.includes(closed.name))
      return { kind: 'missing', module: closed.module, name: closed.name };
    const entry = exactlyNamed(find(normalised), normalised, bare);
    return entry ? { kind: 'catalog', entry } : { kind: 'external' };
  }
  // A bare name (`class_path: CosineAnnealingLR`), which jsonargparse resolves among the registered classes.
  // A name that matches a known class only when case is ignored is not that class (Python looks names up exactly).
  if (!normalised.includes('.')) {
    const loose = find(normalised);
    const entry = exactlyNamed(loose, normalised, bare);
    if (entry) return { kind: 'catalog', entry };
    const module = CLOSED_MODULES.find(
      (candidate) => candidate.kind === kind && candidate.prefixes[0]?.startsWith('torch.'),
    );
    return loose && module ? { kind: 'missing', module, name: normalised } : { kind: 'external' };
  }
  return { kind: 'external' };
}

export function resolveOptimizerPath(path: string): Resolved<OptimizerEntry> {
  return resolve(path, 'optimizer', findOptimizer);
}

export function resolveSchedulerPath(path: string): Resolved<SchedulerEntry> {
  if (LIGHTNING_PLATEAU.test(path.trim())) {
    const entry = findScheduler('ReduceLROnPlateau');
    if (entry) return { kind: 'catalog', entry };
  }
  return resolve(path, 'scheduler', findScheduler);
}
