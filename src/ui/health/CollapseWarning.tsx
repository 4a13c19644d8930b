/** Shown when the l2-normalized representation's spread falls far below that of spread-out unit vectors. */
export function CollapseWarning({ std, dim, collapsed }: { std: number; dim: number; collapsed: boolean }) {
  if (!collapsed) return null;
  return (
    <div className="collapse-warning" role="alert" data-testid="collapse-warning">
      <strong>Representation collapse.</strong> The encoder maps every image to nearly the same vector: the spread of h
      is {std.toExponential(1)}, far below 1/√d = {(1 / Math.sqrt(dim)).toFixed(3)}. Features from this encoder are
      useless. Stop the run, lower the learning rate (or raise the temperature or batch size), and start again.
    </div>
  );
}
