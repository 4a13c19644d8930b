/**
 * The embeddings in the TensorFlow Embedding Projector's format (projector.tensorflow.org, "Load"):
 * vectors.tsv has one tab-separated row per image and no header; metadata.tsv has one row per image
 * and a header row only when it has two or more columns (the Projector reads a single column as
 * labels without a header).
 */

/** Nine significant digits round-trip every float32; Number() drops the trailing zeros. */
function formatFloat(value: number): string {
  return String(Number(value.toPrecision(9)));
}

export function vectorsTsv(embeddings: Float32Array, count: number, dim: number): string {
  if (embeddings.length !== count * dim)
    throw new Error(`vectors.tsv: ${embeddings.length} values for ${count} x ${dim}`);
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const row: string[] = [];
    for (let j = 0; j < dim; j++) row.push(formatFloat(embeddings[i * dim + j]!));
    rows.push(row.join('\t'));
  }
  return `${rows.join('\n')}\n`;
}

/** The parent folder of a path ('a/b/c.png' -> 'b'); '' for a bare file name. */
function parentFolder(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0);
  return parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
}

/** Tabs and line breaks would split a cell. */
const cell = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/** File paths, and their folder as a label when every image is in a folder and there are at least two. */
export function metadataTsv(paths: readonly string[]): string {
  const folders = paths.map(parentFolder);
  const labelled = folders.every((f) => f !== '') && new Set(folders).size >= 2;
  if (!labelled) return `${paths.map(cell).join('\n')}\n`;
  const rows = paths.map((p, i) => `${cell(p)}\t${cell(folders[i]!)}`);
  return `file\tlabel\n${rows.join('\n')}\n`;
}
