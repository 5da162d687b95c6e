import { readdirSync } from 'node:fs';
import { loadLocalBundle } from '../../node/loadLocalBundle';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ortNodeApi } from '../../node/ortNode';
import { canaryFeeds, compareCanaryOutputs, runCanary } from './canary';
import { ModelContractError } from './modelContract';
import { createBundleSessions, ModelLoadError } from './sessions';

const fixturesDir = resolve(import.meta.dirname, '../../../fixtures/bundles');
const variants = readdirSync(fixturesDir);

const load = (variant: string) => loadLocalBundle(resolve(fixturesDir, variant));

describe.each(variants)('fixture bundle %s on onnxruntime-node', (variant) => {
  it('creates sessions that satisfy the contract and run the canary deterministically', async () => {
    const bundle = await load(variant);
    const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
    try {
      const feeds = canaryFeeds(ortNodeApi, bundle.manifest);
      const first = await runCanary(sessions, feeds);
      const second = await runCanary(sessions, canaryFeeds(ortNodeApi, bundle.manifest));
      expect(Object.keys(first)).toEqual(['flow', 'decoder']);
      expect(compareCanaryOutputs(first, second).agrees).toBe(true);
      const likelihood = Object.values(first.flow ?? {})[0];
      expect(likelihood?.length).toBe(30);
    } finally {
      await sessions.release();
    }
  });
});

describe('contract violations', () => {
  it('names the model, tensor, expected and actual when a manifest tensor name is wrong', async () => {
    const bundle = await load('tokens-cls');
    bundle.manifest.flow.output = 'probability';
    const creating = createBundleSessions(ortNodeApi, bundle, 'cpu');
    await expect(creating).rejects.toBeInstanceOf(ModelContractError);
    await expect(creating).rejects.toThrow(
      'The flow model does not match the bundle manifest: tensor "probability" should be an output, but the model has outputs "likelihood".',
    );
  });

  it('reports a wrong channel count with both shapes', async () => {
    const bundle = await load('map');
    bundle.manifest.backbone.channels = 48;
    bundle.manifest.flow.channels = 48;
    await expect(createBundleSessions(ortNodeApi, bundle, 'cpu')).rejects.toThrow(
      /backbone model .* "last_hidden_state" should be shaped \[1, 48, \?, \?\], but the model has shape \[1, 32, /,
    );
  });

  it('reports a file that is not an ONNX model', async () => {
    const bundle = await load('tokens-cls');
    bundle.files.set(bundle.manifest.flow.file, new TextEncoder().encode('not a model'));
    await expect(createBundleSessions(ortNodeApi, bundle, 'cpu')).rejects.toBeInstanceOf(
      ModelLoadError,
    );
  });
});
