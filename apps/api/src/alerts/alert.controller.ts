import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { ref } from '../openapi/schema-builders';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { AlertsRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { Page, parsePaging } from '../http/paging';
import { PagingQuery } from '../http/paging-query';
import { alertView, AlertView } from './alert-view';

/** Assemblyline's text for an unknown alert; Hopper answers it for a hidden one too. */
export const ALERT_NOT_FOUND = 'This alert does not exists...';
/** Assemblyline's default page size of `alert/list`. */
export const DEFAULT_ALERT_ROWS = 100;

/** Alerts the ingester raised, as Assemblyline's `api/v4/alert.py` serves them (list and get). */
@ApiTags('alert')
@AlApi()
@Controller('api/v4/alert')
export class AlertController {
  constructor(
    private readonly alerts: AlertsRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  /**
   * The alerts the caller may see, newest first, `rows` (default 100, at most 1000) from `offset`. The
   * classification filter is part of the database query, so `total` counts only those too. Assemblyline's
   * Lucene `q`/`fq` and time constraints are not supported (ignored, as any unknown parameter).
   */
  // Declared before `:alert_id/`, which would otherwise take "list" for an id.
  @ApiAlResponse(ref('AlAlertPage'))
  @ApiAlErrors(400)
  @Get('list/')
  @RequireRoles('alert_view')
  async list(@Query() query: PagingQuery, @CurrentUser() auth: AuthenticatedUser): Promise<Page<AlertView>> {
    const { offset, rows } = parsePaging(query, DEFAULT_ALERT_ROWS);
    const page = await this.alerts.list(this.engine.mongoAccessFilter(auth.user.classification), offset, rows);
    return { items: page.items.map(alertView), offset, rows, total: page.total };
  }

  /** One alert; 404 when it does not exist or the caller's clearance does not cover it. */
  @ApiPaths({ alert_id: 'An alert id' })
  @ApiAlResponse(ref('AlAlert'))
  @ApiAlErrors(400, 404)
  @Get(':alert_id/')
  @RequireRoles('alert_view')
  async get(@Param('alert_id') alertId: string, @CurrentUser() auth: AuthenticatedUser): Promise<AlertView> {
    const alert = await this.alerts.findById(alertId);
    if (!alert || !this.engine.isAccessible(auth.user.classification, alert.classification, { ignoreInvalid: true })) {
      throw new NotFoundException(ALERT_NOT_FOUND);
    }
    return alertView(alert);
  }
}
