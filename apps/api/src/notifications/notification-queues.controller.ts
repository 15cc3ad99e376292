import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths, ApiQueries } from '../openapi/api-docs.decorators';
import { arrayOf, int, ref } from '../openapi/schema-builders';
import { notificationQueueNameError, NotificationMessage, NotificationQueues } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { RequireRoles } from '../auth/auth.decorators';
import { parsePageSize } from './page-size';

/**
 * Reading notification queues, as Assemblyline's `api/v4/ingest.py` (`get_message`, `get_all_messages`):
 * same paths, the `submission_create` role, names global (not per user), messages removed as they are read.
 */
@ApiTags('ingest')
@AlApi()
@Controller('api/v4/ingest')
export class NotificationQueuesController {
  constructor(private readonly queues: NotificationQueues) {}

  /** One message from `nq-<name>`, or null when it is empty. */
  @ApiPaths({ nq: 'The notification queue name (without nq-)' })
  @ApiAlResponse(ref('AlNotificationOrNull'), { description: 'The oldest message, or null when the queue is empty' })
  @ApiAlErrors(400)
  @Get('get_message/:nq/')
  @RequireRoles('submission_create')
  message(@Param('nq') nq: string): Promise<NotificationMessage | null> {
    return this.queues.pop(checked(nq));
  }

  /** Up to `page_size` messages from `nq-<name>`, oldest first; [] when it is empty. */
  @ApiPaths({ nq: 'The notification queue name (without nq-)' })
  @ApiQueries({ page_size: { ...int, minimum: 1 } })
  @ApiAlResponse(arrayOf(ref('AlNotification')))
  @ApiAlErrors(400)
  @Get('get_message_list/:nq/')
  @RequireRoles('submission_create')
  messages(@Param('nq') nq: string, @Query('page_size') rawPageSize: unknown): Promise<NotificationMessage[]> {
    const name = checked(nq);
    const pageSize = parsePageSize(rawPageSize);
    if ('error' in pageSize) throw new BadRequestException(pageSize.error);
    return this.queues.popMany(name, pageSize.pageSize);
  }
}

function checked(name: string): string {
  const error = notificationQueueNameError(name);
  if (error) throw new BadRequestException(error);
  return name;
}
