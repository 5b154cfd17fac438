/**
 * The shape bench.crud.soft_delete and bench.crud.restore share: put the category's user pool in
 * one state (setup, one statement), then flip users of the pool to the other state, each user once,
 * one transaction each, and check afterwards that the flipped users are stored in the new state
 * with one audit row each.
 */
import type { AuditAction } from '../../db/entities/audit-log.js';
import type { ScenarioDefinition } from '../scenario.js';
import type { Session } from '../subject.js';
import { ensureUserPool, setPoolDeleted, UserDrawer } from './bench-users.js';
import { defineSimpleBench } from './simple-bench.js';
import { countAuditRows, countUsers, storedCheck } from './stored-rows.js';

export interface PoolFlip {
  /** State the pool is put in before the benchmark. */
  from: 'live' | 'deleted';
  /** The repository call that flips one user. */
  flip: (session: Session, id: string) => Promise<unknown>;
  /** The audit action each flip writes. */
  action: AuditAction;
  /** Name of the check that the flipped users are stored in the new state. */
  storedCheckName: string;
}

/** A benchmark that flips pool users from one state to the other. */
export function definePoolFlipBench(id: string, spec: PoolFlip): ScenarioDefinition {
  return defineSimpleBench(id, async (ctx) => {
    const pool = await ensureUserPool(ctx);
    await setPoolDeleted(ctx.db, pool, spec.from === 'deleted');
    const drawer = new UserDrawer(pool, ctx.random);
    const auditBefore = await countAuditRows(ctx.db, 'User', pool, [spec.action]);
    const flipped: string[] = [];
    return {
      operation: async () => {
        const userId = drawer.draw();
        await ctx.db.write((s) => spec.flip(s, userId));
        flipped.push(userId);
      },
      verify: async () => [
        storedCheck(spec.storedCheckName, await countUsers(ctx.db, flipped, spec.from === 'live' ? 'deleted' : 'live'), flipped.length),
        storedCheck('audit_rows_stored', (await countAuditRows(ctx.db, 'User', pool, [spec.action])) - auditBefore, flipped.length),
      ],
    };
  });
}
