/** The one analysis worker of the page and the queue its analyses wait in. */
import { createAnalysisClient, type AnalysisClient } from '../../worker/analysisClient';
import { createSerialQueue } from './analysisQueue';

let client: AnalysisClient | undefined;

export function analysisWorker(): AnalysisClient {
  client ??= createAnalysisClient().client;
  return client;
}

export const analysisQueue = createSerialQueue();
