-- ABParts sample data whose organizations cross in every way POOLED.md §2 lists.
-- Load after migrations/abparts/*, in one transaction, in the pooled schema (search_path).
-- Plain INSERTs as the application would write them; deterministic: fixed uuids and
-- timestamps, nothing from now() or gen_random_uuid().
--
-- Uuid scheme: TTOO0000-0000-4000-8000-0000000000NN
--   TT = table: 01 organizations, 02 users, 03 warehouses, 04 parts, 05 inventory,
--        06 machines, 07 transactions, 08 customer_orders, 09 customer_order_items,
--        10 supplier_orders, 11 supplier_order_items, 12 part_usage, 13 security_events,
--        14 user_sessions, 15 invitation_audit_logs, 16 user_management_audit_logs,
--        17 stock_adjustments, 18 transaction_approvals
--   OO = the organization the row belongs to in business terms:
--        0e Oraseas EE (oraseas_ee singleton), b0 BossAqua (bossaqua singleton),
--        aa customer A, bb customer B, cc customer C,
--        5a supplier under A, 50 supplier under Oraseas, 00 nobody (global/orphan).
--   NN = sequence within (table, organization).
--
-- Every planted cross-tenant reference carries a `CROSS[n]` comment: the POOLED.md
-- line it plants and what erasing customer A must do with it. The list with row ids
-- is test/profiles/data/abparts-crossing.md.
--
-- Stock: every inventory.current_stock equals (sum of quantities into the warehouse)
-- minus (sum out of it) over transactions of that part, adjustments included
-- (positive_quantity forces a positive quantity: an adjustment down is "from", up is
-- "to"). Final stock per warehouse:
--   Oraseas      P1 42, P2 24, P3 130, P4 32     BossAqua   P1 40, P2 20
--   A main       P1 6,  P3 34.5, P4 5            A depot    P1 1, P4 3
--   B main       P1 7,  P3 10, P4 7              C main     P2 3, P3 19.5
--   supplier 5a  P4 14                           supplier 50 P3 30

-- ---------------------------------------------------------------------------
-- organizations
-- ---------------------------------------------------------------------------
INSERT INTO organizations (id, name, organization_type, parent_organization_id, address, contact_info, is_active, created_at, updated_at) VALUES
('010e0000-0000-4000-8000-000000000001', 'Oraseas EE', 'oraseas_ee', NULL, 'Veerenni 24, 10135 Tallinn, Estonia', 'info@oraseas.example, +372 600 1000', true, '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('01b00000-0000-4000-8000-000000000001', 'BossAqua', 'bossaqua', NULL, 'Industrivej 7, 7100 Vejle, Denmark', 'sales@bossaqua.example', true, '2024-01-02 09:05+00', '2024-01-02 09:05+00'),
('01aa0000-0000-4000-8000-000000000001', 'Kaspian Fish Farms', 'customer', NULL, 'Rannaküla 3, 86101 Pärnu, Estonia', 'Anna Berg, anna.berg@kaspianfish.example, +372 5550 1010', true, '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
('01bb0000-0000-4000-8000-000000000001', 'Nordic Net Cleaning', 'customer', NULL, 'Kaiveien 12, 6003 Ålesund, Norway', 'Sofia Lind, sofia.lind@nordicnet.example', true, '2024-02-03 10:00+00', '2024-02-03 10:00+00'),
('01cc0000-0000-4000-8000-000000000001', 'Baltic Aqua Services', 'customer', NULL, 'Ostas iela 5, LV-1015 Riga, Latvia', 'Marta Zale, marta.zale@balticaqua.example', true, '2024-02-05 10:00+00', '2024-02-05 10:00+00'),
-- CROSS[1] "supplier whose parent is C1 | refuse, list children (NULL breaks the CHECK)":
-- A's local supplier. Erasing A: refuse and list this organization.
('015a0000-0000-4000-8000-000000000001', 'Kaspian Local Supplies', 'supplier', '01aa0000-0000-4000-8000-000000000001', 'Sadama 1, 80010 Pärnu, Estonia', 'Peeter Sepp, peeter.sepp@kaspianlocal.example', true, '2024-02-10 10:00+00', '2024-02-10 10:00+00'),
('01500000-0000-4000-8000-000000000001', 'Tallinn Hydraulics', 'supplier', '010e0000-0000-4000-8000-000000000001', 'Peterburi tee 40, 11415 Tallinn, Estonia', 'Rein Mets, rein.mets@tallinnhydraulics.example', true, '2024-01-15 10:00+00', '2024-01-15 10:00+00');

-- ---------------------------------------------------------------------------
-- users (username and email are global; invited_by_user_id is a self-reference)
-- ---------------------------------------------------------------------------
INSERT INTO users (id, organization_id, username, password_hash, email, name, role, user_status, failed_login_attempts, last_login,
                   invitation_token, invitation_expires_at, invited_by_user_id, pending_email, is_active, created_at, updated_at) VALUES
('020e0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', 'oraseas.admin', '$2b$12$exampleOraseasAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'kristjan.tamm@oraseas.example', 'Kristjan Tamm', 'super_admin', 'active', 0, '2025-03-10 08:00+00', NULL, NULL, NULL, NULL, true, '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('020e0000-0000-4000-8000-000000000002', '010e0000-0000-4000-8000-000000000001', 'oraseas.tech', '$2b$12$exampleOraseasTechHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'liis.kask@oraseas.example', 'Liis Kask', 'user', 'active', 0, '2025-03-09 08:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-01-03 09:00+00', '2024-01-03 09:00+00'),
('02b00000-0000-4000-8000-000000000001', '01b00000-0000-4000-8000-000000000001', 'bossaqua.admin', '$2b$12$exampleBossAquaAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'jens.holm@bossaqua.example', 'Jens Holm', 'admin', 'active', 0, '2025-02-01 08:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-01-04 09:00+00', '2024-01-04 09:00+00'),
('02aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', 'kff.admin', '$2b$12$exampleKffAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'anna.berg@kaspianfish.example', 'Anna Berg', 'admin', 'active', 0, '2025-03-08 07:30+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', 'anna@berg-family.example', true, '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
-- A's own self-reference (A's admin invited A's technician): erasing A deletes both in one statement.
('02aa0000-0000-4000-8000-000000000002', '01aa0000-0000-4000-8000-000000000001', 'kff.tech', '$2b$12$exampleKffTechHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'mark.ilves@kaspianfish.example', 'Mark Ilves', 'user', 'active', 2, '2025-03-07 06:00+00', NULL, NULL, '02aa0000-0000-4000-8000-000000000001', NULL, true, '2024-02-02 10:00+00', '2024-02-02 10:00+00'),
('02bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', 'nnc.admin', '$2b$12$exampleNncAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sofia.lind@nordicnet.example', 'Sofia Lind', 'admin', 'active', 0, '2025-03-09 09:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-02-03 10:00+00', '2024-02-03 10:00+00'),
-- CROSS[7] "invited_by_user_id … | nullify": B's operator was invited by A's admin.
-- Erasing A: set invited_by_user_id to NULL, keep the user.
('02bb0000-0000-4000-8000-000000000002', '01bb0000-0000-4000-8000-000000000001', 'nnc.operator', '$2b$12$exampleNncOperatorHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'olav.berg@nordicnet.example', 'Olav Berg', 'user', 'active', 0, '2025-03-06 09:00+00', NULL, NULL, '02aa0000-0000-4000-8000-000000000001', NULL, true, '2024-03-01 10:00+00', '2024-03-01 10:00+00'),
('02cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', 'bas.admin', '$2b$12$exampleBasAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'marta.zale@balticaqua.example', 'Marta Zale', 'admin', 'active', 0, '2025-03-05 09:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-02-05 10:00+00', '2024-02-05 10:00+00'),
('02cc0000-0000-4000-8000-000000000002', '01cc0000-0000-4000-8000-000000000001', 'bas.diver', '$2b$12$exampleBasDiverHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'janis.ozols@balticaqua.example', 'Jānis Ozols', 'user', 'pending_invitation', 0, NULL, 'inv-cc-0002-7f3a9c', '2025-03-17 09:00+00', '02cc0000-0000-4000-8000-000000000001', NULL, true, '2025-03-10 09:00+00', '2025-03-10 09:00+00'),
('025a0000-0000-4000-8000-000000000001', '015a0000-0000-4000-8000-000000000001', 'kls.admin', '$2b$12$exampleKlsAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'peeter.sepp@kaspianlocal.example', 'Peeter Sepp', 'admin', 'active', 0, '2025-02-20 09:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-02-10 10:00+00', '2024-02-10 10:00+00'),
('02500000-0000-4000-8000-000000000001', '01500000-0000-4000-8000-000000000001', 'th.admin', '$2b$12$exampleThAdminHashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'rein.mets@tallinnhydraulics.example', 'Rein Mets', 'admin', 'active', 0, '2025-02-21 09:00+00', NULL, NULL, '020e0000-0000-4000-8000-000000000001', NULL, true, '2024-01-15 10:00+00', '2024-01-15 10:00+00');

-- ---------------------------------------------------------------------------
-- warehouses
-- ---------------------------------------------------------------------------
INSERT INTO warehouses (id, organization_id, name, location, description, is_active, created_at, updated_at) VALUES
('030e0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', 'Oraseas Main Warehouse', 'Tallinn', 'Distribution stock', true, '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('03b00000-0000-4000-8000-000000000001', '01b00000-0000-4000-8000-000000000001', 'BossAqua Factory Store', 'Vejle', 'Factory output', true, '2024-01-02 09:05+00', '2024-01-02 09:05+00'),
('03aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', 'KFF Main', 'Pärnu, Rannaküla 3', 'Main store', true, '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
('03aa0000-0000-4000-8000-000000000002', '01aa0000-0000-4000-8000-000000000001', 'KFF Boat Depot', 'Pärnu harbour, berth 4', 'Spares on the service boat; key with Mark Ilves', true, '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
('03bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', 'NNC Main', 'Ålesund', NULL, true, '2024-02-03 10:00+00', '2024-02-03 10:00+00'),
('03cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', 'BAS Main', 'Riga', NULL, true, '2024-02-05 10:00+00', '2024-02-05 10:00+00'),
('035a0000-0000-4000-8000-000000000001', '015a0000-0000-4000-8000-000000000001', 'KLS Store', 'Pärnu', NULL, true, '2024-02-10 10:00+00', '2024-02-10 10:00+00'),
('03500000-0000-4000-8000-000000000001', '01500000-0000-4000-8000-000000000001', 'TH Store', 'Tallinn', NULL, true, '2024-01-15 10:00+00', '2024-01-15 10:00+00');

-- ---------------------------------------------------------------------------
-- parts: the global catalogue (never erased with a tenant)
-- ---------------------------------------------------------------------------
INSERT INTO parts (id, part_number, name, description, part_type, is_proprietary, unit_of_measure, manufacturer_part_number,
                   manufacturer_delivery_time_days, local_supplier_delivery_time_days, image_urls, created_at, updated_at) VALUES
('04000000-0000-4000-8000-000000000001', 'AB-FLT-001', 'Net cleaner filter', 'Intake filter for AutoBoss V3/V4', 'consumable', true, 'pieces', 'BA-FLT-001', 21, NULL, ARRAY['https://cdn.example/parts/ab-flt-001.jpg'], '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('04000000-0000-4000-8000-000000000002', 'AB-BRS-010', 'Brush head set', 'Rotating brush heads, set of 4', 'consumable', true, 'pieces', 'BA-BRS-010', 28, NULL, NULL, '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('04000000-0000-4000-8000-000000000003', 'GEN-OIL-HV46', 'Hydraulic oil HV46', NULL, 'bulk_material', false, 'liters', NULL, NULL, 3, NULL, '2024-01-02 09:00+00', '2024-01-02 09:00+00'),
('04000000-0000-4000-8000-000000000004', 'GEN-HOSE-12', 'Pressure hose 12 mm', '10 m length', 'consumable', false, 'pieces', NULL, NULL, 5, NULL, '2024-01-02 09:00+00', '2024-01-02 09:00+00');

-- ---------------------------------------------------------------------------
-- machines (customers only)
-- ---------------------------------------------------------------------------
INSERT INTO machines (id, customer_organization_id, model_type, name, serial_number, purchase_date, warranty_expiry_date, status,
                      last_maintenance_date, next_maintenance_date, location, notes, created_at, updated_at) VALUES
('06aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', 'AutoBoss V4.0', 'KFF Cage Cleaner 1', 'AB-V4-2023-0001', '2023-05-10 00:00+00', '2026-05-10 00:00+00', 'active', '2025-02-14 00:00+00', '2025-05-14 00:00+00', 'Pärnu farm, pen 3', 'Operated by Mark Ilves', '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
('06aa0000-0000-4000-8000-000000000002', '01aa0000-0000-4000-8000-000000000001', 'AutoBoss V3.1', 'KFF Cage Cleaner 2', 'AB-V3-2022-0107', '2022-04-01 00:00+00', '2025-04-01 00:00+00', 'maintenance', NULL, NULL, 'Pärnu farm, pen 7', NULL, '2024-02-01 10:00+00', '2024-02-01 10:00+00'),
-- CROSS[11] personal data outside FKs in B's row: A's username in B's machine notes. Erasing A: scrub.
('06bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', 'AutoBoss V4.0', 'NNC Cleaner', 'AB-V4-2023-0015', '2023-08-01 00:00+00', '2026-08-01 00:00+00', 'active', NULL, NULL, 'Ålesund site 2', 'Serviced together with kff.tech in Feb 2025', '2024-02-03 10:00+00', '2024-02-03 10:00+00'),
('06cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', 'AutoBoss V4.0', 'BAS Service Unit', 'AB-V4-2024-0020', '2024-06-01 00:00+00', '2027-06-01 00:00+00', 'active', NULL, NULL, 'Riga service barge', NULL, '2024-06-01 10:00+00', '2024-06-01 10:00+00');

-- ---------------------------------------------------------------------------
-- inventory (current_stock as derived from the transactions below)
-- ---------------------------------------------------------------------------
INSERT INTO inventory (id, warehouse_id, part_id, current_stock, minimum_stock_recommendation, unit_of_measure, reorder_threshold_set_by, last_updated, created_at) VALUES
('050e0000-0000-4000-8000-000000000001', '030e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 42, 20, 'pieces', 'system', '2025-03-01 00:00+00', '2025-01-10 00:00+00'),
('050e0000-0000-4000-8000-000000000002', '030e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', 24, 10, 'pieces', 'system', '2025-03-01 00:00+00', '2025-01-10 00:00+00'),
('050e0000-0000-4000-8000-000000000003', '030e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 130, 100, 'liters', 'user', '2025-03-01 00:00+00', '2025-01-12 00:00+00'),
('050e0000-0000-4000-8000-000000000004', '030e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 32, 10, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-12 00:00+00'),
('05b00000-0000-4000-8000-000000000001', '03b00000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 40, 0, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-05 00:00+00'),
('05b00000-0000-4000-8000-000000000002', '03b00000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', 20, 0, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-05 00:00+00'),
('05aa0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 6, 4, 'pieces', 'system', '2025-03-01 00:00+00', '2025-01-28 00:00+00'),
('05aa0000-0000-4000-8000-000000000002', '03aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 34.5, 20, 'liters', 'system', '2025-03-01 00:00+00', '2025-01-28 00:00+00'),
('05aa0000-0000-4000-8000-000000000003', '03aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 5, 2, 'pieces', NULL, '2025-03-01 00:00+00', '2025-02-01 00:00+00'),
('05aa0000-0000-4000-8000-000000000004', '03aa0000-0000-4000-8000-000000000002', '04000000-0000-4000-8000-000000000001', 1, 2, 'pieces', NULL, '2025-03-01 00:00+00', '2025-02-03 00:00+00'),
('05aa0000-0000-4000-8000-000000000005', '03aa0000-0000-4000-8000-000000000002', '04000000-0000-4000-8000-000000000004', 3, 0, 'pieces', NULL, '2025-03-01 00:00+00', '2025-02-20 00:00+00'),
('05bb0000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 7, 5, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-30 00:00+00'),
('05bb0000-0000-4000-8000-000000000002', '03bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 7, 2, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-30 00:00+00'),
('05bb0000-0000-4000-8000-000000000003', '03bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 10, 0, 'liters', NULL, '2025-03-01 00:00+00', '2025-02-15 00:00+00'),
('05cc0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', 3, 2, 'pieces', NULL, '2025-03-01 00:00+00', '2025-02-01 00:00+00'),
('05cc0000-0000-4000-8000-000000000002', '03cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 19.5, 10, 'liters', NULL, '2025-03-01 00:00+00', '2025-02-01 00:00+00'),
('055a0000-0000-4000-8000-000000000001', '035a0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 14, 5, 'pieces', NULL, '2025-03-01 00:00+00', '2025-01-20 00:00+00'),
('05500000-0000-4000-8000-000000000001', '03500000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 30, 0, 'liters', NULL, '2025-03-01 00:00+00', '2025-01-15 00:00+00');

-- ---------------------------------------------------------------------------
-- transactions: the stock history
-- ---------------------------------------------------------------------------
INSERT INTO transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, machine_id, quantity, unit_of_measure,
                          performed_by_user_id, transaction_date, notes, reference_number, requires_approval, approval_status, created_at) VALUES
-- BossAqua makes proprietary parts and ships them to Oraseas.
('07b00000-0000-4000-8000-000000000001', 'creation', '04000000-0000-4000-8000-000000000001', NULL, '03b00000-0000-4000-8000-000000000001', NULL, 100, 'pieces', '02b00000-0000-4000-8000-000000000001', '2025-01-05 08:00+00', NULL, 'BA-PROD-0105', false, NULL, '2025-01-05 08:00+00'),
('07b00000-0000-4000-8000-000000000002', 'creation', '04000000-0000-4000-8000-000000000002', NULL, '03b00000-0000-4000-8000-000000000001', NULL, 50, 'pieces', '02b00000-0000-4000-8000-000000000001', '2025-01-05 08:10+00', NULL, 'BA-PROD-0105', false, NULL, '2025-01-05 08:10+00'),
('07b00000-0000-4000-8000-000000000003', 'transfer', '04000000-0000-4000-8000-000000000001', '03b00000-0000-4000-8000-000000000001', '030e0000-0000-4000-8000-000000000001', NULL, 60, 'pieces', '02b00000-0000-4000-8000-000000000001', '2025-01-10 12:00+00', NULL, 'PO-OR-0001', false, NULL, '2025-01-10 12:00+00'),
('07b00000-0000-4000-8000-000000000004', 'transfer', '04000000-0000-4000-8000-000000000002', '03b00000-0000-4000-8000-000000000001', '030e0000-0000-4000-8000-000000000001', NULL, 30, 'pieces', '02b00000-0000-4000-8000-000000000001', '2025-01-10 12:05+00', NULL, 'PO-OR-0001', false, NULL, '2025-01-10 12:05+00'),
-- Oraseas receives generic parts and delivers to its customers.
('070e0000-0000-4000-8000-000000000001', 'creation', '04000000-0000-4000-8000-000000000003', NULL, '030e0000-0000-4000-8000-000000000001', NULL, 200, 'liters', '020e0000-0000-4000-8000-000000000001', '2025-01-12 09:00+00', NULL, 'PO-OR-0002', false, NULL, '2025-01-12 09:00+00'),
('070e0000-0000-4000-8000-000000000002', 'creation', '04000000-0000-4000-8000-000000000004', NULL, '030e0000-0000-4000-8000-000000000001', NULL, 40, 'pieces', '020e0000-0000-4000-8000-000000000001', '2025-01-12 09:30+00', NULL, NULL, false, NULL, '2025-01-12 09:30+00'),
-- CROSS[3] "transfers C1 ↔ another org | refuse, or tombstone the warehouse": Oraseas → A
-- (delivery of A's order). Oraseas's stock derives from it. Erasing A: refuse, or re-point
-- to_warehouse_id at the placeholder warehouse. Its notes also hold A's e-mail: scrub.
('070e0000-0000-4000-8000-000000000003', 'transfer', '04000000-0000-4000-8000-000000000001', '030e0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000001', NULL, 10, 'pieces', '020e0000-0000-4000-8000-000000000002', '2025-01-28 10:00+00', 'For Anna Berg (anna.berg@kaspianfish.example)', 'CO-A-0001', false, NULL, '2025-01-28 10:00+00'),
('070e0000-0000-4000-8000-000000000004', 'transfer', '04000000-0000-4000-8000-000000000003', '030e0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000001', NULL, 50, 'liters', '020e0000-0000-4000-8000-000000000002', '2025-01-28 10:05+00', NULL, 'CO-A-0001', false, NULL, '2025-01-28 10:05+00'),
('070e0000-0000-4000-8000-000000000005', 'transfer', '04000000-0000-4000-8000-000000000001', '030e0000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', NULL, 8, 'pieces', '020e0000-0000-4000-8000-000000000002', '2025-01-30 10:00+00', NULL, 'CO-B-0001', false, NULL, '2025-01-30 10:00+00'),
('070e0000-0000-4000-8000-000000000006', 'transfer', '04000000-0000-4000-8000-000000000004', '030e0000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', NULL, 10, 'pieces', '020e0000-0000-4000-8000-000000000002', '2025-01-30 10:05+00', NULL, 'CO-B-0001', false, NULL, '2025-01-30 10:05+00'),
('070e0000-0000-4000-8000-000000000007', 'transfer', '04000000-0000-4000-8000-000000000002', '030e0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', NULL, 5, 'pieces', '020e0000-0000-4000-8000-000000000002', '2025-02-01 10:00+00', NULL, 'CO-C-0001', false, NULL, '2025-02-01 10:00+00'),
('070e0000-0000-4000-8000-000000000008', 'transfer', '04000000-0000-4000-8000-000000000003', '030e0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', NULL, 20, 'liters', '020e0000-0000-4000-8000-000000000002', '2025-02-01 10:05+00', NULL, 'CO-C-0001', false, NULL, '2025-02-01 10:05+00'),
-- CROSS[4] "transactions.machine_id | nullify": Oraseas's technician fits a brush set from
-- Oraseas stock on A's machine (service visit). Erasing A: machine_id → NULL, row kept.
('070e0000-0000-4000-8000-000000000009', 'consumption', '04000000-0000-4000-8000-000000000002', '030e0000-0000-4000-8000-000000000001', NULL, '06aa0000-0000-4000-8000-000000000001', 1, 'pieces', '020e0000-0000-4000-8000-000000000002', '2025-02-14 11:00+00', 'Service visit', 'SV-2025-014', false, NULL, '2025-02-14 11:00+00'),
('070e0000-0000-4000-8000-000000000010', 'adjustment', '04000000-0000-4000-8000-000000000004', NULL, '030e0000-0000-4000-8000-000000000001', NULL, 2, 'pieces', '020e0000-0000-4000-8000-000000000001', '2025-02-28 16:00+00', 'Stock count', NULL, false, NULL, '2025-02-28 16:00+00'),
-- Suppliers stock up; A's supplier delivers to A.
('075a0000-0000-4000-8000-000000000001', 'creation', '04000000-0000-4000-8000-000000000004', NULL, '035a0000-0000-4000-8000-000000000001', NULL, 20, 'pieces', '025a0000-0000-4000-8000-000000000001', '2025-01-20 09:00+00', NULL, NULL, false, NULL, '2025-01-20 09:00+00'),
-- CROSS[3] transfer supplier-under-A → A (both sides go or stay with A's erasure, which
-- CROSS[1] refuses anyway); listed for completeness.
('075a0000-0000-4000-8000-000000000002', 'transfer', '04000000-0000-4000-8000-000000000004', '035a0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000001', NULL, 6, 'pieces', '025a0000-0000-4000-8000-000000000001', '2025-02-01 09:00+00', NULL, 'KLS-0007', false, NULL, '2025-02-01 09:00+00'),
('07500000-0000-4000-8000-000000000001', 'creation', '04000000-0000-4000-8000-000000000003', NULL, '03500000-0000-4000-8000-000000000001', NULL, 30, 'liters', '02500000-0000-4000-8000-000000000001', '2025-01-15 09:00+00', NULL, NULL, false, NULL, '2025-01-15 09:00+00'),
-- A's own stock movements.
('07aa0000-0000-4000-8000-000000000001', 'transfer', '04000000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000002', NULL, 4, 'pieces', '02aa0000-0000-4000-8000-000000000002', '2025-02-03 07:00+00', NULL, NULL, false, NULL, '2025-02-03 07:00+00'),
('07aa0000-0000-4000-8000-000000000002', 'consumption', '04000000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000002', NULL, '06aa0000-0000-4000-8000-000000000001', 2, 'pieces', '02aa0000-0000-4000-8000-000000000002', '2025-02-10 07:00+00', NULL, NULL, false, NULL, '2025-02-10 07:00+00'),
('07aa0000-0000-4000-8000-000000000003', 'consumption', '04000000-0000-4000-8000-000000000003', '03aa0000-0000-4000-8000-000000000001', NULL, '06aa0000-0000-4000-8000-000000000002', 5.5, 'liters', '02aa0000-0000-4000-8000-000000000002', '2025-02-12 07:00+00', NULL, NULL, true, 'approved', '2025-02-12 07:00+00'),
-- CROSS[3] transfer A → B: A lends oil to B. B's stock derives from it. Erasing A: refuse,
-- or re-point from_warehouse_id (and the performer, CROSS[5]) at the placeholder.
('07aa0000-0000-4000-8000-000000000004', 'transfer', '04000000-0000-4000-8000-000000000003', '03aa0000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', NULL, 10, 'liters', '02aa0000-0000-4000-8000-000000000001', '2025-02-15 13:00+00', 'Loan agreed with sofia.lind@nordicnet.example', 'LOAN-0001', false, NULL, '2025-02-15 13:00+00'),
('07aa0000-0000-4000-8000-000000000005', 'adjustment', '04000000-0000-4000-8000-000000000004', '03aa0000-0000-4000-8000-000000000001', NULL, NULL, 1, 'pieces', '02aa0000-0000-4000-8000-000000000001', '2025-02-20 15:00+00', 'Damaged hose', NULL, false, NULL, '2025-02-20 15:00+00'),
-- CROSS[3] transfer B → A: B returns hoses into A's depot. B's stock derives from it.
-- Erasing A: refuse, or re-point to_warehouse_id at the placeholder. Its notes hold A's
-- e-mail (personal data in B's row): scrub.
('07bb0000-0000-4000-8000-000000000001', 'transfer', '04000000-0000-4000-8000-000000000004', '03bb0000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000002', NULL, 3, 'pieces', '02bb0000-0000-4000-8000-000000000001', '2025-02-20 10:00+00', 'Hoses returned to mark.ilves@kaspianfish.example', 'LOAN-0001-R', false, NULL, '2025-02-20 10:00+00'),
-- CROSS[5] "NOT NULL actors: performed_by_user_id … | tombstone or refuse": A's admin did
-- B's stock count. Erasing A: refuse, or re-point performed_by_user_id at the placeholder user.
('07bb0000-0000-4000-8000-000000000002', 'adjustment', '04000000-0000-4000-8000-000000000001', NULL, '03bb0000-0000-4000-8000-000000000001', NULL, 2, 'pieces', '02aa0000-0000-4000-8000-000000000001', '2025-02-22 16:00+00', 'Stock count', NULL, true, 'approved', '2025-02-22 16:00+00'),
('07bb0000-0000-4000-8000-000000000003', 'consumption', '04000000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', NULL, '06bb0000-0000-4000-8000-000000000001', 3, 'pieces', '02bb0000-0000-4000-8000-000000000002', '2025-02-25 08:00+00', NULL, NULL, true, 'approved', '2025-02-25 08:00+00'),
-- CROSS[6]/[3] B consumes a filter out of A's depot for B's machine (the stock side of
-- part_usage 12bb…02). A's stock derives from it, B's machine history names it. Erasing A:
-- refuse, or re-point from_warehouse_id at the placeholder warehouse.
('07bb0000-0000-4000-8000-000000000004', 'consumption', '04000000-0000-4000-8000-000000000001', '03aa0000-0000-4000-8000-000000000002', NULL, '06bb0000-0000-4000-8000-000000000001', 1, 'pieces', '02bb0000-0000-4000-8000-000000000002', '2025-02-26 08:00+00', NULL, NULL, false, NULL, '2025-02-26 08:00+00'),
('07cc0000-0000-4000-8000-000000000001', 'consumption', '04000000-0000-4000-8000-000000000002', '03cc0000-0000-4000-8000-000000000001', NULL, '06cc0000-0000-4000-8000-000000000001', 1, 'pieces', '02cc0000-0000-4000-8000-000000000001', '2025-02-18 09:00+00', NULL, NULL, false, NULL, '2025-02-18 09:00+00'),
('07cc0000-0000-4000-8000-000000000002', 'adjustment', '04000000-0000-4000-8000-000000000003', '03cc0000-0000-4000-8000-000000000001', NULL, NULL, 0.5, 'liters', '02cc0000-0000-4000-8000-000000000001', '2025-02-19 09:00+00', 'Spill', NULL, true, 'approved', '2025-02-19 09:00+00'),
-- CROSS[4] "transactions.machine_id | nullify": C (a service company) fits its own brush set
-- on A's second machine under contract. Erasing A: machine_id → NULL, C's row and stock kept.
('07cc0000-0000-4000-8000-000000000003', 'consumption', '04000000-0000-4000-8000-000000000002', '03cc0000-0000-4000-8000-000000000001', NULL, '06aa0000-0000-4000-8000-000000000002', 1, 'pieces', '02cc0000-0000-4000-8000-000000000001', '2025-03-03 09:00+00', 'Contract cleaning for Kaspian Fish Farms', 'BAS-SC-0003', false, NULL, '2025-03-03 09:00+00');

-- ---------------------------------------------------------------------------
-- stock_adjustments (each beside its adjustment transaction; quantity signed)
-- ---------------------------------------------------------------------------
INSERT INTO stock_adjustments (id, inventory_id, user_id, adjustment_date, quantity_adjusted, reason_code, notes, created_at, updated_at) VALUES
('170e0000-0000-4000-8000-000000000001', '050e0000-0000-4000-8000-000000000004', '020e0000-0000-4000-8000-000000000001', '2025-02-28 16:00+00', 2, 'count_correction', NULL, '2025-02-28 16:00+00', '2025-02-28 16:00+00'),
('17aa0000-0000-4000-8000-000000000001', '05aa0000-0000-4000-8000-000000000003', '02aa0000-0000-4000-8000-000000000001', '2025-02-20 15:00+00', -1, 'damaged', 'Hose burst on pen 7', '2025-02-20 15:00+00', '2025-02-20 15:00+00'),
-- CROSS[5] "NOT NULL actors: … stock_adjustments.user_id | tombstone or refuse": A's admin
-- adjusted B's inventory. Erasing A: refuse, or re-point user_id at the placeholder user;
-- the notes name A's admin: scrub.
('17bb0000-0000-4000-8000-000000000001', '05bb0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000001', '2025-02-22 16:00+00', 2, 'count_correction', 'Stocktake done by kff.admin for NNC', '2025-02-22 16:00+00', '2025-02-22 16:00+00'),
('17cc0000-0000-4000-8000-000000000001', '05cc0000-0000-4000-8000-000000000002', '02cc0000-0000-4000-8000-000000000001', '2025-02-19 09:00+00', -0.5, 'spillage', NULL, '2025-02-19 09:00+00', '2025-02-19 09:00+00');

-- ---------------------------------------------------------------------------
-- transaction_approvals
-- ---------------------------------------------------------------------------
INSERT INTO transaction_approvals (id, transaction_id, approver_id, status, notes, created_at) VALUES
('18aa0000-0000-4000-8000-000000000001', '07aa0000-0000-4000-8000-000000000003', '02aa0000-0000-4000-8000-000000000001', 'approved', NULL, '2025-02-12 08:00+00'),
-- CROSS[5] "NOT NULL actors: … approver_id | tombstone or refuse": A's admin approved B's
-- consumption. Erasing A: refuse, or re-point approver_id at the placeholder user; notes: scrub.
('18bb0000-0000-4000-8000-000000000001', '07bb0000-0000-4000-8000-000000000003', '02aa0000-0000-4000-8000-000000000001', 'approved', 'Approved by Anna Berg on behalf of NNC', '2025-02-25 09:00+00'),
('18bb0000-0000-4000-8000-000000000002', '07bb0000-0000-4000-8000-000000000002', '02bb0000-0000-4000-8000-000000000001', 'approved', NULL, '2025-02-23 09:00+00'),
('18cc0000-0000-4000-8000-000000000001', '07cc0000-0000-4000-8000-000000000002', '02cc0000-0000-4000-8000-000000000001', 'approved', NULL, '2025-02-19 10:00+00');

-- ---------------------------------------------------------------------------
-- customer_orders: every one is co-owned by the customer and Oraseas
-- ---------------------------------------------------------------------------
INSERT INTO customer_orders (id, customer_organization_id, oraseas_organization_id, order_date, expected_delivery_date, actual_delivery_date,
                             status, ordered_by_user_id, notes, created_at, updated_at) VALUES
-- CROSS[2] "customer_orders (C1 + Oraseas): Oraseas's sales record under legal retention |
-- refuse; or tombstone the customer, null ordered_by_user_id, clear notes, keep lines":
-- both of A's orders. Erasing A: refuse, or customer_organization_id → placeholder org,
-- ordered_by_user_id → NULL, notes → NULL, lines kept.
('08aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', '2025-01-20 09:00+00', '2025-01-27 00:00+00', '2025-01-28 10:00+00', 'delivered', '02aa0000-0000-4000-8000-000000000001', 'Deliver to the boat depot gate, call Anna Berg +372 5550 1010', '2025-01-20 09:00+00', '2025-01-28 10:00+00'),
('08aa0000-0000-4000-8000-000000000002', '01aa0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', '2025-03-01 09:00+00', '2025-03-15 00:00+00', NULL, 'pending', '02aa0000-0000-4000-8000-000000000002', NULL, '2025-03-01 09:00+00', '2025-03-01 09:00+00'),
('08bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', '2025-01-22 09:00+00', '2025-01-29 00:00+00', '2025-01-30 10:00+00', 'delivered', '02bb0000-0000-4000-8000-000000000001', NULL, '2025-01-22 09:00+00', '2025-01-30 10:00+00'),
('08cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', '2025-01-25 09:00+00', '2025-02-01 00:00+00', '2025-02-01 10:00+00', 'delivered', '02cc0000-0000-4000-8000-000000000001', 'Invoice to marta.zale@balticaqua.example', '2025-01-25 09:00+00', '2025-02-01 10:00+00');

INSERT INTO customer_order_items (id, customer_order_id, part_id, quantity, unit_price, created_at, updated_at) VALUES
('09aa0000-0000-4000-8000-000000000001', '08aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 10, 45.00, '2025-01-20 09:00+00', '2025-01-20 09:00+00'),
('09aa0000-0000-4000-8000-000000000002', '08aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 50, 6.50, '2025-01-20 09:00+00', '2025-01-20 09:00+00'),
('09aa0000-0000-4000-8000-000000000003', '08aa0000-0000-4000-8000-000000000002', '04000000-0000-4000-8000-000000000002', 2, 120.00, '2025-03-01 09:00+00', '2025-03-01 09:00+00'),
('09bb0000-0000-4000-8000-000000000001', '08bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 8, 45.00, '2025-01-22 09:00+00', '2025-01-22 09:00+00'),
('09bb0000-0000-4000-8000-000000000002', '08bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 10, 18.00, '2025-01-22 09:00+00', '2025-01-22 09:00+00'),
('09cc0000-0000-4000-8000-000000000001', '08cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', 5, 120.00, '2025-01-25 09:00+00', '2025-01-25 09:00+00'),
('09cc0000-0000-4000-8000-000000000002', '08cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 20, 6.50, '2025-01-25 09:00+00', '2025-01-25 09:00+00');

-- ---------------------------------------------------------------------------
-- supplier_orders (supplier named in text)
-- ---------------------------------------------------------------------------
INSERT INTO supplier_orders (id, ordering_organization_id, supplier_name, order_date, expected_delivery_date, actual_delivery_date, status, notes, created_at, updated_at) VALUES
('100e0000-0000-4000-8000-000000000001', '010e0000-0000-4000-8000-000000000001', 'BossAqua', '2025-01-03 09:00+00', '2025-01-10 00:00+00', '2025-01-10 12:00+00', 'delivered', NULL, '2025-01-03 09:00+00', '2025-01-10 12:00+00'),
('100e0000-0000-4000-8000-000000000002', '010e0000-0000-4000-8000-000000000001', 'Tallinn Hydraulics', '2025-01-08 09:00+00', '2025-01-12 00:00+00', '2025-01-12 09:00+00', 'delivered', NULL, '2025-01-08 09:00+00', '2025-01-12 09:00+00'),
-- CROSS[9] "supplier_orders.supplier_name (text) | report": an Oraseas order naming A as the
-- supplier, with A's contact in the notes. Erasing A: report the row (name is business
-- data of Oraseas); the e-mail in notes is personal data: scrub.
('100e0000-0000-4000-8000-000000000003', '010e0000-0000-4000-8000-000000000001', 'Kaspian Fish Farms', '2025-03-02 09:00+00', NULL, NULL, 'cancelled', 'Buy back unused hoses; contact anna.berg@kaspianfish.example', '2025-03-02 09:00+00', '2025-03-04 09:00+00'),
('10aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', 'Kaspian Local Supplies', '2025-01-25 09:00+00', '2025-02-01 00:00+00', '2025-02-01 09:00+00', 'delivered', NULL, '2025-01-25 09:00+00', '2025-02-01 09:00+00'),
('10bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', 'Tallinn Hydraulics', '2025-03-05 09:00+00', '2025-03-20 00:00+00', NULL, 'pending', NULL, '2025-03-05 09:00+00', '2025-03-05 09:00+00'),
('10cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', 'Tallinn Hydraulics', '2025-03-06 09:00+00', NULL, NULL, 'pending', NULL, '2025-03-06 09:00+00', '2025-03-06 09:00+00');

INSERT INTO supplier_order_items (id, supplier_order_id, part_id, quantity, unit_price, created_at, updated_at) VALUES
('110e0000-0000-4000-8000-000000000001', '100e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', 60, 30.00, '2025-01-03 09:00+00', '2025-01-03 09:00+00'),
('110e0000-0000-4000-8000-000000000002', '100e0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', 30, 80.00, '2025-01-03 09:00+00', '2025-01-03 09:00+00'),
('110e0000-0000-4000-8000-000000000003', '100e0000-0000-4000-8000-000000000002', '04000000-0000-4000-8000-000000000003', 200, 4.00, '2025-01-08 09:00+00', '2025-01-08 09:00+00'),
('110e0000-0000-4000-8000-000000000004', '100e0000-0000-4000-8000-000000000003', '04000000-0000-4000-8000-000000000004', 5, 10.00, '2025-03-02 09:00+00', '2025-03-02 09:00+00'),
('11aa0000-0000-4000-8000-000000000001', '10aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 6, 15.00, '2025-01-25 09:00+00', '2025-01-25 09:00+00'),
('11bb0000-0000-4000-8000-000000000001', '10bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000004', 2, 17.00, '2025-03-05 09:00+00', '2025-03-05 09:00+00'),
('11cc0000-0000-4000-8000-000000000001', '10cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', 10, 4.20, '2025-03-06 09:00+00', '2025-03-06 09:00+00');

-- ---------------------------------------------------------------------------
-- part_usage
-- ---------------------------------------------------------------------------
INSERT INTO part_usage (id, customer_organization_id, part_id, usage_date, quantity, machine_id, recorded_by_user_id, warehouse_id, notes, created_at, updated_at) VALUES
('12aa0000-0000-4000-8000-000000000001', '01aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', '2025-02-10 07:00+00', 2, '06aa0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000002', '03aa0000-0000-4000-8000-000000000002', NULL, '2025-02-10 07:00+00', '2025-02-10 07:00+00'),
('12aa0000-0000-4000-8000-000000000002', '01aa0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000003', '2025-02-12 07:00+00', 5.5, '06aa0000-0000-4000-8000-000000000002', '02aa0000-0000-4000-8000-000000000002', '03aa0000-0000-4000-8000-000000000001', 'Oil change', '2025-02-12 07:00+00', '2025-02-12 07:00+00'),
('12bb0000-0000-4000-8000-000000000001', '01bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', '2025-02-25 08:00+00', 3, '06bb0000-0000-4000-8000-000000000001', '02bb0000-0000-4000-8000-000000000002', '03bb0000-0000-4000-8000-000000000001', NULL, '2025-02-25 08:00+00', '2025-02-25 08:00+00'),
-- CROSS[6] "part_usage.warehouse_id (NOT NULL), another customer's usage | tombstone or refuse;
-- nullify machine, recorder": B's usage taken from A's depot and recorded by A's technician.
-- Erasing A: refuse, or warehouse_id → placeholder warehouse and recorded_by_user_id → NULL;
-- the notes name A's technician: scrub.
('12bb0000-0000-4000-8000-000000000002', '01bb0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000001', '2025-02-26 08:00+00', 1, '06bb0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000002', '03aa0000-0000-4000-8000-000000000002', 'Borrowed filter from the KFF depot; mark.ilves handed it over', '2025-02-26 08:00+00', '2025-02-26 08:00+00'),
('12cc0000-0000-4000-8000-000000000001', '01cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', '2025-02-18 09:00+00', 1, '06cc0000-0000-4000-8000-000000000001', '02cc0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', NULL, '2025-02-18 09:00+00', '2025-02-18 09:00+00'),
-- CROSS[6] "… nullify machine": C's usage (its own part, its own warehouse) on A's machine
-- under a service contract. Erasing A: machine_id → NULL, C's row kept.
('12cc0000-0000-4000-8000-000000000002', '01cc0000-0000-4000-8000-000000000001', '04000000-0000-4000-8000-000000000002', '2025-03-03 09:00+00', 1, '06aa0000-0000-4000-8000-000000000002', '02cc0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', 'Contract cleaning, pen 7', '2025-03-03 09:00+00', '2025-03-03 09:00+00');

-- ---------------------------------------------------------------------------
-- security_events
-- ---------------------------------------------------------------------------
INSERT INTO security_events (id, user_id, event_type, ip_address, user_agent, session_id, details, timestamp, risk_level) VALUES
('130e0000-0000-4000-8000-000000000001', '020e0000-0000-4000-8000-000000000001', 'login_success', '192.0.2.10', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'sess-0e-01', NULL, '2025-03-10 08:00+00', 'low'),
('13aa0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000001', 'login_success', '203.0.113.10', 'Mozilla/5.0 (Macintosh) Safari/17.0', 'sess-aa-01', NULL, '2025-03-08 07:30+00', 'low'),
('13aa0000-0000-4000-8000-000000000002', '02aa0000-0000-4000-8000-000000000002', 'password_reset_requested', '203.0.113.11', 'Mozilla/5.0 (Android 14) Chrome/126.0', NULL, 'reset link sent to mark.ilves@kaspianfish.example', '2025-03-01 06:00+00', 'medium'),
('13bb0000-0000-4000-8000-000000000001', '02bb0000-0000-4000-8000-000000000001', 'login_success', '198.51.100.20', 'Mozilla/5.0 (Windows NT 10.0) Edge/126.0', 'sess-bb-01', NULL, '2025-03-09 09:00+00', 'low'),
-- CROSS[10] "`details` texts (e-mails, usernames …) | scrub": B's event names A's admin by
-- username, e-mail and user id, and A's warehouse id. Erasing A: scrub the details, keep the row.
('13bb0000-0000-4000-8000-000000000002', '02bb0000-0000-4000-8000-000000000001', 'permission_denied', '198.51.100.20', 'Mozilla/5.0 (Windows NT 10.0) Edge/126.0', 'sess-bb-01', 'nnc.admin opened warehouse 03aa0000-0000-4000-8000-000000000001 of kff.admin (user 02aa0000-0000-4000-8000-000000000001, anna.berg@kaspianfish.example)', '2025-03-09 09:05+00', 'high'),
-- CROSS[10] "… (`user_id` may be NULL) | scrub": a failed login for A's technician's username,
-- owned by nobody. Erasing A: scrub (found only by searching the text).
('13000000-0000-4000-8000-000000000001', NULL, 'login_failed', '198.51.100.99', 'curl/8.5.0', NULL, 'bad password for username kff.tech (mark.ilves@kaspianfish.example)', '2025-03-07 05:59+00', 'medium'),
('13cc0000-0000-4000-8000-000000000001', '02cc0000-0000-4000-8000-000000000001', 'login_success', '192.0.2.77', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', 'sess-cc-01', NULL, '2025-03-05 09:00+00', 'low');

-- ---------------------------------------------------------------------------
-- user_sessions
-- ---------------------------------------------------------------------------
INSERT INTO user_sessions (id, user_id, session_token, ip_address, user_agent, created_at, expires_at, last_activity, is_active) VALUES
('140e0000-0000-4000-8000-000000000001', '020e0000-0000-4000-8000-000000000001', 'sess-0e-01', '192.0.2.10', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '2025-03-10 08:00+00', '2025-03-11 08:00+00', '2025-03-10 09:00+00', true),
('14aa0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000001', 'sess-aa-01', '203.0.113.10', 'Mozilla/5.0 (Macintosh) Safari/17.0', '2025-03-08 07:30+00', '2025-03-09 07:30+00', '2025-03-08 08:00+00', false),
('14aa0000-0000-4000-8000-000000000002', '02aa0000-0000-4000-8000-000000000002', 'sess-aa-02', '203.0.113.11', 'Mozilla/5.0 (Android 14) Chrome/126.0', '2025-03-07 06:00+00', '2025-03-08 06:00+00', '2025-03-07 06:30+00', false),
('14bb0000-0000-4000-8000-000000000001', '02bb0000-0000-4000-8000-000000000001', 'sess-bb-01', '198.51.100.20', 'Mozilla/5.0 (Windows NT 10.0) Edge/126.0', '2025-03-09 09:00+00', '2025-03-10 09:00+00', '2025-03-09 09:30+00', true),
('14cc0000-0000-4000-8000-000000000001', '02cc0000-0000-4000-8000-000000000001', 'sess-cc-01', '192.0.2.77', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', '2025-03-05 09:00+00', '2025-03-06 09:00+00', '2025-03-05 09:10+00', false);

-- ---------------------------------------------------------------------------
-- invitation_audit_logs
-- ---------------------------------------------------------------------------
INSERT INTO invitation_audit_logs (id, user_id, action, performed_by_user_id, timestamp, details) VALUES
('150e0000-0000-4000-8000-000000000001', '020e0000-0000-4000-8000-000000000002', 'invited', '020e0000-0000-4000-8000-000000000001', '2024-01-03 09:00+00', 'invitation sent to liis.kask@oraseas.example'),
('15aa0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000001', 'invited', '020e0000-0000-4000-8000-000000000001', '2024-02-01 10:00+00', 'invitation sent to anna.berg@kaspianfish.example'),
('15aa0000-0000-4000-8000-000000000002', '02aa0000-0000-4000-8000-000000000001', 'accepted', NULL, '2024-02-01 12:00+00', NULL),
('15aa0000-0000-4000-8000-000000000003', '02aa0000-0000-4000-8000-000000000002', 'invited', '02aa0000-0000-4000-8000-000000000001', '2024-02-02 10:00+00', 'invitation sent to mark.ilves@kaspianfish.example'),
('15bb0000-0000-4000-8000-000000000001', '02bb0000-0000-4000-8000-000000000001', 'invited', '020e0000-0000-4000-8000-000000000001', '2024-02-03 10:00+00', 'invitation sent to sofia.lind@nordicnet.example'),
-- CROSS[8] "invitation_audit_logs performer | nullify" + CROSS[10] details: A's admin invited
-- B's operator. Erasing A: performed_by_user_id → NULL, scrub details, keep the row.
('15bb0000-0000-4000-8000-000000000002', '02bb0000-0000-4000-8000-000000000002', 'invited', '02aa0000-0000-4000-8000-000000000001', '2024-03-01 10:00+00', 'invited by kff.admin (anna.berg@kaspianfish.example) on behalf of NNC'),
('15cc0000-0000-4000-8000-000000000001', '02cc0000-0000-4000-8000-000000000001', 'invited', '020e0000-0000-4000-8000-000000000001', '2024-02-05 10:00+00', 'invitation sent to marta.zale@balticaqua.example'),
('15cc0000-0000-4000-8000-000000000002', '02cc0000-0000-4000-8000-000000000002', 'invited', '02cc0000-0000-4000-8000-000000000001', '2025-03-10 09:00+00', 'invitation sent to janis.ozols@balticaqua.example'),
('155a0000-0000-4000-8000-000000000001', '025a0000-0000-4000-8000-000000000001', 'invited', '020e0000-0000-4000-8000-000000000001', '2024-02-10 10:00+00', NULL);

-- ---------------------------------------------------------------------------
-- user_management_audit_logs
-- ---------------------------------------------------------------------------
INSERT INTO user_management_audit_logs (id, user_id, action, performed_by_user_id, timestamp, details) VALUES
('16aa0000-0000-4000-8000-000000000001', '02aa0000-0000-4000-8000-000000000002', 'user_activated', '02aa0000-0000-4000-8000-000000000001', '2024-02-02 12:00+00', NULL),
-- A's user as the subject, Oraseas's super admin as the performer: owned by A through user_id.
('16aa0000-0000-4000-8000-000000000002', '02aa0000-0000-4000-8000-000000000001', 'user_created', '020e0000-0000-4000-8000-000000000001', '2024-02-01 10:00+00', 'created kff.admin for Kaspian Fish Farms'),
('16bb0000-0000-4000-8000-000000000001', '02bb0000-0000-4000-8000-000000000002', 'user_activated', '02bb0000-0000-4000-8000-000000000001', '2024-03-01 12:00+00', NULL),
-- CROSS[5] "NOT NULL actors: … user_management_audit_logs.performed_by_user_id | tombstone or
-- refuse" + CROSS[10] details: A's admin edited B's operator. Erasing A: refuse, or re-point
-- performed_by_user_id at the placeholder user and scrub details.
('16bb0000-0000-4000-8000-000000000002', '02bb0000-0000-4000-8000-000000000002', 'profile_updated', '02aa0000-0000-4000-8000-000000000001', '2024-03-02 12:00+00', 'phone number changed by kff.admin (anna.berg@kaspianfish.example)'),
('16cc0000-0000-4000-8000-000000000001', '02cc0000-0000-4000-8000-000000000001', 'user_created', '020e0000-0000-4000-8000-000000000001', '2024-02-05 10:00+00', NULL);
