package io.pgmigrate.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * How to tell, on the host, whether a step that an earlier run started and never finished (pgmigrate, SSH or the
 * machine died) has done its work: asked before anything is repeated. Each kind names what it looks at; the JSON
 * names are part of the plan format.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "probe")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Completion.RunAgain.class, name = "run-again"),
        @JsonSubTypes.Type(value = Completion.FreshDirectory.class, name = "fresh-directory"),
        @JsonSubTypes.Type(value = Completion.ClusterShutDown.class, name = "cluster-shut-down"),
        @JsonSubTypes.Type(value = Completion.OutputFiles.class, name = "output-files"),
        @JsonSubTypes.Type(value = Completion.ServerAnswers.class, name = "server-answers"),
        @JsonSubTypes.Type(value = Completion.PathGone.class, name = "path-gone"),
        @JsonSubTypes.Type(value = Completion.CannotTell.class, name = "cannot-tell"),
        @JsonSubTypes.Type(value = Completion.OldClusterFenced.class, name = "old-cluster-fenced"),
        @JsonSubTypes.Type(value = Completion.ServerRuns.class, name = "server-runs"),
})
public sealed interface Completion {
    /** Idempotent: running it again is how it is finished (every retry-safe step). */
    record RunAgain() implements Completion {
    }

    /** initdb: a half-made directory holds nothing yet; it is removed and the step runs again. */
    record FreshDirectory(String path) implements Completion {
    }

    /**
     * A cluster stopped: running still → run again; cleanly shut down (pg_controldata) → done; stopped but not cleanly
     * → cannot tell.
     */
    record ClusterShutDown(String dataDir, String binDir) implements Completion {
    }

    /**
     * A program that writes {@code doneFile} only when it completed (pg_upgrade's delete_old_cluster.sh): done when the
     * file exists and is newer than the step's start, as the host's clock recorded it in the journal. Before the step
     * starts, {@code doneFile} and {@code removeBefore} (what an earlier attempt left) are removed, so that nothing
     * of an earlier attempt counts as this one's.
     */
    record OutputFiles(String doneFile, List<String> removeBefore) implements Completion {
        public OutputFiles {
            removeBefore = List.copyOf(removeBefore);
        }
    }

    /** A server started: done when a server of that major version answers at the endpoint. */
    record ServerAnswers(Action.Endpoint endpoint, int major) implements Completion {
    }

    /** A deletion: done when the path is gone, else run again to delete the rest. */
    record PathGone(String path) implements Completion {
    }

    /**
     * The fence of the step's {@link Action.FenceOldCluster}: done when it holds on the host (the old pg_control renamed,
     * the old start.conf no longer {@code auto} and the new one as the old one was, or the old unit disabled and the new
     * one enabled); else it runs again, which is safe.
     */
    record OldClusterFenced() implements Completion {
    }

    /** A server started on the step's host: done when a postmaster runs on the data directory (pg_ctl status). */
    record ServerRuns(String dataDir, String binDir) implements Completion {
    }

    /** pgmigrate cannot tell: the execution stops and says so. */
    record CannotTell() implements Completion {
    }
}
