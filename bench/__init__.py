"""`make bench`: the chain at scale, served as production serves it, measured with wrk."""
