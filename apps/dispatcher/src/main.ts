import 'reflect-metadata';
import { runWorker } from '@hopper/observability';

runWorker('dispatcher');
