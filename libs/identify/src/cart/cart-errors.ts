/** Base of every CaRT failure, so callers can map them to one HTTP answer or to `corrupted/cart`. */
export class CartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input does not start with a valid CaRT mandatory header (too short, wrong magic, version or reserved). */
export class NotCartError extends CartError {}

/** The input ended before the structure it announced (mandatory footer missing, body cut short). */
export class CartTruncatedError extends CartError {}

/** The structure is damaged: bad mandatory footer, inconsistent offsets, or a body that does not decompress. */
export class CartCorruptError extends CartError {}

/** The optional header or footer does not decrypt to a JSON object: wrong or missing private key. */
export class CartKeyError extends CartError {}

/** The footer's digests or length do not describe the decoded bytes. */
export class CartFooterMismatchError extends CartError {
  constructor(readonly fields: string[]) {
    super(`CaRT footer does not match the decoded content (${fields.join(', ')})`);
  }
}
