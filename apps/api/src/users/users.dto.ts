import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { USER_ROLES, changeRoleSchema, createUserSchema, listUsersQuerySchema } from '@app/domain';

export { USER_ROLES };

export class CreateUserDto extends createZodDto(createUserSchema) {}

export class ChangeRoleDto extends createZodDto(changeRoleSchema) {}

export class UserDto {
  @ApiProperty({ example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' }) id: string;
  @ApiProperty({ example: 'focal.uga@ctap.local' }) email: string;
  @ApiProperty({ example: 'Uganda focal point' }) displayName: string;
  @ApiProperty({ enum: USER_ROLES, example: 'member_state' }) role: string;
  @ApiProperty({ type: String, nullable: true, example: 'UGA' }) memberState: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-10-02T09:15:00.000Z' }) createdAt: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}

export class ListUsersQuery extends createZodDto(listUsersQuerySchema) {}
