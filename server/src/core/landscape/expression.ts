// User-written 2-D loss functions of x and y: a safe recursive-descent parser (no eval) compiled to a tape with forward-mode derivatives.

import { landscapeFromPointFunction } from './builtin';
import type { ExpressionIssue, Landscape } from './types';

const FUNCTIONS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };
const VARIABLES: Readonly<Record<string, number>> = { x: 0, y: 1 };
const MAX_SOURCE_LENGTH = 10000;
const MAX_NESTING = 200;

type TokenKind = 'number' | 'name' | 'operator' | 'open' | 'close' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

type Node =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'variable'; readonly index: number; readonly start: number; readonly end: number }
  | { readonly kind: 'negate'; readonly argument: Node; readonly start: number; readonly end: number }
  | {
      readonly kind: 'binary';
      readonly operator: '+' | '-' | '*' | '/' | '^';
      readonly left: Node;
      readonly right: Node;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'call';
      readonly name: FunctionName;
      readonly argument: Node;
      readonly start: number;
      readonly end: number;
    };

/** Raised inside the parser only; `parseExpression` turns it into an issue, so nothing escapes. */
class ParseError {
  constructor(readonly issue: ExpressionIssue) {}
}

function column(offset: number): number {
  return offset + 1;
}

function quote(token: Token): string {
  return token.kind === 'end' ? 'the end of the expression' : `\`${token.text}\``;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(i))!;
      i += match[0].length;
      tokens.push({ kind: 'number', text: match[0], start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      i += match[0].length;
      tokens.push({ kind: 'name', text: match[0], start, end: i });
      continue;
    }
    if (c === '*' && source[i + 1] === '*') {
      tokens.push({ kind: 'operator', text: '**', start, end: i + 2 });
      i += 2;
      continue;
    }
    if ('+-*/^'.includes(c)) {
      tokens.push({ kind: 'operator', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    throw new ParseError({
      start,
      end: start + 1,
      message: `Unexpected character \`${c}\` at column ${column(start)}: use numbers, x, y, + - * / ^ and parentheses.`,
    });
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

/**
 * Grammar, loosest first (as in Python: `-x^2` is `-(x^2)`, `2^3^2` is `2^(3^2)`):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary (('^' | '**') unary)?
 *   primary := number | x | y | pi | e | function '(' sum ')' | '(' sum ')'
 */
class Parser {
  private position = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Node {
    const node = this.sum();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (next.kind === 'close') throw this.error(next, `Unmatched \`)\` at column ${column(next.start)}.`);
      throw this.error(
        next,
        `Expected an operator before ${quote(next)} at column ${column(next.start)} (write \`2*x\`, not \`2x\`).`,
      );
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private advance(): Token {
    const token = this.tokens[this.position]!;
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private error(token: Token, message: string): ParseError {
    return new ParseError({ start: token.start, end: Math.max(token.end, token.start + 1), message });
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_NESTING) throw this.error(token, `The expression nests deeper than ${MAX_NESTING} levels.`);
  }

  /** The operand after the prefix or right-associative operator `token` (the current token), one level deeper. */
  private operandOf(token: Token): Node {
    this.advance();
    this.enter(token);
    const operand = this.unary();
    this.depth--;
    return operand;
  }

  private sum(): Node {
    return this.leftAssociative('+', '-', () => this.product());
  }

  private product(): Node {
    return this.leftAssociative('*', '/', () => this.unary());
  }

  /** One precedence level of left-associative binary operators: `operand (op operand)*`. */
  private leftAssociative(first: '+' | '*', second: '-' | '/', operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || (token.text !== first && token.text !== second)) return left;
      const operator = token.text === first ? first : second;
      this.advance();
      const right = operand();
      left = { kind: 'binary', operator, left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Node {
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '-' || token.text === '+')) {
      const argument = this.operandOf(token);
      return token.text === '-' ? { kind: 'negate', argument, start: token.start, end: argument.end } : argument;
    }
    return this.power();
  }

  private power(): Node {
    const base = this.primary();
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '^' || token.text === '**')) {
      const exponent = this.operandOf(token);
      return { kind: 'binary', operator: '^', left: base, right: exponent, start: base.start, end: exponent.end };
    }
    return base;
  }

  private parenthesized(open: Token): Node {
    this.enter(open);
    const inner = this.sum();
    this.depth--;
    const close = this.peek();
    if (close.kind !== 'close') {
      throw this.error(
        close,
        `Expected \`)\` at column ${column(close.start)} to close the \`(\` at column ${column(open.start)}, found ${quote(close)}.`,
      );
    }
    this.advance();
    return inner;
  }

  private primary(): Node {
    const token = this.advance();
    switch (token.kind) {
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value))
          throw this.error(token, `The number \`${token.text}\` at column ${column(token.start)} is too large.`);
        return { kind: 'number', value, start: token.start, end: token.end };
      }
      case 'open': {
        const inner = this.parenthesized(token);
        return { ...inner, start: token.start, end: this.tokens[this.position - 1]!.end };
      }
      case 'name': {
        const name = token.text;
        if ((FUNCTIONS as readonly string[]).includes(name)) {
          const open = this.peek();
          if (open.kind !== 'open')
            throw this.error(
              token,
              `\`${name}\` is a function: write \`${name}(...)\` (column ${column(token.start)}).`,
            );
          this.advance();
          const argument = this.parenthesized(open);
          return {
            kind: 'call',
            name: name as FunctionName,
            argument,
            start: token.start,
            end: this.tokens[this.position - 1]!.end,
          };
        }
        if (this.peek().kind === 'open') {
          throw this.error(
            token,
            `Unknown function \`${name}\` at column ${column(token.start)}; available: ${FUNCTIONS.join(', ')}.`,
          );
        }
        const variable = VARIABLES[name];
        if (variable !== undefined) return { kind: 'variable', index: variable, start: token.start, end: token.end };
        const constant = CONSTANTS[name];
        if (constant !== undefined) return { kind: 'number', value: constant, start: token.start, end: token.end };
        throw this.error(
          token,
          `Unknown symbol \`${name}\` at column ${column(token.start)}: the variables are x and y, the constants pi and e.`,
        );
      }
      case 'end':
        throw this.error(
          token,
          `Expected a number, x, y or \`(\` at column ${column(token.start)}, but the expression ends.`,
        );
      default:
        throw this.error(
          token,
          `Expected a number, x, y or \`(\` at column ${column(token.start)}, found ${quote(token)}.`,
        );
    }
  }
}

