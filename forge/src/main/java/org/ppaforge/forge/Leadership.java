package org.ppaforge.forge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.ppaforge.common.sql.Databases;

/**
 * Which server runs each background task that must run on one server at a time (a pipeline trigger, a daily rebuild,
 * gc). On a shared database the server that runs a task holds a session-level advisory lock named after it, on a
 * connection of its own: when that server dies its connection closes, PostgreSQL releases the lock, and the next turn
 * of the same task on another server takes it over. The embedded default has one server, which leads everything.
 */
final class Leadership implements AutoCloseable {
    private final Databases databases;
    private final Set<String> held = new HashSet<>();
    private Connection session;

    Leadership(Databases databases) {
        this.databases = databases;
    }

    /** Whether this server runs {@code task} now: it holds its lock, or has just taken it. */
    synchronized boolean lead(String task) {
        if (!databases.shared()) {
            held.add(task);
            return true;
        }
        try {
            if (session != null && !session.isValid(5)) { // the locks went with the connection
                closeSession();
            }
            if (session == null) {
                session = databases.session();
            }
            if (held.contains(task)) {
                return true;
            }
            try (PreparedStatement p =
                    session.prepareStatement("SELECT pg_try_advisory_lock(hashtext('ppaforge task ' || ?))")) {
                p.setString(1, task);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held.add(task);
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            closeSession();
            return false; // the database does not answer: nobody here runs it until it does
        }
    }

    /** The tasks this server runs now. */
    synchronized Set<String> held() {
        return Set.copyOf(held);
    }

    private void closeSession() {
        if (databases.shared()) {
            held.clear();
        }
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // gone already
            }
            session = null;
        }
    }

    /** Gives every task up (the server stops): the others take them at their next turn. */
    @Override
    public synchronized void close() {
        closeSession();
    }
}
