import { Injectable } from '@nestjs/common';
import {
  AssignmentAction,
  AssignmentCommand,
  Role,
  assignableRoles,
  bodyOfRole,
  isSupervisor,
  responsibleBody,
} from '@app/domain';
import { assignmentUpdate } from '@app/contracts';
import { RequestRepository, UserRepository } from '@app/persistence';
import type { Principal } from '../auth/access.decorators';
import { apiError } from '../common/api-error';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { AssignableUserListDto } from './assignment.mapper';
import { DecisionsService } from './decisions.service';
import { RequestDetailDto } from './request.mapper';
import { RequestsService } from './requests.service';

/**
 * Claim, assign and unassign: decisions on the request's workflow (one Update, `assignmentUpdate`),
 * validated there by the pure domain rules (libs/domain/src/assignment.ts). What only Postgres knows
 * (the named user exists, is active and has a role of the right body) is checked here first.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly store: RequestRepository,
    private readonly users: UserRepository,
    private readonly requests: RequestsService,
    private readonly decisions: DecisionsService,
    private readonly temporal: TemporalClientService,
  ) {}

  async act(
    p: Principal,
    reference: string,
    action: AssignmentAction,
    body: { decisionId?: string; assigneeId?: string },
    header?: string,
  ): Promise<RequestDetailDto> {
    const decisionId = this.decisions.decisionId(p, body.decisionId, header);
    const { row, done, assignee } = await this.decisions.beforeEffect(async () => {
      const row = await this.requests.findVisible(p, reference);
      const done = await this.store.decisionRecorded(row.id, decisionId);
      const assignee = action === 'assign' && !done ? await this.assignee(row.stage, body.assigneeId!) : undefined;
      return { row, done, assignee };
    });
    if (!done) {
      const cmd: AssignmentCommand = {
        decisionId,
        action,
        actor: this.decisions.actor(p),
        ...(assignee ? { assignee } : {}),
      };
      await this.decisions.call(
        () =>
          this.temporal.client.workflow
            .getHandle(row.workflowId)
            .executeUpdate(assignmentUpdate, { args: [cmd], updateId: `${action}:${decisionId}` }),
        {},
      );
    }
    return this.requests.get(p, reference);
  }

  /** The named user, if it may hold a request in this stage: active, and of the body working on it. */
  private async assignee(stage: string, userId: string): Promise<{ userId: string; role: Role }> {
    const body = responsibleBody({ stage });
    const user = await this.users.activeRole(userId);
    // A closed request has no body: the workflow answers REQUEST_CLOSED.
    if (body && (!user || !assignableRoles(body).includes(user.role as Role))) {
      const reason = `must be an active ${body.toUpperCase()} officer or supervisor`;
      throw apiError('INVALID_ASSIGNEE', `assigneeId ${reason}`, [{ field: 'assigneeId', reason }]);
    }
    return { userId, role: (user?.role ?? Role.CtedOfficer) as Role };
  }

  /**
   * Whom the caller may assign the request to now: the active users of the body working on it, if
   * the caller supervises that body (an empty list otherwise).
   */
  async assignable(p: Principal, reference: string): Promise<AssignableUserListDto> {
    const row = await this.requests.findVisible(p, reference);
    const body = responsibleBody(row);
    if (!body || !isSupervisor(p.role) || bodyOfRole(p.role) !== body) return { items: [] };
    return { items: await this.users.assignable(assignableRoles(body)) };
  }
}
