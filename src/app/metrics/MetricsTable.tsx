import type { PixelMetrics } from '../../core/metrics';
import { UNDEFINED_REASON_MESSAGES } from '../../core/metrics';
import type { MetricsPair } from '../../worker/viewProtocol';
import { RawRefinedHead } from './RawRefinedHead';
import { TableScroll } from './TableScroll';

const METRICS = [
  { key: 'auprc', label: 'AUPRC', higherIsBetter: true },
  { key: 'fpr95', label: 'FPR95', higherIsBetter: false },
  { key: 'auroc', label: 'AUROC', higherIsBetter: true },
] as const;

const percent = (value: number) => (Number.isNaN(value) ? '—' : (value * 100).toFixed(2));

function DeltaCell({
  raw,
  refined,
  higherIsBetter,
}: {
  raw: number;
  refined: number;
  higherIsBetter: boolean;
}) {
  const delta = refined - raw;
  if (Number.isNaN(delta)) return <td>—</td>;
  const better = higherIsBetter ? delta > 0 : delta < 0;
  const verdict = Math.abs(delta) < 5e-5 ? 'same' : better ? 'better' : 'worse';
  return (
    <td className={`delta ${verdict}`} data-value={delta}>
      {delta >= 0 ? '+' : '−'}
      {(Math.abs(delta) * 100).toFixed(2)}
      <span className="visually-hidden"> ({verdict})</span>
    </td>
  );
}

function MetricsRow({
  name,
  raw,
  refined,
  pooled,
}: {
  name: string;
  raw: PixelMetrics;
  refined: PixelMetrics;
  pooled?: boolean;
}) {
  return (
    <tr
      className={pooled ? 'pooled' : undefined}
      title={raw.undefinedReason ? UNDEFINED_REASON_MESSAGES[raw.undefinedReason] : undefined}
    >
      <th scope="row">{name}</th>
      {METRICS.map(({ key, higherIsBetter }) => (
        <MetricCells
          key={key}
          raw={raw[key]}
          refined={refined[key]}
          higherIsBetter={higherIsBetter}
        />
      ))}
    </tr>
  );
}

function MetricCells({
  raw,
  refined,
  higherIsBetter,
}: {
  raw: number;
  refined: number;
  higherIsBetter: boolean;
}) {
  return (
    <>
      <td data-value={raw}>{percent(raw)}</td>
      <td data-value={refined}>{percent(refined)}</td>
      <DeltaCell raw={raw} refined={refined} higherIsBetter={higherIsBetter} />
    </>
  );
}

/** Raw vs refined AUPRC, FPR95 and AUROC in percent, per image and pooled, deltas coloured. */
export function MetricsTable({ pair }: { pair: MetricsPair }) {
  return (
    <TableScroll label="Pixel metrics table">
      <table className="metrics-table">
        <caption>
          Pixel metrics in % (
          {pair.raw.mode === 'exact' ? 'exact thresholds' : `${pair.raw.bins} sigmoid bins`})
        </caption>
        <RawRefinedHead metrics={METRICS} />
        <tbody>
          {pair.raw.perImage.map((raw, index) => {
            const refined = pair.refined.perImage[index];
            return refined ? (
              <MetricsRow key={raw.image} name={raw.image} raw={raw} refined={refined} />
            ) : null;
          })}
          <MetricsRow name="Pooled" raw={pair.raw.pooled} refined={pair.refined.pooled} pooled />
        </tbody>
      </table>
    </TableScroll>
  );
}
