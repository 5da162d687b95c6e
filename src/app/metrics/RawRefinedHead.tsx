/** The header of a raw-vs-refined metrics table: per metric a group of raw, refined and Δ. */
export function RawRefinedHead({
  metrics,
}: {
  metrics: readonly { key: string; label: string }[];
}) {
  return (
    <thead>
      <tr>
        <th scope="col" rowSpan={2}>
          Image
        </th>
        {metrics.map(({ key, label }) => (
          <th key={key} scope="colgroup" colSpan={3}>
            {label}
          </th>
        ))}
      </tr>
      <tr>
        {metrics.map(({ key, label }) => (
          <RawRefinedHeaders key={key} label={label} />
        ))}
      </tr>
    </thead>
  );
}

function RawRefinedHeaders({ label }: { label: string }) {
  return (
    <>
      <th scope="col" aria-label={`${label} raw`}>
        raw
      </th>
      <th scope="col" aria-label={`${label} refined`}>
        refined
      </th>
      <th scope="col" aria-label={`${label} change`}>
        Δ
      </th>
    </>
  );
}
