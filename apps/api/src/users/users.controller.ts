import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { UUID_PARAM } from '../common/validation';
import { ChangeRoleDto, CreateUserDto, ListUsersQuery, UserDto, UserPageDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'List user accounts (administrators only)',
    description: 'Oldest first, keyset-paginated. Password hashes are never returned.',
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems([400, 'A query parameter is invalid'], [422, 'cursor was not issued by this API'])
  list(@Query() query: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(query);
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Create a user account (administrators only)',
    description:
      'The password is stored as an argon2id hash. `memberState` is required for, and only for, role member_state.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(
    [400, 'Invalid body (the field is named in `errors`)'],
    [409, 'The e-mail address is taken (EMAIL_TAKEN)'],
    [422, 'memberState is not a UN Member State'],
  )
  create(@Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(body);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiParam({ name: 'id', format: 'uuid', example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' })
  @ApiOperation({
    summary: "Change a user's role and State (administrators only)",
    description: 'Applies to the next call the user makes: role and State are read from the database on every call.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(
    [400, 'Invalid body (the field is named in `errors`)'],
    404,
    [409, 'An administrator cannot remove their own administrator role (CANNOT_DEMOTE_SELF)'],
    [422, 'memberState is not a UN Member State'],
  )
  changeRole(
    @CurrentUser() admin: Principal,
    @Param('id', UUID_PARAM('id', 'user')) id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<UserDto> {
    return this.users.changeRole(admin, id, body);
  }

  @Post(':id/actions/deactivate')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiParam({ name: 'id', format: 'uuid', example: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' })
  @ApiOperation({
    summary: 'Deactivate a user account (administrators only)',
    description: 'Idempotent. The account can no longer obtain a token, and the tokens it holds stop working at once.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(
    [400, 'Malformed request'],
    [404, 'No such user, whatever the shape of the id'],
    [409, 'An administrator cannot deactivate their own account (CANNOT_DEACTIVATE_SELF)'],
  )
  deactivate(@CurrentUser() admin: Principal, @Param('id', UUID_PARAM('id', 'user')) id: string): Promise<UserDto> {
    return this.users.deactivate(admin, id);
  }
}
