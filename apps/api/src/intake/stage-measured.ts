// Moved to libs/identify (the dispatcher stores extracted files the same way).
export { stageMeasured } from '@hopper/identify';
export type { MeasuredBlob } from '@hopper/identify';
