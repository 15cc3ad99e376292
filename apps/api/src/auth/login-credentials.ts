import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST /api/v4/auth/login/: a user with an API key (`name:secret`) or a password. */
export class LoginDto {
  @IsString({ message: 'user must be a string' })
  @IsNotEmpty({ message: 'user must not be empty' })
  @MaxLength(256, { message: 'user must be at most 256 characters' })
  user!: string;

  @IsOptional()
  @IsString({ message: 'apikey must be a string' })
  @MaxLength(1024, { message: 'apikey must be at most 1024 characters' })
  apikey?: string;

  @IsOptional()
  @IsString({ message: 'password must be a string' })
  @MaxLength(1024, { message: 'password must be at most 1024 characters' })
  password?: string;
}
