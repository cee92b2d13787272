/**
 * Everything walk-forward can run, registered by import: every forecaster (forecast/all.ts) and every
 * extra step scorer. The worker and in-process runs both load this; add one line per scorer module.
 */
import '../forecast/all.ts';
import '../briefing/scorer.ts';
