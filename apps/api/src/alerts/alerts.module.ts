import { Module } from '@nestjs/common';
import { AlertController } from './alert.controller';

/** Assemblyline's alert routes: list and get. */
@Module({ controllers: [AlertController] })
export class AlertsApiModule {}
