/// <reference lib="webworker" />
/**
 * The app's helper worker: everything the views derive from a result that could take more than
 * a few milliseconds (decoding, colour mapping, histograms, metrics, file encoding), so the page
 * stays responsive while the analysis worker runs the models.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../../worker/errorTransfer';
import { viewService } from './viewService';

installErrorTransfer();
expose(viewService);
