export {
  AMG_PATHS,
  AutomaticMaskGenerator,
  DEFAULT_AMG_PATH,
  type AmgFilterSettings,
  type AmgPath,
  type AutomaticMask,
} from './automaticMaskGenerator';
export { boxNms } from './boxNms';
export { pixelMaskToRle, rleToPixelMask, type CocoRle } from './cocoRle';
export {
  createLogitPlaneScan,
  type InclusiveBox,
  type LogitPlaneScan,
  type MaskLogitScan,
} from './stabilityScan';
export { buildPointGrid, type PointGrid } from './pointGrid';
export {
  decoderPromptFeeds,
  emptyMaskFeeds,
  planPromptBatches,
  type DecoderPromptFeeds,
  type EmptyMaskFeeds,
  type PromptBatch,
} from './promptBatches';
