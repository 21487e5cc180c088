-- IMSOP sample data: three organizations (A, B, C) with ordinary data in every tenant table,
-- plus every cross-tenant reference POOLED.md §1 lists, planted, and personal data of A
-- outside the foreign keys. Load it on top of migrations/imsop (0001-0003), in one
-- transaction, as the table owner. Plain INSERTs as the application writes them.
--
-- Fixed ids, readable: TTTTTTTT-0000-4000-8000-0000000000ON where TTTTTTTT is the table
--   01 organizations  02 users  03 roles  06 user_roles  07 suppliers  08 products
--   09 warehouses  0a inventory  0b inventory_transactions  0c purchase_orders
--   0d purchase_order_items  0e shipments  0f shipment_tracking  10 analytics_events
--   11 analytics_metrics
-- O is the organization whose row it is (a, b, c) and N the row number. Rows numbered 7-9
-- are the planted crossings; every one is tagged "CROSS <table>.<n>" and listed in
-- imsop-crossing.md with the action erasing A must take. role_permissions ids are
-- md5('role_permissions:<role id>:<permission name>')::uuid (the grant is by name).
-- Every timestamp is explicit, so two loads give identical rows.
--
-- Organizations: A = Acme Logistics (the one erased in the tests), B = Borealis Foods,
-- C = Cobalt Medical Supply.

-- ---------------------------------------------------------------------------
-- organizations
-- ---------------------------------------------------------------------------
INSERT INTO organizations (id, name, description, industry, country, timezone, website, status, subscription_tier, created_at, updated_at) VALUES
('00000001-0000-4000-8000-0000000000a0', 'Acme Logistics', 'Third-party logistics for regional retailers', 'Logistics', 'Germany', 'Europe/Berlin', 'https://acme-logistics.test', 'active', 'professional', '2024-02-01 09:00:00', '2024-02-01 09:00:00'),
('00000001-0000-4000-8000-0000000000b0', 'Borealis Foods', 'Frozen food producer', 'Food & Beverage', 'Norway', 'Europe/Oslo', 'https://borealis.test', 'active', 'enterprise', '2024-03-15 10:30:00', '2024-03-15 10:30:00'),
('00000001-0000-4000-8000-0000000000c0', 'Cobalt Medical Supply', 'Distributor of hospital consumables', 'Healthcare', 'Poland', 'Europe/Warsaw', 'https://cobalt-med.test', 'active', 'starter', '2024-05-20 08:15:00', '2024-05-20 08:15:00');

