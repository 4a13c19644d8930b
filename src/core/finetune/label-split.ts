import { Rng } from '../random/rng';

export interface LabelSplit {
  /** Data set indices of the labelled images trained on, ascending. */
  train: Int32Array;
  /** Data set indices of the held-out images, ascending; never trained on, whatever the fraction. */
  test: Int32Array;
}

/**
 * A stratified, seeded split for fine-tuning with few labels: per class, `testFraction` of the images is held
 * out (at least one when the class has two or more), then `labelFraction` of the rest is kept for training
 * (at least one per class). The held-out part depends only on the seed and the labels, so 1%, 10% and all
 * are judged on the same images.
 *
 * @param labels label of each data set image (0..classes-1)
 */
export function fewLabelSplit(
  labels: ArrayLike<number>,
  classes: number,
  labelFraction: number,
  testFraction: number,
  seed: number,
): LabelSplit {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]?.push(i);
  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach((members, label) => {
    if (members.length === 0) return;
    // One stream per class: a class's split does not change when another class gains images.
    const order = new Rng(seed * 7919 + label).permutation(members.length);
    const held =
      members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, Math.round(members.length * testFraction)));
    const pool = members.length - held;
    const kept = Math.min(pool, Math.max(1, Math.round(pool * labelFraction)));
    for (let k = 0; k < held; k++) test.push(members[order[k]!]!);
    for (let k = held; k < held + kept; k++) train.push(members[order[k]!]!);
  });
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
