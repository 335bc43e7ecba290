import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { Role } from '@app/domain';
import { IsText } from '../common/validators';

export const USER_ROLES = [Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.Admin] as const;

export class CreateUserDto {
  @ApiProperty({ example: 'focal.uga@ctap.local', maxLength: 254, description: 'Unique; stored in lower case' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Uganda focal point', maxLength: 200 })
  @IsText(200)
  displayName: string;

  @ApiProperty({
    example: 'Correct-Horse-Battery-9',
    minLength: 12,
    maxLength: 200,
    description: 'At least 12 characters; stored only as an argon2id hash',
  })
  @IsString()
  @Length(12, 200)
  password: string;

  @ApiProperty({ enum: USER_ROLES, example: 'member_state' })
  @IsIn(USER_ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 'UGA',
    description:
      'ISO 3166 alpha-3 of the State a focal point speaks for: required for role member_state, absent otherwise',
  })
  @ValidateBy({
    name: 'memberStateForRole',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as CreateUserDto).role === Role.MemberState
          ? typeof value === 'string' && /^[A-Z]{3}$/.test(value)
          : value === undefined || value === null,
      defaultMessage: (args) =>
        (args?.object as CreateUserDto).role === Role.MemberState
          ? 'memberState is required for role member_state, as an ISO 3166 alpha-3 code'
          : 'memberState is only given for role member_state',
    },
  })
  memberState?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES, example: 'cted_officer' })
  @IsIn(USER_ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 'UGA',
    description: 'ISO 3166 alpha-3: required for role member_state, absent otherwise',
  })
  @ValidateBy({
    name: 'memberStateForRole',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as ChangeRoleDto).role === Role.MemberState
          ? typeof value === 'string' && /^[A-Z]{3}$/.test(value)
          : value === undefined || value === null,
      defaultMessage: (args) =>
        (args?.object as ChangeRoleDto).role === Role.MemberState
          ? 'memberState is required for role member_state, as an ISO 3166 alpha-3 code'
          : 'memberState is only given for role member_state',
    },
  })
  memberState?: string;
}

export class UserDto {
  @ApiProperty({ example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' }) id: string;
  @ApiProperty({ example: 'focal.uga@ctap.local' }) email: string;
  @ApiProperty({ example: 'Uganda focal point' }) displayName: string;
  @ApiProperty({ enum: USER_ROLES, example: 'member_state' }) role: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'UGA' }) memberState: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-10-02T09:15:00.000Z' }) createdAt: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: USER_ROLES }) @IsOptional() @IsIn(USER_ROLES) role?: Role;
  @ApiPropertyOptional({ example: 'KEN' }) @IsOptional() @Matches(/^[A-Z]{3}$/) memberState?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
