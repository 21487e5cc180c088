import type { Sql } from '../db/connect.js';
import type { EntitySpec } from '../csv/spec.js';
import type { RetentionRule } from '../maintain/config.js';
import type { TenantLifecycle } from './lifecycle.js';
import type { PooledDeclarations } from '../pooled/declarations.js';
import type { PooledFixtureRecipe } from '../fixtures/pooled/recipe.js';
import type { TenancyStrategy } from './strategy.js';

/**
 * A tenancy profile: how one system keeps its tenants, as data plus small functions behind
 * one interface. Commands resolve the profile once (flag, TENANTCTL_PROFILE, or what the
 * database recorded at its first `migrate up`) and pass it down; no domain imports a
 * concrete profile or branches on a profile's name.
 */
export interface TenancyProfile {
  /** What users type after --profile. */
  readonly name: string;
  readonly description: string;
  /** schema-per-tenant: a schema per tenant; pooled: one schema, a tenant key column on the rows. */
  readonly mode: TenancyMode;
  /**
   * The oldest PostgreSQL major its migrations run on, and why: `migrate up`, `tenant create`
   * and `demo` refuse an older server before anything is applied or recorded.
   */
  readonly serverMinimum: { major: number; why: string };
  readonly registry: RegistrySpec;
  readonly migrations: MigrationFolders;
  /**
   * Check a handle a user typed before any SQL runs (commerce: the slug rule; IMSOP: an
   * organization name, any text). Returns the handle as stored; throws a usage error naming `flag`.
   */
  validateHandle(handle: string, flag?: string): string;
  /** What `tenant create` asks for, as flags in scripts and prompts on a terminal. */
  readonly provisioning: ProvisioningSpec;
  /** Subscriptions with plans and per-tenant feature overrides (`tenant plan`, `tenant features`): commerce has them. */
  readonly plansAndFeatures: boolean;
  /** The tenant operations (create, list, show, status, export, erase) for this profile's layout. */
  readonly lifecycle: TenantLifecycle;
  /** Pooled profiles: what the pooled engine (src/pooled/) needs beyond the catalog. */
  readonly pooled?: PooledDeclarations;
  /** CSV entities (`import`/`export`); issue 16 fills these in for pooled profiles. */
  readonly csvEntities?: Readonly<Record<string, EntitySpec>>;
  /** A second isolation level inside a tenant (Prometric: workspaces), for `tenant workspace`. */
  readonly subLevel?: SubLevelSpec;
  /** Retention rules `maintain` applies; issue 16 fills these in for pooled profiles. */
  readonly retention?: readonly RetentionRule[];
  /** Schema per tenant: where a tenant's schema is and how it is made (commerce: tenant_<slug>). */
  readonly strategy?: TenancyStrategy;
  /** Pooled profiles: what `fixtures generate` makes, loaded only when that command runs. */
  readonly fixtures?: () => Promise<PooledFixtureRecipe>;
}

export type TenancyMode = 'schema-per-tenant' | 'pooled';

/** The tenant registry: one row per tenant, whoever inserted it (tenantctl or the application). */
export interface RegistrySpec {
  schema: string;
  table: string;
  /** The registry key (id): what every tenant column and receipt refers to. */
  key: string;
  /** The column users type to name a tenant (slug, name, bin). */
  handle: string;
  /** What the handle is called in messages and help (slug, name, BIN). */
  handleLabel: string;
  /** The human-readable name. */
  name: string;
  /**
   * The status column, its values for active and suspended, and every status word `tenant list`
   * shows and `--status` takes (a value outside them is a typo, refused rather than matching nothing).
   */
  status: { column: string; active: string; suspended: string; words: readonly string[] };
  /** Soft-delete column (a set value = deleted), or null. */
  softDelete: string | null;
  /** A column shown as the plan in `tenant list` (IMSOP: subscription_tier), or null when the plan lives elsewhere. */
  plan: string | null;
  /** When the tenant was created, or null. */
  createdAt: string | null;
  /**
   * The column naming a tenant's own schema (schema per tenant), or null: pooled, every
   * tenant's rows live in `schema`.
   */
  targetColumn: string | null;
  /**
   * Shared tables beside the registry whose rows belong to one tenant by a column holding its
   * key (commerce: subscriptions, tenant_features, audit_logs), in `schema`: a schema-per-tenant
   * `backup restore-tenant` brings them back with the registry row. Pooled registries list
   * none: the pooled engine finds every row of an organization from the catalog.
   */
  companions: readonly RegistryCompanion[];
}

/** A shared table holding rows of one tenant each, by a tenant column (see RegistrySpec.companions). */
export interface RegistryCompanion {
  table: string;
  /** The column holding the tenant's registry key. */
  column: string;
  /** The row's own key, a uuid: a restored row whose key is taken gets a new one. */
  key: string;
}

/**
 * Where a profile's migrations are, as folders under the migrations root. `shared` runs
 * once on the shared target (commerce: `public`; pooled: the one pooled schema); `tenant`
 * runs per tenant schema, or is null when there are no per-tenant targets.
 */
export interface MigrationFolders {
  shared: string;
  tenant: string | null;
}

/** One field of `tenant create`: a flag in scripts, a prompt on a terminal. */
export interface ProvisionField {
  /** The key in the values handed to `lifecycle.create`. */
  key: string;
  /** The long flag, without dashes (`owner-email`); the first positional argument is `handle`. */
  flag: string;
  label: string;
  required: boolean;
  /** Fixed choices (a select prompt), shown in the flag's help. */
  choices?: readonly string[];
  /** Value when neither flag nor prompt gives one (also the prompt's initial value). */
  default?: string;
  /** The prompt's initial value, from what was already given (commerce: a slug from the name). */
  suggest?: (values: Readonly<Record<string, string | number | undefined>>) => string;
  /** Choices read from the database (commerce: the plans), for a select prompt. */
  lookup?: (sql: Sql) => Promise<{ value: string; label: string; hint?: string }[]>;
  /** Parse the flag's text (e.g. a whole number). */
  parse?: 'whole-number';
  /** A problem with a typed value, or undefined: used by prompts; `create` validates again. */
  check?: (value: string) => string | undefined;
}

/** What `tenant create` needs for a profile. */
export interface ProvisioningSpec {
  /** The fields, in prompt order. The handle comes first when it is the positional argument. */
  fields: readonly ProvisionField[];
  /** One example command line, for help and usage errors. */
  example: string;
}

/** A level below the tenant (Prometric's workspaces): listed and added by `tenant workspace`. */
export interface SubLevelSpec {
  /** What one is called in commands and messages. */
  label: string;
  /** The types `add --type` accepts. */
  types: readonly string[];
  list(sql: Sql, tenantId: string): Promise<{ id: string; name: string; type: string; status: string; created_at: Date }[]>;
  add(sql: Sql, tenantId: string, name: string, type: string): Promise<{ id: string; name: string; type: string; status: string; created_at: Date }>;
}
