/**
 * Importing this module registers every forecaster. The evaluation worker imports it, so a model
 * registered here is available everywhere; add one import line per model family.
 */
import './classical/index.ts';
import './neural/index.ts';
