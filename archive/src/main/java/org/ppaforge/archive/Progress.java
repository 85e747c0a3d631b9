package org.ppaforge.archive;

/** Receives progress of long work (front ends draw a bar from it). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, done, total) -> {};

    /** @param total 0 when unknown */
    void update(String phase, long done, long total);
}
