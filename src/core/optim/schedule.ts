/**
 * Learning rate at a 0-based step: linear warm-up from 0 to `peak` over `warmupSteps`, then cosine
 * decay to 0 at `totalSteps` (SimCLR section B.1: warm-up for 10 epochs, then cosine decay without restarts).
 */
export function warmupCosineLearningRate(step: number, totalSteps: number, peak: number, warmupSteps: number): number {
  if (totalSteps <= 0) return peak;
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, Math.max(0, (step - warmupSteps) / decaySteps));
  return 0.5 * peak * (1 + Math.cos(Math.PI * progress));
}

export function warmupStepCount(totalSteps: number, warmupFraction: number): number {
  return Math.floor(totalSteps * warmupFraction);
}
