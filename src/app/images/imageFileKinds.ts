/** Which dropped files are images (ground truth is recognised by name: core/groundTruth). */
import { extensionOf } from '../../core/groundTruth/pairByName';

const imageExtensions = ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'gif', 'avif'];

/** Images are recognised by type or extension, since pasted files often have no name. */
export function isImageFile(file: { name: string; type: string }): boolean {
  if (file.type.startsWith('image/')) return true;
  return file.type === '' && imageExtensions.includes(extensionOf(file.name));
}

export const ACCEPTED_IMAGE_TYPES = imageExtensions.map((extension) => `.${extension}`).join(',');
