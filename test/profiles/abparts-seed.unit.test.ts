import { describe, expect, it } from 'vitest';
import { parseSeed002 } from './abparts-seed.js';

const fence = (sql: string): string => `Some prose.\n\n\`\`\`sql\n${sql}\n\`\`\`\n\n\`\`\`bash\nalembic upgrade head\n\`\`\`\n`;

describe('seed 002 reader', () => {
  it('reads columns with their catalog type, NOT NULL, default, key and reference', () => {
    const seed = parseSeed002(fence(`CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL REFERENCES organizations(id),
    role user_role_enum NOT NULL,
    user_status user_status_enum NOT NULL DEFAULT 'active',
    email VARCHAR(255) UNIQUE NOT NULL,
    stock DECIMAL(10,3) NOT NULL DEFAULT 0,
    seen TIMESTAMP WITH TIME ZONE,
    image_urls TEXT[],

    CONSTRAINT _org_email_uc UNIQUE (organization_id, email)
);`));
    const [users] = seed.tables;
    expect(users!.uniques).toEqual([{ name: '_org_email_uc', columns: ['organization_id', 'email'] }]);
    expect(users!.columns).toEqual([
      { name: 'id', type: 'uuid', notNull: true, primaryKey: true, unique: false, default: 'gen_random_uuid()' },
      { name: 'organization_id', type: 'uuid', notNull: true, primaryKey: false, unique: false, references: { table: 'organizations', column: 'id' } },
      { name: 'role', type: 'user_role_enum', notNull: true, primaryKey: false, unique: false },
      { name: 'user_status', type: 'user_status_enum', notNull: true, primaryKey: false, unique: false, default: "'active'" },
      { name: 'email', type: 'character varying(255)', notNull: true, primaryKey: false, unique: true },
      { name: 'stock', type: 'numeric(10,3)', notNull: true, primaryKey: false, unique: false, default: '0' },
      { name: 'seen', type: 'timestamp with time zone', notNull: false, primaryKey: false, unique: false },
      { name: 'image_urls', type: 'text[]', notNull: false, primaryKey: false, unique: false },
    ]);
  });

  it('reads enums, indexes (with a predicate), views and CHECKs; skips comments and other statements', () => {
    const seed = parseSeed002(fence(`-- Enums
CREATE TYPE part_type_enum AS ENUM ('consumable', 'bulk_material');
CREATE INDEX idx_users_auth ON users(email, password_hash) WHERE is_active = true;
CREATE VIEW v AS
SELECT 1;
ALTER TABLE organizations
ADD CONSTRAINT supplier_must_have_parent
CHECK (organization_type != 'supplier' OR parent_organization_id IS NOT NULL);
SELECT query, mean_time FROM pg_stat_statements;`));
    expect(seed).toEqual({
      tables: [],
      enums: [{ name: 'part_type_enum', labels: ['consumable', 'bulk_material'] }],
      indexes: [{ name: 'idx_users_auth', table: 'users', columns: ['email', 'password_hash'], where: 'is_active = true' }],
      views: ['v'],
      checks: [{ name: 'supplier_must_have_parent', table: 'organizations' }],
    });
  });
});
