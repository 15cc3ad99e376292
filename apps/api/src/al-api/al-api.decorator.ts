import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { AlEnvelopeInterceptor, AlExceptionFilter } from './al-envelope';

/**
 * Marks a controller as Assemblyline-compatible: callers authenticate as Assemblyline's do, and answers
 * and errors come in Assemblyline's envelope.
 */
export const AlApi = () =>
  applyDecorators(UseGuards(AuthGuard), UseInterceptors(AlEnvelopeInterceptor), UseFilters(AlExceptionFilter));
