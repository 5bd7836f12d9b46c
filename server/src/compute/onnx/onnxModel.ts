// Writes ONNX models: a small graph builder over the subset of onnx.proto that training-step graphs need,
// serialised with protobufjs (field numbers as in onnx/onnx.proto, IR version 8, default opset 17).

import * as protobuf from 'protobufjs/light';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

/** The messages of onnx.proto used here, with their field numbers; fields not listed are never written. */
const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: repeated('OperatorSetIdProto', 8),
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: { type: 'string', id: 2 },
            initializer: repeated('TensorProto', 5),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: repeated('AttributeProto', 5),
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: repeated('int64', 8),
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            dataType: { type: 'int32', id: 2 },
            floatData: repeated('float', 4),
            int64Data: repeated('int64', 7),
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
          },
        },
      },
    },
  },
};

/** onnx.TensorProto.DataType and onnx.AttributeProto.AttributeType values used here. */
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A dimension: a size, or a symbolic name (e.g. the batch). */
export type Dimension = number | string;

/** An integer attribute, or a list of integers (the only kinds training-step graphs use). */
export type AttributeValue = number | readonly number[];

interface NodeRecord {
  opType: string;
  input: string[];
  output: string[];
  attribute: { name: string; type: number; f?: number; i?: number; ints?: number[] }[];
}

function attribute(name: string, value: AttributeValue): NodeRecord['attribute'][number] {
  return typeof value === 'number'
    ? { name, type: ATTRIBUTE_INT, i: value }
    : { name, type: ATTRIBUTE_INTS, ints: [...value] };
}

function valueInfo(name: string, dims: readonly Dimension[]) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

/**
 * Builds one float32 graph. `op` adds a node and returns its output names, fresh ones unless given, so graphs
 * read as straight-line code: `const [h] = g.op('Relu', [z])`.
 */
export class GraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: ReturnType<typeof valueInfo>[] = [];
  private readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private readonly constants = new Map<string, string>();
  /** Values renamed by `output`: later ops that read the old name read the new one. */
  private readonly renamed = new Map<string, string>();
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, dims: readonly Dimension[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /**
   * Marks `value` as a graph output called `name`. A value computed by a node here is renamed (in that node and
   * wherever it is read), since an Identity node would copy it on every run; a graph input, or a value that is
   * already an output, is copied by an Identity node.
   */
  output(given: string, name: string, dims: readonly Dimension[]): void {
    const value = this.renamed.get(given) ?? given;
    if (value !== name) {
      const producer = this.nodes.find((node) => node.output.includes(value));
      const isGraphValue =
        this.inputs.some((input) => input.name === value) || this.outputs.some((output) => output.name === value);
      if (producer && !isGraphValue) {
        for (const node of this.nodes) {
          node.input = node.input.map((input) => (input === value ? name : input));
          node.output = node.output.map((output) => (output === value ? name : output));
        }
        this.renamed.set(value, name);
      } else {
        this.op('Identity', [value], {}, [name]);
      }
    }
    this.outputs.push(valueInfo(name, dims));
  }

  op(
    opType: string,
    input: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    outputs?: readonly string[],
    outputCount = 1,
  ): string[] {
    const output = outputs
      ? [...outputs]
      : Array.from({ length: outputCount }, () => `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push({
      opType,
      input: input.map((value) => this.renamed.get(value) ?? value),
      output,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return output;
  }

  /** Adds an op with one output and returns that output's name. */
  one(opType: string, input: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.op(opType, input, attributes)[0]!;
  }

  /**
   * `factor` × `value` + `addend.factor` × `addend.value`, with constant factors and `addend` of `value`'s shape.
   * When `value` is the output of a Gemm without a C input that nothing reads yet, the factors become that Gemm's
   * alpha, C and beta, so the scaled sum costs no pass of its own (a weight's gradient, scaled for the optimizer
   * and with L2 decay added, straight from its matrix product); otherwise it is Mul and Add nodes. The Gemm's
   * output is renamed, so `value` itself must not be read afterwards (a graph that does fails to load).
   */
  scaledSum(given: string, factor: number, addend?: { readonly value: string; readonly factor: number }): string {
    const value = this.renamed.get(given) ?? given;
    const term = addend && addend.factor !== 0 ? addend : undefined;
    const producer = this.nodes.find((node) => node.output.includes(value));
    const isRead =
      this.nodes.some((node) => node.input.includes(value)) || this.outputs.some((output) => output.name === value);
    const foldable =
      producer?.opType === 'Gemm' &&
      producer.input.length === 2 &&
      !isRead &&
      !producer.attribute.some((a) => a.name === 'alpha' || a.name === 'beta');
    if (producer && foldable) {
      const name = `gemm_${this.counter++}`;
      producer.output = [name];
      if (factor !== 1) producer.attribute.push({ name: 'alpha', type: ATTRIBUTE_FLOAT, f: factor });
      if (term) {
        producer.input.push(this.renamed.get(term.value) ?? term.value);
        producer.attribute.push({ name: 'beta', type: ATTRIBUTE_FLOAT, f: term.factor });
      }
      return name;
    }
    const scaled = factor === 1 ? value : this.one('Mul', [value, this.scalar(factor)]);
    return term
      ? this.one('Add', [
          scaled,
          term.factor === 1 ? term.value : this.one('Mul', [term.value, this.scalar(term.factor)]),
        ])
      : scaled;
  }

  /** A float32 scalar constant (shared between uses of the same value). */
  scalar(value: number): string {
    const key = `f${value}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `const_${this.counter++}`;
    this.initializers.push({ name, dims: [], dataType: FLOAT, floatData: [value] });
    this.constants.set(key, name);
    return name;
  }

  /** An int64 vector constant, e.g. axes or a shape. */
  int64s(values: readonly number[]): string {
    const key = `i${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `const_${this.counter++}`;
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: [...values] });
    this.constants.set(key, name);
    return name;
  }

  /** The serialised ModelProto. */
  encode(opset = 17): Uint8Array {
    const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
    const Model = root.lookupType('onnx.ModelProto');
    const model = {
      irVersion: 8,
      producerName: 'optimizer-lens',
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return Model.encode(Model.fromObject(model)).finish();
  }
}
