-- bt_index_check on a batch of indexes ($1 oid[]): raises at the first corrupt index, naming it.
-- One statement per batch, so the locks (index and table) are released between batches.
select count(bt_index_check(o::regclass))::int as checked
from unnest($1::oid[]) as o
