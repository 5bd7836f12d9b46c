// Plain values out of the semantic model: the keyword arguments of a block, with and without the catalog defaults.

import { findParam, resolveParams } from './catalog/index';
import type { ParamSpec } from './catalog/types';
import type { ConfigModel, OptimizerBlock, ParamValue } from './model';

/**
 * One keyword argument with the catalog default filled in, as `resolveParams(entry, givenParams(block))[name]` gives
 * it, without building the whole object: rules ask for one or two values of each of thousands of blocks.
 */
export function resolvedParam(
  block: {
    readonly params: ReadonlyMap<string, ParamValue>;
    readonly entry?: { readonly params: readonly ParamSpec[] };
  },
  name: string,
): unknown {
  const given = block.params.get(name);
  if (given !== undefined) return given.value;
  return block.entry ? findParam(block.entry, name)?.default : undefined;
}

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
