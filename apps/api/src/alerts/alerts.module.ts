import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AlertController } from './alert.controller';

/** Assemblyline's alert routes: list and get. */
@Module({ imports: [AuthModule], controllers: [AlertController] })
export class AlertsApiModule {}
