/** The analysis worker of the page (see compute/workers) and the queue its analyses wait in. */
import { createSerialQueue } from './analysisQueue';

export { analysisWorker } from '../compute/workers';

export const analysisQueue = createSerialQueue();
