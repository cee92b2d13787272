/**
 * The typed graph builder. Every value is a SymbolicTensor with a dtype and a fully static shape: the
 * engine builds one session per input shape, so shapes are plain numbers and every op helper checks
 * them when the node is added, not when ORT loads the model.
 */
import { ATTR_TYPE, encodeModel, type AttributeMsg, type ModelMsg, type TensorMsg } from './proto.ts';
import { fmtShape, numel, ONNX_DTYPE, toRawBytes, type DType, type Shape } from './dtype.ts';

export const OPSET = 17;
export const IR_VERSION = 8;

export type Attr =
  | { kind: 'int'; v: number }
  | { kind: 'float'; v: number }
  | { kind: 'ints'; v: readonly number[] }
  | { kind: 'floats'; v: readonly number[] }
  | { kind: 'string'; v: string }
  | { kind: 'tensor'; v: ConstTensor };

export const int = (v: number): Attr => ({ kind: 'int', v });
export const float = (v: number): Attr => ({ kind: 'float', v });
export const ints = (v: readonly number[]): Attr => ({ kind: 'ints', v: [...v] });
export const floats = (v: readonly number[]): Attr => ({ kind: 'floats', v: [...v] });
export const str = (v: string): Attr => ({ kind: 'string', v });

export interface ConstTensor {
  dtype: DType;
  shape: Shape;
  values: ArrayLike<number>;
}

/** A shape or dtype mismatch found while adding a node. The message starts with the op's name. */
export class ShapeError extends Error {
  override name = 'ShapeError';
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
  }
}

export class SymbolicTensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    public name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    /** The node that computes this value; null for graph inputs and initializers. */
    readonly producer: OpNode | null,
    readonly outputIndex: number,
    /** Set for initializers, so helpers can fold or simplify. */
    readonly constant?: ConstTensor,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return numel(this.shape);
  }
  toString(): string {
    return `${this.name}:${this.dtype}${fmtShape(this.shape)}`;
  }
}

export interface OpNode {
  readonly id: number;
  readonly op: string;
  readonly domain: string;
  /** null marks an omitted optional input. */
  readonly inputs: readonly (SymbolicTensor | null)[];
  readonly outputs: readonly SymbolicTensor[];
  readonly attrs: Readonly<Record<string, Attr>>;
}

export function attrInt(node: OpNode, name: string, dflt: number): number {
  const a = node.attrs[name];
  return a && a.kind === 'int' ? a.v : dflt;
}
export function attrFloat(node: OpNode, name: string, dflt: number): number {
  const a = node.attrs[name];
  return a && a.kind === 'float' ? a.v : dflt;
}
export function attrInts(node: OpNode, name: string): readonly number[] | undefined {
  const a = node.attrs[name];
  return a && a.kind === 'ints' ? a.v : undefined;
}
export function attrStr(node: OpNode, name: string, dflt: string): string {
  const a = node.attrs[name];
  return a && a.kind === 'string' ? a.v : dflt;
}

export interface OutSpec {
  dtype: DType;
  shape: Shape;
}

/** Ops whose outputs differ run to run must never be merged by common-subexpression elimination. */
const NONDETERMINISTIC = new Set([
  'RandomUniform',
  'RandomUniformLike',
  'RandomNormal',
  'RandomNormalLike',
  'Dropout',
  'Bernoulli',
  'Multinomial',
]);

const SMALL_CONST = 64;

export class Graph {
  readonly inputs: SymbolicTensor[] = [];
  readonly initializers: SymbolicTensor[] = [];
  readonly nodes: OpNode[] = [];
  readonly outputs: SymbolicTensor[] = [];
  private nextId = 0;
  private readonly names = new Set<string>();
  private readonly cse = new Map<string, readonly SymbolicTensor[]>();
  private readonly consts = new Map<string, SymbolicTensor>();

