import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { SchemaPlan } from './plan.js';

/**
 * What a migration broke, checked inside its transaction after its statements and before
 * its commit, so that the caller can roll back: the tenant registry and tenantctl's
 * bookkeeping must still exist; a tenant migration must leave its registry row in place and
 * create nothing outside its own schema. (Shared migrations own public, including the
 * registry: the shared baseline's down section drops it on purpose.)
 * Not caught: changes to existing objects outside the schema (ALTER, DROP of other shared
 * tables), and objects whose OID came from a wrapped-around OID counter.
 * @param watermark the highest OID in use when the transaction began (migrate/lock-and-check)
 * @returns why the migration must be rolled back, or undefined
 */
export async function integrityProblem(tx: Sql, plan: SchemaPlan, watermark: string | number): Promise<string | undefined> {
  const registry = plan.registry ? registryName(plan.registry) : null;
  const [catalog] = await query<{ registry: boolean | null; bookkeeping: boolean }>(tx, 'migrate/integrity-catalog', [registry]);
  if (!catalog!.bookkeeping) return "it dropped tenantctl's bookkeeping (tenantctl.schema_migrations / schema_state)";
  if (plan.scope !== 'tenant') return undefined;
  if (catalog!.registry === false) return `it dropped the tenant registry ${plan.registry!.schema}.${plan.registry!.table}`;
  if (!plan.spare && !plan.registry) throw new Error(`tenant plan for ${plan.schema} names no registry: build it with planUp/planDown from readFleetState, or the strategy's createStorage`);
  const [row] = plan.registry && !plan.spare
    ? await registryQuery<{ present: boolean }>(tx, 'migrate/integrity-tenant-row', plan.registry, [plan.schema])
    : await query<{ present: boolean }>(tx, 'pool/integrity-row', [plan.schema]);
  if (!row!.present) return `it removed the registry row of ${plan.schema} from ${plan.registry && !plan.spare ? `${plan.registry.schema}.${plan.registry.table}` : 'tenantctl.tenant_pool'}`;
  const outside = await query<{ kind: string; schema: string; name: string }>(tx, 'migrate/created-outside', [plan.schema, watermark]);
  if (outside.length) return `it created objects outside ${plan.schema}: ${outside.map((o) => `${o.schema}.${o.name} (${o.kind})`).join(', ')}`;
  return undefined;
}
