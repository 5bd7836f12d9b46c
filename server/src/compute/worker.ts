// Entry point of the compute worker thread (bundled to dist/worker.js): serves the compute jobs.

import { JOBS } from './jobs';
import { serveJobs } from './jobServer';

serveJobs(JOBS);