  constructor(readonly name = 'shotcast') {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph '${this.name}': the name '${name}' is already used`);
    this.names.add(name);
    return name;
  }

  private autoName(prefix: string): string {
    let n = `${prefix}_${this.nextId}`;
    while (this.names.has(n)) n = `${n}_`;
    return this.claim(n);
  }

  /** A graph input fed at run time (data, parameters, optimizer state, the learning rate). */
  input(name: string, dtype: DType, shape: Shape): SymbolicTensor {
    const t = new SymbolicTensor(this, this.nextId++, this.claim(name), dtype, [...shape], null, 0);
    this.inputs.push(t);
    return t;
  }

  /** A named initializer baked into the model (fixed weights). */
  initializer(name: string, dtype: DType, shape: Shape, values: ArrayLike<number>): SymbolicTensor {
    return this.makeInitializer(this.claim(name), dtype, shape, values);
  }

  private makeInitializer(
    name: string,
    dtype: DType,
    shape: Shape,
    values: ArrayLike<number>,
  ): SymbolicTensor {
    if (values.length !== numel(shape))
      throw new Error(`initializer '${name}': ${values.length} values for shape ${fmtShape(shape)}`);
    const c: ConstTensor = { dtype, shape: [...shape], values };
    const t = new SymbolicTensor(this, this.nextId++, name, dtype, c.shape, null, 0, c);
    this.initializers.push(t);
    return t;
  }

  /** An anonymous constant; small ones are shared, so asking twice for the same value costs nothing. */
  constant(dtype: DType, shape: Shape, values: ArrayLike<number>): SymbolicTensor {
    const small = values.length <= SMALL_CONST;
    const key = small ? `${dtype}|${shape.join(',')}|${Array.from(values).join(',')}` : '';
    if (small) {
      const hit = this.consts.get(key);
      if (hit) return hit;
    }
    const t = this.makeInitializer(this.autoName('const'), dtype, shape, small ? Array.from(values) : values);
    if (small) this.consts.set(key, t);
    return t;
  }

  scalar(value: number, dtype: DType): SymbolicTensor {
    return this.constant(dtype, [], [value]);
  }

  /** An int64 1-D constant, the form ONNX wants for shapes, axes, pads and slice bounds. */
  int64s(values: readonly number[]): SymbolicTensor {
    return this.constant('int64', [values.length], values);
  }

  /**
   * Adds a node whose output shapes the caller (an op helper) has already inferred. Identical
   * deterministic nodes on the same inputs are merged, so shared subexpressions are computed once.
   */
  addNode(
    op: string,
    inputs: readonly (SymbolicTensor | null)[],
    attrs: Record<string, Attr>,
    outs: readonly OutSpec[],
    domain = '',
    /** false: never merge this node with an identical one (graph outputs need distinct values). */
    merge = true,
  ): SymbolicTensor[] {
    for (const t of inputs)
      if (t && t.graph !== this) throw new Error(`${op}: input ${t.name} belongs to another graph`);
    const key =
      !merge || NONDETERMINISTIC.has(op)
        ? null
        : `${domain}:${op}|${inputs.map((t) => (t ? t.id : '-')).join(',')}|${JSON.stringify(attrs)}|${outs.length}`;
    if (key) {
      const hit = this.cse.get(key);
      if (hit) return [...hit];
    }
    const id = this.nextId++;
    const outputs: SymbolicTensor[] = [];
    const node: OpNode = { id, op, domain, inputs: [...inputs], outputs, attrs };
    outs.forEach((o, i) => {
      outputs.push(
        new SymbolicTensor(this, this.nextId++, this.autoName(op), o.dtype, [...o.shape], node, i),
      );
    });
    this.nodes.push(node);
    if (key) this.cse.set(key, outputs);
    return [...outputs];
  }

  /**
   * Marks a value as a graph output under `name`. A value computed by a node is renamed in place; an
   * input, an initializer or a value already output gets an Identity so each output has its own name.
   */
  output(t: SymbolicTensor, name?: string): SymbolicTensor {
    if (t.graph !== this) throw new Error(`output '${name ?? t.name}': value belongs to another graph`);
    let v = t;
    if (v.producer === null || this.outputs.includes(v)) {
      [v] = this.addNode('Identity', [t], {}, [{ dtype: t.dtype, shape: t.shape }], '', false);
    }
    if (name !== undefined && name !== v.name) {
      this.claim(name);
      this.names.delete(v.name);
      v.name = name;
    }
    this.outputs.push(v);
    return v;
  }

  /** The nodes and initializers the outputs depend on, in insertion (hence topological) order. */
  live(): { nodes: OpNode[]; initializers: SymbolicTensor[] } {
    const need = new Set<number>();
    const stack = [...this.outputs];
    const liveNodes = new Set<OpNode>();
    while (stack.length) {
      const t = stack.pop() as SymbolicTensor;
      if (need.has(t.id)) continue;
      need.add(t.id);
      const p = t.producer;
      if (p && !liveNodes.has(p)) {
        liveNodes.add(p);
        for (const i of p.inputs) if (i) stack.push(i);
      }
    }
    return {
      nodes: this.nodes.filter((n) => liveNodes.has(n)),
      initializers: this.initializers.filter((t) => need.has(t.id)),
    };
  }

  toModel(opts: { docString?: string; metadata?: Record<string, string> } = {}): ModelMsg {
    if (this.outputs.length === 0) throw new Error(`graph '${this.name}' has no outputs`);
    const { nodes, initializers } = this.live();
    const vi = (t: SymbolicTensor) => ({
      name: t.name,
      type: {
        tensorType: { elemType: ONNX_DTYPE[t.dtype], shape: { dim: t.shape.map((d) => ({ dimValue: d })) } },
      },
    });
    const domains = new Set(nodes.map((n) => n.domain).filter((d) => d !== ''));
    return {
      irVersion: IR_VERSION,
      producerName: 'shotcast',
      producerVersion: '0.1.0',
      docString: opts.docString,
      opsetImport: [{ domain: '', version: OPSET }, ...[...domains].map((d) => ({ domain: d, version: 1 }))],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: nodes.map((n) => ({
          name: `n${n.id}_${n.op}`,
          opType: n.op,
          domain: n.domain || undefined,
          input: n.inputs.map((t) => (t ? t.name : '')),
          output: n.outputs.map((t) => t.name),
          attribute: Object.entries(n.attrs).map(([k, a]) => encodeAttr(k, a)),
        })),
        initializer: initializers.map((t) => encodeTensor(t.name, t.constant as ConstTensor)),
        input: this.inputs.map(vi),
        output: this.outputs.map(vi),
      },
    };
  }

  toBytes(opts: { docString?: string; metadata?: Record<string, string> } = {}): Uint8Array {
    return encodeModel(this.toModel(opts));
  }
}

function encodeTensor(name: string, c: ConstTensor): TensorMsg {
  return { name, dims: [...c.shape], dataType: ONNX_DTYPE[c.dtype], rawData: toRawBytes(c.dtype, c.values) };
}

function encodeAttr(name: string, a: Attr): AttributeMsg {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.v };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.v };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: [...a.v] };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.v] };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.v) };
    case 'tensor':
      return { name, type: ATTR_TYPE.TENSOR, t: encodeTensor('', a.v) };
  }
}
