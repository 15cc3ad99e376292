import 'reflect-metadata';
import { runWorker } from '@hopper/observability';
import { IngesterModule } from './ingester.module';

runWorker('ingester', [IngesterModule]);
