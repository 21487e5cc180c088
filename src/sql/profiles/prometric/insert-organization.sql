-- Prometric provisioning, step 1: the organization (the tenant registry row), named by its
-- BIN (Kazakhstan business identification number: UNIQUE; `name` is not unique).
-- $1 name, $2 bin, $3 e-mail of the organization or null
insert into organizations (name, bin, email, status) values ($1, $2, $3, 'active')
returning id::text, status, created_at
