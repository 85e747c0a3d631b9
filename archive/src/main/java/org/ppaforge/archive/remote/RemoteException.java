package org.ppaforge.archive.remote;

import java.io.IOException;

/**
 * A repository that does not check out: a signature that is not the key's, a file whose size or SHA-256 is not the one
 * listed, an index that cannot be read, a name outside the repository. (A network failure stays a plain
 * {@link IOException}: trying again may help; here it does not.)
 */
public final class RemoteException extends IOException {
    public RemoteException(String message) {
        super(message);
    }
}
