// Dialects: which config format a file is written in, and how each maps onto the one semantic model.

import type { ConfigModel, Dialect } from '../model';
import type { Rule } from '../rules/context';
import { DEEPSPEED_RULES, HUGGING_FACE_RULES, HYDRA_RULES, LIGHTNING_RULES } from '../rules/dialectRules';
import { TORCHTUNE_RULES } from '../rules/torchtuneRules';
import type { SyntaxTree } from '../syntax/tree';
import { buildDeepSpeedModel } from './deepspeed';
import { detectDialectOf } from './detect';
import { buildHuggingFaceModel, hfProgramOf } from './huggingFace';
import { buildHydraModel } from './hydra';
import { buildLightningModel } from './lightning';
import { buildNativeModel } from './native';
import { buildTorchtuneModel } from './torchtune';

export { NATIVE_FILE_NAME } from './detect';

/**
 * The dialect of a file, or null when it is not an optimizer config at all (then nothing is reported:
 * no false alarms on an unrelated YAML or JSON file).
 */
export function detectDialect(tree: SyntaxTree, fileName: string): Dialect | null {
  return detectDialectOf(tree, fileName);
}

/** Each dialect's model builder, and the rules that only make sense for it (run after the shared rules). */
const DIALECTS: Readonly<
  Record<Dialect, { readonly build: (tree: SyntaxTree) => ConfigModel; readonly rules: readonly Rule[] }>
> = {
  optim: { build: buildNativeModel, rules: [] },
  deepspeed: { build: buildDeepSpeedModel, rules: DEEPSPEED_RULES },
  lightning: { build: buildLightningModel, rules: LIGHTNING_RULES },
  hf: { build: buildHuggingFaceModel, rules: HUGGING_FACE_RULES },
  hydra: { build: buildHydraModel, rules: HYDRA_RULES },
  torchtune: { build: buildTorchtuneModel, rules: TORCHTUNE_RULES },
};

export function buildModel(tree: SyntaxTree, dialect: Dialect): ConfigModel {
  return DIALECTS[dialect].build(tree);
}

/** Rules that only make sense for one dialect (run after the shared rules). */
export function dialectRules(dialect: Dialect): readonly Rule[] {
  return DIALECTS[dialect].rules;
}

/**
 * Whether the program that reads this file loads YAML with PyYAML's YAML 1.1 rules and keeps the resulting string (so
 * `2e-5` breaks there). OmegaConf (Hydra) and jsonargparse (Lightning CLI) add a float resolver that reads it as a
 * number; of the Hugging Face-style programs, those that convert it anyway (axolotl, LLaMA-Factory, TRL) are exempt.
 * torchtune loads its configs with `OmegaConf.load` (torchtune/config/_parse.py), so `3e-4` is a float there too.
 */
export function dialectReadsYaml11(dialect: Dialect, model?: ConfigModel): boolean {
  if (dialect === 'hydra' || dialect === 'lightning' || dialect === 'torchtune') return false;
  if (dialect === 'hf' && model) return !(hfProgramOf(model)?.coercesNumbers ?? false);
  return true;
}
