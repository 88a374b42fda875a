package org.jobmon.engine.store;

/** The database could not do a run's work just now (connection lost, deadlock, lock timeout): try again later. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
