import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';

/** The API versions this server speaks; the Assemblyline client checks for "v4" after login. */
@ApiTags('auth')
@Controller('api')
export class ApiRootController {
  @Public()
  @Get()
  versions(): string[] {
    return ['v4'];
  }
}
