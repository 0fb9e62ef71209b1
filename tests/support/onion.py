"""An onion address for tests: well formed, with a checksum that holds (made from
a key nobody holds: sha256 of "exitwatch test onion")."""

ONION = "txzbqqvhcuck6aum73ssx2gp3h5xoztoz2fn3ndtgesi4tg73hu32fqd.onion"
