// How PyYAML (YAML 1.1, `yaml.safe_load`) resolves a plain scalar, to catch values that other YAML 1.2 tools read differently.

export type Yaml11Kind = 'float' | 'int' | 'bool' | 'null' | 'str';

// PyYAML's implicit resolvers. A float needs a dot, and an exponent needs an explicit sign.
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

export function pyyamlKind(source: string): Yaml11Kind {
  if (NULL.test(source)) return 'null';
  if (BOOL.test(source)) return 'bool';
  if (INT.test(source)) return 'int';
  if (FLOAT.test(source)) return 'float';
  return 'str';
}

/**
 * The same number written so that PyYAML reads it as a float: a dot in the mantissa and a signed exponent,
 * e.g. `2e-5` -> `2.0e-5`, `1e5` -> `1.0e+5`. `undefined` when the text is not a number in scientific notation.
 */
export function pyyamlFloatSpelling(source: string): string | undefined {
  const match = /^([-+]?)(\d+)(?:\.(\d*))?[eE]([-+]?)(\d+)$/.exec(source);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction, expSign, exponent = ''] = match;
  const mantissa = `${whole}.${fraction && fraction.length > 0 ? fraction : '0'}`;
  return `${sign}${mantissa}e${expSign === '-' ? '-' : '+'}${exponent}`;
}
