// Invitation inbox (docs/api.md §6.7).

import { ApiError } from '../errors.mjs';
import { enumOf } from '../enums.mjs';
import { NO_CONTENT } from './shared.mjs';

/** PENDING past expiresAt reads as EXPIRED. */
const effectiveStatus = (inv, now) => (inv.status === 'PENDING' && Date.parse(inv.expiresAt) <= now ? 'EXPIRED' : inv.status);

function view(ctx, inv) {
  return {
    invitationBizId: inv.id,
    workspaceBizId: inv.workspaceId,
    workspaceName: ctx.state.db.workspaces[inv.workspaceId].name,
    invitedBy: inv.invitedBy,
    role: enumOf('workspaceRole', inv.role, ctx.lang),
    status: enumOf('invitationStatus', effectiveStatus(inv, ctx.state.now()), ctx.lang),
    expiresAt: inv.expiresAt,
  };
}

export const listInvitations = {
  handler(ctx) {
    return Object.values(ctx.state.db.invitations)
      .filter((inv) => inv.accountId === ctx.account.id)
      .sort((x, y) => y.createdAt.localeCompare(x.createdAt))
      .map((inv) => view(ctx, inv));
  },
};

/** The caller's invitation in state PENDING, or the documented error. */
function pendingInvitation(ctx) {
  const { invitations } = ctx.state.db;
  const inv = Object.hasOwn(invitations, ctx.params.invitationBizId) ? invitations[ctx.params.invitationBizId] : null;
  if (!inv || inv.accountId !== ctx.account.id) throw new ApiError('WORKSPACE.INVITATION_NOT_FOUND');
  const status = effectiveStatus(inv, ctx.state.now());
  if (status === 'EXPIRED') throw new ApiError('WORKSPACE.INVITATION_EXPIRED');
  if (status !== 'PENDING') throw new ApiError('WORKSPACE.INVITATION_ALREADY_PROCESSED');
  return inv;
}

export const acceptInvitation = {
  schema: {},
  handler(ctx) {
    const a = ctx.account;
    const inv = pendingInvitation(ctx);
    if (a.status === 'PENDING_APPROVAL') throw new ApiError('AUTH.ACCOUNT_PENDING_APPROVAL');
    inv.status = 'ACCEPTED';
    const db = ctx.state.db;
    if (!db.memberships.some((m) => m.accountId === a.id && m.workspaceId === inv.workspaceId)) {
      db.memberships.push({ accountId: a.id, workspaceId: inv.workspaceId, role: inv.role });
    }
    const hadDefault = a.defaultWorkspaceId !== null;
    if (!hadDefault) a.defaultWorkspaceId = inv.workspaceId;
    const othersPending = Object.values(db.invitations)
      .some((o) => o.accountId === a.id && effectiveStatus(o, ctx.state.now()) === 'PENDING');
    const next = hadDefault && othersPending ? 'STAY_ON_CURRENT_WORKSPACE' : 'ENTER_ACCEPTED_WORKSPACE';
    return { workspaceBizId: inv.workspaceId, becameDefaultWorkspace: !hadDefault, nextAction: enumOf('nextAction', next, ctx.lang) };
  },
};

export const declineInvitation = {
  schema: {},
  handler(ctx) {
    pendingInvitation(ctx).status = 'DECLINED';
    return NO_CONTENT;
  },
};
