/** Per-step metrics as CSV (step, loss, learning rate), with float32 values written exactly. */
export interface MetricsSeries {
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export function metricsCsv(loss: MetricsSeries, learningRate: MetricsSeries): string {
  const rates = new Map<number, number>();
  for (let i = 0; i < learningRate.steps.length; i++) rates.set(learningRate.steps[i]!, learningRate.values[i]!);
  const rows = ['step,loss,learning_rate'];
  for (let i = 0; i < loss.steps.length; i++) {
    const step = loss.steps[i]!;
    rows.push(`${step},${loss.values[i]},${rates.get(step) ?? ''}`);
  }
  return `${rows.join('\n')}\n`;
}
