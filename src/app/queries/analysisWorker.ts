/** The analysis worker of the page (see compute/viewClient) and the queue its analyses wait in. */
import { createSerialQueue } from './analysisQueue';

export { analysisWorker } from '../compute/viewClient';

export const analysisQueue = createSerialQueue();
