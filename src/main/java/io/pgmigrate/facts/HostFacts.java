package io.pgmigrate.facts;

/**
 * Facts about a data directory's host, read with ordinary commands over the transport.
 *
 * @param path            the directory looked at
 * @param exists          whether it exists
 * @param pgVersionFile   contents of PG_VERSION, or null when there is none
 * @param deviceId        st_dev of the directory (or its nearest existing parent): equal ids mean one file system
 * @param fileSystemType  as {@code stat -f -c %T} names it (ext2/ext3, xfs, btrfs, …)
 * @param freeBytes       free space available to unprivileged users on that file system
 * @param empty           true when the directory is missing or has no entries
 * @param realPath        the directory with every symbolic link resolved ({@code realpath -e}), null when missing
 * @param statPath        the directory that device, type and free space were read from: {@code path} itself
 *                        or, when it does not exist yet, its nearest existing parent
 */
public record HostFacts(String path, boolean exists, String pgVersionFile, String deviceId,
                        String fileSystemType, long freeBytes, boolean empty, String realPath, String statPath) {

    /** Whether both directories lie on one file system (same device id). */
    public boolean sameFileSystemAs(HostFacts other) {
        return deviceId != null && deviceId.equals(other.deviceId);
    }
}
