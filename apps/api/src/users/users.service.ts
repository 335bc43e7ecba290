import { Injectable } from '@nestjs/common';
import { Role } from '@app/domain';
import { UserRepository, UserRow } from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { hashPassword } from '../auth/auth.service';
import { apiError, notFound } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { ChangeRoleDto, CreateUserDto, ListUsersQuery, UserDto, UserPageDto } from './users.dto';

/** Whitelisting mapper: the password hash never leaves the database layer. */
function toUser(r: UserRow): UserDto {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    memberState: r.member_state?.trim() ?? null,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  async list(q: ListUsersQuery): Promise<UserPageDto> {
    const limit = q.limit ?? 50;
    const rows = await this.users.list({
      role: q.role,
      memberState: q.memberState,
      active: q.active,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toUser),
      nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }

  private async knownState(dto: { role: Role; memberState?: string | null }): Promise<string | null> {
    const memberState = dto.role === Role.MemberState ? dto.memberState! : null;
    if (memberState) {
      if (!(await this.users.memberStateExists(memberState))) {
        throw apiError('UNKNOWN_MEMBER_STATE', `memberState: ${memberState} is not a UN Member State`, [
          { field: 'memberState', reason: 'not a UN Member State' },
        ]);
      }
    }
    return memberState;
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    const memberState = await this.knownState(dto);
    const hash = await hashPassword(dto.password);
    const row = await this.users.create({
      email: dto.email,
      displayName: dto.displayName,
      passwordHash: hash,
      role: dto.role,
      memberState,
    });
    if (!row) {
      throw apiError('EMAIL_TAKEN', 'a user with this e-mail address already exists', [
        { field: 'email', reason: 'already taken' },
      ]);
    }
    return toUser(row);
  }

  /** Takes effect on the user's next call: the access guard reads role and State from the database. */
  async changeRole(admin: Principal, id: string, dto: ChangeRoleDto): Promise<UserDto> {
    if (id.toLowerCase() === admin.userId.toLowerCase() && dto.role !== Role.Admin) {
      throw apiError('CANNOT_DEMOTE_SELF', 'an administrator cannot remove their own administrator role', [
        { field: 'role', reason: 'you cannot remove your own administrator role' },
      ]);
    }
    const memberState = await this.knownState(dto);
    const row = await this.users.changeRole(id, dto.role, memberState);
    if (!row) throw notFound('id', 'user', `user ${id} not found`);
    return toUser(row);
  }

  /** Idempotent; the account can no longer obtain tokens, and tokens already issued stop working. */
  async deactivate(admin: Principal, id: string): Promise<UserDto> {
    if (id.toLowerCase() === admin.userId.toLowerCase()) {
      throw apiError('CANNOT_DEACTIVATE_SELF', 'an administrator cannot deactivate their own account');
    }
    const row = await this.users.deactivate(id);
    if (!row) throw notFound('id', 'user', `user ${id} not found`);
    return toUser(row);
  }
}
