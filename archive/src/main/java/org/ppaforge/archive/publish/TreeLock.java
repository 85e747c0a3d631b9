package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** A published tree's lock, held by one publish at a time across threads and processes (a lock file in the tree). */
public final class TreeLock {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private TreeLock() {}

    /** Work done while holding a tree's lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding {@code tree}'s lock, against other threads and other processes. A publish reads its
     * snapshot inside it: a snapshot read before the lock could be older than one published while it waited, and
     * writing it after would put the older tree back.
     */
    public static <T> T locked(Path tree, LockedWork<T> work) throws IOException {
        Files.createDirectories(tree);
        ReentrantLock local = LOCKS.computeIfAbsent(tree.toAbsolutePath().normalize(), k -> new ReentrantLock());
        local.lock();
        try (FileChannel ch =
                        FileChannel.open(tree.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            return work.run();
        } finally {
            local.unlock();
        }
    }
}
