import 'reflect-metadata';
import { runWorker } from '@hopper/observability';
import { DispatcherModule } from './dispatcher.module';

runWorker('dispatcher', [DispatcherModule]);
