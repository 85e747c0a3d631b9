package org.ppaforge.archive.store;

import java.util.function.Function;

/**
 * Where archives and publications live. Every {@link #write} is one transaction: all of it
 * or none of it is stored, whatever happens to the process. Writers are serialized (a
 * second writer waits); readers see the last committed state.
 *
 * <p>The embedded default is {@code SqliteMetadataStore}; a PostgreSQL one comes later.
 */
public interface MetadataStore extends AutoCloseable {
    <T> T read(Function<StoreTx, T> work);

    <T> T write(Function<StoreTx, T> work);

    @Override
    void close();
}
