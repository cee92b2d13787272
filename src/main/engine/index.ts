/**
 * The training engine: a typed ONNX graph builder plus reverse-mode autodiff, whose graphs onnxruntime-node runs.
 *
 * Build a graph — every value has a dtype and a static shape, checked as each op is added:
 *
 *   const g = new Graph('train_step');
 *   const x = g.input('x', 'float32', [8, 3, 36, 36]);          // fed at run time
 *   const w = g.input('w', 'float32', [16, 3, 3, 3]);           // parameters are inputs too
 *   const y = op.relu(op.conv(x, w, null, { pads: [1, 1, 1, 1] }));
 *   const loss = op.reduceMean(op.mul(y, y), { keepdims: false }); // scalar, shape []
 *
 * Differentiate — gradients(loss, params) appends the backward nodes to the same graph and returns one
 * gradient per parameter, in order, each with the parameter's shape:
 *
 *   const [dw] = gradients(loss, [w]);
 *
 * Serialise — mark outputs (optionally renaming them), then encode; only nodes the outputs need are emitted:
 *
 *   g.output(loss, 'loss');
 *   g.output(dw, 'grad_w');
 *   const bytes = g.toBytes();                                   // ModelProto, IR 8, opset 17
 *   const session = await ort.InferenceSession.create(bytes);
 *
 * Losses (losses/): binaryCrossEntropyWithLogits(logits, targets, { posWeight, reduction }) — torch's
 * BCEWithLogitsLoss(pos_weight), stable for any logit, true derivative at 0 — and
 * softmaxCrossEntropy(logits, targets, { axis, reduction }); both return a scalar for 'mean'/'sum'.
 *
 * Gradient rules: autodiff/gradients/<Op>.ts, one per op, registered in autodiff/gradients/index.ts.
 * checkGradients({ dtype, inputs, build }) (autodiff/check.ts) compares any function's gradients with
 * central differences in ORT; use float64 except where ORT CPU lacks a double kernel (Conv, ConvTranspose,
 * Softplus).
 *
 * Op helpers (one per ONNX op) live in onnx/ops and are re-exported as `op`; they throw ShapeError naming the
 * op and the shapes on a mismatch. Binary ops accept a plain number for either operand. Identical nodes are
 * merged (CSE), and no-op reshapes/transposes/casts/slices are skipped. Numbers as constants: g.scalar(v, dtype),
 * g.constant(dtype, shape, values), g.int64s([...]); fixed weights: g.initializer(name, dtype, shape, values).
 */
export { Graph, ShapeError, SymbolicTensor, OPSET, type OpNode, type Attr } from './onnx/graph.ts';
export { int, float, ints, floats, str, attrInt, attrInts, attrFloat, attrStr } from './onnx/graph.ts';
export type { DType, Shape } from './onnx/dtype.ts';
export { numel } from './onnx/dtype.ts';
export { decodeModel } from './onnx/proto.ts';
export * as op from './onnx/ops/index.ts';
export { gradients, type GradientOptions, GRADIENTS, type GradientRule } from './autodiff/index.ts';
export { checkGradients, type GradCheck, type GradCheckResult } from './autodiff/check.ts';
export * from './losses/index.ts';
