-- The lease reads the best waiting score, then each archive's oldest waiting build of that score: one index serves both.
CREATE INDEX build_lease ON build (state, architecture, score, archive, id);
