export * from './elementwise.ts';
export * from './shape.ts';
export * from './reduce.ts';
export * from './linalg.ts';
export * from './conv.ts';
export * from './pool.ts';
export { broadcastShapes, type TensorLike } from './util.ts';
