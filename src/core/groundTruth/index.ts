export { labelMapFromGroundTruthFile } from './decodeGroundTruth';
export {
  extensionOf,
  findGroundTruth,
  folderOf,
  isGroundTruthPath,
  listingOf,
  MASK_FOLDER_NAMES,
  pairByName,
  stemOf,
  type FolderListing,
  type ImageWithGroundTruth,
  type PairedFiles,
} from './pairByName';
