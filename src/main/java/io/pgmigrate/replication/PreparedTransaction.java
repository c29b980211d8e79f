package io.pgmigrate.replication;

/** A prepared transaction ({@code pg_prepared_xacts}): it holds its transaction id until committed or rolled back. */
public record PreparedTransaction(String gid, String owner, String database, String prepared) {
    public String describe() {
        return "prepared transaction '" + gid + "' (owner " + owner + ", database " + database + ", prepared "
                + prepared + ")";
    }
}
