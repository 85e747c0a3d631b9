package org.ppaforge.archive.blob;

import org.ppaforge.archive.store.BlobStore;

/** The blob store contract on the directory pool (the embedded default), copying rather than linking. */
class FileBlobStoreTest extends BlobStoreContract {
    @Override
    BlobStore store() {
        return new FileBlobStore(work.resolve("pool"), false);
    }
}
