/** SAM 2 encoder → batched decoder → automatic masks (pipeline.md §6) on a bundle's sessions. */
import type { SegmenterManifest } from '../bundle/manifestSchema';
import { segmenterInputTensor, type Rgb8Image } from '../image';
import type { InferenceSession, OrtApi, Tensor } from '../runtime/ort';
import {
  AutomaticMaskGenerator,
  buildPointGrid,
  decoderPromptFeeds,
  emptyMaskFeeds,
  planPromptBatches,
  type AmgPath,
  type AutomaticMask,
  type PromptBatch,
} from '../sam2';
import type { StageClock } from './stages';

export interface MaskProgress {
  promptsDone: number;
  promptCount: number;
}

/** One decoder run's outputs for prompts [batch.start, batch.start + batch.count) of the grid. */
export interface DecodedBatch {
  batch: PromptBatch;
  promptCount: number;
  /** [N, K, S, S] low-resolution mask logits. */
  masksLogits: Float32Array;
  /** [N, K] */
  iouPredictions: Float32Array;
}

/**
 * The segmenter on one image: input, encoder, then one decoder run per batch of grid prompts,
 * yielded as they finish so post-processing streams with them. Encoder outputs are released when
 * the iteration ends, also when it stops early.
 */
export async function* decodePromptGrid(
  ort: OrtApi,
  sessions: { encoder: InferenceSession; decoder: InferenceSession },
  segmenter: SegmenterManifest,
  image: Rgb8Image,
  clock: StageClock,
  signal?: AbortSignal,
): AsyncGenerator<DecodedBatch> {
  const size = segmenter.imageSize;
  const lowResSize = size / 4;
  const encoderInput = await clock.time('segmenter-input', () =>
    segmenterInputTensor(image, size, { mean: segmenter.mean, std: segmenter.std }),
  );
  signal?.throwIfAborted();

  // Under WebGPU these stay on the GPU (preferredOutputLocation) for every decoder batch.
  const encoded = await clock.time('segmenter-encoder', async () => {
    const outputs = await sessions.encoder.run({
      [segmenter.encoder.input]: new ort.Tensor('float32', encoderInput.data, encoderInput.dims),
    });
    // Reading one value waits for the GPU, so the encoder's time is not billed to the decoder.
    const embed = outputs[segmenter.encoder.outputs.imageEmbed];
    if (embed?.location === 'gpu-buffer') await embed.getData();
    return outputs;
  });
  const encoderFeeds: Record<string, Tensor> = {};
  for (const [key, inputName] of [
    ['imageEmbed', segmenter.decoder.inputs.imageEmbed],
    ['highResFeats0', segmenter.decoder.inputs.highResFeats0],
    ['highResFeats1', segmenter.decoder.inputs.highResFeats1],
  ] as const) {
    const tensor = encoded[segmenter.encoder.outputs[key]];
    if (!tensor) throw new Error(`encoder output "${segmenter.encoder.outputs[key]}" missing`);
    encoderFeeds[inputName] = tensor;
  }

  try {
    const grid = buildPointGrid(segmenter.amg.pointsPerSide, image.width, image.height, size);
    const batches = planPromptBatches(
      grid.count,
      segmenter.amg.pointsPerBatch,
      segmenter.decoder.batchedPrompts,
    );
    const names = segmenter.decoder.inputs;
    // "No previous mask" is the same [N, 1, 256, 256] zeros for every batch of N prompts.
    const emptyMasks = new Map<number, Record<string, Tensor>>();
    const emptyMaskInputs = (count: number) => {
      let feeds = emptyMasks.get(count);
      if (!feeds) {
        const { maskInput, hasMaskInput } = emptyMaskFeeds(count, lowResSize);
        feeds = {
          [names.maskInput]: new ort.Tensor('float32', maskInput.data, maskInput.dims),
          [names.hasMaskInput]: new ort.Tensor('float32', hasMaskInput.data, hasMaskInput.dims),
        };
        emptyMasks.set(count, feeds);
      }
      return feeds;
    };
    for (const batch of batches) {
      signal?.throwIfAborted();
      const prompts = decoderPromptFeeds(grid, batch);
      const decoded = await clock.time('segmenter-decoder', async () => {
        const outputs = await sessions.decoder.run({
          ...encoderFeeds,
          [names.pointCoords]: new ort.Tensor(
            'float32',
            prompts.pointCoords.data,
            prompts.pointCoords.dims,
          ),
          [names.pointLabels]: new ort.Tensor(
            'float32',
            prompts.pointLabels.data,
            prompts.pointLabels.dims,
          ),
          ...emptyMaskInputs(batch.count),
        });
        const masks = outputs[segmenter.decoder.outputs.masks];
        const iou = outputs[segmenter.decoder.outputs.iouPredictions];
        if (!masks || !iou) throw new Error('decoder outputs missing');
        return { masks: await masks.getData(true), iou: await iou.getData(true) };
      });
      yield {
        batch,
        promptCount: grid.count,
        masksLogits: decoded.masks as Float32Array,
        iouPredictions: decoded.iou as Float32Array,
      };
    }
  } finally {
    for (const tensor of Object.values(encoded)) tensor.dispose();
  }
}

/** SAM 2 automatic masks on one image, post-processed batch by batch as the decoder yields. */
export async function computeAutomaticMasks(
  ort: OrtApi,
  sessions: { encoder: InferenceSession; decoder: InferenceSession },
  segmenter: SegmenterManifest,
  image: Rgb8Image,
  clock: StageClock,
  options: {
    amgPath?: AmgPath;
    signal?: AbortSignal;
    onProgress?: (progress: MaskProgress) => void;
  } = {},
): Promise<AutomaticMask[]> {
  const { signal, onProgress } = options;
  const generator = new AutomaticMaskGenerator(image, segmenter.amg, {
    lowResSize: segmenter.imageSize / 4,
    path: options.amgPath,
  });
  for await (const decoded of decodePromptGrid(ort, sessions, segmenter, image, clock, signal)) {
    await clock.time('mask-postprocess', () =>
      generator.addBatch(decoded.masksLogits, decoded.iouPredictions),
    );
    const { start, count } = decoded.batch;
    onProgress?.({ promptsDone: start + count, promptCount: decoded.promptCount });
  }
  return await clock.time('mask-postprocess', () => generator.finish());
}
