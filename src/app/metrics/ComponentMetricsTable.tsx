import type { ComponentMetrics, ComponentReport } from '../../core/metrics';
import { RawRefinedHead } from './RawRefinedHead';
import { TableScroll } from './TableScroll';

const COLUMNS = [
  { key: 'sIoU', label: 'sIoU' },
  { key: 'ppv', label: 'PPV' },
  { key: 'meanF1', label: 'mean F1' },
] as const;

const percent = (value: number) => (Number.isNaN(value) ? '—' : (value * 100).toFixed(2));

function ComponentCells({ raw, refined }: { raw: number; refined: number }) {
  const delta = refined - raw;
  const verdict = Number.isNaN(delta)
    ? undefined
    : Math.abs(delta) < 5e-5
      ? 'same'
      : delta > 0
        ? 'better'
        : 'worse';
  return (
    <>
      <td data-value={raw}>{percent(raw)}</td>
      <td data-value={refined}>{percent(refined)}</td>
      {verdict ? (
        <td className={`delta ${verdict}`} data-value={delta}>
          {delta >= 0 ? '+' : '−'}
          {(Math.abs(delta) * 100).toFixed(2)}
          <span className="visually-hidden"> ({verdict})</span>
        </td>
      ) : (
        <td>—</td>
      )}
    </>
  );
}

function ComponentRow(props: {
  name: string;
  raw: ComponentMetrics;
  refined: ComponentMetrics;
  pooled?: boolean;
}) {
  return (
    <tr className={props.pooled ? 'pooled' : undefined}>
      <th scope="row">{props.name}</th>
      {COLUMNS.map(({ key }) => (
        <ComponentCells key={key} raw={props.raw[key]} refined={props.refined[key]} />
      ))}
    </tr>
  );
}

/**
 * SegmentMeIfYouCan's component metrics, raw vs refined: sIoU per ground-truth component, PPV per
 * predicted component, F1 averaged over τ = 0.25 … 0.75, at the set's best pixel-F1 threshold.
 */
export function ComponentMetricsTable({
  raw,
  refined,
}: {
  raw: ComponentReport;
  refined: ComponentReport;
}) {
  // Folded by default: a second table of per-image rows would double the page's row names.
  return (
    <details className="component-metrics">
      <summary>Component metrics (SegmentMeIfYouCan: sIoU, PPV, mean F1)</summary>
      <TableScroll label="Component metrics table">
        <table className="metrics-table">
          <caption>
            Component metrics in % (SegmentMeIfYouCan; threshold at the best pixel F1, sigmoid{' '}
            {raw.pooled.threshold.sigmoidThreshold.toFixed(3)} raw,{' '}
            {refined.pooled.threshold.sigmoidThreshold.toFixed(3)} refined)
          </caption>
          <RawRefinedHead metrics={COLUMNS} />
          <tbody>
            {raw.perImage.map((image, index) => {
              const refinedImage = refined.perImage[index];
              return refinedImage ? (
                <ComponentRow
                  key={image.image}
                  name={image.image}
                  raw={image}
                  refined={refinedImage}
                />
              ) : null;
            })}
            <ComponentRow name="Pooled" raw={raw.pooled} refined={refined.pooled} pooled />
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}
