/** Tableau-10 colours for labels (repeats after 10 classes). */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export function labelColour(label: number): string {
  return PALETTE[((label % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? '#888';
}