-- ---------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------
INSERT INTO users (id, organization_id, email, password_hash, first_name, last_name, phone, status, last_login, mfa_enabled, mfa_secret, created_at, updated_at) VALUES
('00000002-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'alice.admin@acme-logistics.test', '$2b$12$Q9yX3uSgq0n0aA1cR3p1MuS0c9cVw2yQq6QY2Sx3zH8b8m1wR0aEa', 'Alice', 'Admin', '+49 30 1234567', 'active', '2026-11-20 08:01:00', true, 'JBSWY3DPEHPK3PXP', '2024-02-01 09:00:00', '2024-02-01 09:00:00'),
('00000002-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'arjun.patel@acme-logistics.test', '$2b$12$7GmYc0M1pQkzXv5bV2c8UeW7bq3rN1u5sJ0dL4tF6hK9mP2xA3yZe', 'Arjun', 'Patel', '+49 30 7654321', 'active', '2026-11-21 07:45:00', false, NULL, '2024-02-02 11:00:00', '2024-02-02 11:00:00'),
-- Dana has an account in A and one in B with the same e-mail: unique_active_user accepts it
-- (deleted_at is NULL in both). Erasing A must keep B's account (users.b3) and its e-mail.
('00000002-0000-4000-8000-0000000000a3', '00000001-0000-4000-8000-0000000000a0', 'dana.kowalski@freightconsult.test', '$2b$12$Lk2Vb9Xc4Nn1Qq8Ww3Ee5RtYu6Ii7Oo8Pp9Aa0Ss1Dd2Ff3Gg4Hh', 'Dana', 'Kowalski', '+48 22 5550101', 'active', '2026-10-02 13:10:00', false, NULL, '2024-06-10 14:00:00', '2024-06-10 14:00:00'),
('00000002-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'bruno.admin@borealis.test', '$2b$12$Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Qq5Ww4Ee3Rr2Tt', 'Bruno', 'Hansen', '+47 22 112233', 'active', '2026-11-22 06:30:00', true, 'KRSXG5DSNFXGOIDB', '2024-03-15 10:30:00', '2024-03-15 10:30:00'),
('00000002-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'beatriz.silva@borealis.test', '$2b$12$Yy1Uu2Ii3Oo4Pp5Aa6Ss7Dd8Ff9Gg0Hh1Jj2Kk3Ll4Zz5Xx6Cc7Vv', 'Beatriz', 'Silva', '+47 22 445566', 'active', '2026-11-19 12:00:00', false, NULL, '2024-03-16 09:00:00', '2024-03-16 09:00:00'),
('00000002-0000-4000-8000-0000000000b3', '00000001-0000-4000-8000-0000000000b0', 'dana.kowalski@freightconsult.test', '$2b$12$Bb2Nn3Mm4Qq5Ww6Ee7Rr8Tt9Yy0Uu1Ii2Oo3Pp4Aa5Ss6Dd7Ff8Gg', 'Dana', 'Kowalski', '+48 22 5550101', 'active', '2026-11-01 10:00:00', false, NULL, '2024-07-01 08:00:00', '2024-07-01 08:00:00'),
('00000002-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'carla.admin@cobalt-med.test', '$2b$12$Cc3Vv4Bb5Nn6Mm7Qq8Ww9Ee0Rr1Tt2Yy3Uu4Ii5Oo6Pp7Aa8Ss9Dd', 'Carla', 'Nowak', '+48 22 6000001', 'active', '2026-11-18 09:20:00', false, NULL, '2024-05-20 08:15:00', '2024-05-20 08:15:00'),
('00000002-0000-4000-8000-0000000000c2', '00000001-0000-4000-8000-0000000000c0', 'chen.wei@cobalt-med.test', '$2b$12$Dd4Ff5Gg6Hh7Jj8Kk9Ll0Zz1Xx2Cc3Vv4Bb5Nn6Mm7Qq8Ww9Ee0Rr', 'Chen', 'Wei', '+48 22 6000002', 'active', '2026-11-17 16:40:00', false, NULL, '2024-05-21 10:00:00', '2024-05-21 10:00:00');

-- ---------------------------------------------------------------------------
-- roles and their grants (permissions come from migration 0003)
-- ---------------------------------------------------------------------------
INSERT INTO roles (id, organization_id, name, description, is_system, created_at, updated_at) VALUES
('00000003-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'admin', 'Full access', true, '2024-02-01 09:00:00', '2024-02-01 09:00:00'),
('00000003-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'warehouse_staff', 'Stock counts and movements', false, '2024-02-01 09:05:00', '2024-02-01 09:05:00'),
('00000003-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'admin', 'Full access', true, '2024-03-15 10:30:00', '2024-03-15 10:30:00'),
('00000003-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'buyer', 'Purchasing', false, '2024-03-15 10:35:00', '2024-03-15 10:35:00'),
('00000003-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'admin', 'Full access', true, '2024-05-20 08:15:00', '2024-05-20 08:15:00'),
('00000003-0000-4000-8000-0000000000c2', '00000001-0000-4000-8000-0000000000c0', 'warehouse_staff', 'Stock counts and movements', false, '2024-05-20 08:20:00', '2024-05-20 08:20:00');

-- Admin roles hold every permission; the others a few, by name.
INSERT INTO role_permissions (id, role_id, permission_id)
SELECT md5('role_permissions:' || r.id || ':' || p.name)::uuid, r.id, p.id
FROM roles r CROSS JOIN permissions p
WHERE r.name = 'admin'
ORDER BY r.id, p.name;

INSERT INTO role_permissions (id, role_id, permission_id)
SELECT md5('role_permissions:' || g.role_id || ':' || p.name)::uuid, g.role_id::uuid, p.id
FROM (VALUES
    ('00000003-0000-4000-8000-0000000000a2', 'inventory.read'),
    ('00000003-0000-4000-8000-0000000000a2', 'inventory.update'),
    ('00000003-0000-4000-8000-0000000000a2', 'shipments.read'),
    ('00000003-0000-4000-8000-0000000000b2', 'purchase_orders.read'),
    ('00000003-0000-4000-8000-0000000000b2', 'purchase_orders.create'),
    ('00000003-0000-4000-8000-0000000000b2', 'suppliers.read'),
    ('00000003-0000-4000-8000-0000000000c2', 'inventory.read'),
    ('00000003-0000-4000-8000-0000000000c2', 'inventory.update')
) AS g(role_id, permission_name)
JOIN permissions p ON p.name = g.permission_name;

INSERT INTO user_roles (id, user_id, role_id, assigned_at) VALUES
('00000006-0000-4000-8000-0000000000a1', '00000002-0000-4000-8000-0000000000a1', '00000003-0000-4000-8000-0000000000a1', '2024-02-01 09:00:00'),
('00000006-0000-4000-8000-0000000000a2', '00000002-0000-4000-8000-0000000000a2', '00000003-0000-4000-8000-0000000000a2', '2024-02-02 11:00:00'),
('00000006-0000-4000-8000-0000000000a3', '00000002-0000-4000-8000-0000000000a3', '00000003-0000-4000-8000-0000000000a2', '2024-06-10 14:00:00'),
('00000006-0000-4000-8000-0000000000b1', '00000002-0000-4000-8000-0000000000b1', '00000003-0000-4000-8000-0000000000b1', '2024-03-15 10:30:00'),
('00000006-0000-4000-8000-0000000000b2', '00000002-0000-4000-8000-0000000000b2', '00000003-0000-4000-8000-0000000000b2', '2024-03-16 09:00:00'),
('00000006-0000-4000-8000-0000000000b3', '00000002-0000-4000-8000-0000000000b3', '00000003-0000-4000-8000-0000000000b2', '2024-07-01 08:00:00'),
('00000006-0000-4000-8000-0000000000c1', '00000002-0000-4000-8000-0000000000c1', '00000003-0000-4000-8000-0000000000c1', '2024-05-20 08:15:00'),
('00000006-0000-4000-8000-0000000000c2', '00000002-0000-4000-8000-0000000000c2', '00000003-0000-4000-8000-0000000000c2', '2024-05-21 10:00:00'),
-- CROSS user_roles.b9 — POOLED.md: "user_roles (B's user, A's role) | unlink".
-- B's buyer Beatriz was given A's warehouse_staff role. role_id has no ON DELETE action, so
-- deleting A's role fails until this link row is removed. Erasing A: delete this row.
('00000006-0000-4000-8000-0000000000b9', '00000002-0000-4000-8000-0000000000b2', '00000003-0000-4000-8000-0000000000a2', '2025-01-10 09:00:00'),
-- CROSS user_roles.c9 — same line, from a third organization: C's Chen holds A's role.
-- Erasing A: delete this row (a refusal report must name B and C separately).
('00000006-0000-4000-8000-0000000000c9', '00000002-0000-4000-8000-0000000000c2', '00000003-0000-4000-8000-0000000000a2', '2025-02-03 09:00:00'),
-- CROSS user_roles.a9 — the reverse, POOLED.md: "a CASCADE from another tenant's row
-- (… user_roles …)": A's Arjun holds B's buyer role. The row cascades with A's user;
-- B's role must stay. Erasing A: the row goes (unlink), roles.b2 is kept.
('00000006-0000-4000-8000-0000000000a9', '00000002-0000-4000-8000-0000000000a2', '00000003-0000-4000-8000-0000000000b2', '2025-03-01 09:00:00');

-- ---------------------------------------------------------------------------
-- suppliers (contacts are personal data; they go with their organization)
-- ---------------------------------------------------------------------------
INSERT INTO suppliers (id, organization_id, name, email, phone, country, city, address, postal_code, contact_person, status, rating, payment_terms, lead_time_days, created_at, updated_at) VALUES
('00000007-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'Rhein Packaging GmbH', 'orders@rhein-pack.test', '+49 221 900100', 'Germany', 'Cologne', 'Hafenstr. 12', '50667', 'Jonas Becker', 'active', 4.50, 'NET30', 7, '2024-02-05 10:00:00', '2024-02-05 10:00:00'),
('00000007-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'Baltic Pallets', 'sales@baltic-pallets.test', '+370 5 2100200', 'Lithuania', 'Vilnius', 'Gedimino pr. 1', '01103', 'Ruta Jankauskiene', 'active', 3.80, 'NET45', 14, '2024-02-06 10:00:00', '2024-02-06 10:00:00'),
('00000007-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'Nordic Fisheries AS', 'supply@nordicfish.test', '+47 55 300300', 'Norway', 'Bergen', 'Bryggen 5', '5003', 'Ola Nordmann', 'active', 4.90, 'NET15', 3, '2024-03-20 09:00:00', '2024-03-20 09:00:00'),
('00000007-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'ColdChain Boxes', 'hello@coldchainboxes.test', '+46 8 400400', 'Sweden', 'Stockholm', 'Kungsgatan 44', '11135', 'Sara Lind', 'inactive', 2.10, 'NET30', 10, '2024-03-21 09:00:00', '2024-03-21 09:00:00'),
('00000007-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'SterileTex Sp. z o.o.', 'biuro@steriletex.test', '+48 61 500500', 'Poland', 'Poznan', 'ul. Glogowska 20', '60-101', 'Marek Zielinski', 'active', 4.20, 'NET60', 21, '2024-05-22 09:00:00', '2024-05-22 09:00:00');

-- ---------------------------------------------------------------------------
-- products
-- ---------------------------------------------------------------------------
INSERT INTO products (id, organization_id, sku, name, description, category, unit_of_measure, unit_cost, selling_price, reorder_level, reorder_quantity, status, created_at, updated_at) VALUES
('00000008-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'PAL-EUR-01', 'Euro pallet 1200x800', 'EPAL certified', 'Pallets', 'each', 9.5000, 14.9000, 200, 500, 'active', '2024-02-10 10:00:00', '2024-02-10 10:00:00'),
('00000008-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'BOX-M-40', 'Carton box medium', '40x30x30 cm, double wall', 'Packaging', 'each', 0.6200, 1.1000, 1000, 5000, 'active', '2024-02-10 10:05:00', '2024-02-10 10:05:00'),
('00000008-0000-4000-8000-0000000000a3', '00000001-0000-4000-8000-0000000000a0', 'WRAP-23', 'Stretch wrap 23 µm', '500 mm x 300 m roll', 'Packaging', 'roll', 7.4000, 11.5000, 50, 200, 'discontinued', '2024-02-10 10:10:00', '2025-08-01 12:00:00'),
('00000008-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'COD-FIL-1KG', 'Cod fillet frozen 1 kg', 'MSC certified', 'Seafood', 'kg', 8.2500, 13.9900, 300, 1000, 'active', '2024-03-25 08:00:00', '2024-03-25 08:00:00'),
('00000008-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'SAL-PORT-4', 'Salmon portions 4x125 g', NULL, 'Seafood', 'pack', 5.1000, 8.4900, 400, 1200, 'active', '2024-03-25 08:05:00', '2024-03-25 08:05:00'),
('00000008-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'GLV-NIT-M', 'Nitrile gloves M (100)', 'Powder-free', 'Gloves', 'box', 3.9000, 6.2000, 500, 2000, 'active', '2024-05-25 10:00:00', '2024-05-25 10:00:00'),
('00000008-0000-4000-8000-0000000000c2', '00000001-0000-4000-8000-0000000000c0', 'MSK-FFP2', 'FFP2 mask (20)', NULL, 'Masks', 'box', 6.0000, 9.9000, 300, 1500, 'archived', '2024-05-25 10:05:00', '2026-01-15 10:00:00');

-- ---------------------------------------------------------------------------
-- warehouses
-- ---------------------------------------------------------------------------
INSERT INTO warehouses (id, organization_id, name, location, country, city, address, capacity, manager_id, status, created_at, updated_at) VALUES
('00000009-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'Acme Berlin Hub', 'Berlin-Tempelhof', 'Germany', 'Berlin', 'Industriestr. 7', 12000, '00000002-0000-4000-8000-0000000000a2', 'active', '2024-02-03 08:00:00', '2024-02-03 08:00:00'),
('00000009-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'Acme Leipzig', 'Leipzig-Nord', 'Germany', 'Leipzig', 'Messeallee 3', 6000, NULL, 'maintenance', '2024-04-03 08:00:00', '2026-09-01 08:00:00'),
('00000009-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'Borealis Cold Store Oslo', 'Alnabru', 'Norway', 'Oslo', 'Alnaveien 10', 8000, '00000002-0000-4000-8000-0000000000b2', 'active', '2024-03-18 08:00:00', '2024-03-18 08:00:00'),
('00000009-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'Borealis Bergen Quay', 'Bergen port', 'Norway', 'Bergen', 'Kaiveien 2', 3000, '00000002-0000-4000-8000-0000000000b1', 'active', '2024-03-19 08:00:00', '2024-03-19 08:00:00'),
-- CROSS warehouses.b9 — POOLED.md: "warehouses.manager_id … | nullify". B's overflow store
-- is run by A's warehouse manager Arjun (3PL contract). Erasing A: manager_id := NULL.
('00000009-0000-4000-8000-0000000000b9', '00000001-0000-4000-8000-0000000000b0', 'Borealis Overflow (run by Acme 3PL)', 'Berlin-Tempelhof', 'Germany', 'Berlin', 'Industriestr. 7, Hall 4', 1500, '00000002-0000-4000-8000-0000000000a2', 'active', '2025-06-01 08:00:00', '2025-06-01 08:00:00'),
('00000009-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'Cobalt Poznan DC', 'Poznan-Franowo', 'Poland', 'Poznan', 'ul. Szwedzka 8', 5000, '00000002-0000-4000-8000-0000000000c2', 'active', '2024-05-21 08:00:00', '2024-05-21 08:00:00');

-- ---------------------------------------------------------------------------
-- inventory (quantity_available is generated: never written)
-- ---------------------------------------------------------------------------
INSERT INTO inventory (id, warehouse_id, product_id, quantity_on_hand, quantity_reserved, last_counted, created_at, updated_at) VALUES
('0000000a-0000-4000-8000-0000000000a1', '00000009-0000-4000-8000-0000000000a1', '00000008-0000-4000-8000-0000000000a1', 640, 40, '2026-11-01 06:00:00', '2024-02-12 08:00:00', '2026-11-01 06:00:00'),
('0000000a-0000-4000-8000-0000000000a2', '00000009-0000-4000-8000-0000000000a1', '00000008-0000-4000-8000-0000000000a2', 5200, 800, '2026-11-01 06:00:00', '2024-02-12 08:00:00', '2026-11-01 06:00:00'),
('0000000a-0000-4000-8000-0000000000a3', '00000009-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000a3', 35, 0, '2026-08-30 06:00:00', '2024-04-05 08:00:00', '2026-08-30 06:00:00'),
('0000000a-0000-4000-8000-0000000000b1', '00000009-0000-4000-8000-0000000000b1', '00000008-0000-4000-8000-0000000000b1', 2400, 300, '2026-11-15 05:00:00', '2024-03-26 08:00:00', '2026-11-15 05:00:00'),
('0000000a-0000-4000-8000-0000000000b2', '00000009-0000-4000-8000-0000000000b2', '00000008-0000-4000-8000-0000000000b2', 900, 120, '2026-11-15 05:00:00', '2024-03-26 08:00:00', '2026-11-15 05:00:00'),
('0000000a-0000-4000-8000-0000000000c1', '00000009-0000-4000-8000-0000000000c1', '00000008-0000-4000-8000-0000000000c1', 3100, 0, '2026-11-10 07:00:00', '2024-05-26 08:00:00', '2026-11-10 07:00:00'),
('0000000a-0000-4000-8000-0000000000c2', '00000009-0000-4000-8000-0000000000c1', '00000008-0000-4000-8000-0000000000c2', 0, 0, '2026-01-15 07:00:00', '2024-05-26 08:00:00', '2026-01-15 07:00:00'),
-- CROSS inventory.b9 — POOLED.md: "inventory.product_id … (NOT NULL) | refuse". B's Oslo
-- store stocks A's Euro pallets (owner path: the warehouse, so the row is B's). Erasing A:
-- refuse; the report names inventory b9 of Borealis Foods.
('0000000a-0000-4000-8000-0000000000b9', '00000009-0000-4000-8000-0000000000b1', '00000008-0000-4000-8000-0000000000a1', 120, 0, '2026-11-15 05:00:00', '2025-06-02 08:00:00', '2026-11-15 05:00:00'),
-- CROSS inventory.c9 — same line, third organization: C's DC stocks A's carton boxes.
-- Erasing A: refuse; the report names inventory c9 of Cobalt Medical Supply.
('0000000a-0000-4000-8000-0000000000c9', '00000009-0000-4000-8000-0000000000c1', '00000008-0000-4000-8000-0000000000a2', 300, 50, '2026-11-10 07:00:00', '2025-07-01 08:00:00', '2026-11-10 07:00:00'),
-- CROSS inventory.a9 — the reverse: A's Leipzig site stocks B's salmon portions. Owner path
-- is the warehouse, so it is A's row. Erasing A: the row goes; products.b2 is kept.
('0000000a-0000-4000-8000-0000000000a9', '00000009-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000b2', 60, 0, '2026-08-30 06:00:00', '2025-08-01 08:00:00', '2026-08-30 06:00:00');

-- ---------------------------------------------------------------------------
-- inventory_transactions
-- ---------------------------------------------------------------------------
INSERT INTO inventory_transactions (id, inventory_id, transaction_type, quantity, reference_id, notes, created_by, created_at) VALUES
('0000000b-0000-4000-8000-0000000000a1', '0000000a-0000-4000-8000-0000000000a1', 'receipt', 500, 'PO-ACME-0001', 'Pallets from Rhein', '00000002-0000-4000-8000-0000000000a2', '2026-10-05 09:00:00'),
('0000000b-0000-4000-8000-0000000000a2', '0000000a-0000-4000-8000-0000000000a2', 'shipment', -800, 'SO-7781', NULL, '00000002-0000-4000-8000-0000000000a2', '2026-10-20 15:00:00'),
('0000000b-0000-4000-8000-0000000000a3', '0000000a-0000-4000-8000-0000000000a3', 'adjustment', -5, NULL, 'Damaged rolls, counted by dana.kowalski@freightconsult.test', '00000002-0000-4000-8000-0000000000a3', '2026-08-30 06:30:00'),
('0000000b-0000-4000-8000-0000000000b1', '0000000a-0000-4000-8000-0000000000b1', 'receipt', 1000, 'PO-BOR-0001', NULL, '00000002-0000-4000-8000-0000000000b2', '2026-11-02 07:00:00'),
('0000000b-0000-4000-8000-0000000000b2', '0000000a-0000-4000-8000-0000000000b2', 'return', 12, 'RMA-310', 'Customer return, thawed', '00000002-0000-4000-8000-0000000000b1', '2026-11-12 10:00:00'),
('0000000b-0000-4000-8000-0000000000c1', '0000000a-0000-4000-8000-0000000000c1', 'receipt', 2000, 'PO-COB-0001', NULL, '00000002-0000-4000-8000-0000000000c2', '2026-11-03 11:00:00'),
('0000000b-0000-4000-8000-0000000000c2', '0000000a-0000-4000-8000-0000000000c2', 'adjustment', -150, NULL, 'Expired stock written off', '00000002-0000-4000-8000-0000000000c1', '2026-01-15 07:30:00'),
-- CROSS inventory_transactions.b9 — POOLED.md: "created_by of inventory_transactions … |
-- nullify". Arjun (A), running B's overflow store, booked a receipt into B's Oslo cod
-- stock. The note names him by e-mail: free text, POOLED.md "free-text notes: unsearchable (say so in the receipt)".
-- Erasing A: created_by := NULL; the note is reported, not rewritten.
('0000000b-0000-4000-8000-0000000000b9', '0000000a-0000-4000-8000-0000000000b1', 'receipt', 400, 'PO-BOR-0002', 'Booked by arjun.patel@acme-logistics.test (3PL)', '00000002-0000-4000-8000-0000000000a2', '2026-11-14 08:00:00'),
-- CROSS inventory_transactions.b8 — not in POOLED.md: reference_id (VARCHAR, no FK) holds
-- A's purchase order id as text. Not personal data, but A's id outside the foreign keys:
-- after erasure it still names a row of A. Erasing A: report (or nullify) — for the engine.
('0000000b-0000-4000-8000-0000000000b8', '0000000a-0000-4000-8000-0000000000b1', 'return', -20, '0000000c-0000-4000-8000-0000000000a1', 'Cartons returned against an Acme cross-dock order', '00000002-0000-4000-8000-0000000000b1', '2026-11-16 09:00:00'),
-- B's own movement on the crossing inventory row b9 (it hangs on the refused row).
('0000000b-0000-4000-8000-0000000000b7', '0000000a-0000-4000-8000-0000000000b9', 'receipt', 120, NULL, NULL, '00000002-0000-4000-8000-0000000000b1', '2025-06-02 08:30:00');

-- ---------------------------------------------------------------------------
-- purchase_orders and their lines
-- ---------------------------------------------------------------------------
INSERT INTO purchase_orders (id, organization_id, supplier_id, po_number, status, order_date, expected_delivery_date, actual_delivery_date, total_amount, currency, notes, created_by, created_at, updated_at) VALUES
('0000000c-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', '00000007-0000-4000-8000-0000000000a1', 'PO-ACME-0001', 'received', '2026-09-28', '2026-10-05', '2026-10-05', 4750.00, 'EUR', NULL, '00000002-0000-4000-8000-0000000000a1', '2026-09-28 10:00:00', '2026-10-05 09:00:00'),
('0000000c-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', '00000007-0000-4000-8000-0000000000a2', 'PO-ACME-0002', 'submitted', '2024-06-01', '2024-06-20', NULL, 1480.00, 'EUR', 'Urgent: call Ruta before delivery', '00000002-0000-4000-8000-0000000000a3', '2024-06-01 12:00:00', '2024-06-01 12:00:00'),
('0000000c-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', '00000007-0000-4000-8000-0000000000b1', 'PO-BOR-0001', 'received', '2026-10-25', '2026-11-02', '2026-11-02', 8250.00, 'NOK', NULL, '00000002-0000-4000-8000-0000000000b2', '2026-10-25 09:00:00', '2026-11-02 07:00:00'),
('0000000c-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', '00000007-0000-4000-8000-0000000000b2', 'PO-BOR-0002', 'cancelled', '2024-04-10', '2024-04-20', NULL, 2040.00, 'NOK', 'Supplier blocked', '00000002-0000-4000-8000-0000000000b1', '2024-04-10 09:00:00', '2024-04-12 09:00:00'),
('0000000c-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', '00000007-0000-4000-8000-0000000000c1', 'PO-COB-0001', 'confirmed', '2026-10-30', '2026-11-20', NULL, 7800.00, 'PLN', NULL, '00000002-0000-4000-8000-0000000000c1', '2026-10-30 08:00:00', '2026-10-31 08:00:00'),
-- CROSS purchase_orders.b9 — POOLED.md: "purchase_orders.supplier_id (NOT NULL) | refuse".
-- B ordered pallets from A's supplier record (joint purchasing). Erasing A: refuse; the
-- report names purchase_orders b9 of Borealis Foods.
('0000000c-0000-4000-8000-0000000000b9', '00000001-0000-4000-8000-0000000000b0', '00000007-0000-4000-8000-0000000000a1', 'PO-BOR-0003', 'confirmed', '2026-11-10', '2026-11-24', NULL, 950.00, 'EUR', NULL, '00000002-0000-4000-8000-0000000000b2', '2026-11-10 10:00:00', '2026-11-10 10:00:00'),
-- CROSS purchase_orders.b8 — POOLED.md: "created_by of … purchase_orders | nullify". Alice
-- (A) placed a B order during a pilot; the note names her e-mail (free text, reported).
-- Erasing A: created_by := NULL; the note is reported.
('0000000c-0000-4000-8000-0000000000b8', '00000001-0000-4000-8000-0000000000b0', '00000007-0000-4000-8000-0000000000b1', 'PO-BOR-0004', 'draft', '2026-11-18', NULL, NULL, 1650.00, 'NOK', 'Placed by alice.admin@acme-logistics.test during the joint-purchasing pilot', '00000002-0000-4000-8000-0000000000a1', '2026-11-18 13:00:00', '2026-11-18 13:00:00');

INSERT INTO purchase_order_items (id, purchase_order_id, product_id, quantity_ordered, quantity_received, unit_price, line_total) VALUES
('0000000d-0000-4000-8000-0000000000a1', '0000000c-0000-4000-8000-0000000000a1', '00000008-0000-4000-8000-0000000000a1', 500, 500, 9.5000, 4750.00),
('0000000d-0000-4000-8000-0000000000a2', '0000000c-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000a2', 2000, 0, 0.6200, 1240.00),
('0000000d-0000-4000-8000-0000000000a3', '0000000c-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000a3', 30, 0, 8.0000, 240.00),
('0000000d-0000-4000-8000-0000000000b1', '0000000c-0000-4000-8000-0000000000b1', '00000008-0000-4000-8000-0000000000b1', 1000, 1000, 8.2500, 8250.00),
('0000000d-0000-4000-8000-0000000000b2', '0000000c-0000-4000-8000-0000000000b2', '00000008-0000-4000-8000-0000000000b2', 400, 0, 5.1000, 2040.00),
('0000000d-0000-4000-8000-0000000000b3', '0000000c-0000-4000-8000-0000000000b8', '00000008-0000-4000-8000-0000000000b1', 200, 0, 8.2500, 1650.00),
('0000000d-0000-4000-8000-0000000000c1', '0000000c-0000-4000-8000-0000000000c1', '00000008-0000-4000-8000-0000000000c1', 2000, 0, 3.9000, 7800.00),
-- CROSS purchase_order_items.b9 — POOLED.md: "purchase_order_items.product_id (NOT NULL) |
-- refuse". B's order b9 (itself refused above) has a line for A's Euro pallets. Erasing A:
-- refuse; the report names purchase_order_items b9 of Borealis Foods.
('0000000d-0000-4000-8000-0000000000b9', '0000000c-0000-4000-8000-0000000000b9', '00000008-0000-4000-8000-0000000000a1', 100, 0, 9.5000, 950.00),
-- CROSS purchase_order_items.c9 — same line, third organization: C's order c1 also buys A's
-- stretch wrap. Erasing A: refuse; named under Cobalt Medical Supply.
('0000000d-0000-4000-8000-0000000000c9', '0000000c-0000-4000-8000-0000000000c1', '00000008-0000-4000-8000-0000000000a3', 10, 0, 11.5000, 115.00),
-- CROSS purchase_order_items.a9 — the reverse, POOLED.md: "a CASCADE from another tenant's
-- row (… purchase_order_items …)": A's order a2 has a line for B's salmon. It cascades
-- with A's order (owner path: the order). Erasing A: the line goes; products.b2 is kept.
('0000000d-0000-4000-8000-0000000000a9', '0000000c-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000b2', 12, 0, 8.4900, 101.88);

-- ---------------------------------------------------------------------------
-- shipments and tracking
-- ---------------------------------------------------------------------------
INSERT INTO shipments (id, organization_id, reference_id, shipment_type, status, origin_warehouse_id, destination_warehouse_id, carrier, tracking_number, ship_date, expected_delivery_date, actual_delivery_date, created_at, updated_at) VALUES
('0000000e-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'SO-7781', 'outbound', 'delivered', '00000009-0000-4000-8000-0000000000a1', NULL, 'DHL', 'DHL-00001-ACME', '2026-10-20', '2026-10-22', '2026-10-22', '2026-10-20 15:00:00', '2026-10-22 11:00:00'),
('0000000e-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'PO-ACME-0001', 'inbound', 'delivered', NULL, '00000009-0000-4000-8000-0000000000a1', 'DB Schenker', 'SCH-55501', '2026-10-02', '2026-10-05', '2026-10-05', '2026-10-02 08:00:00', '2026-10-05 09:00:00'),
('0000000e-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'PO-BOR-0001', 'inbound', 'delivered', NULL, '00000009-0000-4000-8000-0000000000b1', 'Bring', 'BRING-7001', '2026-10-30', '2026-11-02', '2026-11-02', '2026-10-30 06:00:00', '2026-11-02 07:00:00'),
('0000000e-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', NULL, 'transfer', 'in_transit', '00000009-0000-4000-8000-0000000000b2', '00000009-0000-4000-8000-0000000000b1', 'Bring', 'BRING-7002', '2026-11-27', '2026-11-30', NULL, '2026-11-27 06:00:00', '2026-11-27 06:00:00'),
('0000000e-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'PO-COB-0001', 'inbound', 'pending', NULL, '00000009-0000-4000-8000-0000000000c1', 'InPost', 'INP-88001', NULL, '2026-11-20', NULL, '2026-10-31 08:00:00', '2026-10-31 08:00:00'),
-- CROSS shipments.b9 — POOLED.md: "shipment origin/destination warehouse (transfer) |
-- nullify, report". B moved stock out of A's Berlin hub into its Oslo store. Erasing A:
-- origin_warehouse_id := NULL, and the shipment is listed in the report.
('0000000e-0000-4000-8000-0000000000b9', '00000001-0000-4000-8000-0000000000b0', 'TR-BOR-0009', 'transfer', 'delivered', '00000009-0000-4000-8000-0000000000a1', '00000009-0000-4000-8000-0000000000b1', 'DHL', 'DHL-00009-BOR', '2026-11-05', '2026-11-08', '2026-11-08', '2026-11-05 07:00:00', '2026-11-08 15:00:00'),
-- CROSS shipments.c9 — same line, destination side, third organization: C sent returns to
-- A's Leipzig site. Erasing A: destination_warehouse_id := NULL, reported.
('0000000e-0000-4000-8000-0000000000c9', '00000001-0000-4000-8000-0000000000c0', 'TR-COB-0009', 'transfer', 'in_transit', '00000009-0000-4000-8000-0000000000c1', '00000009-0000-4000-8000-0000000000a2', 'InPost', 'INP-88009', '2026-11-25', '2026-11-30', NULL, '2026-11-25 09:00:00', '2026-11-25 09:00:00'),
-- CROSS shipments.a9 — the reverse: A's transfer into B's Bergen quay. A's row (direct).
-- Erasing A: the shipment and its tracking go; warehouses.b2 is kept.
('0000000e-0000-4000-8000-0000000000a9', '00000001-0000-4000-8000-0000000000a0', 'TR-ACME-0009', 'transfer', 'delivered', '00000009-0000-4000-8000-0000000000a1', '00000009-0000-4000-8000-0000000000b2', 'DHL', 'DHL-00009-ACME', '2026-09-10', '2026-09-13', '2026-09-12', '2026-09-10 07:00:00', '2026-09-12 10:00:00');

INSERT INTO shipment_tracking (id, shipment_id, location, latitude, longitude, status, "timestamp") VALUES
('0000000f-0000-4000-8000-0000000000a1', '0000000e-0000-4000-8000-0000000000a1', 'Berlin-Tempelhof', 52.47340000, 13.40290000, 'picked_up', '2026-10-20 16:00:00'),
('0000000f-0000-4000-8000-0000000000a2', '0000000e-0000-4000-8000-0000000000a1', 'Hamburg', 53.55110000, 9.99370000, 'delivered', '2026-10-22 11:00:00'),
('0000000f-0000-4000-8000-0000000000a3', '0000000e-0000-4000-8000-0000000000a2', 'Berlin-Tempelhof', 52.47340000, 13.40290000, 'delivered', '2026-10-05 09:00:00'),
('0000000f-0000-4000-8000-0000000000b1', '0000000e-0000-4000-8000-0000000000b1', 'Oslo', 59.91390000, 10.75220000, 'delivered', '2026-11-02 07:00:00'),
('0000000f-0000-4000-8000-0000000000b2', '0000000e-0000-4000-8000-0000000000b2', 'Voss', 60.62860000, 6.41900000, 'in_transit', '2026-11-28 12:00:00'),
('0000000f-0000-4000-8000-0000000000c1', '0000000e-0000-4000-8000-0000000000c1', 'Poznan', 52.40640000, 16.92520000, 'label_created', '2026-10-31 08:00:00'),
-- B's and C's tracking of the crossing transfers stays with their shipments.
('0000000f-0000-4000-8000-0000000000b9', '0000000e-0000-4000-8000-0000000000b9', 'Berlin-Tempelhof', 52.47340000, 13.40290000, 'picked_up', '2026-11-05 08:00:00'),
('0000000f-0000-4000-8000-0000000000c9', '0000000e-0000-4000-8000-0000000000c9', 'Frankfurt (Oder)', 52.34710000, 14.55060000, 'in_transit', '2026-11-26 10:00:00'),
('0000000f-0000-4000-8000-0000000000a9', '0000000e-0000-4000-8000-0000000000a9', 'Bergen', 60.39130000, 5.32210000, 'delivered', '2026-09-12 10:00:00');

-- ---------------------------------------------------------------------------
-- analytics
-- ---------------------------------------------------------------------------
INSERT INTO analytics_events (id, organization_id, event_type, entity_type, entity_id, user_id, metadata, created_at) VALUES
('00000010-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'user.login', 'user', '00000002-0000-4000-8000-0000000000a1', '00000002-0000-4000-8000-0000000000a1', '{"email": "alice.admin@acme-logistics.test", "ip": "203.0.113.10"}', '2026-11-20 08:01:00'),
('00000010-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'inventory.counted', 'inventory', '0000000a-0000-4000-8000-0000000000a1', '00000002-0000-4000-8000-0000000000a2', '{"delta": 0}', '2026-11-01 06:00:00'),
('00000010-0000-4000-8000-0000000000a3', '00000001-0000-4000-8000-0000000000a0', 'report.exported', NULL, NULL, '00000002-0000-4000-8000-0000000000a3', NULL, '2026-04-02 10:00:00'),
('00000010-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'user.login', 'user', '00000002-0000-4000-8000-0000000000b1', '00000002-0000-4000-8000-0000000000b1', '{"email": "bruno.admin@borealis.test", "ip": "198.51.100.7"}', '2026-11-22 06:30:00'),
('00000010-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'po.received', 'purchase_order', '0000000c-0000-4000-8000-0000000000b1', '00000002-0000-4000-8000-0000000000b2', '{"lines": 1}', '2026-11-02 07:00:00'),
-- B's own user Dana (users.b3) shares her e-mail with A's users.a3. Erasing A: KEEP this
-- JSON as it is; an e-mail match alone does not make it A's personal data.
('00000010-0000-4000-8000-0000000000b3', '00000001-0000-4000-8000-0000000000b0', 'user.login', 'user', '00000002-0000-4000-8000-0000000000b3', '00000002-0000-4000-8000-0000000000b3', '{"email": "dana.kowalski@freightconsult.test"}', '2026-11-01 10:00:00'),
('00000010-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'user.login', 'user', '00000002-0000-4000-8000-0000000000c1', '00000002-0000-4000-8000-0000000000c1', '{"email": "carla.admin@cobalt-med.test"}', '2026-11-18 09:20:00'),
('00000010-0000-4000-8000-0000000000c2', '00000001-0000-4000-8000-0000000000c0', 'product.archived', 'product', '00000008-0000-4000-8000-0000000000c2', '00000002-0000-4000-8000-0000000000c1', NULL, '2026-01-15 10:00:00'),
-- CROSS analytics_events.b9 — POOLED.md: "analytics_events.user_id | nullify". A's Arjun
-- viewed B's overflow store. Erasing A: user_id := NULL.
('00000010-0000-4000-8000-0000000000b9', '00000001-0000-4000-8000-0000000000b0', 'warehouse.viewed', 'warehouse', '00000009-0000-4000-8000-0000000000b9', '00000002-0000-4000-8000-0000000000a2', '{"source": "3pl-portal"}', '2026-11-14 08:05:00'),
-- CROSS analytics_events.b8 — POOLED.md personal data outside FKs: "analytics_events.entity_id
-- (varchar user ids, also in other tenants' rows): nullify; metadata JSON e-mails: scrub".
-- B's admin invited A's Alice to a shared board. Erasing A: entity_id := NULL, the e-mail
-- in metadata scrubbed (the rest of the JSON kept); user_id is B's own and stays.
('00000010-0000-4000-8000-0000000000b8', '00000001-0000-4000-8000-0000000000b0', 'user.invited', 'user', '00000002-0000-4000-8000-0000000000a1', '00000002-0000-4000-8000-0000000000b1', '{"invited_email": "alice.admin@acme-logistics.test", "board": "joint-purchasing"}', '2026-11-17 12:00:00'),
-- CROSS analytics_events.c9 — same two lines from C, with the e-mail nested deeper in the
-- JSON. Erasing A: entity_id := NULL, metadata.contact.email scrubbed.
('00000010-0000-4000-8000-0000000000c9', '00000001-0000-4000-8000-0000000000c0', 'supplier.contacted', 'user', '00000002-0000-4000-8000-0000000000a2', '00000002-0000-4000-8000-0000000000c2', '{"contact": {"name": "Arjun Patel", "email": "arjun.patel@acme-logistics.test"}, "channel": "email"}', '2026-11-25 09:30:00');

INSERT INTO analytics_metrics (id, organization_id, metric_name, metric_value, dimension_date, dimension_category, created_at) VALUES
('00000011-0000-4000-8000-0000000000a1', '00000001-0000-4000-8000-0000000000a0', 'inventory_turnover', 6.2500, '2026-10-31', 'Pallets', '2026-11-01 00:05:00'),
('00000011-0000-4000-8000-0000000000a2', '00000001-0000-4000-8000-0000000000a0', 'on_time_delivery_rate', 0.9700, '2026-10-31', NULL, '2026-11-01 00:05:00'),
('00000011-0000-4000-8000-0000000000b1', '00000001-0000-4000-8000-0000000000b0', 'inventory_turnover', 11.1000, '2026-10-31', 'Seafood', '2026-11-01 00:05:00'),
('00000011-0000-4000-8000-0000000000b2', '00000001-0000-4000-8000-0000000000b0', 'stockout_count', 2.0000, '2026-10-31', 'Seafood', '2026-11-01 00:05:00'),
('00000011-0000-4000-8000-0000000000c1', '00000001-0000-4000-8000-0000000000c0', 'inventory_turnover', 4.4000, '2026-10-31', 'Gloves', '2026-11-01 00:05:00'),
('00000011-0000-4000-8000-0000000000c2', '00000001-0000-4000-8000-0000000000c0', 'on_time_delivery_rate', 0.8800, '2026-10-31', NULL, '2026-11-01 00:05:00');
