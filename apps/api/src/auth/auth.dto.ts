import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { tokenRequestSchema } from '@app/domain';

export class TokenRequestDto extends createZodDto(tokenRequestSchema) {}

export class TokenResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600 }) expiresIn: number;
  @ApiProperty({ example: 'cted_officer' }) role: string;
  @ApiProperty({ type: String, nullable: true, example: null }) memberState: string | null;
}
