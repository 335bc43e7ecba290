import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ example: 'cted.officer@ctap.local' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Cted-Officer-2026!' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class TokenResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600 }) expiresIn: number;
  @ApiProperty({ example: 'cted_officer' }) role: string;
  @ApiProperty({ nullable: true, example: null }) memberState: string | null;
}
