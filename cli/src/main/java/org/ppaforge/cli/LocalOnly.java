package org.ppaforge.cli;

/**
 * Marks a command that works on the local data directory only (it runs a server, makes a build environment with
 * mmdebstrap, or handles a secret key that never crosses the network): it refuses {@code --server}, and its help says
 * so. Every other command with the data directory options runs against a server too ({@link RemoteCommands}).
 */
interface LocalOnly {}
