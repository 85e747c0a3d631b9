package org.ppaforge.archive.model;

/** A file name as published in a pool, and the content it names. */
public record PoolFile(String filename, String sha256) {}
