/** Held-out confusion matrix: rows are the true classes, columns the predicted ones; the diagonal is right. */
export function ConfusionMatrix({ labels, counts }: { labels: readonly string[]; counts: readonly number[] }) {
  const n = labels.length;
  if (n === 0 || counts.length !== n * n) return null;
  const rowTotal = (r: number) => counts.slice(r * n, r * n + n).reduce((a, b) => a + b, 0);
  return (
    <table className="confusion-matrix" data-testid="confusion-matrix" aria-label="Confusion matrix on held-out images">
      <caption>Held-out images: true class (rows) by predicted class (columns)</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {labels.map((label) => (
            <th key={label} scope="col">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((label, r) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {labels.map((column, c) => {
              const count = counts[r * n + c] ?? 0;
              const share = rowTotal(r) > 0 ? count / rowTotal(r) : 0;
              const hue = r === c ? '22, 163, 74' : '220, 38, 38';
              return (
                <td key={column} style={{ background: count > 0 ? `rgba(${hue}, ${0.15 + 0.6 * share})` : undefined }}>
                  {count}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
