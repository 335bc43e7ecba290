import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;

export class MeDto {
  @ApiProperty({ example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' }) id: string;
  @ApiProperty({ example: 'focal.ken@ctap.local' }) email: string;
  @ApiProperty({ example: 'Kenya focal point' }) displayName: string;
  @ApiProperty({ enum: ['member_state', 'cted_officer', 'unodc_manager', 'admin'], example: 'member_state' })
  role: string;
  @ApiProperty({ nullable: true, type: String, example: 'KEN' }) memberState: string | null;
  @ApiProperty({
    nullable: true,
    enum: LANGUAGES,
    example: null,
    description: "The user's chosen language; null follows the browser",
  })
  preferredLanguage: string | null;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ nullable: true, enum: LANGUAGES, example: 'fr', description: 'null to follow the browser' })
  // Absent leaves the language as it is; null goes back to following the browser.
  @IsOptional()
  @IsIn(LANGUAGES)
  preferredLanguage?: string | null;
}

export class SessionDto {
  @ApiProperty({ description: 'Short-lived bearer token (SESSION_ACCESS_TTL_SECONDS)' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 300 }) expiresIn: number;
  @ApiProperty({ type: MeDto }) user: MeDto;
}
