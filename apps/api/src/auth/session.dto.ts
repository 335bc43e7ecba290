import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { UN_LANGUAGES, updateMeSchema } from '@app/domain';

export const LANGUAGES = UN_LANGUAGES;

export class MeDto {
  @ApiProperty({ example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' }) id: string;
  @ApiProperty({ example: 'focal.ken@ctap.local' }) email: string;
  @ApiProperty({ example: 'Kenya focal point' }) displayName: string;
  @ApiProperty({
    enum: ['member_state', 'cted_officer', 'unodc_manager', 'cted_supervisor', 'unodc_supervisor', 'admin'],
    example: 'member_state',
  })
  role: string;
  @ApiProperty({ type: String, nullable: true, example: 'KEN' }) memberState: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: LANGUAGES,
    example: null,
    description: "The user's chosen language; null follows the browser",
  })
  preferredLanguage: string | null;
}

export class UpdateMeDto extends createZodDto(updateMeSchema) {}

export class SessionDto {
  @ApiProperty({ description: 'Short-lived bearer token (SESSION_ACCESS_TTL_SECONDS)' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 300 }) expiresIn: number;
  @ApiProperty({ type: MeDto }) user: MeDto;
}
