import { log, mul, pow, sub } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Pow';
/** y = a^b: da = dy · b · a^(b-1), db = dy · y · ln a. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const [a, b] = [c.x(0), c.x(1)];
    return [
      c.needs[0] ? reduceTo(mul(dy0(c), mul(b, pow(a, sub(b, 1)))), a.shape) : null,
      c.needs[1] ? reduceTo(mul(dy0(c), mul(c.y(0), log(a))), b.shape) : null,
    ];
  },
};
