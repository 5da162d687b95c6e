export {
  analyzeImage,
  type AnalysisEvent,
  type AnalysisResult,
  type AnalyzeOptions,
} from './analyzeImage';
export { ANALYSIS_STAGES, type AnalysisStage, type StageTimings } from './stages';
