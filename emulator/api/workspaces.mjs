// Workspaces (docs/api.md §6.7): list, create, choose the default.

import { ApiError } from '../errors.mjs';
import { enumOf } from '../enums.mjs';
import { randomId } from '../state.mjs';
import { NO_CONTENT } from './shared.mjs';

const view = (ctx, m) => ({
  workspaceBizId: m.workspaceId,
  workspaceName: ctx.state.db.workspaces[m.workspaceId].name,
  role: enumOf('workspaceRole', m.role, ctx.lang),
  isDefault: ctx.account.defaultWorkspaceId === m.workspaceId,
});

export const mine = {
  handler: (ctx) => ctx.state.membershipsOf(ctx.account.id).map((m) => view(ctx, m)),
};

export const create = {
  schema: { workspaceName: { type: 'string', required: true, max: 200, check: (v) => { const n = [...v.trim()].length; return n === 0 ? 'FIELD_INVALID' : n > 80 ? 'FIELD_TOO_LONG' : null; } } },
  handler(ctx) {
    const a = ctx.account;
    if (a.status === 'PENDING_APPROVAL') throw new ApiError('AUTH.ACCOUNT_PENDING_APPROVAL');
    const id = randomId(`WS_${a.portal.slice(0, 3).toUpperCase()}_`, 9);
    ctx.state.db.workspaces[id] = { id, portal: a.portal, name: ctx.body.workspaceName.trim() };
    const membership = { accountId: a.id, workspaceId: id, role: 'OWNER' };
    ctx.state.db.memberships.push(membership);
    if (a.defaultWorkspaceId === null) a.defaultWorkspaceId = id;
    return view(ctx, membership);
  },
};

export const selectDefault = {
  schema: { workspaceBizId: { type: 'string', required: true, max: 128 } },
  handler(ctx) {
    const member = ctx.state.membershipsOf(ctx.account.id).some((m) => m.workspaceId === ctx.body.workspaceBizId);
    if (!member) throw new ApiError('WORKSPACE.NOT_FOUND');
    ctx.account.defaultWorkspaceId = ctx.body.workspaceBizId;
    return NO_CONTENT;
  },
};
