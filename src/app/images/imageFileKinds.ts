/** Which dropped files are images, which are ground truth, and which we cannot use. */

const imageExtensions = ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'gif', 'avif'];
const groundTruthExtensions = ['png', 'npy'];

export const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
};

export const stemOf = (name: string): string => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? base : base.slice(0, dot);
};

/** Images are recognised by type or extension, since pasted files often have no name. */
export function isImageFile(file: { name: string; type: string }): boolean {
  if (file.type.startsWith('image/')) return true;
  return file.type === '' && imageExtensions.includes(extensionOf(file.name));
}

export function canBeGroundTruth(name: string): boolean {
  return groundTruthExtensions.includes(extensionOf(name));
}

export const ACCEPTED_IMAGE_TYPES = imageExtensions.map((extension) => `.${extension}`).join(',');
