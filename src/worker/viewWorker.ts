/// <reference lib="webworker" />
/**
 * The view worker: owns every image's pixels and results, and derives what the page draws,
 * reads and saves from them, so the page stays responsive and holds only what it shows.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from './errorTransfer';
import { createViewService } from './viewService';

installErrorTransfer();
expose(createViewService());
