-- migrate:up

-- Row-level security for Prometric ERP (seeds/003 "Security Policies", repaired).
--
-- seed: RLS enabled on 7 tables, policies on 3 of them, each reading
-- current_setting('app.current_organization_id') without missing_ok; here: policies on every
-- organization table, because as printed it fails (../shared/POOLED.md §3 "Retention,
-- partitions, RLS"): a session that never set the parameter gets `unrecognized configuration
-- parameter`; organizations, workspaces, employees and orders had RLS but no policy (0 rows
-- for everyone); deals errored without app.current_workspace_id; 20 of 27 tables were open;
-- and the views ran as their owner, showing one tenant's customers to another.
--
-- The session's tenant is the transaction-local setting app.current_organization_id (and,
-- for deals, optionally app.current_workspace_id): set_config(name, value, true) is the only
-- pool-safe way to set it. Unset, or '' (what a local setting reads after its transaction),
-- means "no tenant": every policy then matches no row, without an error.
--
-- RLS is ENABLED, not FORCED: the table owner (who runs these migrations) and BYPASSRLS roles
-- are not filtered. tenantctl itself runs with row_security = off as such a role, so a policy
-- can never silently hide a row from it (an error instead). Policy expressions do not read
-- other tables through SECURITY DEFINER code, so they are subject to the caller's policies
-- too; none of them refers back to its own table, so there is no recursion.

-- ---------------------------------------------------------------------------
-- The session's tenant (missing_ok, '' as NULL)
-- ---------------------------------------------------------------------------
CREATE FUNCTION app_current_organization_id() RETURNS uuid
LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.current_organization_id', true), '')::uuid $$;

CREATE FUNCTION app_current_workspace_id() RETURNS uuid
LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.current_workspace_id', true), '')::uuid $$;

-- ---------------------------------------------------------------------------
-- The registry: an organization sees (and may update) its own row only
-- ---------------------------------------------------------------------------
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON organizations
FOR ALL USING (id = app_current_organization_id());

-- ---------------------------------------------------------------------------
-- Tables with an organization_id column: the seed's organization_isolation on each
-- ---------------------------------------------------------------------------
ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON workspaces
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE departments ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON departments
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE employees ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON employees
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE product_categories ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON product_categories
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON products
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON customers
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON suppliers
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON projects
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON orders
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE production_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON production_orders
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE bills_of_materials ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON bills_of_materials
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON invoices
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON payments
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON tasks
FOR ALL USING (organization_id = app_current_organization_id());

ALTER TABLE time_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON time_entries
FOR ALL USING (organization_id = app_current_organization_id());

-- The seed's workspace_isolation on deals, with the workspace optional: a session that set
-- app.current_workspace_id sees that workspace's deals, one that did not sees the whole
-- organization's (the seed errored instead).
ALTER TABLE deals ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON deals
FOR ALL USING (
  organization_id = app_current_organization_id()
  AND (app_current_workspace_id() IS NULL OR workspace_id = app_current_workspace_id())
);

-- ---------------------------------------------------------------------------
-- Child tables (no organization column): visible through their owner row; written only
-- when every parent they link belongs to the session's organization, because FK checks
-- ignore RLS and would otherwise let a tenant link another tenant's product by its id.
-- ---------------------------------------------------------------------------
ALTER TABLE customer_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON customer_contacts
FOR ALL USING (EXISTS (SELECT 1 FROM customers c
                       WHERE c.id = customer_contacts.customer_id
                         AND c.organization_id = app_current_organization_id()));

ALTER TABLE customer_addresses ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON customer_addresses
FOR ALL USING (EXISTS (SELECT 1 FROM customers c
                       WHERE c.id = customer_addresses.customer_id
                         AND c.organization_id = app_current_organization_id()));

ALTER TABLE deal_activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON deal_activities
FOR ALL USING (EXISTS (SELECT 1 FROM deals d
                       WHERE d.id = deal_activities.deal_id
                         AND d.organization_id = app_current_organization_id()));

ALTER TABLE deal_products ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON deal_products
FOR ALL USING (EXISTS (SELECT 1 FROM deals d
                       WHERE d.id = deal_products.deal_id
                         AND d.organization_id = app_current_organization_id()))
WITH CHECK (EXISTS (SELECT 1 FROM deals d
                    WHERE d.id = deal_products.deal_id
                      AND d.organization_id = app_current_organization_id())
            AND EXISTS (SELECT 1 FROM products p
                        WHERE p.id = deal_products.product_id
                          AND p.organization_id = app_current_organization_id()));

ALTER TABLE order_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON order_items
FOR ALL USING (EXISTS (SELECT 1 FROM orders o
                       WHERE o.id = order_items.order_id
                         AND o.organization_id = app_current_organization_id()))
WITH CHECK (EXISTS (SELECT 1 FROM orders o
                    WHERE o.id = order_items.order_id
                      AND o.organization_id = app_current_organization_id())
            AND EXISTS (SELECT 1 FROM products p
                        WHERE p.id = order_items.product_id
                          AND p.organization_id = app_current_organization_id()));

ALTER TABLE bom_components ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON bom_components
FOR ALL USING (EXISTS (SELECT 1 FROM bills_of_materials b
                       WHERE b.id = bom_components.bom_id
                         AND b.organization_id = app_current_organization_id()))
WITH CHECK (EXISTS (SELECT 1 FROM bills_of_materials b
                    WHERE b.id = bom_components.bom_id
                      AND b.organization_id = app_current_organization_id())
            AND EXISTS (SELECT 1 FROM products p
                        WHERE p.id = bom_components.component_id
                          AND p.organization_id = app_current_organization_id())
            AND (bom_components.substitute_component_id IS NULL
                 OR EXISTS (SELECT 1 FROM products p
                            WHERE p.id = bom_components.substitute_component_id
                              AND p.organization_id = app_current_organization_id())));

ALTER TABLE invoice_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON invoice_items
FOR ALL USING (EXISTS (SELECT 1 FROM invoices i
                       WHERE i.id = invoice_items.invoice_id
                         AND i.organization_id = app_current_organization_id()))
WITH CHECK (EXISTS (SELECT 1 FROM invoices i
                    WHERE i.id = invoice_items.invoice_id
                      AND i.organization_id = app_current_organization_id())
            AND (invoice_items.product_id IS NULL
                 OR EXISTS (SELECT 1 FROM products p
                            WHERE p.id = invoice_items.product_id
                              AND p.organization_id = app_current_organization_id())));

-- ---------------------------------------------------------------------------
-- Shared identity: a person (users) has no organization column; a session sees the people
-- its organization employs (soft-deleted employment included: their names stay on history).
-- Anyone may add a person (sign-up and invitations create the users row before the employees
-- row; users.email is global, so the insert cannot touch another tenant's row). An insert
-- cannot RETURN the new row before its employees row exists: give the id client-side.
-- Logging in happens before an organization is chosen: that path needs a BYPASSRLS role
-- (or a SECURITY DEFINER lookup), never a tenant session.
-- ---------------------------------------------------------------------------
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY employment_isolation ON users
FOR ALL USING (EXISTS (SELECT 1 FROM employees e
                       WHERE e.user_id = users.id
                         AND e.organization_id = app_current_organization_id()));
CREATE POLICY user_sign_up ON users
FOR INSERT WITH CHECK (true);

-- E-mail verification codes are credentials, and often predate any employment: hidden from
-- every tenant session (RLS without a policy); the authentication service reads them.
ALTER TABLE email_verifications ENABLE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------------
-- Settings: a tenant reads and writes its own (organization- or workspace-scoped) rows and
-- reads the platform's (organization_id NULL), which it can neither change nor add, except
-- those marked is_secret (platform credentials are no tenant's business).
-- ---------------------------------------------------------------------------
ALTER TABLE app_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON app_settings
FOR ALL USING (organization_id = app_current_organization_id());
CREATE POLICY platform_settings_read ON app_settings
FOR SELECT USING (organization_id IS NULL AND NOT is_secret);

-- ---------------------------------------------------------------------------
-- Logs. audit_logs: a tenant reads and appends its own trail, never changes it; platform
-- rows (organization_id NULL) stay hidden. system_logs (no foreign keys, every tenant's
-- messages and stack traces): append-only for the own organization, never readable.
-- ---------------------------------------------------------------------------
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON audit_logs
FOR SELECT USING (organization_id = app_current_organization_id());
CREATE POLICY audit_append ON audit_logs
FOR INSERT WITH CHECK (organization_id = app_current_organization_id());

-- Policies act only through the parent: a query naming a partition directly bypasses them.
-- RLS without a policy on each partition denies that path. Partitions that `tenantctl
-- maintain` creates later do not inherit this setting.
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
    END LOOP;
END
$$;

ALTER TABLE system_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY system_logs_append ON system_logs
FOR INSERT WITH CHECK (organization_id = app_current_organization_id());

-- ---------------------------------------------------------------------------
-- Views: run with the caller's rights, so the policies above apply through them
-- (PostgreSQL 15+). On PostgreSQL 14 they keep running as their owner and bypass RLS:
-- grant them to no tenant role there.
-- The materialized view daily_sales_summary cannot have RLS and sums every organization:
-- grant it to no tenant role either.
-- ---------------------------------------------------------------------------
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        ALTER VIEW customer_summary SET (security_invoker = true);
        ALTER VIEW sales_pipeline SET (security_invoker = true);
        ALTER VIEW inventory_status SET (security_invoker = true);
    END IF;
END
$$;


-- migrate:down

DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        ALTER VIEW customer_summary RESET (security_invoker);
        ALTER VIEW sales_pipeline RESET (security_invoker);
        ALTER VIEW inventory_status RESET (security_invoker);
    END IF;
END
$$;

DROP POLICY system_logs_append ON system_logs;
ALTER TABLE system_logs DISABLE ROW LEVEL SECURITY;

-- Every partition, including those created after the up section ran.
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass LOOP
        EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', part);
    END LOOP;
END
$$;
DROP POLICY audit_append ON audit_logs;
DROP POLICY organization_isolation ON audit_logs;
ALTER TABLE audit_logs DISABLE ROW LEVEL SECURITY;

DROP POLICY platform_settings_read ON app_settings;
DROP POLICY organization_isolation ON app_settings;
ALTER TABLE app_settings DISABLE ROW LEVEL SECURITY;

ALTER TABLE email_verifications DISABLE ROW LEVEL SECURITY;

DROP POLICY user_sign_up ON users;
DROP POLICY employment_isolation ON users;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;

DROP POLICY organization_isolation ON invoice_items;
ALTER TABLE invoice_items DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON bom_components;
ALTER TABLE bom_components DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON order_items;
ALTER TABLE order_items DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON deal_products;
ALTER TABLE deal_products DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON deal_activities;
ALTER TABLE deal_activities DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON customer_addresses;
ALTER TABLE customer_addresses DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON customer_contacts;
ALTER TABLE customer_contacts DISABLE ROW LEVEL SECURITY;

DROP POLICY workspace_isolation ON deals;
ALTER TABLE deals DISABLE ROW LEVEL SECURITY;

DROP POLICY organization_isolation ON time_entries;
ALTER TABLE time_entries DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON tasks;
ALTER TABLE tasks DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON payments;
ALTER TABLE payments DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON invoices;
ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON bills_of_materials;
ALTER TABLE bills_of_materials DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON production_orders;
ALTER TABLE production_orders DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON orders;
ALTER TABLE orders DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON projects;
ALTER TABLE projects DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON suppliers;
ALTER TABLE suppliers DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON customers;
ALTER TABLE customers DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON products;
ALTER TABLE products DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON product_categories;
ALTER TABLE product_categories DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON employees;
ALTER TABLE employees DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON departments;
ALTER TABLE departments DISABLE ROW LEVEL SECURITY;
DROP POLICY organization_isolation ON workspaces;
ALTER TABLE workspaces DISABLE ROW LEVEL SECURITY;

DROP POLICY organization_isolation ON organizations;
ALTER TABLE organizations DISABLE ROW LEVEL SECURITY;

DROP FUNCTION app_current_workspace_id();
DROP FUNCTION app_current_organization_id();
