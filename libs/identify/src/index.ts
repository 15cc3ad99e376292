// One-pass hashing, file typing in Assemblyline's vocabulary, and CaRT decode/encode.
export type { FileDigests, FileHashes } from './file-digests';
export { EntropyCounter } from './entropy';
export { OnePassHasher } from './one-pass-hasher';
export { DEFAULT_BATCH_BYTES, DEFAULT_MAX_PENDING_BYTES, OffThreadHasher } from './off-thread-hasher';
export type { OffThreadHasherOptions } from './off-thread-hasher';
export { defaultHashingThreadCount, HashingThreadError, HashingThreads, sharedHashingThreads } from './hashing-threads';
export type { HashingThreadsOptions } from './hashing-threads';
export { DEFAULT_HEAD_BYTES, HeadCapture } from './head-capture';
export { Rc4 } from './rc4';

export { assemblylineType, identifyHead } from './file-type/identify';
export { identifyStored } from './identify-stored';
export type { FileType } from './file-type/identify';
export { loadLibmagic } from './file-type/libmagic';
export type { Libmagic } from './file-type/libmagic';

export { CartCorruptError, CartError, CartFooterMismatchError, CartKeyError, CartTruncatedError, NotCartError } from './cart/cart-errors';
export { DEFAULT_CART_KEY, isCart, MANDATORY_HEADER_LENGTH as CART_HEAD_BYTES } from './cart/cart-format';
export { serialiseCartJson } from './cart/cart-json';
export type { CartJsonObject } from './cart/cart-json';
export { cartMetadata } from './cart/cart-metadata';
export type { CartMetadata } from './cart/cart-metadata';
export { readCartHeader } from './cart/read-cart-header';
export type { CartHeaderInfo } from './cart/read-cart-header';
export { createCartDecoder } from './cart/cart-decoder';
export type { CartDecodeOptions, CartDecodeResult, CartDecoder } from './cart/cart-decoder';
export { createCartEncoder } from './cart/cart-encoder';
export type { CartEncodeOptions, CartEncodeResult, CartEncoder } from './cart/cart-encoder';
export { decodeCartFile } from './cart/decode-cart-file';
export { stageMeasured } from './stage-measured';
export type { MeasuredBlob } from './stage-measured';
