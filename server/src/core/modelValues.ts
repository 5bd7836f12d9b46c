// Plain values out of the semantic model: the keyword arguments of a block, with and without the catalog defaults.

import { resolveParams } from './catalog/index';
import type { ConfigModel, OptimizerBlock, ParamValue } from './model';

/** The keyword arguments as written (PyTorch names), without defaults. */
export function givenParams(block: { readonly params: ReadonlyMap<string, ParamValue> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of block.params.values()) out[param.name] = param.value;
  return out;
}

/** `{type, params}` of a known optimizer, as the engines take it; null for a missing or unknown one. */
export function optimizerConfigOf(
  block: OptimizerBlock | null | undefined,
): { type: string; params: Record<string, unknown> } | null {
  return block?.entry ? { type: block.entry.name, params: givenParams(block) } : null;
}

/** The optimizer's keyword arguments with the catalog defaults filled in; undefined without a known optimizer. */
export function resolvedOptimizerParams(model: ConfigModel): Record<string, unknown> | undefined {
  const optimizer = model.optimizer;
  return optimizer?.entry ? resolveParams(optimizer.entry, givenParams(optimizer)) : undefined;
}
