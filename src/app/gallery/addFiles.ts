/**
 * Puts files into the gallery: pairs ground truth by name, decodes images and masks in the view
 * worker, and turns every problem into a message next to the file it concerns.
 */
import { groundTruthSizeProblem } from '../../core/checks';
import { findGroundTruth, listingOf, nameOf } from '../../core/groundTruth/pairByName';
import { viewWorker } from '../compute/workers';
import { pairGroundTruth, type NamedFile } from '../images/pairGroundTruth';
import { useGalleryStore, whenRead, type GalleryItem } from '../state/galleryStore';

let nextId = 0;
const newId = () => `image-${++nextId}`;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function decodeInto(
  id: string,
  name: string,
  image: Blob,
  groundTruth?: { path: string; file: Blob },
) {
  // Asked for before the image is read, so a mask dropped onto the image meanwhile wins.
  const attached = groundTruth && attachGroundTruth(id, groundTruth.file, groundTruth.path);
  const { update } = useGalleryStore.getState();
  try {
    update(id, { image: await viewWorker().decodeImage(id, image, name) });
  } catch (error) {
    update(id, { imageError: messageOf(error) });
  }
  await attached;
}

/** The latest ground truth asked for per image; an older one that decodes later is dropped. */
const latestGroundTruth = new Map<string, string>();
let groundTruthRequests = 0;

/**
 * Decodes a ground-truth file and attaches it once its image has been read (it may be dropped
 * onto an image still being decoded) if it fits the image; else says why not.
 */
export async function attachGroundTruth(id: string, file: Blob, gtName: string): Promise<void> {
  const labelsId = `labels-${++groundTruthRequests}`;
  latestGroundTruth.set(id, labelsId);
  const [item, decoded] = await Promise.all([
    whenRead(id),
    viewWorker()
      .decodeGroundTruth(labelsId, file, gtName)
      .then(
        (size) => ({ size }),
        (error: unknown) => ({ error: messageOf(error) }),
      ),
  ]);
  const drop = () => void viewWorker().dropGroundTruth(labelsId);
  if (latestGroundTruth.get(id) !== labelsId) return drop();
  latestGroundTruth.delete(id);
  // Gone from the gallery, or not an image at all (its own error says so).
  if (!item?.image) return drop();
  const { update } = useGalleryStore.getState();
  if ('error' in decoded) {
    update(id, { groundTruthError: decoded.error, groundTruthName: gtName });
    return;
  }
  // Ground truth must cover the image pixel for pixel.
  const problem = groundTruthSizeProblem(
    { name: gtName, width: decoded.size.width, height: decoded.size.height },
    { name: item.name, width: item.image.width, height: item.image.height },
  );
  if (problem) {
    drop();
    update(id, {
      groundTruthError: `${problem} The image is analysed without it.`,
      groundTruthName: gtName,
    });
    return;
  }
  await viewWorker().attachGroundTruth(id, labelsId);
  update(id, { groundTruth: decoded.size, groundTruthName: gtName, groundTruthError: undefined });
}

const fileKeyOf = (file: File) => `${file.size}:${file.lastModified}`;

/** "x.png" → "x (2).png", the first name no image in the gallery has yet. */
function unusedName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let copy = 2; ; copy++) {
    const candidate = `${stem} (${copy})${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The gallery image a ground-truth file dropped on its own belongs to, by the pairing rule. */
function imageOfGroundTruth(
  gtPath: string,
  items: readonly GalleryItem[],
): GalleryItem | undefined {
  // As dropped ("masks/x.png" pairs with "x.png"), then by file name alone ("a/x_gt.png").
  const pairs = (item: GalleryItem) =>
    findGroundTruth(nameOf(item.name), listingOf([gtPath])) === gtPath ||
    findGroundTruth(nameOf(item.name), listingOf([nameOf(gtPath)])) === nameOf(gtPath);
  return items.findLast((item) => !item.imageError && pairs(item));
}

export function addFiles(files: readonly NamedFile[]): void {
  const paired = pairGroundTruth(files);
  const gallery = useGalleryStore.getState().items;
  // Ground truth whose image is already in the gallery joins it, as if dropped onto it.
  const orphans = paired.orphanGroundTruth.filter(({ path, file }) => {
    const item = imageOfGroundTruth(path, gallery);
    if (item) void attachGroundTruth(item.id, file, path);
    return !item;
  });
  // The same file added again is left out; a different file of the same name gets "(2)".
  const taken = new Set(gallery.map((item) => item.name));
  const duplicates: string[] = [];
  const fresh = paired.images.filter(({ image }) => {
    const same = gallery.some(
      (item) => item.name === image.path && item.fileKey === fileKeyOf(image.file),
    );
    if (same) duplicates.push(image.path);
    return !same;
  });
  const messages = [
    ...paired.rejected.map(
      ({ path, file }) =>
        `${path} is not an image${file.type ? ` (${file.type})` : ''}; add PNG, JPEG or WebP images, ` +
        'and ground truth as x_gt.png next to x.png.',
    ),
    ...orphans.map(
      ({ path }) =>
        `${path} looks like ground truth but no image of that name is in the gallery; add the image, or drop the mask onto its image.`,
    ),
    ...duplicates.map((path) => `${path} is already in the gallery.`),
  ];
  useGalleryStore.getState().setInputMessages(messages);
  const items: GalleryItem[] = fresh.map(({ image }) => {
    const name = unusedName(image.path, taken);
    taken.add(name);
    return {
      id: newId(),
      name,
      thumbnailUrl: URL.createObjectURL(image.file),
      wanted: true,
      fileKey: fileKeyOf(image.file),
    };
  });
  useGalleryStore.getState().add(items, true);
  fresh.forEach(({ image, groundTruth }, index) => {
    const item = items[index];
    if (item) void decodeInto(item.id, item.name, image.file, groundTruth);
  });
}

export interface SampleEntry {
  name: string;
  image: string;
  groundTruth?: string;
  /** What the sample shows (a clear hit, a small object, where smoothing helps or hurts...). */
  note?: string;
}

/** The bundled samples; only the first is analysed until the user picks another. */
export async function addSamples(samples: readonly SampleEntry[], baseUrl: string): Promise<void> {
  const items: GalleryItem[] = samples.map((sample, index) => ({
    id: newId(),
    name: sample.name,
    thumbnailUrl: new URL(sample.image, baseUrl).href,
    wanted: index === 0,
    ...(typeof sample.note === 'string' ? { note: sample.note } : {}),
  }));
  useGalleryStore.getState().add(items);
  await Promise.all(
    samples.map(async (sample, index) => {
      const item = items[index];
      if (!item) return;
      try {
        const imageBlob = await fetchBlob(new URL(sample.image, baseUrl).href);
        const gt = sample.groundTruth
          ? {
              path: sample.groundTruth,
              file: await fetchBlob(new URL(sample.groundTruth, baseUrl).href),
            }
          : undefined;
        await decodeInto(item.id, sample.name, imageBlob, gt);
      } catch (error) {
        useGalleryStore.getState().update(item.id, { imageError: messageOf(error) });
      }
    }),
  );
}

async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the sample ${url} (HTTP ${response.status}).`);
  return response.blob();
}
