export {
  BACKBONE_LAYOUT_RULES,
  backboneOutputToFeatureMap,
  mapToFeatureMap,
  tokensToFeatureMap,
  type BackboneOutputLayout,
  type FeatureMap,
} from './featureMap';
export { flowOutputToLikelihoodGrid, type LikelihoodGrid } from './likelihoodGrid';
export { likelihoodGridToScoreMap } from './scoreMap';
