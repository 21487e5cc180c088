-- migrate:up

-- The global permission catalogue. seed: defines `permissions` (name UNIQUE, resource +
-- action UNIQUE) but lists no rows; here: one permission per (resource, action) over the
-- seed's own entities, because provisioning gives a new organization's `admin` role every
-- permission (POOLED.md §1 "Provisioning": "permissions rows belong to migrations") and an
-- empty catalogue would make that role powerless. Names are '<resource>.<action>'.
-- Resources are the seed's table groups; `analytics` covers both analytics tables. This
-- list is ours, not the seed's: a deployment with its own catalogue replaces this file.
-- Ids are derived from the name, so every IMSOP database has the same permission ids.
INSERT INTO permissions (id, name, description, resource, action)
SELECT md5('permissions:' || r.resource || '.' || a.action)::uuid,
       r.resource || '.' || a.action,
       initcap(a.action) || ' ' || replace(r.resource, '_', ' '),
       r.resource,
       a.action
FROM (VALUES ('organizations'), ('users'), ('roles'), ('suppliers'), ('products'),
             ('warehouses'), ('inventory'), ('purchase_orders'), ('shipments'),
             ('analytics')) AS r(resource)
CROSS JOIN (VALUES ('read'), ('create'), ('update'), ('delete')) AS a(action);

-- migrate:down

-- Fails (role_permissions_permission_id_fkey) while any role still holds one of these
-- permissions: revoke them first rather than lose grants silently.
DELETE FROM permissions
WHERE resource IN ('organizations', 'users', 'roles', 'suppliers', 'products',
                   'warehouses', 'inventory', 'purchase_orders', 'shipments', 'analytics')
  AND action IN ('read', 'create', 'update', 'delete');
