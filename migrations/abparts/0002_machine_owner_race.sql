-- migrate:up

-- machine_customer_only, race-free under every isolation level (0001 is applied: never edited).
--
-- 0001's machine trigger locked the owner organization FOR SHARE. That makes a concurrent
-- type change wait, but a type change running in REPEATABLE READ (or SERIALIZABLE against a
-- READ COMMITTED machine write) reads machines with its transaction snapshot: taken before
-- the machine was committed, it does not see it, and both commit. A lock is not an update,
-- so nothing tells the type change its snapshot is stale — and an advisory lock would not
-- either, for the same reason: waiting cannot refresh a transaction snapshot.
--
-- Here the machine trigger writes the owner row (organization_type set to itself, a no-key
-- update: it does not block foreign key checks of other tables, and the WHEN clause of
-- machine_owner_stays_customer keeps that trigger from running). A real write is what every
-- isolation level sees:
--   * READ COMMITTED type change: waits for the machine's transaction, then re-reads the row
--     and runs its trigger in a new statement snapshot that shows the machine: refused;
--   * REPEATABLE READ / SERIALIZABLE type change whose snapshot predates the machine's
--     commit: "could not serialize access due to concurrent update" (40001), whether it
--     waited or came later: refused, to be retried, and then it sees the machine;
--   * the machine write after an uncommitted or newer type change: waits, then sees the new
--     type (READ COMMITTED) or fails with 40001 (REPEATABLE READ / SERIALIZABLE).
-- The price: machine writes for ONE organization take turns (and, in REPEATABLE READ, a
-- concurrent one is cancelled with 40001). Machines are physical units registered one by
-- one by people, so that is acceptable for the rule the seed asked for.
CREATE OR REPLACE FUNCTION machine_customer_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    owner_type organization_type_enum;
BEGIN
    UPDATE organizations o
    SET organization_type = o.organization_type
    WHERE o.id = NEW.customer_organization_id
    RETURNING o.organization_type INTO owner_type;
    -- A missing owner is left to the foreign key, which reports it better.
    IF FOUND AND owner_type IS DISTINCT FROM 'customer' THEN
        RAISE EXCEPTION 'machine % must be owned by a customer organization; organization % is %',
                NEW.serial_number, NEW.customer_organization_id, owner_type
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'machine_customer_only',
                  TABLE = 'machines',
                  HINT = 'Register machines only under organizations of type customer.';
    END IF;
    RETURN NEW;
END;
$$;

-- migrate:down

-- 0001's version: the owner row locked FOR SHARE (race-free under READ COMMITTED only).
CREATE OR REPLACE FUNCTION machine_customer_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    owner_type organization_type_enum;
BEGIN
    SELECT o.organization_type INTO owner_type
    FROM organizations o
    WHERE o.id = NEW.customer_organization_id
    FOR SHARE;
    IF FOUND AND owner_type IS DISTINCT FROM 'customer' THEN
        RAISE EXCEPTION 'machine % must be owned by a customer organization; organization % is %',
                NEW.serial_number, NEW.customer_organization_id, owner_type
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'machine_customer_only',
                  TABLE = 'machines',
                  HINT = 'Register machines only under organizations of type customer.';
    END IF;
    RETURN NEW;
END;
$$;
