import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlResponse } from '../openapi/api-docs.decorators';
import { arrayOf, str } from '../openapi/schema-builders';
import { Public } from '../auth/auth.decorators';
import { AlApi } from './al-api.decorator';

/**
 * The API versions this server speaks (Assemblyline's `api_version_list`). The Python client checks for "v4"
 * after login and, as on every route, unwraps `api_response`: the list comes in the envelope.
 */
@ApiTags('auth')
@AlApi()
@Controller('api')
export class ApiRootController {
  @Public()
  @ApiAlResponse(arrayOf(str), { description: 'The API versions served: ["v4"]' })
  @Get()
  versions(): string[] {
    return ['v4'];
  }
}
