-- migrate:up

-- Row-level security for the IMSOP pooled schema. Seed 001 asks for it ("Implement
-- Row-Level Security (RLS) for multi-tenancy"), seed 000 too ("Row-level security for
-- multi-tenancy"); neither gives policies. Design from POOLED.md §1 "Retention, RLS" and §4:
--   * the application scopes a transaction to one organization with
--     set_config('app.current_organization_id', '<uuid>', true) (transaction-local: the only
--     pool-safe form);
--   * unset, the setting reads NULL (missing_ok) or '' (after a local set ended); both mean
--     "no organization": every policy then matches nothing, without an error;
--   * direct tables match organization_id; indirect tables match through EXISTS on EVERY
--     tenant parent, so a row whose parents lie in two organizations (possible: no FK is
--     tenant-consistent) is visible to neither and cannot be written by either;
--   * WITH CHECK is left to default to USING: a tenant can only write rows it could read;
--   * permissions is a global catalogue: no RLS, read-only to the application (grant it
--     SELECT only; its rows belong to migrations).
-- RLS is ENABLEd, not FORCEd: the table owner (migrations, tenantctl as owner) still sees
-- every row. Roles without BYPASSRLS see only their organization.

-- The organization the current transaction is scoped to, or NULL. STABLE and plain SQL so
-- that the planner inlines it and can use the organization_id indexes.
CREATE FUNCTION current_organization_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.current_organization_id', true), '')::uuid
$$;

COMMENT ON FUNCTION current_organization_id() IS
    'app.current_organization_id as uuid; NULL when unset or empty. Used by every RLS policy.';

-- The registry: an organization sees its own row.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
    USING (id = current_organization_id());

-- Direct tables: organization_id.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (organization_id = current_organization_id());

ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON roles
    USING (organization_id = current_organization_id());

ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON suppliers
    USING (organization_id = current_organization_id());

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON products
    USING (organization_id = current_organization_id());

ALTER TABLE warehouses ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON warehouses
    USING (organization_id = current_organization_id());

ALTER TABLE purchase_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON purchase_orders
    USING (organization_id = current_organization_id());

ALTER TABLE shipments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shipments
    USING (organization_id = current_organization_id());

ALTER TABLE analytics_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analytics_events
    USING (organization_id = current_organization_id());

ALTER TABLE analytics_metrics ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analytics_metrics
    USING (organization_id = current_organization_id());

-- Indirect tables: every tenant parent must belong to the current organization.
-- role_permissions: the role (permission_id points into the global catalogue).
ALTER TABLE role_permissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON role_permissions
    USING (EXISTS (SELECT 1 FROM roles r
                   WHERE r.id = role_permissions.role_id
                     AND r.organization_id = current_organization_id()));

-- user_roles: the user and the role.
ALTER TABLE user_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_roles
    USING (EXISTS (SELECT 1 FROM users u
                   WHERE u.id = user_roles.user_id
                     AND u.organization_id = current_organization_id())
       AND EXISTS (SELECT 1 FROM roles r
                   WHERE r.id = user_roles.role_id
                     AND r.organization_id = current_organization_id()));

-- inventory: the warehouse and the product.
ALTER TABLE inventory ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON inventory
    USING (EXISTS (SELECT 1 FROM warehouses w
                   WHERE w.id = inventory.warehouse_id
                     AND w.organization_id = current_organization_id())
       AND EXISTS (SELECT 1 FROM products p
                   WHERE p.id = inventory.product_id
                     AND p.organization_id = current_organization_id()));

-- inventory_transactions: the inventory row, and so its warehouse and product. Spelled out
-- rather than left to inventory's own policy, which a FORCEd owner or a future policy change
-- would not apply in the same way.
ALTER TABLE inventory_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON inventory_transactions
    USING (EXISTS (SELECT 1 FROM inventory i
                   JOIN warehouses w ON w.id = i.warehouse_id
                   JOIN products p ON p.id = i.product_id
                   WHERE i.id = inventory_transactions.inventory_id
                     AND w.organization_id = current_organization_id()
                     AND p.organization_id = current_organization_id()));

-- purchase_order_items: the order and the product.
ALTER TABLE purchase_order_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON purchase_order_items
    USING (EXISTS (SELECT 1 FROM purchase_orders po
                   WHERE po.id = purchase_order_items.purchase_order_id
                     AND po.organization_id = current_organization_id())
       AND EXISTS (SELECT 1 FROM products p
                   WHERE p.id = purchase_order_items.product_id
                     AND p.organization_id = current_organization_id()));

-- shipment_tracking: the shipment.
ALTER TABLE shipment_tracking ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shipment_tracking
    USING (EXISTS (SELECT 1 FROM shipments s
                   WHERE s.id = shipment_tracking.shipment_id
                     AND s.organization_id = current_organization_id()));

COMMENT ON TABLE permissions IS
    'Global permission catalogue shared by every organization: no RLS; read-only to the application, rows belong to migrations.';

-- migrate:down

COMMENT ON TABLE permissions IS NULL;
DROP POLICY tenant_isolation ON shipment_tracking;
ALTER TABLE shipment_tracking DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON purchase_order_items;
ALTER TABLE purchase_order_items DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory_transactions;
ALTER TABLE inventory_transactions DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory;
ALTER TABLE inventory DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON user_roles;
ALTER TABLE user_roles DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON role_permissions;
ALTER TABLE role_permissions DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON analytics_metrics;
ALTER TABLE analytics_metrics DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON analytics_events;
ALTER TABLE analytics_events DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON shipments;
ALTER TABLE shipments DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON purchase_orders;
ALTER TABLE purchase_orders DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON warehouses;
ALTER TABLE warehouses DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON products;
ALTER TABLE products DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON suppliers;
ALTER TABLE suppliers DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON roles;
ALTER TABLE roles DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON users;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON organizations;
ALTER TABLE organizations DISABLE ROW LEVEL SECURITY;
DROP FUNCTION current_organization_id();