/** Tape instruction codes. */
const enum Op {
  Constant,
  Variable,
  Negate,
  Add,
  Subtract,
  Multiply,
  Divide,
  Power,
  Sin,
  Cos,
  Tan,
  Exp,
  Log,
  Sqrt,
  Abs,
  Tanh,
}

const CALL_OPS: Readonly<Record<FunctionName, Op>> = {
  sin: Op.Sin,
  cos: Op.Cos,
  tan: Op.Tan,
  exp: Op.Exp,
  log: Op.Log,
  sqrt: Op.Sqrt,
  abs: Op.Abs,
  tanh: Op.Tanh,
};

/** A compiled expression: instruction `k` writes register `k` from earlier registers (`a`, `b`) or a constant. */
interface Tape {
  readonly ops: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly constants: Float64Array;
}

function compile(root: Node): Tape {
  const ops: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const constants: number[] = [];
  const emit = (op: Op, left: number, right: number, value: number): number => {
    ops.push(op);
    a.push(left);
    b.push(right);
    constants.push(value);
    return ops.length - 1;
  };
  const visit = (node: Node): number => {
    switch (node.kind) {
      case 'number':
        return emit(Op.Constant, -1, -1, node.value);
      case 'variable':
        return emit(Op.Variable, node.index, -1, 0);
      case 'negate':
        return emit(Op.Negate, visit(node.argument), -1, 0);
      case 'call':
        return emit(CALL_OPS[node.name], visit(node.argument), -1, 0);
      case 'binary': {
        const left = visit(node.left);
        const right = visit(node.right);
        const op = { '+': Op.Add, '-': Op.Subtract, '*': Op.Multiply, '/': Op.Divide, '^': Op.Power }[node.operator];
        return emit(op, left, right, 0);
      }
    }
  };
  visit(root);
  return {
    ops: Uint8Array.from(ops),
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    constants: Float64Array.from(constants),
  };
}

/**
 * Runs the tape at (x, y) with forward-mode dual numbers: registers hold the value and its two partial
 * derivatives. The registers belong to one compiled landscape and are reused between calls.
 */
