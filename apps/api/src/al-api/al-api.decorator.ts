import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { AlEnvelopeInterceptor } from './al-envelope';

/**
 * Marks a controller as Assemblyline-compatible: callers authenticate as Assemblyline's do, and answers come
 * in Assemblyline's envelope. Errors under /api/v4/ come in it too, from the global exception filter.
 */
export const AlApi = () => applyDecorators(UseGuards(AuthGuard), UseInterceptors(AlEnvelopeInterceptor));
