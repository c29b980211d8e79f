package io.pgmigrate.replication;

/** A client session holding a transaction id: who and where, never what it runs. */
public record XidHolder(long pid, String user, String database, String applicationName, String state,
                        String transactionStart) {
    public String describe() {
        return "pid " + pid + " (user " + user + ", database " + database + ", application "
                + (applicationName == null || applicationName.isEmpty() ? "-" : applicationName) + ", " + state
                + ", transaction since " + transactionStart + ")";
    }
}
