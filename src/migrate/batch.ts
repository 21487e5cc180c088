import { randomBytes } from 'node:crypto';
import type { Pool } from '../db/connect.js';
import { query, registryName, registryQuery, sqlText } from '../db/queries.js';
import { schemaLockName } from '../tenancy/locks.js';
import type { RunContext } from './apply.js';
import { guardedRegistry } from './integrity.js';
import type { SchemaPlan } from './plan.js';
import { sectionText } from './section.js';

/**
 * Several tenants' `migrate up` in one transaction, a savepoint each, sent as one simple-protocol
 * text: one write and one wait for the whole batch instead of round trips, a BEGIN and a COMMIT
 * per tenant. A tenant's migration and its bookkeeping still stand or fall together, and each
 * tenant is checked as apply.ts checks one alone (the issue-12 checks), but once for the whole
 * batch instead of twice per tenant:
 * - first the schemas' locks (batch-lock.sql) and, under them, which migrations are applied
 *   already and the baseline of the checks (batch-begin.sql);
 * - per tenant its savepoint, then per file a mark, the section, a mark again
 *   (batch-mark-start.sql, batch-mark-end.sql: what OIDs the file's objects have, whether it
 *   dropped relations or wrote tenantctl's tables) and the file's record (record-applied.sql);
 *   tenantctl's statements are prepared once for the batch (batchStatements);
 * - at the end batch-after.sql finds, from the marks and the records' transaction ids, the first
 *   tenant that created, dropped or altered something outside its schema or wrote the
 *   bookkeeping, and batch-registry-rows.sql whether a registry row is gone.
 * A tenant the checks name is rolled back to its savepoint (which undoes only it and the tenants
 * sent after it; those are sent again) and handed back to run alone, as before batches, which
 * reports and records it exactly as it always has; so is a tenant whose migration another run
 * applied first (alone, it is skipped, and says so). A failed statement, or what the checks cannot
 * pin on one tenant, sends the whole batch alone. The batch commits once: a crash before that
 * loses the batch, none of which was reported or recorded as applied.
 * The cost: every tenant of a batch keeps its locks (ACCESS EXCLUSIVE on what its migration
 * altered) until the batch commits, so the application waits on a tenant for up to a batch's
 * time (RunOptions.batchSize).
 */

/** A plan that can join a batch: an `up` of a tenant schema whose files all run in a transaction and are not known to need running alone (RunContext.alone). */
export function batchable(plan: SchemaPlan, direction: 'up' | 'down', run: RunContext): boolean {
  return direction === 'up' && plan.scope === 'tenant' && !plan.spare && plan.migrations.length > 0
    && plan.migrations.every((m) => m.up.transaction && !run.alone.has(m.path) && !run.dropping.has(`up ${m.path}`));
}

/** `value` as a dollar-quoted literal: whatever it holds, and whatever standard_conforming_strings says. */
function literal(value: string): string {
  let tag = 'v';
  while (value.includes(`$${tag}$`)) tag += 'v';
  return `$${tag}$${value}$${tag}$`;
}

/**
 * The statements of tenantctl's own in a batch: the marks (batch-mark-start.sql,
 * batch-mark-end.sql) and the record of each migration (record-applied.sql), prepared under names
 * of the batch's own, so that they are parsed and planned once for the batch instead of in every
 * tenant. Names are new each batch: a batch that fails before its DEALLOCATE (a prepared statement
 * outlives the transaction) leaves nothing a later one could collide with, on this connection or
 * behind a transaction pooler.
 */
function batchStatements(writes: string) {
  const name = `tenantctl_batch_${randomBytes(6).toString('hex')}`;
  const mark = (file: string) => sqlText(`migrate/batch-mark-${file}`).replace('{{writes}}', writes);
  return {
    prepare: [
      `prepare ${name}_start (integer) as ${mark('start')}`,
      `prepare ${name}_end as ${mark('end')}`,
      `prepare ${name}_record as ${sqlText('migrate/record-applied')};`,
    ].join('\n'),
    /** One tenant's statements: its savepoint, then per file the marks around its section, and its record. */
    tenant: (plan: SchemaPlan, index: number): string => `savepoint tenantctl_tenant_${index};\n${plan.migrations.map((m) => [
      `execute ${name}_start(${index});`,
      sectionText(plan, m.up),
      `execute ${name}_end;`,
      `execute ${name}_record(${[plan.schema, plan.scope, m.version, m.name, m.checksum].map(literal).join(', ')}, null);\n`,
    ].join('\n')).join('')}`,
    deallocate: `deallocate ${name}_start; deallocate ${name}_end; deallocate ${name}_record`,
  };
}

