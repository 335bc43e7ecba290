import { ApiProperty } from '@nestjs/swagger';
import { Role } from '@app/domain';

/** Who works on a request for the body working on it now. Staff only: focal points never see it. */
export class AssigneeDto {
  @ApiProperty({ format: 'uuid', example: '5b0c1f4e-8a7d-4c3b-9e21-6f0a2d3c4b5e' }) id: string;
  @ApiProperty({ example: 'CTED Officer' }) displayName: string;
}

/** An active user a supervisor may assign the request to. */
export class AssignableUserDto extends AssigneeDto {
  @ApiProperty({ enum: [Role.CtedOfficer, Role.CtedSupervisor, Role.UnodcManager, Role.UnodcSupervisor] })
  role: string;
}

export class AssignableUserListDto {
  @ApiProperty({ type: [AssignableUserDto] }) items: AssignableUserDto[];
}

/**
 * The assignee of a row read with ASSIGNEE_COLUMNS, as the viewer may see it: assignment is CTED's
 * and UNODC's business, so a focal point gets null even for its own State's requests.
 */
export function assigneeOf(
  row: { assignee_id?: unknown; assignee_name?: unknown },
  viewer: { role: string },
): AssigneeDto | null {
  if (viewer.role === Role.MemberState || typeof row.assignee_id !== 'string') return null;
  return { id: row.assignee_id, displayName: typeof row.assignee_name === 'string' ? row.assignee_name : '' };
}
