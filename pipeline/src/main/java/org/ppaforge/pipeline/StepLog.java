package org.ppaforge.pipeline;

/**
 * A page of a run's step log, at most 1 MiB from a byte offset, cut between characters.
 *
 * @param next the offset to ask from next
 * @param end whether the page reaches the end of the log as it is now
 * @param complete whether the log is whole: the run is over and the page reaches its end
 */
public record StepLog(long run, String step, String text, long next, boolean end, boolean complete) {}
