import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
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
  @Get()
  versions(): string[] {
    return ['v4'];
  }
}
