/**
 * The composition root's registrations: every forecaster (forecast/all.ts lists the families), the
 * registered networks (`model:ID`), and every extra step scorer walk-forward can run. Evaluation itself imports none of them; the use cases and their
 * workers import this module, so a lower layer never wires up a higher one. One line per scorer.
 */
import '../forecast/all.ts';
import { PATROL_SCORER, patrolAreaScorer } from '../briefing/scorer.ts';
import { registerStepScorer } from '../evaluate/scorers.ts';
import { registerStoredForecaster } from '../forecast/registry.ts';
import { registeredForecaster } from '../networks/registered.ts';

registerStepScorer(PATROL_SCORER, patrolAreaScorer);
// `model:ID`: a registered network, scored by running its ONNX at each test step (never refitted).
registerStoredForecaster('model', registeredForecaster);