function runTape(tape: Tape, value: Float64Array, dx: Float64Array, dy: Float64Array, x: number, y: number): number {
  const { ops, a, b, constants } = tape;
  const n = ops.length;
  for (let k = 0; k < n; k++) {
    const i = a[k]!;
    const j = b[k]!;
    const u = i >= 0 ? value[i]! : 0;
    const ux = i >= 0 ? dx[i]! : 0;
    const uy = i >= 0 ? dy[i]! : 0;
    let v = 0;
    let d = 0; // Derivative of the result with respect to u, for the one-argument operations.
    switch (ops[k]) {
      case Op.Constant:
        value[k] = constants[k]!;
        dx[k] = 0;
        dy[k] = 0;
        continue;
      case Op.Variable:
        value[k] = i === 0 ? x : y;
        dx[k] = i === 0 ? 1 : 0;
        dy[k] = i === 0 ? 0 : 1;
        continue;
      case Op.Add:
        value[k] = u + value[j]!;
        dx[k] = ux + dx[j]!;
        dy[k] = uy + dy[j]!;
        continue;
      case Op.Subtract:
        value[k] = u - value[j]!;
        dx[k] = ux - dx[j]!;
        dy[k] = uy - dy[j]!;
        continue;
      case Op.Multiply: {
        const w = value[j]!;
        value[k] = u * w;
        dx[k] = ux * w + u * dx[j]!;
        dy[k] = uy * w + u * dy[j]!;
        continue;
      }
      case Op.Divide: {
        const w = value[j]!;
        const q = u / w;
        value[k] = q;
        dx[k] = (ux - q * dx[j]!) / w;
        dy[k] = (uy - q * dy[j]!) / w;
        continue;
      }
      case Op.Power: {
        const w = value[j]!;
        const wx = dx[j]!;
        const wy = dy[j]!;
        const p = Math.pow(u, w);
        value[k] = p;
        // A constant exponent uses w*u^(w-1), which stays finite for negative bases and integer powers.
        const du = w === 0 ? 0 : w * Math.pow(u, w - 1);
        if (wx === 0 && wy === 0) {
          dx[k] = du * ux;
          dy[k] = du * uy;
        } else {
          const logU = Math.log(u);
          dx[k] = du * ux + p * logU * wx;
          dy[k] = du * uy + p * logU * wy;
        }
        continue;
      }
      case Op.Negate:
        v = -u;
        d = -1;
        break;
      case Op.Sin:
        v = Math.sin(u);
        d = Math.cos(u);
        break;
      case Op.Cos:
        v = Math.cos(u);
        d = -Math.sin(u);
        break;
      case Op.Tan: {
        v = Math.tan(u);
        const c = Math.cos(u);
        d = 1 / (c * c);
        break;
      }
      case Op.Exp:
        v = Math.exp(u);
        d = v;
        break;
      case Op.Log:
        v = Math.log(u);
        d = 1 / u;
        break;
      case Op.Sqrt:
        v = Math.sqrt(u);
        d = 0.5 / v;
        break;
      case Op.Abs:
        v = Math.abs(u);
        d = u > 0 ? 1 : u < 0 ? -1 : 0;
        break;
      case Op.Tanh:
        v = Math.tanh(u);
        d = 1 - v * v;
        break;
    }
    value[k] = v;
    dx[k] = d * ux;
    dy[k] = d * uy;
  }
  return value[n - 1]!;
}

/**
 * Parses a 2-D function of `x` and `y` (numbers, + - * / ^ **, unary minus, parentheses, sin cos tan exp log
 * sqrt abs tanh, pi, e) into a landscape with an exact gradient. Never throws: a syntax error gives
 * `landscape: null` and one issue with the offending range and column.
 */
export function parseExpression(source: string): { landscape: Landscape | null; issues: ExpressionIssue[] } {
  if (typeof source !== 'string' || source.trim() === '') {
    return {
      landscape: null,
      issues: [
        { start: 0, end: 0, message: 'The expression is empty: write a function of x and y, e.g. `x^2 + 10*y^2`.' },
      ],
    };
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    return {
      landscape: null,
      issues: [
        {
          start: MAX_SOURCE_LENGTH,
          end: source.length,
          message: `The expression is longer than ${MAX_SOURCE_LENGTH} characters.`,
        },
      ],
    };
  }
  let tape: Tape;
  try {
    tape = compile(new Parser(tokenize(source)).parse());
  } catch (error) {
    if (error instanceof ParseError) return { landscape: null, issues: [error.issue] };
    return {
      landscape: null,
      issues: [{ start: 0, end: source.length, message: 'The expression could not be read.' }],
    };
  }
  const value = new Float64Array(tape.ops.length);
  const dx = new Float64Array(tape.ops.length);
  const dy = new Float64Array(tape.ops.length);
  const landscape = landscapeFromPointFunction({
    id: 'expression',
    dim: 2,
    valueAt: (x, o) => runTape(tape, value, dx, dy, x[o]!, x[o + 1]!),
    gradientAt(x, o, out, oo) {
      runTape(tape, value, dx, dy, x[o]!, x[o + 1]!);
      out[oo] = dx[tape.ops.length - 1]!;
      out[oo + 1] = dy[tape.ops.length - 1]!;
    },
    minima: [],
    bounds: [
      [-3, 3],
      [-3, 3],
    ],
    formula: source.trim(),
  });
  return { landscape, issues: [] };
}