/** The tenant (its index in `plans`) of each record the transaction holds, in order: each tenant still in it (not in `alone`) made one per file. */
const recordTenants = (plans: SchemaPlan[], alone: Set<number>): number[] =>
  plans.flatMap((plan, i) => (alone.has(i) ? [] : plan.migrations.map(() => i)));

/** What a batch did: the plans committed, and the ones to run alone (apply.ts), in their order. */
export interface BatchResult {
  applied: SchemaPlan[];
  alone: SchemaPlan[];
}

/**
 * Migrate `plans` (all batchable) in one transaction. Never throws for a tenant's failure: that
 * tenant is returned in `alone`. If the transaction itself fails (its COMMIT, the connection),
 * every plan is returned in `alone`, none applied.
 */
export async function applyBatch(sql: Pool, plans: SchemaPlan[], run: RunContext): Promise<BatchResult> {
  const alone = new Set<number>();
  const registry = plans[0]?.registry;
  if (!registry || plans.some((p) => p.registry !== registry)) throw new Error('a batch of tenants needs their one registry');
  const files = plans.flatMap((p) => p.migrations.map((m) => ({ schema: p.schema, version: m.version })));
  try {
    await sql.begin(async (t) => {
      // The locks, then (a statement of its own, under them) what is applied already: one round
      // trip for the batch. A tenant another run migrated first runs alone, which says so.
      const locked = query(t, 'migrate/batch-lock', [plans.map((p) => schemaLockName(p.schema)), run.asyncCommit]);
      const [begun] = await Promise.all([query<{ applied: string[]; writes: string }>(t, 'migrate/batch-begin', [files.map((f) => f.schema), files.map((f) => f.version), guardedRegistry(plans[0]!)]), locked]);
      const { applied, writes } = begun[0]!;
      const statements = batchStatements(writes);
      plans.forEach((p, i) => applied.includes(p.schema) && alone.add(i));
      let from = 0;
      let prepared = false;
      while (from < plans.length) {
        // The tenants from `from` on, one simple-protocol text (tenantctl's statements prepared
        // first, in the first): one message, and one parse of those statements, for the batch.
        const tenants = plans.slice(from).map((plan, k) => (alone.has(from + k) ? '' : statements.tenant(plan, from + k))).join('');
        if (!tenants) break;
        // postgres.js sends a query a fixed number of microtasks after something first waits on
        // it: awaited at once inside an async function, as query() does with the checks below, so
        // that the queries go out in the order they are called.
        const sent = (async () => { await t.unsafe(`${prepared ? '' : `${statements.prepare}\n`}${tenants}`).simple(); })();
        prepared = true;
        const after = query<{ culprit: number | null; dropped: number | null; unexplained: string | null }>(t, 'migrate/batch-after', [recordTenants(plans, alone), plans.map((p) => p.schema), registryName(registry)]);
        const rows = registryQuery<{ missing: string }>(t, 'migrate/batch-registry-rows', registry, [plans.filter((_, i) => !alone.has(i)).map((p) => p.schema)]);
        // A failed statement fails the transaction (postgres.js rejects the whole of sql.begin
        // when any query in it failed): every tenant of the batch runs alone, where the failing one
        // is reported by file:line:column and the others are applied.
        const [, [verdict], missing] = await Promise.all([sent, after, rows]);
        // What no one tenant can be blamed for (a registry row gone: which tenant removed it is
        // not known here) sends the whole batch alone, where each tenant's own checks tell.
        if (verdict!.unexplained) throw new Error(verdict!.unexplained);
        if (missing.length) throw new Error('a registry row of the batch is gone');
        const culprit = verdict!.culprit ?? Infinity;
        const dropped = verdict!.dropped ?? Infinity;
        if (culprit === Infinity && dropped === Infinity) break;
        const failedAt = Math.min(culprit, dropped);
        if (plans[failedAt] === undefined || alone.has(failedAt) || failedAt < from) throw new Error(`batch-after named tenant ${failedAt} of ${plans.length}`);
        // Undoes the culprit and the tenants after it; those are sent again.
        await t.unsafe(`rollback to savepoint tenantctl_tenant_${failedAt}`).simple();
        alone.add(failedAt);
        // A file that drops relations needs the schema's relations listed, alone (integrity.ts),
        // and does so in every tenant: the rest of the batch, and of the run, runs it alone.
        if (dropped <= culprit) {
          for (const migration of plans[failedAt]!.migrations) run.alone.add(migration.path);
          for (let k = failedAt + 1; k < plans.length; k++) alone.add(k);
          break;
        }
        from = failedAt + 1;
      }
      if (prepared) await t.unsafe(statements.deallocate).simple();
    });
  } catch {
    return { applied: [], alone: plans };
  }
  return { applied: plans.filter((_, i) => !alone.has(i)), alone: plans.filter((_, i) => alone.has(i)) };
}
