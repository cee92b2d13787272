/**
 * What a training run achieved, in plain words, from the metrics recorded when the model was registered
 * (src/main/networks/train-job.ts): the Train panel, the model registry and `shotcast train` say the same.
 */

const num = (m: Record<string, unknown>, k: string): number =>
  typeof m[k] === 'number' ? m[k] : typeof m[k] === 'string' && m[k] !== '' ? Number(m[k]) : NaN;

/**
 * What the network's untrained start was: `start` in its metrics (recorded since the calendar offset),
 * else by preset (a default-preset model stored before started at the decayed KDE).
 */
function startOf(m: Record<string, unknown>, preset: string): 'calendar' | 'kde' | 'untrained' {
  if (m.start === 'calendar' || m.start === 'kde' || m.start === 'untrained') return m.start;
  return preset === 'reference' ? 'untrained' : 'kde';
}

/** The network's untrained start, in words. */
export function startWords(preset: string, m: Record<string, unknown> = {}): string {
  const start = startOf(m, preset);
  return start === 'untrained'
    ? 'its untrained starting point'
    : start === 'calendar'
      ? 'its starting point (the calendar baseline)'
      : 'its starting point (the decayed KDE)';
}

/** True when early stopping kept the weights the network started from (epoch 0). */
export function keptStart(m: Record<string, unknown>): boolean {
  return num(m, 'bestEpoch') === 0;
}

/** Set when the network kept its untrained start: what that means for its forecasts. */
export function keptStartWords(m: Record<string, unknown>, preset: string): string | null {
  if (!keptStart(m)) return null;
  const start = startOf(m, preset);
  return start === 'untrained'
    ? 'Training did not improve on its untrained start (it kept epoch 0): its forecasts are those of an untrained network.'
    : start === 'calendar'
      ? "Training did not improve on its untrained start (it kept epoch 0): its forecasts are the calendar baseline's (the trailing year's level × weekday, month and holiday factors, spread by the decayed KDE), nothing it learned."
      : "Training did not improve on its untrained start (it kept epoch 0): its forecasts are the decayed KDE's map at the trailing year's level, nothing it learned.";
}

/** The validation deviance of the kept weights beside the start's, e.g. "0.1290 (0.1310 at the start, 1.5 % lower)". */
export function devianceWords(m: Record<string, unknown>): string | null {
  const dev = num(m, 'valDeviance');
  const start = num(m, 'initialValDeviance');
  if (!Number.isFinite(dev)) return null;
  if (!Number.isFinite(start) || start <= 0) return `validation deviance ${dev.toFixed(4)}`;
  const change = (100 * (start - dev)) / start;
  const rel =
    Math.abs(change) < 0.05
      ? 'as at the start'
      : `${start.toFixed(4)} at the start, ${Math.abs(change).toFixed(1)} % ${change > 0 ? 'lower' : 'higher'}`;
  return `validation deviance ${dev.toFixed(4)} (${rel})`;
}

/** Whether the type forecast beat the trailing year's mix on validation (null when not recorded). */
export function typeWords(m: Record<string, unknown>): string | null {
  const net = num(m, 'valTypeLogLoss');
  const mix = num(m, 'valMixTypeLogLoss');
  if (m.typeHead === 0)
    return "It has no trained type head (typeWeight=0): forecasts give the trailing year's type mix.";
  if (!Number.isFinite(mix)) return null;
  if (!Number.isFinite(net))
    return "Its type forecast was not scored, so forecasts give the trailing year's type mix.";
  const scores = `${net.toFixed(3)} against ${mix.toFixed(3)} nats`;
  return net < mix
    ? `Its type forecast beat the trailing year's mix on validation (${scores}): forecasts give its per-cell types.`
    : `Its type forecast did not beat the trailing year's mix on validation (${scores}): forecasts give that mix instead.`;
}

/**
 * Set when the network then trained on the training and validation days together (`refit`): so it has
 * seen the latest days, and its validation figures are those of the weights before.
 */
export function refitWords(m: Record<string, unknown>): string | null {
  const n = num(m, 'refitEpochs');
  if (!(n > 0)) return null;
  return `It then trained ${n} more epoch${n === 1 ? '' : 's'} on the training and validation days together, so it has seen the latest days (its validation figures are from before).`;
}

/**
 * What a registered network's validation scores are, for a briefing's track record: recorded at
 * registration, and, after a refit, from before the network also trained on those days.
 */
export function validationScoresWords(m: Record<string, unknown>): string {
  const n = num(m, 'refitEpochs');
  return n > 0
    ? `These are the validation scores recorded at registration, before it trained ${n} more epoch${n === 1 ? '' : 's'} on these days too (so the network now in use has seen them); it was not refitted for this briefing.`
    : 'These are the validation scores recorded at registration; the network was not refitted for this briefing.';
}

/** The dataset's own holiday dates a model trained with (`extraHolidays` in its metrics), in words. */
export function holidayWords(m: Record<string, unknown>): string | null {
  const dates =
    typeof m.extraHolidays === 'string' && m.extraHolidays !== '' ? m.extraHolidays.split(',') : [];
  if (dates.length === 0) return null;
  return `It trained with the dataset's own holiday${dates.length === 1 ? '' : 's'} ${dates.join(', ')} besides the built-in ones.`;
}
