/// <reference lib="webworker" />
/** Worker entry: hosts the AnalysisService behind Comlink. */
import { expose } from 'comlink';
import { AnalysisService } from './analysisService';
import { installErrorTransfer } from './errorTransfer';

installErrorTransfer();
expose(new AnalysisService());
