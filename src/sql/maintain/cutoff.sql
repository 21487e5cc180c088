-- The instant before which a retention rule deletes rows, by the server's clock.
-- $1 interval text ("6 months")
select now() - $1::text::interval as cutoff
