import { BadRequestException } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { InvalidClassification } from '@hopper/classification';
import type { CartMetadata } from '@hopper/identify';
import { safeBasename } from './safe-filename';

/**
 * The submission's classification raised to the one a CaRT header carries (Assemblyline's `decode_file`
 * step), with Assemblyline's message when the two cannot be combined.
 */
export function withCartClassification(engine: ClassificationEngine, classification: string, cart: CartMetadata | null): string {
  const fromCart = cart?.classification;
  if (fromCart === undefined || fromCart === classification) return classification;
  try {
    return engine.max(fromCart, classification);
  } catch (error) {
    if (!(error instanceof InvalidClassification)) throw error;
    throw new BadRequestException(
      'The classification found inside the cart file cannot be merged with ' +
        `the classification the file was submitted as: ${error.message}`,
    );
  }
}

/** The name a submitted file goes by: the CaRT header's (as a safe basename), then its origin's, then the requested one. */
export function submittedFileName(cart: CartMetadata | null, originName: string | null, requested: string): string {
  const fromCart = cart?.name ? safeBasename(cart.name) : '';
  const fromOrigin = originName ? safeBasename(originName) : '';
  return fromCart || fromOrigin || requested;
}
