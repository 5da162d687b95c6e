import { ANALYSIS_STAGES, type AnalysisStage } from '../../core/analysis';
import type { AnalysisProgress } from '../state/analysisProgressStore';
import type { AnalysisSummary } from '../../worker/protocol';

const milliseconds = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** Time per pipeline stage, and when the first heatmap and the full result arrived. */
export function StageTimings({
  result,
  progress,
}: {
  result: AnalysisSummary | undefined;
  progress: AnalysisProgress | undefined;
}) {
  if (!result) return null;
  const stages = (Object.keys(ANALYSIS_STAGES) as AnalysisStage[]).filter(
    (stage) => result.timings[stage] !== undefined,
  );
  return (
    <section className="timings" aria-labelledby="timings-heading">
      <h2 id="timings-heading">Stage timings</h2>
      <p className="muted">Ran on {result.backend.description}.</p>
      <dl>
        {progress?.firstHeatmapMs !== undefined && (
          <div className="timing total">
            <dt>First heatmap</dt>
            <dd data-ms={progress.firstHeatmapMs}>{milliseconds(progress.firstHeatmapMs)}</dd>
          </div>
        )}
        {progress?.totalMs !== undefined && (
          <div className="timing total">
            <dt>Full result</dt>
            <dd data-ms={progress.totalMs}>{milliseconds(progress.totalMs)}</dd>
          </div>
        )}
        {stages.map((stage) => (
          <div className="timing" key={stage}>
            <dt>{ANALYSIS_STAGES[stage]}</dt>
            <dd>{milliseconds(result.timings[stage] ?? 0)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
