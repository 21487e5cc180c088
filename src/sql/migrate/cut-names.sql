-- Each name as the server keeps an identifier: cut to 63 bytes (NAMEDATALEN - 1) in the
-- database's encoding, on a character boundary, which is what a cast to name does.
-- $1 the names as a migration wrote them (folded, unquoted)
select g.given, g.given::name::text as cut
from unnest($1::text[]) as g(given)
